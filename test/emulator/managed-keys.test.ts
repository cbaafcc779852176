/**
 * AWS managed keys (alias/aws/<service>): listed before first use, created on first use with AWS's
 * managed-key policy, rotated yearly, usable only through their service, and closed to every
 * management call a customer might try.
 */
import { describe, expect, it } from 'vitest';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand, DescribeKeyCommand, DisableKeyCommand,
  DisableKeyRotationCommand, EnableKeyRotationCommand, EncryptCommand, GenerateDataKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand,
  ListAliasesCommand, ListKeyRotationsCommand, ListKeysCommand, PutKeyPolicyCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, TagResourceCommand,
  UpdateAliasCommand, UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { MANAGED_SERVICES } from '../../emulator/core/managed-keys.js';
import { ACCOUNT, APP, OTHER, allowAll, emulator, failure, keyPolicy, rootStatement } from './helpers.js';

const S3_VIA = 's3.us-east-1.amazonaws.com';
const ADMIN_ALL = `arn:aws:iam::${ACCOUNT}:role/KmsEverything`;

async function setup() {
  return emulator({ principals: [{ arn: APP, policies: [] }, { arn: ADMIN_ALL, policies: [allowAll()] }, { arn: `arn:aws:iam::${OTHER}:role/Other`, policies: [allowAll()] }] });
}

describe('predefined aliases', () => {
  it('ListAliases lists every alias/aws/<service> alias without a target before first use', async () => {
    const kms = await setup();
    const aliases = (await kms.client().send(new ListAliasesCommand({}))).Aliases!;
    const names = Object.keys(MANAGED_SERVICES).map((s) => `alias/aws/${s}`);
    expect(aliases.map((a) => a.AliasName)).toEqual(names.sort());
    for (const a of aliases) {
      expect(a).toEqual({ AliasName: a.AliasName, AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:${a.AliasName}` });
    }
    expect((await kms.client().send(new ListKeysCommand({}))).Keys).toEqual([]);
  });

  it('the first DescribeKey of the alias creates the AWS managed key and points the alias at it', async () => {
    const kms = await setup();
    const c = kms.client();
    const md = (await c.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(md).toMatchObject({
      AWSAccountId: ACCOUNT,
      KeyManager: 'AWS',
      KeyState: 'Enabled',
      Enabled: true,
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Origin: 'AWS_KMS',
      MultiRegion: false,
      Description: 'Default key that protects my S3 objects when no other key is defined',
    });
    // The same key from then on, by alias name, alias ARN, key id and in the listings.
    expect((await c.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/s3` }))).KeyMetadata!.KeyId).toBe(md.KeyId);
    expect((await c.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.Arn).toBe(md.Arn);
    const s3 = (await c.send(new ListAliasesCommand({}))).Aliases!.find((a) => a.AliasName === 'alias/aws/s3')!;
    expect(s3).toMatchObject({ TargetKeyId: md.KeyId });
    expect(s3.CreationDate).toBeInstanceOf(Date);
    expect((await c.send(new ListAliasesCommand({ KeyId: md.KeyId }))).Aliases!.map((a) => a.AliasName)).toEqual(['alias/aws/s3']);
    expect((await c.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId)).toEqual([md.KeyId]);
    // Other predefined aliases are still bare.
    expect((await c.send(new ListAliasesCommand({}))).Aliases!.find((a) => a.AliasName === 'alias/aws/ebs')!.TargetKeyId).toBeUndefined();
  });

  it('each account and region has its own managed key', async () => {
    const kms = await setup();
    const here = (await kms.client().send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    const west = (await kms.client({ region: 'us-west-2' }).send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    const other = (await kms.client({ principal: `arn:aws:iam::${OTHER}:role/Other` }).send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(new Set([here.KeyId, west.KeyId, other.KeyId]).size).toBe(3);
    expect(west.Arn).toMatch(/^arn:aws:kms:us-west-2:111122223333:key\//);
    expect(other.AWSAccountId).toBe(OTHER);
  });

  it('an unknown alias/aws/ name is NotFoundException, and no alias/aws/ alias can be created', async () => {
    const kms = await setup();
    const c = kms.client();
    expect((await failure(c.send(new DescribeKeyCommand({ KeyId: 'alias/aws/not-a-service' })))).name).toBe('NotFoundException');
    const key = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
    expect((await failure(c.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: key.KeyId })))).name).toBe('NotAuthorizedException');
  });
});

