/**
 * @aws-sdk/client-kms, unchanged, against the emulator over HTTP: every operation the emulator lists
 * (`emulator.operations`) is called through the SDK's real HTTP stack (SigV4, JSON 1.1 serialisation,
 * blob/timestamp handling, typed exceptions). An operation the emulator gains without a scenario here
 * fails the coverage test, so this file grows with the core.
 */
import * as kms from '@aws-sdk/client-kms';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KMS_API_OPERATIONS } from '../../emulator/server.js';
import { createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';
import { wrapKeyMaterial } from '../helpers/import-wrapping.js';

const KMS_API_OPERATIONS_LIST = [...KMS_API_OPERATIONS];

let env: InProcessEmulator;
let client: KMSClient;
let west: KMSClient;

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- outputs differ per operation; scenarios assert on them
type AnyOutput = Record<string, any>;
/** Sends `<op>Command` by name, so scenarios read like the AWS API reference. */
async function call(op: string, input: object, c: KMSClient = client): Promise<AnyOutput> {
  const Command = (kms as unknown as Record<string, (new (i: object) => unknown) | undefined>)[`${op}Command`];
  if (!Command) throw new Error(`@aws-sdk/client-kms has no ${op}Command`);
  const send = c.send.bind(c) as unknown as (command: unknown) => Promise<AnyOutput>;
  return send(new Command(input));
}

async function newKey(input: object = {}): Promise<string> {
  const out = await call('CreateKey', { Description: 'sdk-http test', ...input });
  return out.KeyMetadata.KeyId as string;
}

async function expectKmsError(p: Promise<unknown>, name: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ name });
}

