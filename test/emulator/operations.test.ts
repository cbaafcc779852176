import { createHash, createPublicKey, createPrivateKey, createVerify, publicEncrypt, constants, createHmac } from 'node:crypto';
import { describe, expect, it, beforeEach } from 'vitest';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand, DescribeKeyCommand,
  DisableKeyCommand, DisableKeyRotationCommand, EnableKeyCommand, EnableKeyRotationCommand, EncryptCommand, GenerateDataKeyCommand,
  GenerateDataKeyPairCommand, GenerateDataKeyPairWithoutPlaintextCommand, GenerateDataKeyWithoutPlaintextCommand, GenerateMacCommand,
  GenerateRandomCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, GetPublicKeyCommand, KMSClient, ListAliasesCommand, ListGrantsCommand,
  ListKeyPoliciesCommand, ListKeyRotationsCommand, ListKeysCommand, ListResourceTagsCommand, ListRetirableGrantsCommand, PutKeyPolicyCommand,
  ReEncryptCommand, ReplicateKeyCommand, RetireGrantCommand, RevokeGrantCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand,
  SignCommand, TagResourceCommand, UntagResourceCommand, UpdateAliasCommand, UpdateKeyDescriptionCommand, VerifyCommand, VerifyMacCommand,
} from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';
import { ACCOUNT, APP, customerAliases, emulator, failure, keyPolicy, rootStatement } from './helpers.js';

let kms: Emulator;
let c: KMSClient;
const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('utf8');
const newKey = async (input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) => (await c.send(new CreateKeyCommand(input))).KeyMetadata!;

beforeEach(async () => {
  kms = await emulator();
  c = kms.client();
});

describe('keys', () => {
  it('CreateKey returns AWS-shaped metadata for a symmetric key', async () => {
    const md = await newKey({ Description: 'orders' });
    expect(md.KeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(md.Arn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${md.KeyId}`);
    expect(md).toMatchObject({ AWSAccountId: ACCOUNT, Description: 'orders', Enabled: true, KeyState: 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false });
    expect(md.CreationDate).toBeInstanceOf(Date);
  });

  it('CreateKey rejects a key usage the spec does not support and unsupported specs', async () => {
    expect((await failure(c.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'ENCRYPT_DECRYPT' })))).name).toBe('ValidationException');
    expect((await failure(c.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' })))).name).toBe('UnsupportedOperationException');
    expect((await failure(c.send(new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM' })))).name).toBe('UnsupportedOperationException');
    expect((await failure(c.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })))).name).toBe('TagException');
  });

  it('CreateKey with a malformed policy is MalformedPolicyDocumentException', async () => {
    expect((await failure(c.send(new CreateKeyCommand({ Policy: '{"Statement": [' })))).name).toBe('MalformedPolicyDocumentException');
  });

  it('DescribeKey by id, ARN, alias name and alias ARN; NotFoundException otherwise', async () => {
    const md = await newKey();
    await c.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: md.KeyId }));
    for (const id of [md.KeyId!, md.Arn!, 'alias/orders', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/orders`]) {
      expect((await c.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyId).toBe(md.KeyId);
    }
    const e = await failure(c.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })));
    expect(e.name).toBe('NotFoundException');
    expect(e.message).toBe(`Key 'arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555' does not exist`);
    expect((await failure(c.send(new DescribeKeyCommand({ KeyId: md.Arn!.replace('us-east-1', 'eu-west-1') })))).name).toBe('NotFoundException');
  });

  it('ListKeys pages with Limit and Marker', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await newKey()).KeyId!);
    const first = await c.send(new ListKeysCommand({ Limit: 2 }));
    expect(first.Keys).toHaveLength(2);
    expect(first.Truncated).toBe(true);
    const seen = [...first.Keys!];
    let marker = first.NextMarker;
    while (marker) {
      const page = await c.send(new ListKeysCommand({ Limit: 2, Marker: marker }));
      seen.push(...page.Keys!);
      marker = page.NextMarker;
    }
    expect(new Set(seen.map((k) => k.KeyId))).toEqual(ids);
    expect((await failure(c.send(new ListKeysCommand({ Marker: 'bogus' })))).name).toBe('InvalidMarkerException');
  });

  it('UpdateKeyDescription changes the description', async () => {
    const md = await newKey({ Description: 'a' });
    await c.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'b' }));
    expect((await c.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.Description).toBe('b');
  });

  it('DisableKey makes crypto fail with DisabledException; EnableKey restores it', async () => {
    const md = await newKey();
    await c.send(new DisableKeyCommand({ KeyId: md.KeyId }));
    expect((await c.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    const e = await failure(c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') })));
    expect(e.name).toBe('DisabledException');
    expect(e.message).toBe(`${md.Arn} is disabled.`);
    await c.send(new EnableKeyCommand({ KeyId: md.KeyId }));
    expect((await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') }))).CiphertextBlob).toBeDefined();
  });

  it('ScheduleKeyDeletion: 7–30 days, PendingDeletion blocks crypto, CancelKeyDeletion leaves it Disabled', async () => {
    const md = await newKey();
    expect((await failure(c.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 6 })))).name).toBe('ValidationException');
    const s = await c.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    expect(s).toMatchObject({ KeyId: md.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(s.DeletionDate!.getTime() - kms.clock.nowMs()).toBeGreaterThan(6.9 * 86_400_000);
    const e = await failure(c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') })));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toBe(`${md.Arn} is pending deletion.`);
    expect((await failure(c.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId })))).name).toBe('KMSInvalidStateException');
    expect((await c.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }))).KeyId).toBe(md.Arn);
    expect((await c.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState).toBe('Disabled');
    expect((await failure(c.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId })))).name).toBe('KMSInvalidStateException');
  });
});

