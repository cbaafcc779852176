/**
 * Who is calling, for every protocol that speaks SigV4 (AWS JSON, the REST routes, STS): the access
 * key id in the `Credential=` scope names a principal from the identities (or an assumed-role
 * session); a principal with a secret gets its signature verified, a session also its token and
 * expiry. No Authorization header is the emulator account's root user.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { SignatureError, parseAuthorization, verifySignature, type ParsedAuthorization } from './sigv4.js';
import { firstHeader, type WireCaller, type WireEmulator } from './wire.js';

/**
 * A request's Authorization header, parsed once by the server (which routes on its credential
 * scope) and handed to the protocol: the parsed header, or the SignatureError a malformed one is.
 */
export interface Credentials {
  auth?: ParsedAuthorization;
  error?: SignatureError;
}

const NONE: Credentials = Object.freeze({});

export function readCredentials(req: IncomingMessage): Credentials {
  const header = firstHeader(req.headers.authorization);
  if (header === undefined) return NONE;
  try {
    const auth = parseAuthorization(header);
    return auth ? { auth } : NONE;
  } catch (e) {
    if (e instanceof SignatureError) return { error: e };
    throw e;
  }
}

/**
 * The caller of one request; throws SignatureError when the header is malformed or a signature,
 * session token or expiry is checked and wrong. `service` is the signing name the protocol answers
 * to (`kms`, `sts`).
 */
export function authenticate(emulator: WireEmulator, req: IncomingMessage, body: Buffer, credentials: Credentials, service = 'kms'): WireCaller {
  if (credentials.error) throw credentials.error;
  const auth = credentials.auth;
  if (!auth) return callerOn(req.socket, undefined, undefined, undefined);
  const principal = emulator.principalForAccessKey(auth.accessKeyId);
  if (principal?.sessionToken !== undefined) {
    if (firstHeader(req.headers['x-amz-security-token']) !== principal.sessionToken) {
      throw new SignatureError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (Date.now() > principal.expiresAt!) throw new SignatureError('ExpiredTokenException', 'The security token included in the request is expired');
  }
  if (principal?.secretAccessKey !== undefined) {
    verifySignature({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body }, auth, principal.secretAccessKey, service);
  }
  return callerOn(req.socket, auth.accessKeyId, auth.region, principal?.arn);
}

/**
 * The caller of a connection's previous request when this one is the same (a keep-alive client
 * sends the same credentials every time), else the shared one; the address is the connection's.
 */
const lastOnSocket = new WeakMap<Socket, { accessKeyId?: string; region?: string; principal?: string; caller: WireCaller }>();
function callerOn(socket: Socket, accessKeyId: string | undefined, region: string | undefined, principal: string | undefined): WireCaller {
  const last = lastOnSocket.get(socket);
  if (last && last.accessKeyId === accessKeyId && last.region === region && last.principal === principal) return last.caller;
  const address = socket.remoteAddress;
  const caller = sharedCaller(accessKeyId, region, principal, address?.startsWith('::ffff:') ? address.slice(7) : address);
  lastOnSocket.set(socket, { accessKeyId, region, principal, caller });
  return caller;
}

/**
 * One caller object per (access key, region, principal, source address), reused across requests:
 * the emulator remembers how it resolved a caller object, so a client's keep-alive requests skip
 * resolving it again. Callers are never modified after they are made.
 */
const callers = new Map<string, WireCaller>();
function sharedCaller(accessKeyId: string | undefined, region: string | undefined, principal: string | undefined, sourceIp: string | undefined): WireCaller {
  const key = `${accessKeyId ?? ''}\n${region ?? ''}\n${principal ?? ''}\n${sourceIp ?? ''}`;
  let caller = callers.get(key);
  if (!caller) {
    if (callers.size >= 1000) callers.clear();
    caller = {};
    if (accessKeyId) caller.accessKeyId = accessKeyId;
    if (region) caller.region = region;
    if (principal) caller.principal = principal;
    if (sourceIp) caller.sourceIp = sourceIp;
    Object.freeze(caller);
    callers.set(key, caller);
  }
  return caller;
}