describe('the managed key policy', () => {
  it('lets every principal of the account use the key through the service (kms:ViaService + kms:CallerAccount), and the account read its metadata', async () => {
    const kms = await setup();
    const c = kms.client();
    const md = (await c.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    const policy = JSON.parse((await c.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }))).Policy!);
    expect(policy).toEqual({
      Version: '2012-10-17',
      Id: 'auto-s3-2',
      Statement: [
        {
          Sid: 'Allow access through S3 for all principals in the account that are authorized to use S3',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': S3_VIA } },
        },
        { Sid: 'Allow direct access to key metadata to the account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'], Resource: '*' },
      ],
    });
  });

  it('EBS: used through ec2, with CreateGrant for volumes', async () => {
    const kms = await setup();
    const c = kms.client();
    const md = (await c.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }))).KeyMetadata!;
    const policy = JSON.parse((await c.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }))).Policy!);
    expect(policy.Statement[0].Action).toContain('kms:CreateGrant');
    expect(policy.Statement[0].Condition.StringEquals['kms:ViaService']).toBe('ec2.us-east-1.amazonaws.com');
    const viaEc2 = kms.client({ principal: APP, viaService: 'ec2.us-east-1.amazonaws.com' });
    const grant = await viaEc2.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: APP, Operations: ['Decrypt'] }));
    expect(grant.GrantId).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a service's SSE with no key named: the app role (no KMS permissions of its own) encrypts and decrypts through S3 only", async () => {
    const kms = await setup();
    const viaS3 = kms.client({ principal: APP, viaService: S3_VIA });
    const dk = await viaS3.send(new GenerateDataKeyCommand({ KeyId: 'alias/aws/s3', KeySpec: 'AES_256', EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::bucket/object' } }));
    const back = await viaS3.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::bucket/object' } }));
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
    // The same role outside S3, through another service, or the account root directly: refused.
    for (const client of [kms.client({ principal: APP }), kms.client({ principal: APP, viaService: 'sqs.us-east-1.amazonaws.com' }), kms.client()]) {
      const err = await failure(client.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: Buffer.from('x') })));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toMatch(/is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:us-east-1:111122223333:key\//);
    }
  });

  it('a caller of another account cannot use it even through the service (kms:CallerAccount)', async () => {
    const kms = await setup();
    const arn = (await kms.client().send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!.Arn!;
    const outsider = kms.client({ principal: `arn:aws:iam::${OTHER}:role/Other`, viaService: S3_VIA });
    expect((await failure(outsider.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') })))).name).toBe('AccessDeniedException');
  });
});

describe('what the customer may not do', () => {
  const refused: Array<[string, (keyId: string) => object]> = [
    ['PutKeyPolicy', (KeyId) => new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy: keyPolicy(rootStatement()) })],
    ['ScheduleKeyDeletion', (KeyId) => new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 })],
    ['CancelKeyDeletion', (KeyId) => new CancelKeyDeletionCommand({ KeyId })],
    ['EnableKeyRotation', (KeyId) => new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 })],
    ['DisableKeyRotation', (KeyId) => new DisableKeyRotationCommand({ KeyId })],
    ['RotateKeyOnDemand', (KeyId) => new RotateKeyOnDemandCommand({ KeyId })],
    ['DisableKey', (KeyId) => new DisableKeyCommand({ KeyId })],
    ['UpdateKeyDescription', (KeyId) => new UpdateKeyDescriptionCommand({ KeyId, Description: 'mine now' })],
    ['TagResource', (KeyId) => new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'team', TagValue: 'x' }] })],
    ['CreateGrant', (KeyId) => new CreateGrantCommand({ KeyId, GranteePrincipal: APP, Operations: ['Decrypt'] })],
    ['CreateAlias', (KeyId) => new CreateAliasCommand({ AliasName: 'alias/mine', TargetKeyId: KeyId })],
    ['DeleteAlias', () => new DeleteAliasCommand({ AliasName: 'alias/aws/s3' })],
  ];
  it.each(refused)('%s is AccessDeniedException for the account root and for a role allowed kms:*', async (action, command) => {
    const kms = await setup();
    const keyId = (await kms.client().send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!.KeyId!;
    for (const principal of [undefined, ADMIN_ALL]) {
      const err = await failure(kms.client(principal ? { principal } : {}).send(command(keyId) as never));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toContain(`kms:${action}`);
    }
    const md = (await kms.client().send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    expect(md).toMatchObject({ KeyState: 'Enabled', Description: 'Default key that protects my S3 objects when no other key is defined' });
  });

  it('UpdateAlias cannot move alias/aws/s3 to a customer key', async () => {
    const kms = await setup();
    const c = kms.client();
    const managed = (await c.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!.KeyId;
    const mine = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId;
    expect((await failure(c.send(new UpdateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: mine })))).name).toBe('AccessDeniedException');
    expect((await c.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!.KeyId).toBe(managed);
  });
});

describe('rotation of AWS managed keys', () => {
  it('is always on, every 365 days, on the emulator clock', async () => {
    const kms = await setup();
    const c = kms.client();
    const md = (await c.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    const status = await c.send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    expect(status.NextRotationDate!.getTime() - md.CreationDate!.getTime()).toBe(365 * 86_400_000);
    const blob = (await kms.client({ principal: APP, viaService: S3_VIA }).send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: Buffer.from('old') }))).CiphertextBlob!;
    kms.clock.advance({ days: 366 });
    const rotations = (await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId }))).Rotations!;
    expect(rotations.map((r) => r.RotationType)).toEqual(['AUTOMATIC']);
    const back = await kms.client({ principal: APP, viaService: S3_VIA }).send(new DecryptCommand({ CiphertextBlob: blob }));
    expect(Buffer.from(back.Plaintext!).toString()).toBe('old');
  });
});
