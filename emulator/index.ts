/**
 * The emulator's public surface (`kmskit/emulator`): the in-process emulator, the HTTP server over it,
 * and the errors and types they use. Everything else under emulator/ is internal.
 */
export * from './emulator.js';
export { startServer, createRequestHandler, type ServerOptions, type RunningServer } from './server.js';
