/**
 * The speed-of-light peer for the server benchmark: a node:http server that speaks just enough of
 * the AWS JSON 1.1 protocol to answer Encrypt, Decrypt and CreateKey with canned responses. It does
 * what any server must (read the whole body, parse the JSON, route on X-Amz-Target, send headers and
 * a request id) and nothing a KMS does (no crypto, no policy, no state).
 *
 * Run as a script it prints `canned server listening on http://HOST:PORT`.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const ACCOUNT = '111122223333';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;

/** The canned answers' bodies by operation (also bench/canned-handler.ts's, in-process). */
export function cannedBodies(): Record<string, Buffer> {
  const blob = randomBytes(128).toString('base64');
  return {
    Encrypt: Buffer.from(JSON.stringify({ CiphertextBlob: blob, KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' })),
    Decrypt: Buffer.from(JSON.stringify({ Plaintext: Buffer.from('canned plaintext').toString('base64'), KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' })),
    CreateKey: Buffer.from(JSON.stringify({ KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN, AWSAccountId: ACCOUNT, Enabled: true, KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', CreationDate: 1_700_000_000 } })),
  };
}

export function createCannedServer(): Server {
  const bodies = cannedBodies();
  const unknown = Buffer.from(JSON.stringify({ __type: 'UnknownOperationException', message: 'canned server' }));
  return createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.slice(target.indexOf('.') + 1);
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        /* a canned server answers anyway */
      }
      const body = bodies[op];
      res.writeHead(body ? 200 : 400, {
        'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': (body ?? unknown).length,
        'x-amzn-RequestId': randomUUID(),
        ...(body ? {} : { 'x-amzn-ErrorType': 'UnknownOperationException' }),
      });
      res.end(body ?? unknown);
    });
  });
}

export async function startCannedServer(port = 0, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const server = createCannedServer();
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await startCannedServer(Number(process.argv[2] ?? 0));
  process.stdout.write(`canned server listening on ${s.url}\n`);
  const stop = () => void s.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
