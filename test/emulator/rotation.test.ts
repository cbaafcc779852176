import { beforeEach, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EnableKeyRotationCommand, EncryptCommand, GetKeyRotationStatusCommand,
  ListAliasesCommand, ListKeyRotationsCommand, ReEncryptCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, DisableKeyCommand, EnableKeyCommand,
  DisableKeyRotationCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';
import { parseBlob } from '../../emulator/crypto/index.js';
import { customerAliases, emulator, failure } from './helpers.js';

let kms: Emulator;
let c: KMSClient;
const enc = async (KeyId: string, text: string) => (await c.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from(text) }))).CiphertextBlob!;
const dec = async (blob: Uint8Array) => Buffer.from((await c.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString();
const versionOf = (blob: Uint8Array) => parseBlob(Buffer.from(blob))!.version;

beforeEach(async () => {
  kms = await emulator();
  c = kms.client();
});

describe('automatic rotation on the clock', () => {
  it('rotates when the clock passes RotationPeriodInDays, and again each period', async () => {
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await c.send(new EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: 90 }));
    kms.clock.advance({ days: 89 });
    expect((await c.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations).toEqual([]);
    kms.clock.advance({ days: 2 });
    const r1 = (await c.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations!;
    expect(r1.map((r) => r.RotationType)).toEqual(['AUTOMATIC']);
    kms.clock.advance({ days: 180 });
    const r3 = (await c.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations!;
    expect(r3.map((r) => r.RotationType)).toEqual(['AUTOMATIC', 'AUTOMATIC', 'AUTOMATIC']);
    const next = (await c.send(new GetKeyRotationStatusCommand({ KeyId: id }))).NextRotationDate!;
    expect(next.getTime()).toBeGreaterThan(kms.clock.nowMs());
  });

  it('defaults to a 365-day period', async () => {
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await c.send(new EnableKeyRotationCommand({ KeyId: id }));
    expect((await c.send(new GetKeyRotationStatusCommand({ KeyId: id }))).RotationPeriodInDays).toBe(365);
    kms.clock.advance({ days: 364 });
    expect((await c.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations).toHaveLength(0);
    kms.clock.advance({ days: 2 });
    expect((await c.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations).toHaveLength(1);
  });

  it('old ciphertext keeps decrypting and new ciphertext uses the newest material', async () => {
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await c.send(new EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: 90 }));
    const before = await enc(id, 'before');
    kms.clock.advance({ days: 91 });
    const after = await enc(id, 'after');
    expect(versionOf(after)).toBe(versionOf(before) + 1);
    expect(await dec(before)).toBe('before');
    expect(await dec(after)).toBe('after');
  });

  it('a disabled key does not rotate until it is enabled again', async () => {
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await c.send(new EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: 90 }));
    await c.send(new DisableKeyCommand({ KeyId: id }));
    kms.clock.advance({ days: 100 });
    expect((await c.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations).toHaveLength(0);
    await c.send(new EnableKeyCommand({ KeyId: id }));
    expect((await c.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations).toHaveLength(1);
  });
});

describe('on-demand rotation', () => {
  // API_RotateKeyOnDemand: "a maximum of 25 times per KMS key" (newer than the April 2025 recording's
  // limit of 10); the message is AWS's (LocalStack's AWS-validated recording test_key_rotations_limits).
  it('allows 25 on-demand rotations and refuses the 26th with LimitExceededException in AWS words', async () => {
    const created = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
    const id = created.KeyId!;
    for (let i = 0; i < 25; i++) await c.send(new RotateKeyOnDemandCommand({ KeyId: id }));
    const e = await failure(c.send(new RotateKeyOnDemandCommand({ KeyId: id })));
    expect(e.name).toBe('LimitExceededException');
    expect(e.message).toBe(`The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${created.Arn}`);
    const rotations = (await c.send(new ListKeyRotationsCommand({ KeyId: id, Limit: 100 }))).Rotations!;
    expect(rotations).toHaveLength(25);
    expect(new Set(rotations.map((r) => r.KeyMaterialId)).size).toBe(25);
  });

  it('ListKeyRotations pages', async () => {
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (let i = 0; i < 3; i++) await c.send(new RotateKeyOnDemandCommand({ KeyId: id }));
    const p1 = await c.send(new ListKeyRotationsCommand({ KeyId: id, Limit: 2 }));
    expect(p1.Rotations).toHaveLength(2);
    const p2 = await c.send(new ListKeyRotationsCommand({ KeyId: id, Limit: 2, Marker: p1.NextMarker }));
    expect(p2.Rotations).toHaveLength(1);
    expect(p2.Truncated).toBe(false);
  });

  it('a disabled key cannot be rotated on demand', async () => {
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await c.send(new DisableKeyCommand({ KeyId: id }));
    expect((await failure(c.send(new RotateKeyOnDemandCommand({ KeyId: id })))).name).toBe('DisabledException');
  });

  it('ReEncrypt moves an old ciphertext to the newest material of the same key', async () => {
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const old = await enc(id, 'data');
    await c.send(new RotateKeyOnDemandCommand({ KeyId: id }));
    await c.send(new RotateKeyOnDemandCommand({ KeyId: id }));
    const re = await c.send(new ReEncryptCommand({ CiphertextBlob: old, DestinationKeyId: id }));
    expect(versionOf(old)).toBe(1);
    expect(versionOf(re.CiphertextBlob!)).toBe(3);
    expect(re.SourceKeyMaterialId).not.toBe(re.DestinationKeyMaterialId);
    expect(await dec(re.CiphertextBlob!)).toBe('data');
  });
});

describe('deletion on the clock', () => {
  it('the key and its aliases are gone after the pending window; its ciphertexts fail', async () => {
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await c.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: id }));
    const blob = await enc(id, 'x');
    await c.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }));
    kms.clock.advance({ days: 6 });
    expect((await c.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyState).toBe('PendingDeletion');
    expect((await failure(c.send(new DecryptCommand({ CiphertextBlob: blob })))).name).toBe('KMSInvalidStateException');
    kms.clock.advance({ days: 1, seconds: 1 });
    expect((await failure(c.send(new DescribeKeyCommand({ KeyId: id })))).name).toBe('NotFoundException');
    expect((await failure(c.send(new DecryptCommand({ CiphertextBlob: blob })))).name).toBe('NotFoundException');
    expect(customerAliases((await c.send(new ListAliasesCommand({}))).Aliases)).toEqual([]);
  });

  it('the clock never runs backwards', () => {
    expect(() => kms.clock.advance({ days: -1 })).toThrow(/non-negative/);
  });
});

