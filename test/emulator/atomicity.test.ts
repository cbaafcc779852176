/** A failed call leaves nothing behind; calls on one emulator from many clients stay consistent. */
import { describe, expect, it } from 'vitest';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GetKeyRotationStatusCommand, ListAliasesCommand, ListKeysCommand, ListRetirableGrantsCommand, CreateGrantCommand, PutKeyPolicyCommand, GetKeyPolicyCommand, ReplicateKeyCommand, EnableKeyRotationCommand, CreateAliasCommand } from '@aws-sdk/client-kms';
import { ACCOUNT, ADMIN, APP, customerAliases, emulator, failure, keyPolicy } from './helpers.js';

describe('no partial state', () => {
  it('CreateKey that fails the lockout check creates no key', async () => {
    const kms = await emulator();
    const c = kms.client();
    await failure(c.send(new CreateKeyCommand({ Policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' }) })));
    expect((await c.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });

  it('ReplicateKey that fails the lockout check creates no replica', async () => {
    const kms = await emulator();
    const c = kms.client();
    const md = (await c.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    await failure(c.send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'eu-west-1', Policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' }) })));
    expect((await kms.client({ region: 'eu-west-1' }).send(new ListKeysCommand({}))).Keys).toEqual([]);
    expect((await c.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.MultiRegionConfiguration!.ReplicaKeys).toEqual([]);
  });

  it('a rejected PutKeyPolicy keeps the old policy', async () => {
    const kms = await emulator();
    const c = kms.client();
    const md = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
    const before = (await c.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }))).Policy;
    await failure(c.send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: keyPolicy({ Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:Decrypt', Resource: '*' }) })));
    expect((await c.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }))).Policy).toBe(before);
  });

  it('a DryRun CreateGrant and a denied CreateAlias change nothing', async () => {
    const kms = await emulator({ principals: [{ arn: APP, policies: [] }] });
    const c = kms.client();
    const md = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
    await failure(c.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: APP, RetiringPrincipal: APP, Operations: ['Decrypt'], DryRun: true })));
    expect((await c.send(new ListRetirableGrantsCommand({ RetiringPrincipal: APP }))).Grants).toEqual([]);
    await failure(kms.client({ principal: APP }).send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: md.KeyId })));
    expect(customerAliases((await c.send(new ListAliasesCommand({}))).Aliases)).toEqual([]);
  });
});

describe('concurrency', () => {
  it('many concurrent clients encrypt and decrypt consistently', async () => {
    const kms = await emulator({ principals: [{ arn: APP, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }] }] }] });
    const id = (await kms.client().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const results = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const c = kms.client({ principal: i % 2 ? APP : `arn:aws:iam::${ACCOUNT}:root` });
        const blob = (await c.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from(`m${i}`), EncryptionContext: { i: String(i) } }))).CiphertextBlob!;
        return Buffer.from((await c.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { i: String(i) } }))).Plaintext!).toString();
      }),
    );
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`));
    expect(kms.audit.events().filter((e) => e.eventName === 'Decrypt' && !e.errorCode)).toHaveLength(40);
  });

  it('a replica reports its primary’s rotation status', async () => {
    const kms = await emulator();
    const c = kms.client();
    const md = (await c.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    await c.send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'eu-west-1' }));
    await c.send(new EnableKeyRotationCommand({ KeyId: md.KeyId, RotationPeriodInDays: 120 }));
    const st = await kms.client({ region: 'eu-west-1' }).send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }));
    expect(st).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 120 });
  });
});