describe('aliases', () => {
  it('CreateAlias, ListAliases, UpdateAlias, DeleteAlias', async () => {
    const a = await newKey();
    const b = await newKey();
    await c.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: a.KeyId }));
    let list = await c.send(new ListAliasesCommand({}));
    expect(customerAliases(list.Aliases)).toEqual([expect.objectContaining({ AliasName: 'alias/app', AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app`, TargetKeyId: a.KeyId })]);
    await c.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.Arn }));
    expect((await c.send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata!.KeyId).toBe(b.KeyId);
    expect((await c.send(new ListAliasesCommand({ KeyId: a.KeyId }))).Aliases).toEqual([]);
    await c.send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
    list = await c.send(new ListAliasesCommand({}));
    expect(customerAliases(list.Aliases)).toEqual([]);
  });

  it('refuses duplicates, reserved alias/aws/ names, bad names and unknown aliases', async () => {
    const a = await newKey();
    await c.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: a.KeyId }));
    const dup = await failure(c.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: a.KeyId })));
    expect(dup.name).toBe('AlreadyExistsException');
    expect(dup.message).toBe(`An alias with the name arn:aws:kms:us-east-1:${ACCOUNT}:alias/app already exists`);
    expect((await failure(c.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: a.KeyId })))).name).toBe('NotAuthorizedException');
    expect((await failure(c.send(new CreateAliasCommand({ AliasName: 'app', TargetKeyId: a.KeyId })))).name).toBe('ValidationException');
    expect((await failure(c.send(new CreateAliasCommand({ AliasName: 'alias/bad name', TargetKeyId: a.KeyId })))).message).toContain('regular expression pattern');
    expect((await failure(c.send(new DeleteAliasCommand({ AliasName: 'alias/none' })))).name).toBe('NotFoundException');
    expect((await failure(c.send(new UpdateAliasCommand({ AliasName: 'alias/none', TargetKeyId: a.KeyId })))).name).toBe('NotFoundException');
  });

  it('UpdateAlias refuses a target of another key type', async () => {
    const a = await newKey();
    const h = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await c.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: a.KeyId }));
    expect((await failure(c.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: h.KeyId })))).name).toBe('ValidationException');
  });
});

describe('key policies', () => {
  it('GetKeyPolicy returns the default policy; PutKeyPolicy replaces it; ListKeyPolicies lists default', async () => {
    const md = await newKey();
    const p = JSON.parse((await c.send(new GetKeyPolicyCommand({ KeyId: md.KeyId, PolicyName: 'default' }))).Policy!);
    expect(p.Statement[0]).toMatchObject({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' });
    const next = keyPolicy(rootStatement(), { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' });
    await c.send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: next }));
    expect((await c.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }))).Policy).toBe(next);
    expect((await c.send(new ListKeyPoliciesCommand({ KeyId: md.KeyId }))).PolicyNames).toEqual(['default']);
    expect((await failure(c.send(new GetKeyPolicyCommand({ KeyId: md.KeyId, PolicyName: 'other' })))).name).toBe('NotFoundException');
    expect((await failure(c.send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: '{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}' })))).name).toBe('MalformedPolicyDocumentException');
  });
});

describe('grants', () => {
  it('CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant', async () => {
    const md = await newKey();
    const g = await c.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: APP, RetiringPrincipal: APP, Operations: ['Decrypt', 'Encrypt'], Name: 'app' }));
    expect(g.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(g.GrantToken!.length).toBeGreaterThan(64);
    const list = await c.send(new ListGrantsCommand({ KeyId: md.KeyId }));
    expect(list.Grants).toEqual([expect.objectContaining({ KeyId: md.Arn, GrantId: g.GrantId, Name: 'app', GranteePrincipal: APP, RetiringPrincipal: APP, IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`, Operations: ['Decrypt', 'Encrypt'] })]);
    expect((await c.send(new ListRetirableGrantsCommand({ RetiringPrincipal: APP }))).Grants!.map((x) => x.GrantId)).toEqual([g.GrantId]);
    await kms.client({ principal: APP }).send(new RetireGrantCommand({ GrantToken: g.GrantToken }));
    expect((await c.send(new ListGrantsCommand({ KeyId: md.KeyId }))).Grants).toEqual([]);
    const g2 = await c.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: APP, Operations: ['Decrypt'] }));
    await c.send(new RevokeGrantCommand({ KeyId: md.KeyId, GrantId: g2.GrantId }));
    expect((await c.send(new ListGrantsCommand({ KeyId: md.KeyId }))).Grants).toEqual([]);
    expect((await failure(c.send(new RevokeGrantCommand({ KeyId: md.KeyId, GrantId: g2.GrantId })))).name).toBe('NotFoundException');
    expect((await failure(c.send(new RevokeGrantCommand({ KeyId: md.KeyId, GrantId: 'nope' })))).name).toBe('InvalidGrantIdException');
  });

  it('refuses operations that do not fit the key and constraints on operations without context', async () => {
    const md = await newKey();
    expect((await failure(c.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: APP, Operations: ['Sign'] })))).name).toBe('ValidationException');
    expect(
      (await failure(c.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: APP, Operations: ['DescribeKey'], Constraints: { EncryptionContextEquals: { a: 'b' } } })))).name,
    ).toBe('ValidationException');
    expect((await failure(c.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: 'nobody', Operations: ['Decrypt'] })))).name).toBe('ValidationException');
  });

  it('DryRun answers DryRunOperationException and creates nothing', async () => {
    const md = await newKey();
    expect((await failure(c.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: APP, Operations: ['Decrypt'], DryRun: true })))).name).toBe('DryRunOperationException');
    expect((await c.send(new ListGrantsCommand({ KeyId: md.KeyId }))).Grants).toEqual([]);
  });
});