describe('GetKeyRotationStatus on every key spec', () => {
  // The Terraform AWS provider reads the rotation status of every key on every refresh, so a key
  // that cannot rotate must answer false (as AWS does), never an error.
  const cases: Array<{ KeySpec: string; KeyUsage: string; rotates: boolean }> = [
    { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', rotates: true },
    { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', rotates: false },
    { KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY', rotates: false },
    { KeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT', rotates: false },
    { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', rotates: false },
    { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', rotates: false },
    { KeySpec: 'ECC_NIST_P521', KeyUsage: 'SIGN_VERIFY', rotates: false },
    { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', rotates: false },
    { KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC', rotates: false },
    { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', rotates: false },
    { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', rotates: false },
    { KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC', rotates: false },
  ];
  it.each(cases)('$KeySpec ($KeyUsage): status false at creation; Enable/DisableKeyRotation allowed: $rotates', async ({ KeySpec, KeyUsage, rotates }) => {
    const md = (await c.send(new CreateKeyCommand({ KeySpec: KeySpec as never, KeyUsage: KeyUsage as never }))).KeyMetadata!;
    const status = await c.send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: false, KeyId: md.Arn });
    expect(status.RotationPeriodInDays).toBeUndefined();
    expect(status.NextRotationDate).toBeUndefined();
    if (rotates) {
      await c.send(new EnableKeyRotationCommand({ KeyId: md.KeyId }));
      expect((await c.send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }))).KeyRotationEnabled).toBe(true);
      await c.send(new DisableKeyRotationCommand({ KeyId: md.KeyId }));
    } else {
      expect((await failure(c.send(new EnableKeyRotationCommand({ KeyId: md.KeyId })))).name).toBe('UnsupportedOperationException');
      expect((await failure(c.send(new DisableKeyRotationCommand({ KeyId: md.KeyId })))).name).toBe('UnsupportedOperationException');
    }
    expect((await c.send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }))).KeyRotationEnabled).toBe(false);
  });

  it('a disabled key still answers its status; a key pending deletion is KMSInvalidStateException', async () => {
    const hmac = (await c.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    await c.send(new DisableKeyCommand({ KeyId: hmac.KeyId }));
    expect((await c.send(new GetKeyRotationStatusCommand({ KeyId: hmac.KeyId }))).KeyRotationEnabled).toBe(false);
    await c.send(new ScheduleKeyDeletionCommand({ KeyId: hmac.KeyId, PendingWindowInDays: 7 }));
    expect((await failure(c.send(new GetKeyRotationStatusCommand({ KeyId: hmac.KeyId })))).name).toBe('KMSInvalidStateException');
  });
});
