/**
 * The Vault face on node:http: `/v1/...` requests in, Vault's bytes out. The server reads the body
 * (its size cap applies) and hands the request here; the LIST method never reaches it this way
 * (see list-method.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse, type VaultHttpResponse } from './envelope.js';
import { VaultError, internalError } from './errors.js';
import type { VaultRequest } from './face.js';

/** What the server needs of the emulator's Vault face. */
export interface VaultWire {
  handle(req: VaultRequest): Promise<VaultHttpResponse>;
}

export function isVaultUrl(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/v1/') || url === '/v1');
}

function vaultRequestOf(req: IncomingMessage, body: Buffer): VaultRequest {
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '');
  return { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, ...(sourceIp ? { sourceIp } : {}) };
}

/** Answers one `/v1/` request whose body has arrived whole. */
export async function serveVault(vault: VaultWire, req: IncomingMessage, res: ServerResponse, body: Buffer, log: (line: string) => void): Promise<void> {
  let answer: VaultHttpResponse;
  try {
    answer = await vault.handle(vaultRequestOf(req, body));
  } catch (e) {
    // The face answers its own faults; this is a closed emulator or a bug, never a stack trace.
    log(`kmskit: vault request ${req.method} ${req.url?.slice(0, 100)} failed: ${e instanceof Error ? e.message : String(e)}`);
    answer = errorResponse(internalError('internal error in the kmskit emulator'));
  }
  writeVaultResponse(res, answer);
}

/** Vault's answer to a body over the server's limit. */
export function vaultTooLarge(): VaultHttpResponse {
  return errorResponse(new VaultError(413, ['http: request body too large']));
}

export function writeVaultResponse(res: ServerResponse, r: VaultHttpResponse, connection?: 'close'): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...r.headers, 'Content-Length': Buffer.byteLength(r.body, 'utf8') };
  if (connection) headers.Connection = connection;
  res.writeHead(r.status, headers);
  res.end(r.body);
}
