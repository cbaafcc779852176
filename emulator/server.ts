/**
 * The emulator over HTTP, on node:http: one server that hands each request to the protocol that owns
 * it. The protocols share one store and one audit log:
 *
 * - `POST /` with `X-Amz-Target: TrentService.<Operation>`: AWS JSON 1.1 (protocols/aws-json);
 *   anything the core did not throw as a KmsError is a 500 `KMSInternalException`.
 * - the simple REST routes of the small Go KMS server the hands-on tutorials build (protocols/rest/routes.ts);
 * - STS in the query protocol (protocols/sts): requests signed for `sts`, or shaped like a query call;
 * - `/_kmskit/*` control routes for tests (protocols/control/routes.ts), on by default only on a loopback address;
 * - `/v1/*`: HashiCorp Vault's HTTP API (protocols/vault), with its own envelope and errors; its
 *   `LIST` method, which node's parser refuses, is answered from the `clientError` listener.
 *
 * The caller is read from the SigV4 `Credential=` scope and looked up in the identities; a principal
 * with a secret gets its signature verified. A request body is only dispatched once it has arrived
 * whole, so a client that goes away mid-request changes nothing. Responses never carry a stack trace,
 * and nothing here logs a request or response body (they hold plaintext).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { SignatureError } from './protocols/sigv4.js';
import { awsError, truncate, type RouteResult, type WireCaller, type WireEmulator } from './protocols/wire.js';
import { authenticate, readCredentials, type Credentials } from './protocols/caller.js';
import { createAwsJsonRouter } from './protocols/aws-json/router.js';
import { handleRest, isRestPath } from './protocols/rest/routes.js';
import { handleControl, isControlPath } from './protocols/control/routes.js';
import { createStsRouter, isStsRequest } from './protocols/sts/router.js';
import { isVaultUrl, serveVault, vaultTooLarge, writeVaultResponse } from './protocols/vault/http.js';
import { answerListRequest } from './protocols/vault/list-method.js';

export { KMS_API_OPERATIONS, TARGET_PREFIX } from './protocols/aws-json/router.js';

/** Bodies above this get 413 (the issue's cap; KMS's own largest input is far below it). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this much of an oversized body we stop reading it and close the connection. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

/** Options of `startServer`: the emulator, where to listen, and the control routes. */
export interface ServerOptions {
  emulator: WireEmulator;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4599; 0 picks a free port. */
  port?: number;
  /** Serve `/_kmskit/*`. Default: only when `host` is a loopback address. */
  control?: boolean;
  /** Where one-line diagnostics go (internal faults); never given request or response bodies. */
  log?: (line: string) => void;
}

/** A listening server: its URL and port, and `close()`. */
export interface RunningServer {
  /** `http://HOST:PORT` with the actual port. */
  url: string;
  port: number;
  host: string;
  server: Server;
  /** Stops accepting, lets in-flight requests finish, drops idle keep-alive connections. */
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Starts the HTTP server and resolves once it is listening. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const handler = createRequestHandler({ ...options, control: options.control ?? isLoopbackHost(host) });
  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 60_000 }, handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A garbled request line or header never reaches the handler; answer it in AWS shape anyway.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'HPE_INVALID_METHOD' && answerListRequest(options.emulator.vault, err, socket)) return;
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, reason] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
    const body = JSON.stringify({ __type: 'SerializationException', message: 'Malformed HTTP request' });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-ErrorType: SerializationException\r\n` +
        `x-amzn-RequestId: ${randomUUID()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4599, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Connections still busy after a grace period are cut so close() always ends.
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2_000).unref();
      });
      return closing;
    },
  };
}

