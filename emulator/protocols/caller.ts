/**
 * Who is calling, for every protocol that speaks SigV4 (AWS JSON, the REST routes): the access key
 * id in the `Credential=` scope names a principal from the identities; a principal with a secret gets
 * its signature verified. No Authorization header is the emulator account's root user.
 */
import type { IncomingMessage } from 'node:http';
import { parseAuthorization, verifySignature } from './sigv4.js';
import { firstHeader, type WireCaller, type WireEmulator } from './wire.js';

/** The caller of one request; throws SignatureError when a signature is checked and wrong. */
export function authenticate(emulator: WireEmulator, req: IncomingMessage, body: Buffer): WireCaller {
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
