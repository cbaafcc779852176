/**
 * Emulator core benchmarks:
 * 1. Encrypt+Decrypt of 64 bytes per second through `emulator.send` (wire JSON in and out, model
 *    validation, key-policy + identity-policy evaluation for a non-root principal, audit event),
 *    against raw node:crypto AES-256-GCM encrypt+decrypt in the same run. Target ≥ 0.3× raw.
 * 2. 100,000 keys (BENCH_KEYS overrides, for quick runs): memory (RSS and heap delta) and
 *    Encrypt+Decrypt time per pair over 1,000 vs all keys (lookups are Map reads: flat).
 * 3. Persistence: CreateKey with a state file (journal append + fsync) against one snapshot of the
 *    whole store, the cost a rewrite-per-mutation design would pay on every change.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './types.js';
import { createEmulator, type Emulator } from '../emulator/emulator.js';
import { Persistence } from '../emulator/state/persistence.js';
import type { Store } from '../emulator/core/store.js';

const ACCOUNT = '111122223333';
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const PLAINTEXT = randomBytes(64);

function rawPairsPerSecond(durationMs: number): number {
  const key = randomBytes(32);
  let n = 0;
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(PLAINTEXT), c.final()]);
      const tag = c.getAuthTag();
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAuthTag(tag);
      Buffer.concat([d.update(ct), d.final()]);
    }
    n += 100;
  }
  return (n / durationMs) * 1000;
}

async function emulatorPairsPerSecond(kms: Emulator, keyIds: string[], durationMs: number): Promise<number> {
  const pt = PLAINTEXT.toString('base64');
  const caller = { principal: APP };
  let n = 0;
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) {
      const KeyId = keyIds[(n + i) % keyIds.length]!;
      const enc = (await kms.send('Encrypt', { KeyId, Plaintext: pt, EncryptionContext: { tenant: 't1' } }, caller)) as { CiphertextBlob: string };
      await kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { tenant: 't1' } }, caller);
    }
    n += 50;
  }
  return (n / durationMs) * 1000;
}

async function newEmulator(): Promise<Emulator> {
  return createEmulator({
    account: ACCOUNT,
    principals: [{ arn: APP, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }] }] }],
    auditLimit: 10_000,
  });
}

async function createKeys(kms: Emulator, count: number, into: string[]): Promise<void> {
  for (let i = 0; i < count; i++) into.push(((await kms.send('CreateKey', {})) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId);
}

/** A real gc() even without --expose-gc, so the memory figure measures live objects. */
function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const kms = await newEmulator();
  const ids: string[] = [];
  await createKeys(kms, 10, ids);
  await emulatorPairsPerSecond(kms, ids, 300); // warm-up
  rawPairsPerSecond(300);
  // Short interleaved rounds so a noisy neighbour (the machine is shared) hits both alike; the
  // figure is the median round.
  const rounds: Array<{ emu: number; raw: number }> = [];
  for (let round = 0; round < 15; round++) {
    const emuRate = await emulatorPairsPerSecond(kms, ids, 150);
    const rawRate = rawPairsPerSecond(150);
    rounds.push({ emu: emuRate, raw: rawRate });
  }
  rounds.sort((a, b) => a.emu / a.raw - b.emu / b.raw);
  const mid = rounds[Math.floor(rounds.length / 2)]!;
  const emu = mid.emu;
  const raw = mid.raw;
  const ratio = emu / raw;
  results.push({
    figure: 'emulator: Encrypt+Decrypt pairs of 64 B per second, in-process with policy checks',
    value: Math.round(emu),
    unit: 'pairs/s',
    peer: 'raw node:crypto AES-256-GCM encrypt+decrypt',
    peerValue: Math.round(raw),
    ratio: Number(ratio.toFixed(3)),
    target: '≥ 0.3× raw',
    met: ratio >= 0.3,
    note: 'emulator.send with wire JSON, model validation, key policy + identity policy evaluation for a non-root role, encryption context, audit event',
  });

  // 100,000 keys: memory and flat per-op time.
  const big = await newEmulator();
  const keys: string[] = [];
  collectGarbage();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  await createKeys(big, 1000, keys);
  const t0 = performance.now();
  await createKeys(big, Number(process.env.BENCH_KEYS ?? 100_000) - 1000, keys);
  const createMs = performance.now() - t0;
  collectGarbage();
  const rss = process.memoryUsage().rss - rss0;
  const heap = process.memoryUsage().heapUsed - heap0;
  const total = keys.length;
  // Per-pair time over the first 1,000 keys against all keys, in interleaved rounds on the same
  // store (same process state, same noise); the median round is reported.
  const first = keys.slice(0, 1000);
  await emulatorPairsPerSecond(big, keys, 300); // warm-up
  const flat: Array<{ small: number; all: number }> = [];
  for (let round = 0; round < 9; round++) {
    const small = 1e6 / (await emulatorPairsPerSecond(big, first, 200));
    const all = 1e6 / (await emulatorPairsPerSecond(big, keys, 200));
    flat.push({ small, all });
  }
  flat.sort((a, b) => a.small / a.all - b.small / b.all);
  const { small: at1k, all: at100k } = flat[Math.floor(flat.length / 2)]!;
  results.push({
    figure: `emulator: memory for ${total.toLocaleString('en-US')} keys (heap delta)`,
    value: Math.round(heap / 1024 / 1024),
    unit: 'MiB',
    note: `RSS delta ${Math.round(rss / 1024 / 1024)} MiB; ${Math.round(heap / total)} B heap per key (symmetric keys with the default policy, parsed); CreateKey ${(createMs / (total - 1000)).toFixed(3)} ms each`,
  });
  results.push({
    figure: `emulator: Encrypt+Decrypt time per pair at ${total.toLocaleString('en-US')} keys vs 1,000 keys`,
    value: Number(at100k.toFixed(1)),
    unit: 'µs/pair',
    peer: 'same, at 1,000 keys',
    peerValue: Number(at1k.toFixed(1)),
    ratio: Number((at1k / at100k).toFixed(3)),
    target: 'flat (≥ 0.8× the 1,000-key rate)',
    met: at1k / at100k >= 0.8,
    note: 'the same store holding all keys: pairs spread round-robin over all of them vs over 1,000 of them; median of 9 interleaved rounds',
  });

  // Persistence: why a journal. One snapshot of the whole 100k-key store (what a whole-file
  // rewrite per mutation would cost every CreateKey) against one journal append + fsync.
  const dir = mkdtempSync(join(tmpdir(), 'kmskit-bench-'));
  try {
    const store = (big as unknown as { __store: Store }).__store;
    const snap = new Persistence(join(dir, 'snapshot.json'), randomBytes(32));
    const s0 = performance.now();
    snap.compact(store, Date.now());
    const snapshotMs = performance.now() - s0;
    const sizeMiB = statSync(join(dir, 'snapshot.json')).size / 1024 / 1024;
    const durable = await createEmulator({ account: ACCOUNT, stateFile: join(dir, 'state.json'), domainKey: randomBytes(32) });
    const n = 200;
    const j0 = performance.now();
    await createKeys(durable, n, []);
    const appendMs = (performance.now() - j0) / n;
    await durable.close();
    results.push({
      figure: 'emulator: CreateKey with a state file (journal append + fsync per call)',
      value: Number(appendMs.toFixed(2)),
      unit: 'ms/op',
      peer: `one whole-state snapshot of ${total.toLocaleString('en-US')} keys (${sizeMiB.toFixed(0)} MiB)`,
      peerValue: Number(snapshotMs.toFixed(0)),
      ratio: Number((snapshotMs / appendMs).toFixed(1)),
      note: 'a rewrite-per-mutation design would pay the snapshot on every change; the journal is folded into a snapshot only after as many changes as there are keys',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export const benchmark: Benchmark = { name: 'emulator-core', run };