describe('rotation operations', () => {
  it('EnableKeyRotation, GetKeyRotationStatus, DisableKeyRotation', async () => {
    const md = await newKey();
    expect((await c.send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }))).KeyRotationEnabled).toBe(false);
    await c.send(new EnableKeyRotationCommand({ KeyId: md.KeyId, RotationPeriodInDays: 90 }));
    const st = await c.send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }));
    expect(st).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90, KeyId: md.Arn });
    expect(Math.round((st.NextRotationDate!.getTime() - kms.clock.nowMs()) / 86_400_000)).toBe(90);
    await c.send(new DisableKeyRotationCommand({ KeyId: md.KeyId }));
    expect((await c.send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }))).KeyRotationEnabled).toBe(false);
    expect((await failure(c.send(new EnableKeyRotationCommand({ KeyId: md.KeyId, RotationPeriodInDays: 30 })))).message).toContain('greater than or equal to 90');
  });

  it('rotation is unsupported on asymmetric and HMAC keys', async () => {
    const rsa = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    expect((await failure(c.send(new EnableKeyRotationCommand({ KeyId: rsa.KeyId })))).name).toBe('UnsupportedOperationException');
    expect((await failure(c.send(new RotateKeyOnDemandCommand({ KeyId: rsa.KeyId })))).name).toBe('UnsupportedOperationException');
  });

  it('RotateKeyOnDemand and ListKeyRotations', async () => {
    const md = await newKey();
    expect((await c.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId }))).KeyId).toBe(md.Arn);
    const r = await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId }));
    expect(r.Rotations).toEqual([expect.objectContaining({ KeyId: md.Arn, RotationType: 'ON_DEMAND', KeyMaterialState: 'CURRENT' })]);
    const all = await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }));
    expect(all.Rotations).toHaveLength(2);
    expect(all.Rotations![0]!.KeyMaterialState).toBe('NON_CURRENT');
  });
});

