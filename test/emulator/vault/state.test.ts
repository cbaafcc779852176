/**
 * Transit keys, mounts, policies and tokens in the emulator's encrypted state file: they survive a
 * restart (from the journal, and from a snapshot), key material is sealed under the domain key,
 * and reset drops them with the rest.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, StateFileError } from '../../../emulator/emulator.js';
import { b64, tokenWith, unb64, vaultEmulator } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kmskit-vault-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DOMAIN_KEY = 'a'.repeat(64);

describe('Vault state in the state file', () => {
  it('keeps mounts, key versions, policies and tokens across restarts, material sealed', async () => {
    const stateFile = join(dir, 'survive.json');
    const first = await vaultEmulator({ stateFile, domainKey: DOMAIN_KEY });
    await first.v('POST', 'sys/mounts/transit', { type: 'transit' });
    await first.v('POST', 'transit/keys/my-app-key', { exportable: true });
    const c1 = (await first.v('POST', 'transit/encrypt/my-app-key', { plaintext: b64('before restart') })).json.data.ciphertext;
    await first.v('POST', 'transit/keys/my-app-key/rotate');
    const token = await tokenWith(first.v, { app: 'path "transit/decrypt/my-app-key" { capabilities = ["update"] }' });
    const exported = (await first.v('GET', 'transit/export/encryption-key/my-app-key')).json.data.keys as Record<string, string>;
    // Crash: no close(), so only the journal holds the changes.
    const journal = readFileSync(`${stateFile}.journal`, 'utf8');
    for (const k of Object.values(exported)) {
      expect(journal).not.toContain(k);
      expect(journal).not.toContain(Buffer.from(k, 'base64').toString('hex'));
    }
    expect(journal).not.toContain(token);

    const second = await vaultEmulator({ stateFile, domainKey: DOMAIN_KEY });
    const read = await second.v('GET', 'transit/keys/my-app-key');
    expect(read.json.data.latest_version).toBe(2);
    const dec = await second.v('POST', 'transit/decrypt/my-app-key', { ciphertext: c1 }, token);
    expect(dec.status, dec.text).toBe(200);
    expect(unb64(dec.json.data.plaintext)).toBe('before restart');
    expect((await second.v('GET', 'transit/export/encryption-key/my-app-key')).json.data.keys).toEqual(exported);
    await second.kms.close();

    // From the snapshot close() wrote.
    const snapshot = readFileSync(stateFile, 'utf8');
    expect(JSON.parse(snapshot).vault.mounts[0].path).toBe('transit/');
    for (const k of Object.values(exported)) expect(snapshot).not.toContain(k);
    const third = await vaultEmulator({ stateFile, domainKey: DOMAIN_KEY });
    expect(unb64((await third.v('POST', 'transit/decrypt/my-app-key', { ciphertext: c1 }, token)).json.data.plaintext)).toBe('before restart');
    // reset() drops the Vault state with the KMS state; the root token still works.
    await third.kms.reset();
    expect((await third.v('GET', 'transit/keys/my-app-key')).status).toBe(404);
    expect((await third.v('GET', 'sys/mounts')).status).toBe(200);
    await third.kms.close();
    const fourth = await vaultEmulator({ stateFile, domainKey: DOMAIN_KEY });
    expect((await fourth.v('POST', 'transit/decrypt/my-app-key', { ciphertext: c1 })).status).toBe(404);
    await fourth.kms.close();
  });

  it('refuses a state file whose transit material does not open under the domain key', async () => {
    const stateFile = join(dir, 'tampered.json');
    const e = await vaultEmulator({ stateFile, domainKey: DOMAIN_KEY });
    await e.v('POST', 'sys/mounts/transit', { type: 'transit' });
    await e.v('POST', 'transit/keys/k');
    await e.kms.close();
    const doc = JSON.parse(readFileSync(stateFile, 'utf8'));
    const v = doc.vault.mounts[0].keys[0].versions[0];
    v.key = v.hmacKey; // a sealed value moved to another place
    writeFileSync(stateFile, JSON.stringify(doc));
    const err = await createEmulator({ stateFile, domainKey: DOMAIN_KEY }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(StateFileError);
    expect((err as Error).message).toMatch(/tampered\.json.*vault.*version 1 cannot be decrypted with the domain key/);
  });

  it('loads state files written before the Vault face existed', async () => {
    const stateFile = join(dir, 'old.json');
    const kms = await createEmulator({ stateFile, domainKey: DOMAIN_KEY });
    await kms.send('CreateKey', {});
    await kms.close();
    const doc = JSON.parse(readFileSync(stateFile, 'utf8'));
    delete doc.vault;
    writeFileSync(stateFile, JSON.stringify(doc));
    const again = await vaultEmulator({ stateFile, domainKey: DOMAIN_KEY });
    expect(((await again.kms.send('ListKeys', {})).Keys as unknown[]).length).toBe(1);
    expect((await again.v('GET', 'sys/mounts')).json.data['transit/']).toBeUndefined();
    await again.kms.close();
  });
});