const scenarios: Record<string, () => Promise<void>> = {
  CreateKey: async () => {
    const out = await call('CreateKey', { Description: 'created', Tags: [{ TagKey: 'team', TagValue: 'a' }] });
    expect(out.KeyMetadata.KeyState).toBe('Enabled');
    expect(out.KeyMetadata.CreationDate).toBeInstanceOf(Date);
    expect(out.KeyMetadata.Arn).toBe(`arn:aws:kms:us-east-1:${env.emulator.account}:key/${out.KeyMetadata.KeyId}`);
  },
  DescribeKey: async () => {
    const id = await newKey({ Description: 'described' });
    expect((await call('DescribeKey', { KeyId: id })).KeyMetadata.Description).toBe('described');
    await expectKmsError(call('DescribeKey', { KeyId: 'alias/does-not-exist' }), 'NotFoundException');
  },
  ListKeys: async () => {
    const id = await newKey();
    const out = await call('ListKeys', { Limit: 1000 });
    expect(out.Keys.map((k: { KeyId: string }) => k.KeyId)).toContain(id);
  },
  Encrypt: async () => {
    const id = await newKey();
    const out = await call('Encrypt', { KeyId: id, Plaintext: enc('hello'), EncryptionContext: { a: 'b' } });
    expect(out.CiphertextBlob).toBeInstanceOf(Uint8Array);
    expect(dec(out.CiphertextBlob)).not.toContain('hello');
  },
  Decrypt: async () => {
    const id = await newKey();
    const { CiphertextBlob } = await call('Encrypt', { KeyId: id, Plaintext: enc('round trip'), EncryptionContext: { a: 'b' } });
    expect(dec((await call('Decrypt', { CiphertextBlob, EncryptionContext: { a: 'b' } })).Plaintext)).toBe('round trip');
    await expectKmsError(call('Decrypt', { CiphertextBlob, EncryptionContext: { a: 'c' } }), 'InvalidCiphertextException');
  },
  ReEncrypt: async () => {
    const a = await newKey();
    const b = await newKey();
    const { CiphertextBlob } = await call('Encrypt', { KeyId: a, Plaintext: enc('move me') });
    const moved = await call('ReEncrypt', { CiphertextBlob, DestinationKeyId: b });
    expect(moved.KeyId).toContain(b);
    expect(dec((await call('Decrypt', { CiphertextBlob: moved.CiphertextBlob })).Plaintext)).toBe('move me');
  },
  GenerateDataKey: async () => {
    const id = await newKey();
    const out = await call('GenerateDataKey', { KeyId: id, KeySpec: 'AES_256' });
    expect(out.Plaintext).toHaveLength(32);
    expect((await call('Decrypt', { CiphertextBlob: out.CiphertextBlob })).Plaintext).toEqual(out.Plaintext);
  },
  GenerateDataKeyWithoutPlaintext: async () => {
    const id = await newKey();
    const out = await call('GenerateDataKeyWithoutPlaintext', { KeyId: id, NumberOfBytes: 16 });
    expect(out.Plaintext).toBeUndefined();
    expect((await call('Decrypt', { CiphertextBlob: out.CiphertextBlob })).Plaintext).toHaveLength(16);
  },
  GenerateDataKeyPair: async () => {
    const id = await newKey();
    const out = await call('GenerateDataKeyPair', { KeyId: id, KeyPairSpec: 'ECC_NIST_P256' });
    expect(out.PublicKey.length).toBeGreaterThan(0);
    expect((await call('Decrypt', { CiphertextBlob: out.PrivateKeyCiphertextBlob })).Plaintext).toEqual(out.PrivateKeyPlaintext);
  },
  GenerateDataKeyPairWithoutPlaintext: async () => {
    const id = await newKey();
    const out = await call('GenerateDataKeyPairWithoutPlaintext', { KeyId: id, KeyPairSpec: 'RSA_2048' });
    expect(out.PrivateKeyPlaintext).toBeUndefined();
    expect(out.PrivateKeyCiphertextBlob.length).toBeGreaterThan(0);
  },
  GenerateRandom: async () => {
    const out = await call('GenerateRandom', { NumberOfBytes: 24 });
    expect(out.Plaintext).toHaveLength(24);
  },
  GenerateMac: async () => {
    const id = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const out = await call('GenerateMac', { KeyId: id, Message: enc('m'), MacAlgorithm: 'HMAC_SHA_256' });
    expect(out.Mac).toHaveLength(32);
  },
  VerifyMac: async () => {
    const id = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const { Mac } = await call('GenerateMac', { KeyId: id, Message: enc('m'), MacAlgorithm: 'HMAC_SHA_256' });
    expect((await call('VerifyMac', { KeyId: id, Message: enc('m'), Mac, MacAlgorithm: 'HMAC_SHA_256' })).MacValid).toBe(true);
    await expectKmsError(call('VerifyMac', { KeyId: id, Message: enc('x'), Mac, MacAlgorithm: 'HMAC_SHA_256' }), 'KMSInvalidMacException');
  },
  Sign: async () => {
    const id = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const out = await call('Sign', { KeyId: id, Message: enc('doc'), SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(out.Signature.length).toBeGreaterThan(0);
  },
  Verify: async () => {
    const id = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const { Signature } = await call('Sign', { KeyId: id, Message: enc('doc'), SigningAlgorithm: 'ECDSA_SHA_256' });
    expect((await call('Verify', { KeyId: id, Message: enc('doc'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' })).SignatureValid).toBe(true);
    await expectKmsError(call('Verify', { KeyId: id, Message: enc('other'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' }), 'KMSInvalidSignatureException');
  },
  GetPublicKey: async () => {
    const id = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const out = await call('GetPublicKey', { KeyId: id });
    expect(out.KeySpec).toBe('RSA_2048');
    expect(out.PublicKey.length).toBeGreaterThan(200);
  },
  CreateAlias: async () => {
    const id = await newKey();
    await call('CreateAlias', { AliasName: 'alias/sdk-create', TargetKeyId: id });
    expect((await call('DescribeKey', { KeyId: 'alias/sdk-create' })).KeyMetadata.KeyId).toBe(id);
    await expectKmsError(call('CreateAlias', { AliasName: 'alias/sdk-create', TargetKeyId: id }), 'AlreadyExistsException');
  },
  ListAliases: async () => {
    const id = await newKey();
    await call('CreateAlias', { AliasName: 'alias/sdk-list', TargetKeyId: id });
    const out = await call('ListAliases', { KeyId: id });
    expect(out.Aliases.map((a: { AliasName: string }) => a.AliasName)).toEqual(['alias/sdk-list']);
  },
  UpdateAlias: async () => {
    const a = await newKey();
    const b = await newKey();
    await call('CreateAlias', { AliasName: 'alias/sdk-update', TargetKeyId: a });
    await call('UpdateAlias', { AliasName: 'alias/sdk-update', TargetKeyId: b });
    expect((await call('DescribeKey', { KeyId: 'alias/sdk-update' })).KeyMetadata.KeyId).toBe(b);
  },
  DeleteAlias: async () => {
    const id = await newKey();
    await call('CreateAlias', { AliasName: 'alias/sdk-delete', TargetKeyId: id });
    await call('DeleteAlias', { AliasName: 'alias/sdk-delete' });
    await expectKmsError(call('DescribeKey', { KeyId: 'alias/sdk-delete' }), 'NotFoundException');
  },
  DisableKey: async () => {
    const id = await newKey();
    await call('DisableKey', { KeyId: id });
    await expectKmsError(call('Encrypt', { KeyId: id, Plaintext: enc('x') }), 'DisabledException');
  },
  EnableKey: async () => {
    const id = await newKey();
    await call('DisableKey', { KeyId: id });
    await call('EnableKey', { KeyId: id });
    expect((await call('DescribeKey', { KeyId: id })).KeyMetadata.KeyState).toBe('Enabled');
  },
  EnableKeyRotation: async () => {
    const id = await newKey();
    await call('EnableKeyRotation', { KeyId: id, RotationPeriodInDays: 90 });
    const status = await call('GetKeyRotationStatus', { KeyId: id });
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
  },
  DisableKeyRotation: async () => {
    const id = await newKey();
    await call('EnableKeyRotation', { KeyId: id });
    await call('DisableKeyRotation', { KeyId: id });
    expect((await call('GetKeyRotationStatus', { KeyId: id })).KeyRotationEnabled).toBe(false);
  },
  GetKeyRotationStatus: async () => {
    const id = await newKey();
    expect((await call('GetKeyRotationStatus', { KeyId: id })).KeyRotationEnabled).toBe(false);
  },
  RotateKeyOnDemand: async () => {
    const id = await newKey();
    const { CiphertextBlob } = await call('Encrypt', { KeyId: id, Plaintext: enc('before rotation') });
    await call('RotateKeyOnDemand', { KeyId: id });
    expect(dec((await call('Decrypt', { CiphertextBlob })).Plaintext)).toBe('before rotation');
  },
  ListKeyRotations: async () => {
    const id = await newKey();
    await call('RotateKeyOnDemand', { KeyId: id });
    const out = await call('ListKeyRotations', { KeyId: id });
    expect(out.Rotations).toHaveLength(1);
    expect(out.Rotations[0].RotationDate).toBeInstanceOf(Date);
  },
  GetKeyPolicy: async () => {
    const id = await newKey();
    const policy = JSON.parse((await call('GetKeyPolicy', { KeyId: id, PolicyName: 'default' })).Policy as string);
    expect(JSON.stringify(policy)).toContain(`arn:aws:iam::${env.emulator.account}:root`);
  },
  PutKeyPolicy: async () => {
    const id = await newKey();
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${env.emulator.account}:root` }, Action: 'kms:*', Resource: '*' }],
    };
    await call('PutKeyPolicy', { KeyId: id, PolicyName: 'default', Policy: JSON.stringify(doc) });
    expect(JSON.parse((await call('GetKeyPolicy', { KeyId: id, PolicyName: 'default' })).Policy as string)).toEqual(doc);
  },
  ListKeyPolicies: async () => {
    const id = await newKey();
    expect((await call('ListKeyPolicies', { KeyId: id })).PolicyNames).toEqual(['default']);
  },
  CreateGrant: async () => {
    const id = await newKey();
    const out = await call('CreateGrant', { KeyId: id, GranteePrincipal: 'arn:aws:iam::111122223333:role/grantee', Operations: ['Decrypt'] });
    expect(out.GrantId).toMatch(/\w+/);
    expect(out.GrantToken).toMatch(/\w+/);
  },
  ListGrants: async () => {
    const id = await newKey();
    const { GrantId } = await call('CreateGrant', { KeyId: id, GranteePrincipal: 'arn:aws:iam::111122223333:role/grantee', Operations: ['Encrypt'] });
    const out = await call('ListGrants', { KeyId: id });
    expect(out.Grants.map((g: { GrantId: string }) => g.GrantId)).toEqual([GrantId]);
    expect(out.Grants[0].CreationDate).toBeInstanceOf(Date);
  },
  ListRetirableGrants: async () => {
    const id = await newKey();
    const retiring = 'arn:aws:iam::111122223333:role/retirer';
    const { GrantId } = await call('CreateGrant', { KeyId: id, GranteePrincipal: 'arn:aws:iam::111122223333:role/grantee', RetiringPrincipal: retiring, Operations: ['Encrypt'] });
    const out = await call('ListRetirableGrants', { RetiringPrincipal: retiring });
    expect(out.Grants.map((g: { GrantId: string }) => g.GrantId)).toContain(GrantId);
  },
  RetireGrant: async () => {
    const id = await newKey();
    const { GrantId } = await call('CreateGrant', { KeyId: id, GranteePrincipal: 'arn:aws:iam::111122223333:role/grantee', Operations: ['Encrypt'] });
    const arn = (await call('DescribeKey', { KeyId: id })).KeyMetadata.Arn;
    await call('RetireGrant', { KeyId: arn, GrantId });
    expect((await call('ListGrants', { KeyId: id })).Grants).toEqual([]);
  },
  RevokeGrant: async () => {
    const id = await newKey();
    const { GrantId } = await call('CreateGrant', { KeyId: id, GranteePrincipal: 'arn:aws:iam::111122223333:role/grantee', Operations: ['Encrypt'] });
    await call('RevokeGrant', { KeyId: id, GrantId });
    expect((await call('ListGrants', { KeyId: id })).Grants).toEqual([]);
  },
  TagResource: async () => {
    const id = await newKey();
    await call('TagResource', { KeyId: id, Tags: [{ TagKey: 'env', TagValue: 'test' }] });
    expect((await call('ListResourceTags', { KeyId: id })).Tags).toEqual([{ TagKey: 'env', TagValue: 'test' }]);
  },
  UntagResource: async () => {
    const id = await newKey({ Tags: [{ TagKey: 'env', TagValue: 'test' }] });
    await call('UntagResource', { KeyId: id, TagKeys: ['env'] });
    expect((await call('ListResourceTags', { KeyId: id })).Tags ?? []).toEqual([]);
  },
  ListResourceTags: async () => {
    const id = await newKey({ Tags: [{ TagKey: 'a', TagValue: '1' }] });
    expect((await call('ListResourceTags', { KeyId: id })).Tags).toEqual([{ TagKey: 'a', TagValue: '1' }]);
  },
  UpdateKeyDescription: async () => {
    const id = await newKey();
    await call('UpdateKeyDescription', { KeyId: id, Description: 'new words' });
    expect((await call('DescribeKey', { KeyId: id })).KeyMetadata.Description).toBe('new words');
  },
  ScheduleKeyDeletion: async () => {
    const id = await newKey();
    const out = await call('ScheduleKeyDeletion', { KeyId: id, PendingWindowInDays: 7 });
    expect(out.KeyState).toBe('PendingDeletion');
    expect(out.DeletionDate).toBeInstanceOf(Date);
    await expectKmsError(call('Encrypt', { KeyId: id, Plaintext: enc('x') }), 'KMSInvalidStateException');
  },
  CancelKeyDeletion: async () => {
    const id = await newKey();
    await call('ScheduleKeyDeletion', { KeyId: id, PendingWindowInDays: 7 });
    await call('CancelKeyDeletion', { KeyId: id });
    expect((await call('DescribeKey', { KeyId: id })).KeyMetadata.KeyState).toBe('Disabled');
  },
  ReplicateKey: async () => {
    const id = await newKey({ MultiRegion: true });
    const out = await call('ReplicateKey', { KeyId: id, ReplicaRegion: 'us-west-2' });
    expect(out.ReplicaKeyMetadata.Arn).toBe(`arn:aws:kms:us-west-2:${env.emulator.account}:key/${id}`);
    const { CiphertextBlob } = await call('Encrypt', { KeyId: id, Plaintext: enc('across regions') });
    expect(dec((await call('Decrypt', { KeyId: id, CiphertextBlob }, west)).Plaintext)).toBe('across regions');
  },
  UpdatePrimaryRegion: async () => {
    const id = await newKey({ MultiRegion: true });
    await call('ReplicateKey', { KeyId: id, ReplicaRegion: 'us-west-2' });
    await call('UpdatePrimaryRegion', { KeyId: id, PrimaryRegion: 'us-west-2' });
    const meta = (await call('DescribeKey', { KeyId: id }, west)).KeyMetadata;
    expect(meta.MultiRegionConfiguration.MultiRegionKeyType).toBe('PRIMARY');
  },
  GetParametersForImport: async () => {
    const id = await newKey({ Origin: 'EXTERNAL' });
    const out = await call('GetParametersForImport', { KeyId: id, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_3072' });
    expect(out.ParametersValidTo).toBeInstanceOf(Date);
    expect(createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).toBe(3072);
  },
  ImportKeyMaterial: async () => {
    const id = await newKey({ Origin: 'EXTERNAL' });
    await importInto(id, randomBytes(32));
    const { CiphertextBlob } = await call('Encrypt', { KeyId: id, Plaintext: enc('imported') });
    expect(dec((await call('Decrypt', { CiphertextBlob })).Plaintext)).toBe('imported');
  },
  DeleteImportedKeyMaterial: async () => {
    const id = await newKey({ Origin: 'EXTERNAL' });
    const material = randomBytes(32);
    await importInto(id, material);
    const { CiphertextBlob } = await call('Encrypt', { KeyId: id, Plaintext: enc('gone for now') });
    await call('DeleteImportedKeyMaterial', { KeyId: id });
    expect((await call('DescribeKey', { KeyId: id })).KeyMetadata.KeyState).toBe('PendingImport');
    await expectKmsError(call('Decrypt', { CiphertextBlob }), 'KMSInvalidStateException');
    await importInto(id, material);
    expect(dec((await call('Decrypt', { CiphertextBlob })).Plaintext)).toBe('gone for now');
  },
  DeriveSharedSecret: async () => {
    const id = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const out = await call('DeriveSharedSecret', { KeyId: id, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ format: 'der', type: 'spki' }) });
    const kmsPublic = createPublicKey({ key: Buffer.from((await call('GetPublicKey', { KeyId: id })).PublicKey), format: 'der', type: 'spki' });
    expect(Buffer.from(out.SharedSecret).equals(diffieHellman({ privateKey: peer.privateKey, publicKey: kmsPublic }))).toBe(true);
  },
  GetKeyLastUsage: async () => {
    const id = await newKey();
    await call('Encrypt', { KeyId: id, Plaintext: enc('used') });
    const out = await call('GetKeyLastUsage', { KeyId: id });
    expect(out.KeyLastUsage.Operation).toBe('Encrypt');
    expect(out.KeyLastUsage.Timestamp).toBeInstanceOf(Date);
  },
};

/** The developer guide's import steps through the SDK: parameters, wrap locally, import. */
async function importInto(id: string, material: Buffer): Promise<void> {
  const p = await call('GetParametersForImport', { KeyId: id, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
  await call('ImportKeyMaterial', { KeyId: id, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapKeyMaterial(p.PublicKey, 'RSAES_OAEP_SHA_256', material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
}

beforeAll(async () => {
  env = await startInProcessEmulator();
  const base = { endpoint: env.url, credentials: env.credentials, maxAttempts: 1 };
  client = new KMSClient({ ...base, region: 'us-east-1' });
  west = new KMSClient({ ...base, region: 'us-west-2' });
});
afterAll(async () => {
  client?.destroy();
  west?.destroy();
  await env?.stop();
});

describe('@aws-sdk/client-kms over HTTP', () => {
  it('has a scenario for every operation the emulator supports', async () => {
    const missing = env.emulator.operations.filter((op) => !(op in scenarios));
    expect(missing, `operations without an HTTP scenario: ${missing.join(', ')}`).toEqual([]);
    expect(env.emulator.operations.length).toBeGreaterThan(30);
  });

  // Listed statically so each operation is its own test; those the emulator lacks are skipped with a reason.
  for (const [op, scenario] of Object.entries(scenarios)) {
    it(`${op}`, async (ctx) => {
      if (!env.emulator.operations.includes(op)) {
        console.log(`skipped ${op}: the emulator does not support it`);
        ctx.skip();
      }
      await scenario();
    });
  }

  it('answers a KMS operation the emulator lacks with UnsupportedOperationException, naming it', async () => {
    const lacking = KMS_API_OPERATIONS_LIST.filter((op) => !env.emulator.operations.includes(op));
    console.log(`KMS operations kmskit does not emulate: ${lacking.join(', ') || 'none'}`);
    for (const op of lacking) {
      await expect(call(op, {})).rejects.toMatchObject({ name: 'UnsupportedOperationException', message: `kmskit does not emulate ${op}; the operations it does are listed in its README: https://github.com/kmskit/kmskit#supported-operations`, $metadata: { httpStatusCode: 400 } });
    }
  });

  it('gives every response a request id the SDK reads', async () => {
    const out = await call('ListKeys', {});
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});