describe('symmetric crypto', () => {
  it('Encrypt/Decrypt round trip, with KeyId in the response and the 4096-byte limit', async () => {
    const md = await newKey();
    const enc = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('secret') }));
    expect(enc).toMatchObject({ KeyId: md.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const dec = await c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(text(dec.Plaintext)).toBe('secret');
    expect(dec.KeyId).toBe(md.Arn);
    const e = await failure(c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.alloc(4097) })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096");
    expect((await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.alloc(4096) }))).CiphertextBlob).toBeDefined();
  });

  it('Decrypt with another KeyId is IncorrectKeyException; garbage is InvalidCiphertextException', async () => {
    const a = await newKey();
    const b = await newKey();
    const enc = await c.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: Buffer.from('x') }));
    expect((await failure(c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: b.KeyId })))).name).toBe('IncorrectKeyException');
    expect((await failure(c.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a ciphertext at all') })))).name).toBe('InvalidCiphertextException');
    const tampered = Buffer.from(enc.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    expect((await failure(c.send(new DecryptCommand({ CiphertextBlob: tampered })))).name).toBe('InvalidCiphertextException');
  });

  it('ReEncrypt moves a ciphertext to another key', async () => {
    const a = await newKey();
    const b = await newKey();
    const enc = await c.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: Buffer.from('move me'), EncryptionContext: { k: 'v' } }));
    const re = await c.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { k: 'v' }, DestinationKeyId: b.KeyId, DestinationEncryptionContext: { k2: 'v2' } }));
    expect(re).toMatchObject({ SourceKeyId: a.Arn, KeyId: b.Arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(text((await c.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { k2: 'v2' } }))).Plaintext)).toBe('move me');
    expect((await failure(c.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: b.KeyId })))).name).toBe('InvalidCiphertextException');
  });

  it('GenerateDataKey: AES_256, AES_128, NumberOfBytes; errors for both, neither, out of range, asymmetric keys', async () => {
    const md = await newKey();
    const dk = await c.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256', EncryptionContext: { purpose: 'test' } }));
    expect(dk.Plaintext).toHaveLength(32);
    const back = await c.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { purpose: 'test' } }));
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
    expect((await c.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_128' }))).Plaintext).toHaveLength(16);
    expect((await c.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, NumberOfBytes: 1024 }))).Plaintext).toHaveLength(1024);
    expect((await failure(c.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, NumberOfBytes: 1025 })))).message).toContain('less than or equal to 1024');
    expect((await failure(c.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, NumberOfBytes: 0 })))).message).toContain('greater than or equal to 1');
    expect((await failure(c.send(new GenerateDataKeyCommand({ KeyId: md.KeyId })))).name).toBe('ValidationException');
    expect((await failure(c.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 })))).name).toBe('ValidationException');
    const rsa = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    expect((await failure(c.send(new GenerateDataKeyCommand({ KeyId: rsa.KeyId, KeySpec: 'AES_256' })))).name).toBe('InvalidKeyUsageException');
  });

  it('GenerateDataKeyWithoutPlaintext returns no plaintext, and its ciphertext decrypts', async () => {
    const md = await newKey();
    const dk = await c.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' }));
    expect(dk.CiphertextBlob).toBeDefined();
    expect((dk as { Plaintext?: unknown }).Plaintext).toBeUndefined();
    expect((await c.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }))).Plaintext).toHaveLength(32);
  });

  it('GenerateDataKeyPair: PKCS#8 private key that matches the SPKI public key, and the encrypted copy decrypts', async () => {
    const md = await newKey();
    for (const spec of ['ECC_NIST_P256', 'RSA_2048'] as const) {
      const p = await c.send(new GenerateDataKeyPairCommand({ KeyId: md.KeyId, KeyPairSpec: spec }));
      const priv = createPrivateKey({ key: Buffer.from(p.PrivateKeyPlaintext!), format: 'der', type: 'pkcs8' });
      const pub = createPublicKey({ key: Buffer.from(p.PublicKey!), format: 'der', type: 'spki' });
      expect(createPublicKey(priv).export({ format: 'der', type: 'spki' }).equals(pub.export({ format: 'der', type: 'spki' }))).toBe(true);
      const dec = await c.send(new DecryptCommand({ CiphertextBlob: p.PrivateKeyCiphertextBlob }));
      expect(Buffer.from(dec.Plaintext!).equals(Buffer.from(p.PrivateKeyPlaintext!))).toBe(true);
      expect(p.KeyPairSpec).toBe(spec);
    }
    const np = await c.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: md.KeyId, KeyPairSpec: 'ECC_SECG_P256K1' }));
    expect((np as { PrivateKeyPlaintext?: unknown }).PrivateKeyPlaintext).toBeUndefined();
    expect(np.PublicKey).toBeDefined();
    expect((await failure(c.send(new GenerateDataKeyPairCommand({ KeyId: md.KeyId, KeyPairSpec: 'SM2' })))).name).toBe('UnsupportedOperationException');
  });

  it('GenerateRandom returns 1–1024 bytes', async () => {
    expect((await c.send(new GenerateRandomCommand({ NumberOfBytes: 64 }))).Plaintext).toHaveLength(64);
    expect((await failure(c.send(new GenerateRandomCommand({ NumberOfBytes: 2000 })))).name).toBe('ValidationException');
  });
});

