/**
 * Vault clients list with the HTTP method `LIST` (`LIST /v1/transit/keys`; hvac and node-vault
 * both do). Node's HTTP parser knows no such method: it rejects the request before any handler
 * runs and reports `HPE_INVALID_METHOD` to the server's `clientError` listener, with the bytes it
 * was parsing. This reads the request from those bytes, answers it through the Vault face and
 * closes the connection (the parser of that connection is spent). It costs nothing on the normal
 * path: it only runs when the parser has already failed.
 *
 * A LIST whose head did not arrive in the failing chunk (very large headers split across TCP
 * segments) is answered 400; `GET ...?list=true` does the same as LIST and needs none of this.
 */
import type { Socket } from 'node:net';
import { errorResponse, type VaultHttpResponse } from './envelope.js';
import { internalError, userError } from './errors.js';
import type { VaultWire } from './http.js';

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

/**
 * Answers a `LIST /v1/...` request the parser refused; returns false when the failed request is
 * something else (the caller then answers it as it would any malformed request).
 */
export function answerListRequest(vault: VaultWire | undefined, err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket): boolean {
  if (!vault || err.code !== 'HPE_INVALID_METHOD' || !err.rawPacket) return false;
  const raw = err.rawPacket.toString('latin1');
  // Usually the chunk starts with the request; after a pipelined request it follows a CRLF.
  let start = raw.startsWith('LIST ') ? 0 : raw.indexOf('\r\nLIST ');
  if (start < 0) return false;
  if (start > 0) start += 2;
  const lineEnd = raw.indexOf('\r\n', start);
  const requestLine = /^LIST (\/v1(?:\/\S*)?) HTTP\/1\.[01]$/.exec(raw.slice(start, lineEnd < 0 ? undefined : lineEnd));
  if (!requestLine) return false;
  const headEnd = raw.indexOf('\r\n\r\n', start);
  const answer = (res: VaultHttpResponse): void => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const head = [`HTTP/1.1 ${res.status} ${STATUS_TEXT[res.status] ?? 'Status'}`, ...Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(res.body)}`, 'Connection: close'];
    socket.end(`${head.join('\r\n')}\r\n\r\n${res.body}`);
  };
  if (headEnd < 0) answer(errorResponse(userError('kmskit: the LIST request head did not arrive whole; send GET with ?list=true instead')));
  else {
    const headers: Record<string, string> = {};
    for (const line of raw.slice(lineEnd + 2, headEnd).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        const name = line.slice(0, colon).trim().toLowerCase();
        if (!(name in headers)) headers[name] = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
      }
    }
    const sourceIp = socket.remoteAddress?.replace(/^::ffff:/, '');
    vault.handle({ method: 'LIST', url: requestLine[1]!, headers, body: Buffer.alloc(0), ...(sourceIp ? { sourceIp } : {}) }).then(answer, () => answer(errorResponse(internalError('internal error in the kmskit emulator'))));
  }
  return true;
}
