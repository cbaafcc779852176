/**
 * The Transit engine's semantics through the in-process Vault face (the same handler the HTTP
 * server calls): key lifecycle, versions and archiving, batches, derived keys, data keys, HMAC,
 * signatures, export, and the keysutil ciphertext layout checked with the exported key.
 */
import { createCipheriv, createDecipheriv, createHmac, createPublicKey, hkdfSync, verify as nodeVerify, createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/emulator.js';
import { b64, unb64, withTransit, type VaultCall } from './helpers.js';

let kms: Emulator;
let v: VaultCall;
beforeEach(async () => {
  ({ kms, v } = await withTransit());
});
afterEach(() => kms.close());

const encrypt = async (key: string, text: string, extra: object = {}) => {
  const r = await v('POST', `transit/encrypt/${key}`, { plaintext: b64(text), ...extra });
  expect(r.status, r.text).toBe(200);
  return r.json.data.ciphertext as string;
};
const decrypt = async (key: string, ciphertext: string, extra: object = {}) => v('POST', `transit/decrypt/${key}`, { ciphertext, ...extra });

describe('keys', () => {
  it('creates an aes256-gcm96 key by default and reads it back as Vault shows it', async () => {
    const created = await v('POST', 'transit/keys/my-app-key');
    expect(created.status).toBe(200);
    const read = await v('GET', 'transit/keys/my-app-key');
    expect(read.json.data).toMatchObject({
      name: 'my-app-key',
      type: 'aes256-gcm96',
      derived: false,
      deletion_allowed: false,
      exportable: false,
      latest_version: 1,
      min_decryption_version: 1,
      min_encryption_version: 0,
      min_available_version: 0,
      supports_encryption: true,
      supports_decryption: true,
      supports_signing: false,
      supports_derivation: true,
      auto_rotate_period: 0,
    });
    expect(read.json.data.keys).toEqual({ '1': Math.floor(kms.clock.nowMs() / 1000) });
  });

  it('answers an existing key with the key unchanged and a warning', async () => {
    await v('POST', 'transit/keys/k', { type: 'aes128-gcm96' });
    const again = await v('POST', 'transit/keys/k', { type: 'chacha20-poly1305' });
    expect(again.status).toBe(200);
    expect(again.json.data.type).toBe('aes128-gcm96');
    expect(again.json.warnings).toEqual(['key k already existed']);
  });

  it('refuses unknown types, bad key sizes and short rotation periods with Vault’s messages', async () => {
    expect((await v('POST', 'transit/keys/k', { type: 'des' })).json).toEqual({ errors: ['unknown key type des'] });
    expect((await v('POST', 'transit/keys/k', { type: 'aes256-gcm96', key_size: 64 })).json).toEqual({ errors: ['key_size is not valid for algorithm aes256-gcm96'] });
    expect((await v('POST', 'transit/keys/k', { type: 'hmac', key_size: 16 })).json).toEqual({ errors: ['invalid key_size 16'] });
    expect((await v('POST', 'transit/keys/k', { auto_rotate_period: '30m' })).json).toEqual({ errors: ['auto rotate period must be 0 to disable or at least an hour'] });
    expect((await v('POST', 'transit/keys/k', { convergent_encryption: true })).json).toEqual({ errors: ['convergent encryption requires derivation to be enabled'] });
    const derivedEcdsa = await v('POST', 'transit/keys/k', { type: 'ecdsa-p256', derived: true });
    expect(derivedEcdsa.status).toBe(500);
    expect(derivedEcdsa.json.errors[0]).toContain('key derivation and convergent encryption not supported for keys of type ecdsa-p256');
  });

  it('lists keys sorted, and a mount without keys answers 404 with an empty error list', async () => {
    expect((await v('LIST', 'transit/keys')).status).toBe(404);
    expect((await v('LIST', 'transit/keys')).json).toEqual({ errors: [] });
    await v('POST', 'transit/keys/b');
    await v('POST', 'transit/keys/a');
    expect((await v('LIST', 'transit/keys')).json.data).toEqual({ keys: ['a', 'b'] });
    expect((await v('GET', 'transit/keys?list=true')).json.data).toEqual({ keys: ['a', 'b'] });
  });

  it('deletes a key only after deletion_allowed is set', async () => {
    await v('POST', 'transit/keys/k');
    expect((await v('DELETE', 'transit/keys/k')).json).toEqual({ errors: ['error deleting policy k: deletion is not allowed for this key'] });
    expect((await v('POST', 'transit/keys/k/config', { deletion_allowed: true })).json.data.deletion_allowed).toBe(true);
    expect((await v('DELETE', 'transit/keys/k')).status).toBe(204);
    expect((await v('GET', 'transit/keys/k')).status).toBe(404);
    expect((await v('DELETE', 'transit/keys/k')).json).toEqual({ errors: ['error deleting policy k: could not delete key; not found'] });
  });

  it('rotates: new encryptions use the newest version, old ciphertexts still decrypt', async () => {
    await v('POST', 'transit/keys/k');
    const c1 = await encrypt('k', 'one');
    expect((await v('POST', 'transit/keys/k/rotate')).json.data.latest_version).toBe(2);
    await v('POST', 'transit/keys/k/rotate');
    const c3 = await encrypt('k', 'three');
    expect(c1.startsWith('vault:v1:')).toBe(true);
    expect(c3.startsWith('vault:v3:')).toBe(true);
    expect(unb64((await decrypt('k', c1)).json.data.plaintext)).toBe('one');
    const rewrapped = await v('POST', 'transit/rewrap/k', { ciphertext: c1 });
    expect(rewrapped.json.data).toMatchObject({ key_version: 3 });
    expect(unb64((await decrypt('k', rewrapped.json.data.ciphertext)).json.data.plaintext)).toBe('one');
  });

  it('archives versions below min_decryption_version and brings them back when it is lowered', async () => {
    await v('POST', 'transit/keys/k');
    const c1 = await encrypt('k', 'old');
    await v('POST', 'transit/keys/k/rotate');
    await v('POST', 'transit/keys/k/rotate');
    const raised = await v('POST', 'transit/keys/k/config', { min_decryption_version: 2 });
    expect(Object.keys(raised.json.data.keys)).toEqual(['2', '3']);
    expect((await decrypt('k', c1)).json).toEqual({ errors: ['ciphertext or signature version is disallowed by policy (too old)'] });
    expect((await v('POST', 'transit/keys/k/config', { min_decryption_version: 4 })).json).toEqual({ errors: ['cannot set min decryption version of 4, latest key version is 3'] });
    expect((await v('POST', 'transit/keys/k/config', { min_encryption_version: 1 })).json).toEqual({
      errors: ['cannot set min encryption/decryption values; min encryption version of 1 must be greater than or equal to min decryption version of 2'],
    });
    const lowered = await v('POST', 'transit/keys/k/config', { min_decryption_version: 0 });
    expect(lowered.json.warnings).toEqual(['since Vault 0.3, transit key numbering starts at 1; forcing minimum to 1']);
    expect(unb64((await decrypt('k', c1)).json.data.plaintext)).toBe('old');
  });

  it('bounds key_version by min_encryption_version', async () => {
    await v('POST', 'transit/keys/k');
    await v('POST', 'transit/keys/k/rotate');
    await v('POST', 'transit/keys/k/config', { min_encryption_version: 2 });
    expect((await v('POST', 'transit/encrypt/k', { plaintext: b64('x'), key_version: 1 })).json).toEqual({ errors: ['requested version for encryption is less than the minimum encryption key version'] });
    expect((await v('POST', 'transit/encrypt/k', { plaintext: b64('x'), key_version: '3' })).json).toEqual({ errors: ['requested version for encryption is higher than the latest key version'] });
  });

  it('rotates keys with auto_rotate_period on the emulator clock', async () => {
    await v('POST', 'transit/keys/k', { auto_rotate_period: '24h' });
    kms.clock.advance({ seconds: 23 * 3600 });
    expect((await v('GET', 'transit/keys/k')).json.data.latest_version).toBe(1);
    kms.clock.advance({ seconds: 2 * 3600 });
    const after = await v('GET', 'transit/keys/k');
    expect(after.json.data.latest_version).toBe(2);
    expect(after.json.data.auto_rotate_period).toBe(86400);
  });

  it('trims versions below min_available_version', async () => {
    await v('POST', 'transit/keys/k');
    await v('POST', 'transit/keys/k/rotate');
    await v('POST', 'transit/keys/k/rotate');
    await v('POST', 'transit/keys/k/config', { min_decryption_version: 2, min_encryption_version: 3 });
    const trimmed = await v('POST', 'transit/keys/k/trim', { min_available_version: 2 });
    expect(trimmed.json.data.min_available_version).toBe(2);
    const back = await v('POST', 'transit/keys/k/config', { min_decryption_version: 1 });
    expect(back.json).toEqual({ errors: ['min decryption version should not be less then min available version'] });
  });
});

describe('encrypt and decrypt', () => {
  it('creates the key on the first encrypt (upsert) unless config/keys disables it', async () => {
    const c = await encrypt('fresh', 'hi');
    expect(c).toMatch(/^vault:v1:/);
    expect((await v('GET', 'transit/keys/fresh')).json.data.type).toBe('aes256-gcm96');
    await v('POST', 'transit/config/keys', { disable_upsert: true });
    expect((await v('POST', 'transit/encrypt/other', { plaintext: b64('x') })).json).toEqual({ errors: ['encryption key not found'] });
    expect((await v('POST', 'transit/encrypt/ec', { plaintext: b64('x'), type: 'ecdsa-p256' })).json).toEqual({ errors: ['key type ecdsa-p256 not supported for this operation'] });
  });

  it('answers bad input with Vault’s errors', async () => {
    await v('POST', 'transit/keys/k');
    expect((await v('POST', 'transit/encrypt/k', {})).json).toEqual({ errors: ['missing plaintext to encrypt'] });
    expect((await v('POST', 'transit/encrypt/k', { plaintext: 'not base64!' })).json).toEqual({ errors: ['illegal base64 data at input byte 3'] });
    expect((await decrypt('k', 'v1:abc')).json).toEqual({ errors: ['invalid ciphertext: no prefix'] });
    expect((await decrypt('k', 'vault:vX:abc')).json).toEqual({ errors: ['invalid ciphertext: version number could not be decoded'] });
    expect((await decrypt('k', 'vault:v1')).json).toEqual({ errors: ['invalid ciphertext: wrong number of fields'] });
    expect((await decrypt('k', 'vault:v9:AAAA')).json).toEqual({ errors: ['invalid ciphertext: version is too new'] });
    expect((await decrypt('k', 'vault:v1:!!!!')).json).toEqual({ errors: ['invalid ciphertext: could not decode base64'] });
    const c = await encrypt('k', 'secret');
    const bytes = Buffer.from(c.slice('vault:v1:'.length), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect((await decrypt('k', `vault:v1:${bytes.toString('base64')}`)).json).toEqual({ errors: ['cipher: message authentication failed'] });
    expect((await v('POST', 'transit/decrypt/missing', { ciphertext: c })).json).toEqual({ errors: ['encryption key not found'] });
  });

  it('binds associated_data (AEAD)', async () => {
    await v('POST', 'transit/keys/k');
    const c = await encrypt('k', 'bound', { associated_data: b64('order-42') });
    expect(unb64((await decrypt('k', c, { associated_data: b64('order-42') })).json.data.plaintext)).toBe('bound');
    expect((await decrypt('k', c, { associated_data: b64('order-43') })).json).toEqual({ errors: ['cipher: message authentication failed'] });
    expect((await decrypt('k', c)).json).toEqual({ errors: ['cipher: message authentication failed'] });
  });

  it('derives a key per context, and requires the context', async () => {
    await v('POST', 'transit/keys/d', { derived: true });
    const c = await encrypt('d', 'for alice', { context: b64('alice') });
    expect(unb64((await decrypt('d', c, { context: b64('alice') })).json.data.plaintext)).toBe('for alice');
    expect((await decrypt('d', c, { context: b64('bob') })).json).toEqual({ errors: ['cipher: message authentication failed'] });
    expect((await v('POST', 'transit/encrypt/d', { plaintext: b64('x') })).json.errors[0]).toMatch(/^missing 'context' for key derivation; the key was created using a derived key/);
  });

  it('gives the same ciphertext for the same plaintext and context with convergent encryption', async () => {
    await v('POST', 'transit/keys/c', { derived: true, convergent_encryption: true });
    const a = await encrypt('c', 'same', { context: b64('ctx') });
    const b = await encrypt('c', 'same', { context: b64('ctx') });
    const other = await encrypt('c', 'same', { context: b64('ctx2') });
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    expect(unb64((await decrypt('c', a, { context: b64('ctx') })).json.data.plaintext)).toBe('same');
  });

  it('works for aes128-gcm96, chacha20-poly1305 and RSA keys', async () => {
    for (const type of ['aes128-gcm96', 'chacha20-poly1305', 'rsa-2048']) {
      await v('POST', `transit/keys/${type}`, { type });
      const c = await encrypt(type, `hello ${type}`);
      expect(unb64((await decrypt(type, c)).json.data.plaintext)).toBe(`hello ${type}`);
    }
  });

  it('refuses encryption with a signing key', async () => {
    await v('POST', 'transit/keys/ed', { type: 'ed25519' });
    expect((await v('POST', 'transit/encrypt/ed', { plaintext: b64('x') })).json).toEqual({ errors: ['message encryption not supported for key type ed25519'] });
  });
});

describe('batches', () => {
  it('encrypts and decrypts a batch in order, echoing references', async () => {
    await v('POST', 'transit/keys/k');
    const enc = await v('POST', 'transit/encrypt/k', { batch_input: [{ plaintext: b64('a'), reference: 'r1' }, { plaintext: b64('b') }] });
    expect(enc.status).toBe(200);
    const results = enc.json.data.batch_results;
    expect(results.map((r: { reference: string }) => r.reference)).toEqual(['r1', '']);
    const dec = await v('POST', 'transit/decrypt/k', { batch_input: results.map((r: { ciphertext: string }, i: number) => ({ ciphertext: r.ciphertext, reference: `d${i}` })) });
    expect(dec.json.data.batch_results).toEqual([
      { plaintext: b64('a'), reference: 'd0' },
      { plaintext: b64('b'), reference: 'd1' },
    ]);
  });

  it('answers a batch with a bad item 400 with the results (no errors key), unless partial_failure_response_code', async () => {
    await v('POST', 'transit/keys/k');
    const bad = await v('POST', 'transit/encrypt/k', { batch_input: [{ plaintext: b64('ok') }, { plaintext: '%%%' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toBeUndefined();
    expect(bad.json.data.batch_results[1]).toEqual({ error: 'illegal base64 data at input byte 0', reference: '' });
    expect(bad.json.data.batch_results[0].ciphertext).toMatch(/^vault:v1:/);
    const partial = await v('POST', 'transit/encrypt/k', { batch_input: [{ plaintext: b64('ok') }, { plaintext: '%%%' }], partial_failure_response_code: 207 });
    expect(partial.status).toBe(207);
    const allBad = await v('POST', 'transit/decrypt/k', { batch_input: [{ ciphertext: 'nope' }], partial_failure_response_code: 200 });
    expect(allBad.status).toBe(400);
    expect(allBad.json.data.batch_results[0]).toEqual({ plaintext: '', error: 'invalid ciphertext: no prefix', reference: '' });
  });

  it('refuses a batch that mixes items with and without context, and an empty batch', async () => {
    await v('POST', 'transit/keys/d', { derived: true });
    expect((await v('POST', 'transit/encrypt/d', { batch_input: [{ plaintext: b64('a'), context: b64('x') }, { plaintext: b64('b') }] })).json).toEqual({ errors: ['context should be set either in all the request blocks or in none'] });
    expect((await v('POST', 'transit/encrypt/d', { batch_input: [] })).json).toEqual({ errors: ['missing batch input to process'] });
  });
});

describe('data keys, HMAC, hashing, random', () => {
  it('returns a plaintext data key and its ciphertext, which decrypt gives back', async () => {
    await v('POST', 'transit/keys/k');
    const dk = await v('POST', 'transit/datakey/plaintext/k', { bits: 512 });
    expect(Buffer.from(dk.json.data.plaintext, 'base64')).toHaveLength(64);
    expect((await decrypt('k', dk.json.data.ciphertext)).json.data.plaintext).toBe(dk.json.data.plaintext);
    const wrapped = await v('POST', 'transit/datakey/wrapped/k');
    expect(wrapped.json.data.plaintext).toBeUndefined();
    expect((await v('POST', 'transit/datakey/both/k')).json).toEqual({ errors: ["Invalid path, must be 'plaintext' or 'wrapped'"] });
    expect((await v('POST', 'transit/datakey/plaintext/k', { bits: 100 })).json).toEqual({ errors: ['invalid bit length'] });
  });

  it('computes HMACs with the version’s HMAC key and verifies them', async () => {
    await v('POST', 'transit/keys/k', { exportable: true });
    const mac = await v('POST', 'transit/hmac/k/sha2-512', { input: b64('message') });
    const value = mac.json.data.hmac as string;
    const hmacKey = Buffer.from((await v('GET', 'transit/export/hmac-key/k/1')).json.data.keys['1'], 'base64');
    expect(value).toBe(`vault:v1:${createHmac('sha512', hmacKey).update('message').digest('base64')}`);
    expect((await v('POST', 'transit/verify/k/sha2-512', { input: b64('message'), hmac: value })).json.data).toEqual({ valid: true });
    expect((await v('POST', 'transit/verify/k/sha2-512', { input: b64('messagE'), hmac: value })).json.data).toEqual({ valid: false });
    expect((await v('POST', 'transit/verify/k', { input: b64('m') })).json).toEqual({ errors: ["neither a 'signature' nor an 'hmac' were given to verify"] });
  });

  it('hashes (hex by default) and returns random bytes', async () => {
    const sum = await v('POST', 'transit/hash/sha2-256', { input: b64('abc') });
    expect(sum.json.data.sum).toBe(createHash('sha256').update('abc').digest('hex'));
    const rnd = await v('POST', 'transit/random/16', { format: 'hex' });
    expect(rnd.json.data.random_bytes).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('signatures', () => {
  it('signs with ed25519 and the published public key verifies the signature locally', async () => {
    await v('POST', 'transit/keys/ed', { type: 'ed25519' });
    const pub = (await v('GET', 'transit/keys/ed')).json.data.keys['1'].public_key as string;
    const sig = await v('POST', 'transit/sign/ed', { input: b64('signed message') });
    expect(sig.json.data.key_version).toBe(1);
    const raw = Buffer.from(sig.json.data.signature.replace(/^vault:v1:/, ''), 'base64');
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pub, 'base64')]);
    expect(nodeVerify(null, Buffer.from('signed message'), createPublicKey({ key: spki, format: 'der', type: 'spki' }), raw)).toBe(true);
    expect((await v('POST', 'transit/verify/ed', { input: b64('signed message'), signature: sig.json.data.signature })).json.data.valid).toBe(true);
    expect((await v('POST', 'transit/verify/ed', { input: b64('other message'), signature: sig.json.data.signature })).json.data.valid).toBe(false);
  });

  it('signs with ecdsa-p256 (asn1 and jws) and the PEM public key verifies both locally', async () => {
    await v('POST', 'transit/keys/ec', { type: 'ecdsa-p256' });
    const info = (await v('GET', 'transit/keys/ec')).json.data.keys['1'];
    expect(info.name).toBe('P-256');
    const pub = createPublicKey(info.public_key);
    const asn1 = (await v('POST', 'transit/sign/ec/sha2-384', { input: b64('doc') })).json.data.signature as string;
    expect(nodeVerify('sha384', Buffer.from('doc'), pub, Buffer.from(asn1.replace('vault:v1:', ''), 'base64'))).toBe(true);
    const jws = (await v('POST', 'transit/sign/ec', { input: b64('doc'), marshaling_algorithm: 'jws' })).json.data.signature as string;
    const raw = Buffer.from(jws.replace('vault:v1:', ''), 'base64url');
    expect(raw).toHaveLength(64);
    expect(jws).not.toMatch(/[+/=]/);
    expect(nodeVerify('sha256', Buffer.from('doc'), { key: pub, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    expect((await v('POST', 'transit/verify/ec', { input: b64('doc'), signature: jws, marshaling_algorithm: 'jws' })).json.data.valid).toBe(true);
    // A prehashed input is signed as the digest.
    const digest = createHash('sha256').update('doc').digest();
    const pre = (await v('POST', 'transit/sign/ec', { input: digest.toString('base64'), prehashed: true })).json.data.signature as string;
    expect(nodeVerify('sha256', Buffer.from('doc'), pub, Buffer.from(pre.replace('vault:v1:', ''), 'base64'))).toBe(true);
  });

  it('signs with RSA (PSS by default, PKCS#1 v1.5 on request) verifiable with the public key', async () => {
    await v('POST', 'transit/keys/rsa', { type: 'rsa-2048' });
    const pub = createPublicKey((await v('GET', 'transit/keys/rsa')).json.data.keys['1'].public_key);
    const pss = (await v('POST', 'transit/sign/rsa', { input: b64('doc') })).json.data.signature as string;
    expect(nodeVerify('sha256', Buffer.from('doc'), { key: pub, padding: 6, saltLength: -2 }, Buffer.from(pss.slice(9), 'base64'))).toBe(true);
    const v15 = (await v('POST', 'transit/sign/rsa', { input: b64('doc'), signature_algorithm: 'pkcs1v15' })).json.data.signature as string;
    expect(nodeVerify('sha256', Buffer.from('doc'), pub, Buffer.from(v15.slice(9), 'base64'))).toBe(true);
  });

  it('derives ed25519 keys per context and returns the derived public key', async () => {
    await v('POST', 'transit/keys/ded', { type: 'ed25519', derived: true });
    const sig = await v('POST', 'transit/sign/ded', { input: b64('m'), context: b64('tenant-1') });
    const readPub = (await v('GET', `transit/keys/ded?context=${encodeURIComponent(b64('tenant-1'))}`)).json.data.keys['1'].public_key;
    expect(sig.json.data.public_key).toBe(readPub);
    expect((await v('POST', 'transit/verify/ded', { input: b64('m'), context: b64('tenant-1'), signature: sig.json.data.signature })).json.data.valid).toBe(true);
    expect((await v('POST', 'transit/verify/ded', { input: b64('m'), context: b64('tenant-2'), signature: sig.json.data.signature })).json.data.valid).toBe(false);
  });

  it('refuses signing with an AES key and a missing key', async () => {
    await v('POST', 'transit/keys/aes');
    expect((await v('POST', 'transit/sign/aes', { input: b64('x') })).json).toEqual({ errors: ['key type aes256-gcm96 does not support signing'] });
    expect((await v('POST', 'transit/sign/none', { input: b64('x') })).json).toEqual({ errors: ['signing key not found'] });
    expect((await v('POST', 'transit/sign/aes', { input: b64('x'), hash_algorithm: 'md5' })).json).toEqual({ errors: ['invalid hash algorithm "md5"'] });
  });
});

describe('export and the keysutil layout', () => {
  it('refuses to export a key that is not exportable, and exportable can only be switched on', async () => {
    await v('POST', 'transit/keys/k');
    expect((await v('GET', 'transit/export/encryption-key/k')).json).toEqual({ errors: ['private key material is not exportable'] });
    await v('POST', 'transit/keys/k/config', { exportable: true });
    expect((await v('POST', 'transit/keys/k/config', { exportable: false })).json.data.exportable).toBe(true);
    expect((await v('GET', 'transit/export/bogus/k')).json).toEqual({ errors: ['invalid export type: bogus'] });
  });

  it('lays a ciphertext out as vault:v<N>: + base64(nonce ‖ ciphertext ‖ tag), decryptable with the exported key', async () => {
    await v('POST', 'transit/keys/ex', { exportable: true });
    await v('POST', 'transit/keys/ex/rotate');
    const plaintext = 'exactly 24 bytes of text';
    const c = await encrypt('ex', plaintext, { associated_data: b64('aad') });
    expect(c).toMatch(/^vault:v2:[A-Za-z0-9+/]+={0,2}$/);
    const raw = Buffer.from(c.slice('vault:v2:'.length), 'base64');
    expect(raw).toHaveLength(12 + 24 + 16);
    const keys = (await v('GET', 'transit/export/encryption-key/ex')).json.data.keys;
    expect(Object.keys(keys)).toEqual(['1', '2']);
    const key = Buffer.from(keys['2'], 'base64');
    expect(key).toHaveLength(32);
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAAD(Buffer.from('aad'));
    d.setAuthTag(raw.subarray(raw.length - 16));
    expect(Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString()).toBe(plaintext);
  });

  it('accepts a ciphertext made locally with the exported key (the layout both ways), derived keys via HKDF', async () => {
    await v('POST', 'transit/keys/dx', { derived: true, exportable: true });
    const key = Buffer.from((await v('GET', 'transit/export/encryption-key/dx/latest')).json.data.keys['1'], 'base64');
    const derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from('user-7'), 32));
    const nonce = Buffer.alloc(12, 7);
    const cipher = createCipheriv('aes-256-gcm', derived, nonce);
    const body = Buffer.concat([cipher.update('made outside'), cipher.final()]);
    const local = `vault:v1:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')}`;
    expect(unb64((await decrypt('dx', local, { context: b64('user-7') })).json.data.plaintext)).toBe('made outside');
  });

  it('exports signing keys as Vault does (EC PEM, ed25519 base64) and public keys without exportable', async () => {
    await v('POST', 'transit/keys/ec', { type: 'ecdsa-p384' });
    const pubs = (await v('GET', 'transit/export/public-key/ec')).json.data;
    expect(pubs).toMatchObject({ name: 'ec', type: 'ecdsa-p384' });
    expect(pubs.keys['1']).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    await v('POST', 'transit/keys/ed', { type: 'ed25519', exportable: true });
    const priv = (await v('GET', 'transit/export/signing-key/ed/1')).json.data.keys['1'];
    expect(Buffer.from(priv, 'base64')).toHaveLength(64);
    await v('POST', 'transit/keys/ec2', { type: 'ecdsa-p256', exportable: true });
    expect((await v('GET', 'transit/export/signing-key/ec2')).json.data.keys['1']).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
  });
});
