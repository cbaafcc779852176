/**
 * The AWS Encryption SDK for JavaScript (@aws-crypto/client-node) with a KMS keyring whose KMS
 * clients point at `kmskit serve`: envelope encryption through the real SDK, across a key rotation,
 * and with the caching materials manager.
 */
import {
  buildClient,
  CommitmentPolicy,
  getClient,
  getLocalCryptographicMaterialsCache,
  KMS,
  KmsKeyringNode,
  NodeCachingMaterialsManager,
} from '@aws-crypto/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/http.js';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const context = { purpose: 'encryption-sdk-test', tenant: 'acme' };

let env: InProcessEmulator;
let keyArn: string;
let keyring: KmsKeyringNode;

const calls = (name: string) => env.emulator.audit.events().filter((e) => e.eventName === name && !e.errorCode).length;

beforeAll(async () => {
  env = await startInProcessEmulator();
  const created = await env.emulator.send('CreateKey', { Description: 'Encryption SDK test' });
  keyArn = (created.KeyMetadata as { Arn: string }).Arn;
  // The keyring builds one KMS client per region through this provider: ours adds the endpoint.
  const clientProvider = getClient(KMS, { endpoint: env.url, credentials: env.credentials, maxAttempts: 1 });
  keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider });
});
afterAll(() => env?.stop());

describe('@aws-crypto/client-node with a KMS keyring on the emulator', () => {
  it('encrypts and decrypts a message, with the encryption context carried through', async () => {
    const before = calls('GenerateDataKey');
    const { result } = await encrypt(keyring, 'attack at dawn', { encryptionContext: context });
    expect(result.toString()).not.toContain('attack at dawn');
    expect(calls('GenerateDataKey')).toBe(before + 1);
    const { plaintext, messageHeader } = await decrypt(keyring, result);
    expect(plaintext.toString()).toBe('attack at dawn');
    expect(messageHeader.encryptionContext).toMatchObject(context);
  });

  it('decrypts messages written before and after a key rotation', async () => {
    const before = await encrypt(keyring, 'written before rotation', { encryptionContext: context });
    // Automatic rotation on the emulator's clock, driven over the control route.
    await env.emulator.send('EnableKeyRotation', { KeyId: keyArn, RotationPeriodInDays: 90 });
    const advanced = await rawRequest(env.url, { path: '/_kmskit/clock', body: JSON.stringify({ advanceSeconds: 91 * 86_400 }) });
    expect(advanced.status).toBe(200);
    const after = await encrypt(keyring, 'written after rotation', { encryptionContext: context });
    const rotations = (await env.emulator.send('ListKeyRotations', { KeyId: keyArn })).Rotations as unknown[];
    expect(rotations).toHaveLength(1);

    expect((await decrypt(keyring, before.result)).plaintext.toString()).toBe('written before rotation');
    expect((await decrypt(keyring, after.result)).plaintext.toString()).toBe('written after rotation');
  });

  it('reuses data keys through the caching materials manager', async () => {
    const cmm = new NodeCachingMaterialsManager({
      backingMaterials: keyring,
      cache: getLocalCryptographicMaterialsCache(100),
      maxAge: 60_000,
      maxMessagesEncrypted: 10,
    });
    const generated = calls('GenerateDataKey');
    const decrypted = calls('Decrypt');
    // One after another: the first call fills the cache, the rest hit it.
    const messages: Buffer[] = [];
    for (const m of ['one', 'two', 'three']) messages.push((await encrypt(cmm, m, { encryptionContext: context, plaintextLength: m.length })).result);
    const plaintexts: string[] = [];
    for (const m of messages) plaintexts.push((await decrypt(cmm, m)).plaintext.toString());
    expect(plaintexts).toEqual(['one', 'two', 'three']);
    expect(calls('GenerateDataKey') - generated).toBe(1);
    expect(calls('Decrypt') - decrypted).toBe(1);
  });

  it('fails to decrypt when KMS refuses the data key', async () => {
    const { result } = await encrypt(keyring, 'locked away', { encryptionContext: context });
    await env.emulator.send('DisableKey', { KeyId: keyArn });
    try {
      await expect(decrypt(keyring, result)).rejects.toThrow();
    } finally {
      await env.emulator.send('EnableKey', { KeyId: keyArn });
    }
  });
});
