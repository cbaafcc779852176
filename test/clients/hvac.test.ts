/**
 * hvac (Debian's python3-hvac, the Python Vault client) running the Vault Transit hands-on against
 * kmskit over HTTP: enable transit, create, encrypt, decrypt, rotate (old ciphertexts still
 * decrypt), LIST, batch, data keys, signatures, HMAC, export, delete, ACL-limited tokens. hvac only
 * reads Vault's `errors` when the Content-Type is exactly application/json, so its exception texts
 * prove that too.
 */
import { spawnSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';
import { runCommand } from '../helpers/run-command.js';

const here = dirname(fileURLToPath(import.meta.url));
// Debian installs hvac for the system python; a pyenv python3 on PATH may lack it.
const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import hvac'], { encoding: 'utf8' }).status === 0);
const noHvac = PYTHON ? undefined : 'hvac is not importable by /usr/bin/python3 or python3 (install Debian python3-hvac)';
if (noHvac) console.log(`skipping hvac tests: ${noHvac}`);

let env: InProcessEmulator;
beforeAll(async () => {
  if (!noHvac) env = await startInProcessEmulator({ vault: { rootToken: 'root-token' } });
});
afterAll(() => env?.stop());

describe.skipIf(Boolean(noHvac))('hvac against the Vault face over HTTP', { timeout: 90_000 }, () => {
  it('runs the hands-on flow and the scope with Python’s Vault client', async () => {
    const { code, stdout, stderr } = await runCommand(PYTHON!, [join(here, 'hvac_flow.py'), env.url, 'root-token']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as Record<string, any>;

    expect(r.authenticated).toBe(true);
    expect(r.bad_token_authenticated).toBe(false);
    expect(r.health).toMatchObject({ initialized: true, sealed: false });
    expect(r.mounts).toContain('transit/');
    expect(r.key_type).toBe('aes256-gcm96');
    expect(r.c1).toMatch(/^vault:v1:/);
    expect(r.d1).toBe('my secret data');
    expect(r.c3).toMatch(/^vault:v3:/);
    expect(r.old_after_rotation).toBe('my secret data');
    expect(r.rewrapped).toMatch(/^vault:v3:/);
    expect(r.keys).toEqual(['my-app-key']);
    expect(r.batch).toEqual(['vault:v3:', 'vault:v3:']);
    expect(r.bad_ciphertext).toContain('invalid ciphertext length');
    expect(r.datakey_roundtrip).toBe(true);
    expect(r.signature_valid).toBe(true);
    expect(r.signature_forged).toBe(false);
    expect(r.hmac_valid).toBe(true);
    expect(r.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(r.random_len).toBe(16);
    expect(r.deleted).toBe(true);
    expect(r.app_decrypt).toBe('newer data');
    expect(r.app_read_key).toContain('permission denied');
    expect(r.app_upsert).toContain('permission denied');

    // The ciphertext hvac got decrypts locally with the exported key, in keysutil's layout.
    const key = Buffer.from(r.exported_key['1'], 'base64');
    const raw = Buffer.from(String(r.exported_ciphertext).slice('vault:v1:'.length), 'base64');
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(raw.length - 16));
    expect(Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString()).toBe('export me');
  });
});
