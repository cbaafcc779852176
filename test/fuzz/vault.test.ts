/**
 * Vault face fuzz: 3,000 seeded random requests (paths from the endpoint table with random names,
 * methods, tokens and bodies of random shapes: wrong types, bad base64, odd batches, nulls) in
 * process. Every answer must be Vault-shaped — `{"errors": [...]}` for a status ≥ 400, an envelope
 * or a 204 otherwise — and none may be one of the face's own internal faults. The seed is in the
 * test name, so a failure can be replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/emulator.js';
import { prng } from '../helpers/prng.js';
import { withTransit, type VaultCall } from '../emulator/vault/helpers.js';

const SEED = Number(process.env.KMSKIT_FUZZ_SEED ?? 0x5eed_7a17);
const COUNT = 3_000;

let kms: Emulator;
let v: VaultCall;
beforeAll(async () => {
  ({ kms, v } = await withTransit());
  for (const [name, type] of [['aes', 'aes256-gcm96'], ['ed', 'ed25519'], ['ec', 'ecdsa-p256'], ['mac', 'hmac'], ['der', 'aes128-gcm96']] as const) {
    await v('POST', `transit/keys/${name}`, { type, ...(name === 'der' ? { derived: true } : {}) });
  }
});
afterAll(() => kms?.close());

describe(`Vault face fuzz (seed ${SEED})`, () => {
  it('answers every malformed request in Vault’s shape, never with an internal fault', async () => {
    const rand = prng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const names = ['aes', 'ed', 'ec', 'mac', 'der', 'missing', 'a.b', '-bad', ''];
    const paths = [
      'transit/keys/%n', 'transit/keys', 'transit/keys/%n/config', 'transit/keys/%n/rotate', 'transit/keys/%n/trim', 'transit/export/%t/%n', 'transit/export/%t/%n/%v',
      'transit/encrypt/%n', 'transit/decrypt/%n', 'transit/rewrap/%n', 'transit/datakey/%t/%n', 'transit/hmac/%n', 'transit/hmac/%n/%t', 'transit/sign/%n', 'transit/sign/%n/%t',
      'transit/verify/%n', 'transit/random/%v', 'transit/hash/%t', 'transit/config/keys', 'sys/mounts', 'sys/mounts/%n', 'sys/policy/%n', 'sys/policies/acl', 'auth/token/create',
      'auth/token/lookup', 'auth/token/lookup-self', 'auth/token/revoke-accessor', 'sys/capabilities-self', 'nowhere/%n', 'transit/%n',
    ];
    const scalars = (): unknown => pick([null, true, false, 0, -1, 3, 1e12, 1.5, '', 'x', '%%%', 'AAAA', 'vault:v1:AAAA', 'vault:v9:AAAA', 'vault:vX:', 'aGVsbG8=', '1h', 'sha2-512', 'jws', [], {}, ['a'], { a: 1 }]);
    const fields = ['plaintext', 'ciphertext', 'context', 'key_version', 'batch_input', 'input', 'signature', 'hmac', 'type', 'derived', 'exportable', 'bits', 'hash_algorithm', 'marshaling_algorithm', 'salt_length', 'prehashed', 'min_decryption_version', 'min_encryption_version', 'deletion_allowed', 'auto_rotate_period', 'policy', 'policies', 'ttl', 'num_uses', 'paths', 'accessor', 'partial_failure_response_code', 'associated_data', 'format', 'key_size'];
    const body = (): unknown => {
      const r = rand();
      if (r < 0.05) return '{not json';
      if (r < 0.1) return pick(['[]', '"text"', '42', 'null']);
      const o: Record<string, unknown> = {};
      const n = Math.floor(rand() * 5);
      for (let i = 0; i < n; i++) {
        const f = pick(fields);
        o[f] = f === 'batch_input' && rand() < 0.7 ? Array.from({ length: Math.floor(rand() * 3) }, () => (rand() < 0.8 ? { [pick(fields)]: scalars(), plaintext: scalars() } : scalars())) : scalars();
      }
      return o;
    };
    const failures: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const path = pick(paths).replace('%n', pick(names)).replace('%t', pick(['plaintext', 'wrapped', 'encryption-key', 'hmac-key', 'public-key', 'sha2-256', 'x'])).replace('%v', pick(['1', 'latest', 'v2', '0', 'x', '16']));
      const method = pick(['POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'LIST', 'PATCH']);
      const token = rand() < 0.9 ? 'root-token' : pick(['', 'nope', 'hvs.AAAAAAAAAAAAAAAAAAAAAAAA']);
      const b = body();
      const res = await kms.vault.request({ method, path, token, body: b });
      const what = `#${i} ${method} ${path} ${JSON.stringify(b)?.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
      if (res.status === 204) {
        if (res.text !== '') failures.push(`204 with a body: ${what}`);
        continue;
      }
      if (res.headers['Content-Type'] !== 'application/json') failures.push(`Content-Type ${res.headers['Content-Type']}: ${what}`);
      const json = res.json as Record<string, unknown>;
      if (res.status >= 400 && !Array.isArray(json.errors) && !(json.data && 'batch_results' in (json.data as object))) failures.push(`error without errors[]: ${what}`);
      if (res.status < 400 && !('request_id' in json)) failures.push(`success without the envelope: ${what}`);
      if (res.text.includes('kmskit request')) failures.push(`internal fault: ${what}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // And the face still works.
    const ok = await v('POST', 'transit/encrypt/aes', { plaintext: 'aGk=' });
    expect(ok.status === 200 || ok.status === 404).toBe(true);
  }, 120_000);
});
