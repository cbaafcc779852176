import { beforeEach, describe, expect, it } from 'vitest';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, ReEncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';
import { canonicalContext } from '../../emulator/crypto/index.js';
import { emulator, failure } from './helpers.js';

let kms: Emulator;
let c: KMSClient;
let keyId: string;

beforeEach(async () => {
  kms = await emulator();
  c = kms.client();
  keyId = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
});

const encrypt = async (EncryptionContext?: Record<string, string>) => (await c.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('ctx'), ...(EncryptionContext ? { EncryptionContext } : {}) }))).CiphertextBlob!;
const decrypt = (CiphertextBlob: Uint8Array, EncryptionContext?: Record<string, string>) => c.send(new DecryptCommand({ CiphertextBlob, ...(EncryptionContext ? { EncryptionContext } : {}) }));

describe('encryption context binding', () => {
  it('{"a":"bc"} and {"ab":"c"} cannot decrypt each other’s ciphertext', async () => {
    const one = await encrypt({ a: 'bc' });
    const two = await encrypt({ ab: 'c' });
    expect((await failure(decrypt(one, { ab: 'c' }))).name).toBe('InvalidCiphertextException');
    expect((await failure(decrypt(two, { a: 'bc' }))).name).toBe('InvalidCiphertextException');
    expect(Buffer.from((await decrypt(one, { a: 'bc' })).Plaintext!).toString()).toBe('ctx');
    expect(Buffer.from((await decrypt(two, { ab: 'c' })).Plaintext!).toString()).toBe('ctx');
  });

  it('the canonical encoding differs for pairs that concatenate alike', () => {
    expect(canonicalContext({ a: 'bc' }).equals(canonicalContext({ ab: 'c' }))).toBe(false);
    expect(canonicalContext({ a: 'b', c: 'd' }).equals(canonicalContext({ a: 'b=c', '': 'd' }))).toBe(false);
  });

  it('pair order does not matter', async () => {
    const blob = await encrypt({ x: '1', y: '2' });
    expect(Buffer.from((await decrypt(blob, { y: '2', x: '1' })).Plaintext!).toString()).toBe('ctx');
  });

  it('a missing context fails with InvalidCiphertextException', async () => {
    const blob = await encrypt({ dept: 'finance' });
    expect((await failure(decrypt(blob))).name).toBe('InvalidCiphertextException');
  });

  it('a wrong value, an extra pair, or a different case fail with InvalidCiphertextException', async () => {
    const blob = await encrypt({ dept: 'finance' });
    const wrongs: Array<Record<string, string>> = [{ dept: 'hr' }, { dept: 'finance', extra: '1' }, { Dept: 'finance' }, { dept: 'Finance' }];
    for (const wrong of wrongs) {
      expect((await failure(decrypt(blob, wrong))).name, JSON.stringify(wrong)).toBe('InvalidCiphertextException');
    }
  });

  it('a context given at decrypt when none was used at encrypt fails', async () => {
    const blob = await encrypt();
    expect((await failure(decrypt(blob, { a: 'b' }))).name).toBe('InvalidCiphertextException');
  });

  it('non-ASCII keys and values round-trip', async () => {
    const ctx = { 'クライアント': 'données', emoji: '🔐' };
    const blob = await encrypt(ctx);
    expect(Buffer.from((await decrypt(blob, ctx)).Plaintext!).toString()).toBe('ctx');
  });

  it('ReEncrypt checks the source context', async () => {
    const blob = await encrypt({ a: 'bc' });
    expect((await failure(c.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { ab: 'c' }, DestinationKeyId: keyId })))).name).toBe('InvalidCiphertextException');
  });

  it('the ciphertext does not depend on account or region: another account’s emulator with the same key material decrypts it', async () => {
    // Same seed material, different default account and region: the blob names only key id and version.
    const seed = { keys: [{ id: '0f0e0d0c-0b0a-4908-8706-050403020100', material: '11'.repeat(32) }] };
    const a = await emulator({ seed, account: '111111111111', region: 'us-east-1' });
    const b = await emulator({ seed, account: '222222222222', region: 'eu-central-1' });
    const blob = (await a.client().send(new EncryptCommand({ KeyId: '0f0e0d0c-0b0a-4908-8706-050403020100', Plaintext: Buffer.from('portable') }))).CiphertextBlob!;
    expect(Buffer.from((await b.client().send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString()).toBe('portable');
  });
});
