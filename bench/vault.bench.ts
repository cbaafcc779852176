/**
 * Vault Transit next to AWS JSON, on the same `kmskit serve`: encrypt+decrypt pairs of the same
 * 26-byte plaintext over raw keep-alive HTTP, 8 in flight, through `POST /v1/transit/{encrypt,decrypt}/k`
 * and through `TrentService.Encrypt`/`Decrypt`.
 *
 * Two figures, each in alternating rounds after a warm-up: pairs per second (this process is the
 * load generator, so on a small machine both sides share the CPUs), and the server's CPU time per
 * pair (user+sys of the server process from /proc, the figure a loaded machine distorts least).
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createKey, interleaved, median, rawCall, spawnKmskit, stopChild, type Peer } from './server.bench.js';
import type { Benchmark, BenchResult } from './types.js';

const ROOT_TOKEN = 'kmskit-bench-root';
const PLAINTEXT = Buffer.from('kmskit benchmark plaintext').toString('base64');
const IN_FLIGHT = 8;
const CPU_ROUNDS = 7;
const PAIRS_PER_CPU_ROUND = Number(process.env.KMSKIT_BENCH_VAULT_PAIRS ?? 1500);

function vaultCall(url: string, path: string, body: object, agent: Agent): Promise<{ status: number; json: any }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/${path}`, { method: 'POST', agent, headers: { 'X-Vault-Token': ROOT_TOKEN, 'Content-Length': payload.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

type Pair = (agent: Agent) => Promise<void>;

const awsPair = (url: string, keyId: string): Pair => async (agent) => {
  const enc = await rawCall(url, 'Encrypt', { KeyId: keyId, Plaintext: PLAINTEXT }, agent);
  if (enc.status !== 200) throw new Error(`Encrypt answered ${enc.status}: ${enc.body.slice(0, 200)}`);
  const dec = await rawCall(url, 'Decrypt', { CiphertextBlob: (JSON.parse(enc.body) as { CiphertextBlob: string }).CiphertextBlob, KeyId: keyId }, agent);
  if (dec.status !== 200) throw new Error(`Decrypt answered ${dec.status}: ${dec.body.slice(0, 200)}`);
};

const vaultPair = (url: string): Pair => async (agent) => {
  const enc = await vaultCall(url, 'transit/encrypt/bench', { plaintext: PLAINTEXT }, agent);
  if (enc.status !== 200) throw new Error(`transit encrypt answered ${enc.status}: ${JSON.stringify(enc.json)}`);
  const dec = await vaultCall(url, 'transit/decrypt/bench', { ciphertext: enc.json.data.ciphertext }, agent);
  if (dec.status !== 200 || dec.json.data.plaintext !== PLAINTEXT) throw new Error(`transit decrypt answered ${dec.status}: ${JSON.stringify(dec.json)}`);
};

/** user+sys CPU seconds of a process so far (Linux /proc). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function pairs(count: number, pair: Pair, agent: Agent): Promise<void> {
  let left = count;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (left-- > 0) await pair(agent);
    }),
  );
}

export const benchmark: Benchmark = {
  name: 'vault',
  async run(): Promise<BenchResult[]> {
    const previous = process.env.VAULT_DEV_ROOT_TOKEN_ID;
    process.env.VAULT_DEV_ROOT_TOKEN_ID = ROOT_TOKEN;
    const server = await spawnKmskit().finally(() => {
      if (previous === undefined) delete process.env.VAULT_DEV_ROOT_TOKEN_ID;
      else process.env.VAULT_DEV_ROOT_TOKEN_ID = previous;
    });
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    try {
      const { url, child } = server;
      const setup = await vaultCall(url, 'sys/mounts/transit', { type: 'transit' }, agent);
      if (setup.status !== 204) throw new Error(`enabling transit answered ${setup.status}`);
      await vaultCall(url, 'transit/keys/bench', {}, agent);
      const keyId = await createKey(url);
      const kinds: Array<{ name: string; pair: Pair }> = [
        { name: 'AWS JSON', pair: awsPair(url, keyId) },
        { name: 'Vault Transit', pair: vaultPair(url) },
      ];

      // Throughput, interleaved rounds (the helper's Peer is just a named target here).
      const peers: Peer[] = kinds.map((k) => ({ name: k.name, url, keyId, stop: async () => {} }));
      const [awsRate, vaultRate] = await interleaved(peers, IN_FLIGHT, (peer) => {
        const kind = kinds.find((k) => k.name === peer.name)!;
        const stepAgent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
        // `interleaved` counts completed steps; a step here is one encrypt+decrypt pair.
        return { step: () => kind.pair(stepAgent), done: () => stepAgent.destroy() };
      });

      // Server CPU per pair, interleaved rounds of a fixed number of pairs.
      const cpu: number[][] = kinds.map(() => []);
      for (const k of kinds) await pairs(200, k.pair, agent);
      for (let r = 0; r < CPU_ROUNDS; r++) {
        for (const [i, k] of kinds.entries()) {
          const before = cpuSeconds(child.pid!);
          await pairs(PAIRS_PER_CPU_ROUND, k.pair, agent);
          const after = cpuSeconds(child.pid!);
          if (before !== undefined && after !== undefined) cpu[i]!.push(((after - before) / PAIRS_PER_CPU_ROUND) * 1e6);
        }
      }
      const results: BenchResult[] = [
        {
          figure: 'Vault Transit encrypt+decrypt pairs/s, raw keep-alive HTTP, 8 in flight',
          value: vaultRate!,
          unit: 'pairs/s',
          peer: 'AWS JSON Encrypt+Decrypt, same server',
          peerValue: awsRate!,
          ratio: vaultRate! / awsRate!,
          note: 'same kmskit serve, same plaintext, interleaved rounds; the load generator shares the machine',
        },
      ];
      if (cpu[0]!.length && cpu[1]!.length) {
        const awsCpu = median(cpu[0]!);
        const vaultCpu = median(cpu[1]!);
        results.push({
          figure: 'Vault Transit encrypt+decrypt: server CPU per pair',
          value: vaultCpu,
          unit: 'µs/pair',
          peer: 'AWS JSON Encrypt+Decrypt, same server',
          peerValue: awsCpu,
          // Oriented so that bigger is better for the Vault face: AWS JSON CPU / Vault CPU.
          ratio: awsCpu / vaultCpu,
          note: `user+sys of the server process from /proc, median of ${CPU_ROUNDS} interleaved rounds of ${PAIRS_PER_CPU_ROUND} pairs`,
        });
      } else results.push({ figure: 'Vault Transit: server CPU per pair', value: Number.NaN, unit: '', note: 'not measured: /proc is not readable here' });
      return results;
    } finally {
      agent.destroy();
      await stopChild(server.child);
    }
  },
};
