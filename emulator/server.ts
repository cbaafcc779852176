/**
 * The emulator over HTTP, on node:http. Three families of routes share one store and one audit log:
 *
 * - `POST /` with `X-Amz-Target: TrentService.<Operation>`: the AWS JSON 1.1 protocol every AWS SDK,
 *   boto3 and the aws CLI speak. Errors are `400 {"__type","message"}` with `x-amzn-ErrorType`;
 *   anything the core did not throw as a KmsError is a 500 `KMSInternalException`.
 * - the simple REST routes of the small Go KMS server the hands-on tutorials build (rest.ts);
 * - `/_kmskit/*` control routes for tests (control.ts), on by default only on a loopback address.
 *
 * The caller is read from the SigV4 `Credential=` scope and looked up in the identities; a principal
 * with a secret gets its signature verified. A request body is only dispatched once it has arrived
 * whole, so a client that goes away mid-request changes nothing. Responses never carry a stack trace,
 * and nothing here logs a request or response body (they hold plaintext).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { parseAuthorization, SignatureError, verifySignature } from './sigv4.js';
import { asKmsError, awsError, isPlainObject, type RouteResult, type WireCaller, type WireEmulator } from './wire.js';
import { handleRest, isRestPath } from './rest.js';
import { handleControl } from './control.js';

/** Bodies above this get 413 (the issue's cap; KMS's own largest input is far below it). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this much of an oversized body we stop reading it and close the connection. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

export const TARGET_PREFIX = 'TrentService.';

/**
 * Every operation of the KMS API (2014-11-01). One the emulator does not implement is answered
 * with UnsupportedOperationException (KMS's own exception for "not supported here"), so a client
 * learns it reached KMS and asked for something kmskit lacks; anything else is unknown.
 */
