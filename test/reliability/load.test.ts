/**
 * Load: 64 concurrent keep-alive HTTP clients issue 20,000 mixed operations against one
 * `kmskit serve`. No 5xx, no unhandled rejection, every answer AWS-shaped, and memory bounded: the
 * server's peak RSS (VmHWM) is reported and must stay under a ceiling.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kms, killHard, prng, startServe, type ServerProcess } from './harness.js';

const CLIENTS = 64;
const OPERATIONS = 20_000;
const RSS_CEILING_MB = 512;

function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

describe('load', () => {
  let server: ServerProcess;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await startServe([]);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    if (server) await killHard(server);
  });

  it(`answers ${OPERATIONS} mixed operations from ${CLIENTS} concurrent clients with no 5xx`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const key = await kms(server.url, 'CreateKey', { Description: 'load' }, agent);
    expect(key.status).toBe(200);
    const keyId = (key.body.KeyMetadata as { KeyId: string }).KeyId;
    const enc = await kms(server.url, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from('hello').toString('base64') }, agent);
    const blob = enc.body.CiphertextBlob as string;

    const random = prng(42);
    const statusCounts = new Map<number, number>();
    let next = 0;
    const mix = (i: number): [string, unknown] => {
      const r = random();
      if (r < 0.3) return ['Encrypt', { KeyId: keyId, Plaintext: Buffer.from(`payload ${i}`).toString('base64'), EncryptionContext: { n: String(i % 7) } }];
      if (r < 0.55) return ['Decrypt', { CiphertextBlob: blob }];
      if (r < 0.7) return ['GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }];
      if (r < 0.8) return ['DescribeKey', { KeyId: keyId }];
      if (r < 0.85) return ['CreateKey', { Description: `load ${i}` }];
      if (r < 0.9) return ['ListAliases', {}];
      if (r < 0.95) return ['Decrypt', { CiphertextBlob: Buffer.from('not a ciphertext').toString('base64') }];
      return ['DescribeKey', { KeyId: 'alias/does-not-exist' }];
    };
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= OPERATIONS) return;
        const [op, input] = mix(i);
        const res = await kms(server.url, op, input, agent);
        statusCounts.set(res.status, (statusCounts.get(res.status) ?? 0) + 1);
        if (res.status !== 200) {
          expect(typeof res.body.__type, `${op} answered ${res.status} without an AWS error shape: ${res.raw.slice(0, 200)}`).toBe('string');
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, worker));
    agent.destroy();

    const fiveXx = [...statusCounts].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const total = [...statusCounts.values()].reduce((a, b) => a + b, 0);
    const peak = peakRssMb(server.proc.pid!);
    console.log(`load: ${total} responses, statuses ${JSON.stringify(Object.fromEntries(statusCounts))}, server peak RSS ${peak?.toFixed(1) ?? 'n/a'} MB`);
    expect(total).toBe(OPERATIONS);
    expect(fiveXx).toBe(0);
    expect(statusCounts.get(200) ?? 0).toBeGreaterThan(OPERATIONS * 0.8);
    expect(unhandled).toEqual([]);
    if (peak !== undefined) expect(peak).toBeLessThan(RSS_CEILING_MB);
  }, 120_000);
});
