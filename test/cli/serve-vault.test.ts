/**
 * `kmskit serve` as the hands-on's `vault server -dev`: the root token from VAULT_DEV_ROOT_TOKEN_ID
 * (or --vault-root-token, or random and printed), and the hands-on's curl commands unchanged.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/http.js';
import { startServeProcess } from '../helpers/serve-process.js';

const exec = promisify(execFile);
const noCurl = spawnSync('curl', ['--version']).status === 0 ? undefined : 'curl is not installed';
if (noCurl) console.log(`skipping the curl hands-on: ${noCurl}`);

describe('kmskit serve, Vault face', { timeout: 90_000 }, () => {
  it.skipIf(Boolean(noCurl))('runs the hands-on curl commands with VAULT_DEV_ROOT_TOKEN_ID=root-token', async () => {
    const serving = await startServeProcess([], { env: { VAULT_DEV_ROOT_TOKEN_ID: 'root-token' } });
    try {
      const curl = async (...args: string[]) => (await exec('curl', ['-s', '--header', 'X-Vault-Token: root-token', ...args])).stdout;
      await curl('--request', 'POST', '--data', '{"type":"transit"}', `${serving.url}/v1/sys/mounts/transit`);
      await curl('--request', 'POST', `${serving.url}/v1/transit/keys/my-app-key`);
      const plaintext = Buffer.from('my secret data').toString('base64');
      const enc = JSON.parse(await curl('--request', 'POST', '--data', `{"plaintext": "${plaintext}"}`, `${serving.url}/v1/transit/encrypt/my-app-key`));
      expect(enc.data.ciphertext).toMatch(/^vault:v1:/);
      const dec = JSON.parse(await curl('--request', 'POST', '--data', `{"ciphertext": "${enc.data.ciphertext}"}`, `${serving.url}/v1/transit/decrypt/my-app-key`));
      expect(Buffer.from(dec.data.plaintext, 'base64').toString()).toBe('my secret data');
      await curl('--request', 'POST', `${serving.url}/v1/transit/keys/my-app-key/rotate`);
      const again = JSON.parse(await curl('--request', 'POST', '--data', `{"ciphertext": "${enc.data.ciphertext}"}`, `${serving.url}/v1/transit/decrypt/my-app-key`));
      expect(again.data.plaintext).toBe(plaintext);
      const listed = JSON.parse(await curl('--request', 'LIST', `${serving.url}/v1/transit/keys`));
      expect(listed.data.keys).toEqual(['my-app-key']);
      // A token nobody chose would be printed; this one was chosen.
      expect(serving.stderr()).not.toContain('Vault root token');
    } finally {
      expect(await serving.stop('SIGTERM')).toBe(0);
    }
  });

  it('prints a random root token on stderr when none is given, and --vault-root-token wins over the environment', async () => {
    const env = { VAULT_DEV_ROOT_TOKEN_ID: '' };
    const random = await startServeProcess([], { env });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const m = /Vault root token: (hvs\.[A-Za-z0-9]{24}) /.exec(random.stderr());
      expect(m, random.stderr()).not.toBeNull();
      expect(random.stdout()).toMatch(/^kmskit emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
      const ok = await rawRequest(random.url, { method: 'GET', path: '/v1/auth/token/lookup-self', headers: { 'X-Vault-Token': m![1]! } });
      expect(ok.status).toBe(200);
    } finally {
      await random.stop('SIGTERM');
    }
    const flagged = await startServeProcess(['--vault-root-token', 'from-flag'], { env: { VAULT_DEV_ROOT_TOKEN_ID: 'from-env' } });
    try {
      expect((await rawRequest(flagged.url, { method: 'GET', path: '/v1/sys/mounts', headers: { 'X-Vault-Token': 'from-flag' } })).status).toBe(200);
      expect((await rawRequest(flagged.url, { method: 'GET', path: '/v1/sys/mounts', headers: { 'X-Vault-Token': 'from-env' } })).status).toBe(403);
    } finally {
      await flagged.stop('SIGTERM');
    }
  });
});