describe('asymmetric crypto', () => {
  it('RSA OAEP encrypt/decrypt with AWS plaintext limits, and the public key works outside the emulator', async () => {
    const md = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    expect(md.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    const enc = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.alloc(190, 1), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    const dec = await c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: md.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    expect(Buffer.from(dec.Plaintext!).equals(Buffer.alloc(190, 1))).toBe(true);
    expect((await failure(c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.alloc(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })))).name).toBe('ValidationException');
    expect((await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.alloc(214), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }))).CiphertextBlob).toBeDefined();
    expect((await failure(c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.alloc(8) })))).name).toBe('InvalidKeyUsageException');
    const pk = await c.send(new GetPublicKeyCommand({ KeyId: md.KeyId }));
    expect(pk).toMatchObject({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const external = publicEncrypt({ key: createPublicKey({ key: Buffer.from(pk.PublicKey!), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('outside'));
    expect(text((await c.send(new DecryptCommand({ CiphertextBlob: external, KeyId: md.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }))).Plaintext)).toBe('outside');
    expect((await failure(c.send(new DecryptCommand({ CiphertextBlob: external, KeyId: md.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })))).name).toBe('InvalidCiphertextException');
  });

  it('Sign/Verify with ECC and RSA keys, RAW and DIGEST, verifiable by node:crypto', async () => {
    const cases = [
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256'],
      ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384'],
      ['RSA_2048', 'RSASSA_PSS_SHA_256', 'sha256'],
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512', 'sha512'],
    ] as const;
    for (const [spec, alg, hash] of cases) {
      const md = await newKey({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
      const pub = createPublicKey({ key: Buffer.from((await c.send(new GetPublicKeyCommand({ KeyId: md.KeyId }))).PublicKey!), format: 'der', type: 'spki' });
      const message = Buffer.from(`message for ${spec}`);
      const digest = createHash(hash).update(message).digest();
      for (const [MessageType, Message] of [['RAW', message], ['DIGEST', digest]] as const) {
        const sig = await c.send(new SignCommand({ KeyId: md.KeyId, Message, MessageType, SigningAlgorithm: alg }));
        expect(sig.SigningAlgorithm).toBe(alg);
        const v = createVerify(hash).update(message);
        const ok = v.verify(alg.startsWith('RSASSA_PSS') ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digest.length } : pub, Buffer.from(sig.Signature!));
        expect(ok, `${spec} ${alg} ${MessageType}`).toBe(true);
        expect((await c.send(new VerifyCommand({ KeyId: md.KeyId, Message, MessageType, SigningAlgorithm: alg, Signature: sig.Signature }))).SignatureValid).toBe(true);
      }
      const bad = await failure(c.send(new VerifyCommand({ KeyId: md.KeyId, Message: Buffer.from('other'), SigningAlgorithm: alg, Signature: (await c.send(new SignCommand({ KeyId: md.KeyId, Message: message, SigningAlgorithm: alg }))).Signature })));
      expect(bad.name).toBe('KMSInvalidSignatureException');
      expect((await failure(c.send(new SignCommand({ KeyId: md.KeyId, Message: digest.subarray(1), MessageType: 'DIGEST', SigningAlgorithm: alg })))).name).toBe('ValidationException');
    }
  });

  it('wrong algorithm or key usage is InvalidKeyUsageException', async () => {
    const ec = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect((await failure(c.send(new SignCommand({ KeyId: ec.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384' })))).name).toBe('InvalidKeyUsageException');
    expect((await failure(c.send(new EncryptCommand({ KeyId: ec.KeyId, Plaintext: Buffer.from('m') })))).name).toBe('InvalidKeyUsageException');
    const sym = await newKey();
    expect((await failure(c.send(new SignCommand({ KeyId: sym.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })))).name).toBe('InvalidKeyUsageException');
    expect((await failure(c.send(new GetPublicKeyCommand({ KeyId: sym.KeyId })))).name).toBe('UnsupportedOperationException');
  });

  it('GenerateMac/VerifyMac for every HMAC spec match node:crypto, and a wrong MAC is KMSInvalidMacException', async () => {
    for (const bits of [224, 256, 384, 512]) {
      const md = await newKey({ KeySpec: `HMAC_${bits}` as 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
      expect(md.MacAlgorithms).toEqual([`HMAC_SHA_${bits}`]);
      const mac = await c.send(new GenerateMacCommand({ KeyId: md.KeyId, Message: Buffer.from('m'), MacAlgorithm: `HMAC_SHA_${bits}` as 'HMAC_SHA_256' }));
      expect(mac.Mac).toHaveLength(bits / 8);
      expect((await c.send(new VerifyMacCommand({ KeyId: md.KeyId, Message: Buffer.from('m'), MacAlgorithm: `HMAC_SHA_${bits}` as 'HMAC_SHA_256', Mac: mac.Mac }))).MacValid).toBe(true);
      const wrong = Buffer.from(mac.Mac!);
      wrong[0]! ^= 1;
      expect((await failure(c.send(new VerifyMacCommand({ KeyId: md.KeyId, Message: Buffer.from('m'), MacAlgorithm: `HMAC_SHA_${bits}` as 'HMAC_SHA_256', Mac: wrong })))).name).toBe('KMSInvalidMacException');
    }
    const md = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect((await failure(c.send(new GenerateMacCommand({ KeyId: md.KeyId, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_512' })))).name).toBe('InvalidKeyUsageException');
    // Different keys give different MACs (the key material is the key's own, not a shared constant).
    const other = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const m1 = await c.send(new GenerateMacCommand({ KeyId: md.KeyId, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }));
    const m2 = await c.send(new GenerateMacCommand({ KeyId: other.KeyId, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }));
    expect(Buffer.from(m1.Mac!).equals(Buffer.from(m2.Mac!))).toBe(false);
    expect(createHmac('sha256', 'k').update('m').digest()).toHaveLength(32);
  });
});

describe('tags', () => {
  it('TagResource, ListResourceTags, UntagResource', async () => {
    const md = await newKey({ Tags: [{ TagKey: 'team', TagValue: 'a' }] });
    await c.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'team', TagValue: 'b' }, { TagKey: 'env', TagValue: 'prod' }] }));
    expect((await c.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'b' }, { TagKey: 'env', TagValue: 'prod' }]);
    await c.send(new UntagResourceCommand({ KeyId: md.KeyId, TagKeys: ['team'] }));
    expect((await c.send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags).toEqual([{ TagKey: 'env', TagValue: 'prod' }]);
    expect((await failure(c.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'aws:reserved', TagValue: 'x' }] })))).name).toBe('TagException');
  });
});

describe('multi-Region', () => {
  it('ReplicateKey creates a replica in the target region that decrypts the primary ciphertext', async () => {
    const md = await newKey({ MultiRegion: true });
    expect(md.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(md.MultiRegionConfiguration?.MultiRegionKeyType).toBe('PRIMARY');
    const r = await c.send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'eu-west-1', Description: 'replica' }));
    expect(r.ReplicaKeyMetadata).toMatchObject({ KeyId: md.KeyId, Arn: md.Arn!.replace('us-east-1', 'eu-west-1'), MultiRegion: true, Description: 'replica' });
    expect(r.ReplicaKeyMetadata!.MultiRegionConfiguration).toMatchObject({ MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: md.Arn, Region: 'us-east-1' } });
    const enc = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('across'), EncryptionContext: { r: '1' } }));
    const eu = kms.client({ region: 'eu-west-1' });
    const dec = await eu.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { r: '1' } }));
    expect(text(dec.Plaintext)).toBe('across');
    expect(dec.KeyId).toBe(r.ReplicaKeyMetadata!.Arn);
    expect((await c.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.MultiRegionConfiguration!.ReplicaKeys).toEqual([{ Arn: r.ReplicaKeyMetadata!.Arn, Region: 'eu-west-1' }]);
    expect((await failure(c.send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'eu-west-1' })))).name).toBe('AlreadyExistsException');
    // Rotation on the primary gives the replica the new material too.
    await c.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId }));
    const enc2 = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('after rotation') }));
    expect(text((await eu.send(new DecryptCommand({ CiphertextBlob: enc2.CiphertextBlob }))).Plaintext)).toBe('after rotation');
    expect((await failure(eu.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId })))).name).toBe('UnsupportedOperationException');
  });

  it('a single-Region key cannot be replicated and its ciphertext does not open in another region', async () => {
    const md = await newKey();
    expect((await failure(c.send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'eu-west-1' })))).name).toBe('UnsupportedOperationException');
    const enc = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') }));
    expect((await failure(kms.client({ region: 'eu-west-1' }).send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })))).name).toBe('NotFoundException');
  });

  it('keys live in their region: a key created in eu-west-1 is not listed in us-east-1', async () => {
    const eu = kms.client({ region: 'eu-west-1' });
    const md = (await eu.send(new CreateKeyCommand({}))).KeyMetadata!;
    expect(md.Arn).toContain(':eu-west-1:');
    expect((await c.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId)).not.toContain(md.KeyId);
    expect((await eu.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId)).toContain(md.KeyId);
  });

  it('a primary with replicas waits in PendingReplicaDeletion until the replicas are deleted', async () => {
    const md = await newKey({ MultiRegion: true });
    await c.send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'eu-west-1' }));
    expect((await c.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }))).KeyState).toBe('PendingReplicaDeletion');
    const eu = kms.client({ region: 'eu-west-1' });
    await eu.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    kms.clock.advance({ days: 8 });
    expect((await failure(eu.send(new DescribeKeyCommand({ KeyId: md.KeyId })))).name).toBe('NotFoundException');
    expect((await c.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState).toBe('PendingDeletion');
    kms.clock.advance({ days: 8 });
    expect((await failure(c.send(new DescribeKeyCommand({ KeyId: md.KeyId })))).name).toBe('NotFoundException');
  });
});
