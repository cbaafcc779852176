/**
 * Drives a `kmskit serve` child process over the wire protocol, as an external client would: the
 * reliability suite must exercise the real binary (kill -9 means a real process), not the in-process API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request, Agent } from 'node:http';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/kmskit.js', import.meta.url));

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  port: number;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr: () => string;
}

/** Starts `kmskit serve --port 0` and resolves once it prints its listening line. */
export function startServe(args: string[], timeoutMs = 15_000): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`kmskit serve did not start within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /kmskit emulator listening on (http:\/\/[^\s]+?:(\d+))/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, port: Number(m[2]), stderr: () => err });
      }
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`kmskit serve exited early (code ${code}, signal ${signal}); stderr: ${err}`));
    });
  });
}

/** Kills with SIGKILL and waits until the process is gone. */
export function killHard(p: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.proc.exitCode !== null || p.proc.signalCode !== null) return resolve();
    p.proc.removeAllListeners('exit');
    p.proc.once('exit', () => resolve());
    p.proc.kill('SIGKILL');
  });
}

export interface WireResponse {
  status: number;
  body: Record<string, unknown>;
  raw: string;
}

/** One AWS JSON 1.1 call (no SigV4: an absent key is the account root, per the contract). */
export function kms(url: string, operation: string, input: unknown, agent?: Agent): Promise<WireResponse> {
  const body = JSON.stringify(input);
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: '/',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `TrentService.${operation}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString();
          let parsed: Record<string, unknown> = {};
          try {
            parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
          } catch {
            parsed = { __unparsable: raw };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, raw });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export { prng } from '../helpers/prng.js';