/** The request listener on its own, for embedding in another node:http server. */
export function createRequestHandler(options: ServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { emulator } = options;
  const control = options.control ?? true;
  const log = options.log ?? (() => {});
  const awsJson = createAwsJsonRouter(emulator, log);
  const sts = createStsRouter(emulator);
  return (req, res) => {
    const requestId = randomUUID();
    readBody(req, (outcome) => {
      if (outcome.kind === 'aborted') return;
      const vault = isVaultUrl(req.url) ? emulator.vault : undefined;
      if (outcome.kind === 'too-large') {
        if (vault) writeVaultResponse(res, vaultTooLarge(), outcome.drained ? undefined : 'close');
        else send(
          res,
          requestId,
          awsError(413, 'RequestEntityTooLargeException', `Request body exceeds the ${MAX_BODY_BYTES} byte limit`),
          outcome.drained ? undefined : 'close',
        );
        if (!outcome.drained) res.once('finish', () => req.socket.destroy());
        return;
      }
      if (vault) {
        void serveVault(vault, req, res, outcome.body, log);
        return;
      }
      const fail = (e: unknown): void => {
        log(`kmskit: request ${requestId} failed: ${e instanceof Error ? e.message : String(e)}`);
        send(res, requestId, awsError(500, 'KMSInternalException', 'An internal error occurred in the emulator.'));
      };
      let result: RouteResult | Promise<RouteResult>;
      try {
        result = route(req, outcome.body, requestId);
      } catch (e) {
        fail(e);
        return;
      }
      if (result instanceof Promise) result.then((r) => send(res, requestId, r), fail);
      else send(res, requestId, result);
    });
  };

  /** Answers synchronously where it can; a protocol that waits returns a promise. */
  function route(req: IncomingMessage, body: Buffer, requestId: string): RouteResult | Promise<RouteResult> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    const method = req.method ?? 'GET';

    // One branch per protocol; each authenticates the caller itself, so errors come in its shape.
    if (isControlPath(path)) {
      if (!control) return awsError(404, 'UnknownOperationException', 'Control routes are disabled on this server');
      return handleControl(emulator, method, path, body);
    }
    const credentials = readCredentials(req);
    if (isStsRequest(req, path, query, credentials)) return sts.handle(req, query, body, credentials, requestId);

    // The JSON protocols: AWS JSON 1.1 on `/`, the tutorial's REST routes.
    let caller: WireCaller;
    try {
      caller = authenticate(emulator, req, body, credentials);
    } catch (e) {
      if (e instanceof SignatureError) return awsError(400, e.code, e.message);
      throw e;
    }
    if (path === '/') {
      if (method !== 'POST') return awsError(405, 'UnknownOperationException', `${method} / is not an operation; use POST with X-Amz-Target`);
      return awsJson.handle(req, body, caller, requestId);
    }
    if (isRestPath(path)) return handleRest(emulator, method, path, body, caller);
    return awsError(404, 'UnknownOperationException', `No route for ${method} ${truncate(path)}`);
  }
}

type BodyOutcome = { kind: 'ok'; body: Buffer } | { kind: 'too-large'; drained: boolean } | { kind: 'aborted' };

/** Reads the whole body (or learns it is too large) before anything is dispatched. */
function readBody(req: IncomingMessage, done: (outcome: BodyOutcome) => void): void {
  const declared = Number(req.headers['content-length']);
  let finished = false;
  const finish = (o: BodyOutcome) => {
    if (finished) return;
    finished = true;
    done(o);
  };
  if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) {
    req.resume();
    finish({ kind: 'too-large', drained: false });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      tooLarge = true;
      chunks.length = 0;
      if (size > MAX_DRAIN_BYTES) finish({ kind: 'too-large', drained: false });
      return;
    }
    chunks.push(chunk);
  });
  // A request that never ends (the client went away) simply never reaches `finish`: nothing to undo.
  req.on('end', () => finish(tooLarge ? { kind: 'too-large', drained: true } : { kind: 'ok', body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
  req.on('error', () => finish({ kind: 'aborted' }));
}

function send(res: ServerResponse, requestId: string, result: RouteResult, connection?: 'close'): void {
  if (res.headersSent || res.destroyed) return;
  // A string body lets node:http send headers and body in one write instead of a writev of two.
  const payload = result.json ?? (result.contentType ? String(result.body) : JSON.stringify(result.body ?? {}));
  const headers: Record<string, string | number> = {
    'Content-Type': result.contentType ?? 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(payload, 'utf8'),
    'x-amzn-RequestId': requestId,
  };
  if (result.headers) Object.assign(headers, result.headers);
  if (connection) headers.Connection = connection;
  res.writeHead(result.status, headers);
  res.end(payload);
}
