/**
 * In-process clients, side by side in one run: Encrypt+Decrypt pairs per second (64-byte plaintext,
 * one caller, one key, one pair at a time) through
 *
 * - aws-sdk-client-mock (what most TypeScript projects use instead: canned answers, no semantics);
 * - the fast in-process client (`emulator.client()`: the command enters the emulator at the top of
 *   the SDK's middleware stack) — target ≥ 0.5× client-mock;
 * - the full-wire in-process client (`emulator.client({ wire: true })`: the SDK's whole stack) —
 *   target ≥ 2× the full-wire client as it was before this benchmark existed, which is measured here
 *   too: its request handler as it was (bench/full-wire-before.ts: `emulator.send`, the output
 *   object stringified, the response body as a stream) under the SDK's default settings (no
 *   middleware cache, a new signer per request), exactly how that client was built;
 * - the full-wire client with its request handler swapped for one that answers canned bytes
 *   (bench/canned-handler.ts): the SDK's stack alone, the ceiling of any full-wire handler;
 * - `emulator.send` with wire-form input, for reference.
 *
 * Short alternating rounds so a shared machine's load hits every peer alike; each figure is the
 * median round.
 */
import { randomBytes } from 'node:crypto';
import type { Benchmark, BenchResult } from './types.js';
import { createEmulator, type Emulator } from '../emulator/emulator.js';
import { HandlerBefore } from './full-wire-before.js';
import { CannedHandler } from './canned-handler.js';

const ROUND_MS = Number(process.env.KMSKIT_BENCH_ROUND_MS ?? 400);
const ROUNDS = Number(process.env.KMSKIT_BENCH_ROUNDS ?? 9);

type Pair = () => Promise<void>;

async function pairsPerSecond(pair: Pair, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 10; i++) await pair();
    n += 10;
  }
  return n / ((performance.now() - start) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(): Promise<BenchResult[]> {
  const { KMSClient, EncryptCommand, DecryptCommand } = await import('@aws-sdk/client-kms');
  const { mockClient } = await import('aws-sdk-client-mock');
  const kms: Emulator = await createEmulator({});
  const keyId = ((await kms.send('CreateKey', {})) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  const plaintext = new Uint8Array(randomBytes(64));

  const sdkPair = (client: InstanceType<typeof KMSClient>): Pair => async () => {
    const enc = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    await client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: keyId }));
  };

  const mocked = new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAMOCK', secretAccessKey: 'mock' } });
  const mock = mockClient(mocked);
  const blob = new Uint8Array(randomBytes(120));
  mock.on(EncryptCommand).resolves({ CiphertextBlob: blob, KeyId: keyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  mock.on(DecryptCommand).resolves({ Plaintext: plaintext, KeyId: keyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });

  // The full-wire client as built before this benchmark existed.
  const before = new KMSClient({ region: kms.region, credentials: { accessKeyId: 'AKIAKMSKITINPROCESS0', secretAccessKey: 'kmskit-in-process' }, requestHandler: new HandlerBefore(kms, { region: kms.region }) as never, maxAttempts: 1 });

  // The full-wire client exactly as emulator.client({ wire: true }) builds it (middleware cache, one
  // signer), its handler swapped before the first call (the SDK resolves the handler then).
  const ceiling = kms.client({ wire: true });
  (ceiling.config as { requestHandler: unknown }).requestHandler = new CannedHandler();

  const wirePt = Buffer.from(plaintext).toString('base64');
  const caller = {};
  const peers: Array<{ name: string; pair: Pair }> = [
    { name: 'aws-sdk-client-mock', pair: sdkPair(mocked) },
    { name: 'fast in-process client', pair: sdkPair(kms.client()) },
    { name: 'full-wire in-process client', pair: sdkPair(kms.client({ wire: true })) },
    { name: 'full-wire client as built before', pair: sdkPair(before) },
    { name: 'full-wire client, canned handler', pair: sdkPair(ceiling) },
    {
      name: 'emulator.send',
      pair: async () => {
        const enc = (await kms.send('Encrypt', { KeyId: keyId, Plaintext: wirePt }, caller)) as { CiphertextBlob: string };
        await kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: keyId }, caller);
      },
    },
  ];
  try {
    for (const p of peers) await pairsPerSecond(p.pair, 300);
    const rates = peers.map(() => [] as number[]);
    for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < peers.length; i++) rates[i]!.push(await pairsPerSecond(peers[i]!.pair, ROUND_MS));
    const [mockRate, fast, wire, old, stackAlone, send] = rates.map(median) as [number, number, number, number, number, number];
    const note = `median of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms; one caller, one pair in flight, 64-byte plaintext`;
    return [
      { figure: 'in-process: Encrypt+Decrypt pairs/s, fast client (`emulator.client()`)', value: Math.round(fast), unit: 'pairs/s', peer: 'aws-sdk-client-mock', peerValue: Math.round(mockRate), ratio: fast / mockRate, target: '≥ 0.5× aws-sdk-client-mock', met: fast / mockRate >= 0.5, note: `${note}; client-mock answers canned outputs` },
      { figure: 'in-process: Encrypt+Decrypt pairs/s, full-wire client (`emulator.client({ wire: true })`)', value: Math.round(wire), unit: 'pairs/s', peer: 'the full-wire client as built before (SDK defaults, stream body)', peerValue: Math.round(old), ratio: wire / old, target: '≥ 2× before', met: wire / old >= 2, note },
      {
        figure: 'in-process: Encrypt+Decrypt pairs/s, the full-wire client with a request handler that does no work (the SDK stack alone)',
        value: Math.round(stackAlone),
        unit: 'pairs/s',
        peer: 'the full-wire client as built before (SDK defaults, stream body)',
        peerValue: Math.round(old),
        ratio: stackAlone / old,
        note: `${note}; the ceiling of any full-wire handler: the emulator's share of a full-wire call is what separates this row from the full-wire client's`,
      },
      { figure: 'in-process: Encrypt+Decrypt pairs/s, `emulator.send` (wire-form JSON, no SDK)', value: Math.round(send), unit: 'pairs/s', peer: 'aws-sdk-client-mock', peerValue: Math.round(mockRate), ratio: send / mockRate, note },
    ];
  } finally {
    mock.restore();
    await kms.close();
  }
}

export const benchmark: Benchmark = { name: 'clients', run };
