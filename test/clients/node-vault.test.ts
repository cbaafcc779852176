/**
 * node-vault (npm) against the Vault face of a running kmskit server: the hands-on flow through its
 * built-in transit commands (which hard-code the `transit` mount and use the LIST method), the
 * generic read/write/list it offers for everything else, policies with its legacy `rules` field,
 * tokens, and how its errors carry Vault's messages.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import nodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';

let env: InProcessEmulator;
beforeAll(async () => {
  env = await startInProcessEmulator({ vault: { rootToken: 'root-token' } });
});
afterAll(() => env?.stop());

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const rejection = async (p: Promise<unknown>): Promise<{ message: string; response: { statusCode: number; body: any } }> => {
  try {
    await p;
  } catch (e) {
    return e as { message: string; response: { statusCode: number; body: any } };
  }
  throw new Error('expected a rejection');
};

describe('node-vault against the Vault face', () => {
  it('runs the hands-on: mount transit, create, encrypt, decrypt, rotate, list, rewrap, delete', async () => {
    const vault = nodeVault({ endpoint: env.url, token: 'root-token' });
    const health = await vault.health();
    expect(health).toMatchObject({ initialized: true, sealed: false });
    expect((await rejection(vault.encryptData({ name: 'my-app-key', plaintext: b64('x') }))).message).toBe('no handler for route "transit/encrypt/my-app-key". route entry not found.');

    await vault.mount({ mount_point: 'transit', type: 'transit' });
    expect(Object.keys((await vault.mounts()).data)).toContain('transit/');
    await vault.transitCreateKey({ name: 'my-app-key' });
    const c1 = (await vault.encryptData({ name: 'my-app-key', plaintext: b64('hello from node') })).data.ciphertext as string;
    expect(c1).toMatch(/^vault:v1:/);
    expect(unb64((await vault.decryptData({ name: 'my-app-key', ciphertext: c1 })).data.plaintext)).toBe('hello from node');

    await vault.write('transit/keys/my-app-key/rotate', {});
    await vault.write('transit/keys/my-app-key/rotate', {});
    const key = await vault.transitReadKey({ name: 'my-app-key' });
    expect(key.data.latest_version).toBe(3);
    expect(unb64((await vault.decryptData({ name: 'my-app-key', ciphertext: c1 })).data.plaintext)).toBe('hello from node');
    expect((await vault.rewrapData({ name: 'my-app-key', ciphertext: c1 })).data.ciphertext).toMatch(/^vault:v3:/);

    // LIST (custom verb) and GET ?list=1 (noCustomHTTPVerbs).
    expect((await vault.transitListKeys()).data.keys).toEqual(['my-app-key']);
    const plain = nodeVault({ endpoint: env.url, token: 'root-token', noCustomHTTPVerbs: true });
    expect((await plain.list('transit/keys')).data.keys).toEqual(['my-app-key']);

    // Commands without a schema send `name` in the body too: Vault warns that the path wins.
    const created = await vault.transitCreateKey({ name: 'doomed' });
    expect(created.warnings).toContain("Endpoint replaced the value of these parameters with the values captured from the endpoint's path: [name]");
    const refused = await rejection(vault.transitDeleteKey({ name: 'doomed' }));
    expect(refused.response.statusCode).toBe(400);
    expect(refused.message).toBe('error deleting policy doomed: deletion is not allowed for this key');
    await vault.write('transit/keys/doomed/config', { deletion_allowed: true });
    expect(await vault.transitDeleteKey({ name: 'doomed' })).toBe('');
    expect((await rejection(vault.transitReadKey({ name: 'doomed' }))).response.statusCode).toBe(404);
  });

  it('signs with ecdsa-p256 through write(), verifiable with the public key from read()', async () => {
    const vault = nodeVault({ endpoint: env.url, token: 'root-token' });
    await vault.write('transit/keys/node-signer', { type: 'ecdsa-p256' });
    const pem = (await vault.read('transit/keys/node-signer')).data.keys['1'].public_key as string;
    const sig = (await vault.write('transit/sign/node-signer/sha2-256', { input: b64('payload') })).data.signature as string;
    expect(nodeVerify('sha256', Buffer.from('payload'), createPublicKey(pem), Buffer.from(sig.replace('vault:v1:', ''), 'base64'))).toBe(true);
    expect((await vault.write('transit/verify/node-signer/sha2-256', { input: b64('payload'), signature: sig })).data.valid).toBe(true);
  });

  it('partial batch failures reject with the results in the body; partial_failure_response_code: 200 resolves', async () => {
    const vault = nodeVault({ endpoint: env.url, token: 'root-token' });
    const e = await rejection(vault.write('transit/decrypt/my-app-key', { batch_input: [{ ciphertext: 'bad' }] }));
    expect(e.message).toBe('Status 400');
    expect(e.response.body.data.batch_results[0].error).toBe('invalid ciphertext: no prefix');
    const c = (await vault.encryptData({ name: 'my-app-key', plaintext: b64('ok') })).data.ciphertext;
    const ok = await vault.write('transit/decrypt/my-app-key', { batch_input: [{ ciphertext: c }, { ciphertext: 'bad' }], partial_failure_response_code: 200 });
    expect(ok.data.batch_results[0].plaintext).toBe(b64('ok'));
  });

  it('limits an app token to encrypt/decrypt with a policy written through addPolicy (legacy rules)', async () => {
    const admin = nodeVault({ endpoint: env.url, token: 'root-token' });
    const added = await admin.addPolicy({ name: 'node-app', rules: 'path "transit/encrypt/my-app-key" { capabilities = ["update"] }\npath "transit/decrypt/my-app-key" { capabilities = ["update"] }' });
    expect(added.warnings).toContain("'rules' is deprecated, please use 'policy' instead");
    expect((await admin.getPolicy({ name: 'node-app' })).rules).toContain('transit/encrypt/my-app-key');
    const app = nodeVault({ endpoint: env.url, token: 'root-token' });
    const created = await app.tokenCreate({ policies: ['node-app'] });
    // node-vault switches the client to the new token.
    expect(app.token).toBe(created.auth.client_token);
    expect((await app.tokenLookupSelf()).data.policies).toEqual(['default', 'node-app']);
    const c = (await app.encryptData({ name: 'my-app-key', plaintext: b64('app data') })).data.ciphertext;
    expect(unb64((await app.decryptData({ name: 'my-app-key', ciphertext: c })).data.plaintext)).toBe('app data');
    const denied = await rejection(app.transitReadKey({ name: 'my-app-key' }));
    expect(denied.response.statusCode).toBe(403);
    expect(denied.message).toBe('1 error occurred:\n\t* permission denied\n\n');
    await app.tokenRevokeSelf();
    expect((await rejection(app.tokenLookupSelf())).message).toBe('2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n');
  });
});
