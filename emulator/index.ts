/**
 * The emulator's public surface (`kmskit/emulator`): the in-process emulator, the HTTP server over it,
 * and the errors and types they use. Everything else under emulator/ is internal. Importing it loads
 * neither cdktf nor the AWS SDK; the SDK loads the first time `emulator.client()` is called.
 */
export * from './emulator.js';
export { startServer, createRequestHandler, type ServerOptions, type RunningServer } from './server.js';
export { PRINCIPAL_HEADER, type ClientOptions } from './client.js';
/** For servers that embed createRequestHandler: answers Vault's LIST method from a `clientError` listener. */
export { answerListRequest } from './protocols/vault/list-method.js';