export const KMS_API_OPERATIONS: ReadonlySet<string> = new Set(
  (
    'CancelKeyDeletion ConnectCustomKeyStore CreateAlias CreateCustomKeyStore CreateGrant CreateKey Decrypt DeleteAlias ' +
    'DeleteCustomKeyStore DeleteImportedKeyMaterial DeriveSharedSecret DescribeCustomKeyStores DescribeKey DisableKey ' +
    'DisableKeyRotation DisconnectCustomKeyStore EnableKey EnableKeyRotation Encrypt GenerateDataKey GenerateDataKeyPair ' +
    'GenerateDataKeyPairWithoutPlaintext GenerateDataKeyWithoutPlaintext GenerateMac GenerateRandom GetKeyLastUsage ' +
    'GetKeyPolicy GetKeyRotationStatus GetParametersForImport GetPublicKey ImportKeyMaterial ListAliases ListGrants ' +
    'ListKeyPolicies ListKeyRotations ListKeys ListResourceTags ListRetirableGrants PutKeyPolicy ReEncrypt ReplicateKey ' +
    'RetireGrant RevokeGrant RotateKeyOnDemand ScheduleKeyDeletion Sign TagResource UntagResource UpdateAlias ' +
    'UpdateCustomKeyStore UpdateKeyDescription UpdatePrimaryRegion Verify VerifyMac'
  ).split(' '),
);
const JSON_CONTENT_TYPES = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);

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
  const operations = new Set(emulator.operations);
  return (req, res) => {
    const requestId = randomUUID();
    readBody(req, (outcome) => {
      if (outcome.kind === 'aborted') return;
      if (outcome.kind === 'too-large') {
        send(
          res,
          requestId,
          awsError(413, 'RequestEntityTooLargeException', `Request body exceeds the ${MAX_BODY_BYTES} byte limit`),
          outcome.drained ? undefined : 'close',
        );
        if (!outcome.drained) res.once('finish', () => req.socket.destroy());
        return;
      }
      route(req, outcome.body, requestId).then(
        (result) => send(res, requestId, result),
        (e: unknown) => {
          log(`kmskit: request ${requestId} failed: ${e instanceof Error ? e.message : String(e)}`);
          send(res, requestId, awsError(500, 'KMSInternalException', 'An internal error occurred in the emulator.'));
        },
      );
    });
  };

  async function route(req: IncomingMessage, body: Buffer, requestId: string): Promise<RouteResult> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';

    if (path.startsWith('/_kmskit/') || path === '/_kmskit') {
      if (!control) return awsError(404, 'UnknownOperationException', 'Control routes are disabled on this server');
      return handleControl(emulator, method, path, body);
    }

    let caller: WireCaller;
    try {
      caller = authenticate(req, body);
    } catch (e) {
      if (e instanceof SignatureError) return awsError(400, e.code, e.message);
      throw e;
    }

    if (path === '/') {
      if (method !== 'POST') return awsError(405, 'UnknownOperationException', `${method} / is not an operation; use POST with X-Amz-Target`);
      return awsJson(req, body, caller, requestId);
    }
    if (isRestPath(path)) return handleRest(emulator, method, path, body, caller);
    return awsError(404, 'UnknownOperationException', `No route for ${method} ${truncate(path)}`);
  }

  function authenticate(req: IncomingMessage, body: Buffer): WireCaller {
    const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '');
    const auth = parseAuthorization(firstHeader(req.headers.authorization));
    if (!auth) return { ...(sourceIp ? { sourceIp } : {}) };
    const principal = emulator.principalForAccessKey(auth.accessKeyId);
    if (principal?.secretAccessKey !== undefined) {
      verifySignature({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body }, auth, principal.secretAccessKey);
    }
    return {
      accessKeyId: auth.accessKeyId,
      ...(principal ? { principal: principal.arn } : {}),
      region: auth.region,
      ...(sourceIp ? { sourceIp } : {}),
    };
  }

  async function awsJson(req: IncomingMessage, body: Buffer, caller: WireCaller, requestId: string): Promise<RouteResult> {
    const target = firstHeader(req.headers['x-amz-target']);
    if (!target || !target.startsWith(TARGET_PREFIX)) {
      return awsError(400, 'UnknownOperationException', target ? `Unknown target ${truncate(target)}` : 'Missing X-Amz-Target header');
    }
    const operation = target.slice(TARGET_PREFIX.length);
    if (!operations.has(operation)) {
      if (KMS_API_OPERATIONS.has(operation)) {
        return awsError(400, 'UnsupportedOperationException', `kmskit does not emulate ${operation}; the operations it supports are listed by emulator.operations`);
      }
      return awsError(400, 'UnknownOperationException', `Unknown operation ${truncate(operation)}`);
    }
    const contentType = (firstHeader(req.headers['content-type']) ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (contentType !== '' && !JSON_CONTENT_TYPES.has(contentType)) {
      return awsError(400, 'UnknownOperationException', `Unsupported Content-Type ${truncate(contentType)}; send application/x-amz-json-1.1`);
    }
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return awsError(400, 'SerializationException', 'Request body is not valid JSON');
      }
    }
    if (!isPlainObject(input)) {
      return awsError(400, 'SerializationException', 'Request body must be a JSON object');
    }
    try {
      const output = await emulator.send(operation, input, caller);
      return { status: 200, body: output ?? {} };
    } catch (e) {
      const kms = asKmsError(e);
      if (!kms) throw e;
      // Server-side faults are worth a line; the message is left out as it may quote the input.
      if (kms.httpStatus >= 500) log(`kmskit: request ${requestId} ${operation}: ${kms.code} (${kms.httpStatus})`);
      return awsError(kms.httpStatus, kms.code, kms.message);
    }
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
  req.on('end', () => finish(tooLarge ? { kind: 'too-large', drained: true } : { kind: 'ok', body: Buffer.concat(chunks, size) }));
  req.on('close', () => {
    if (!req.complete) finish({ kind: 'aborted' });
  });
  req.on('error', () => finish({ kind: 'aborted' }));
}

function send(res: ServerResponse, requestId: string, result: RouteResult, connection?: 'close'): void {
  if (res.headersSent || res.destroyed) return;
  // A string body lets node:http send headers and body in one write instead of a writev of two.
  const payload = JSON.stringify(result.body ?? {});
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(payload, 'utf8'),
    'x-amzn-RequestId': requestId,
    ...result.headers,
  };
  if (connection) headers.Connection = connection;
  res.writeHead(result.status, headers);
  res.end(payload);
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function truncate(s: string, max = 100): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
