/**
 * The calls the Terraform AWS provider (v6, internal/service/kms and its STS use) makes for
 * create / refresh / update / destroy of keys, aliases, grants, key policies and replicas, replayed
 * with the JS SDK against a `kmskit serve` process, configured from the stacks' own KMSKIT_ENDPOINT
 * settings (endpoints, credentials). No terraform binary can run here, so this replays the
 * provider's sequences rather than the provider itself (README, "Terraform and cdktf against the
 * emulator").
 *
 * Sequences, from the provider's source:
 * - configure: sts:GetCallerIdentity (credential check, account id for allowed_account_ids);
 * - aws_kms_key create: CreateKey, EnableKeyRotation (period), then waits that poll
 *   GetKeyRotationStatus, GetKeyPolicy and ListResourceTags; read = DescribeKey, GetKeyPolicy,
 *   GetKeyRotationStatus (every AWS_KMS key, whatever its spec), ListResourceTags;
 * - update: EnableKey first, rotation, UpdateKeyDescription, PutKeyPolicy, tags
 *   (UntagResource/TagResource), DisableKey last, each followed by its wait;
 * - aws_kms_replica_key: ReplicateKey from the primary's region, then the read in the replica's;
 * - aws_kms_alias: CreateAlias, read through ListAliases; data "aws_kms_alias": ListAliases then
 *   DescribeKey of the name (which creates an AWS managed key on first use);
 * - aws_kms_grant: CreateGrant, read through ListGrants (Limit 100); delete RevokeGrant or RetireGrant;
 * - destroy: ScheduleKeyDeletion, then DescribeKey until PendingDeletion ("gone" for the provider);
 *   a second ScheduleKeyDeletion answers KMSInvalidStateException "... is pending deletion", which
 *   the provider takes as done.
 */
import {
  CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, DisableKeyRotationCommand, EnableKeyCommand, EnableKeyRotationCommand,
  GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, ListGrantsCommand, ListResourceTagsCommand, PutKeyPolicyCommand, ReplicateKeyCommand,
  RetireGrantCommand, RevokeGrantCommand, ScheduleKeyDeletionCommand, TagResourceCommand, UntagResourceCommand, UpdateKeyDescriptionCommand, DeleteAliasCommand,
  type AliasListEntry, type GrantListEntry, type KeyMetadata, type Tag,
} from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointProviderSettings, loadConfig } from '../../stacks/config.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';

const ACCOUNT = '111122223333';
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/kmskit-app`;
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/kmskit-admin`;

let serve: ServeProcess;
let east: KMSClient;
let west: KMSClient;
let sts: STSClient;

beforeAll(async () => {
  serve = await startServeProcess();
  // The providers' settings exactly as the stacks synthesize them for KMSKIT_ENDPOINT.
  const settings = endpointProviderSettings(loadConfig({ env: { KMSKIT_ENDPOINT: serve.url } }))!;
  const credentials = { accessKeyId: settings.accessKey, secretAccessKey: settings.secretKey };
  const endpoint = settings.endpoints[0]!;
  east = new KMSClient({ region: 'us-east-1', endpoint: endpoint.kms, credentials, maxAttempts: 1 });
  west = new KMSClient({ region: 'us-west-2', endpoint: endpoint.kms, credentials, maxAttempts: 1 });
  sts = new STSClient({ region: 'us-east-1', endpoint: endpoint.sts, credentials, maxAttempts: 1 });
}, 60_000);
afterAll(async () => {
  east?.destroy();
  west?.destroy();
  sts?.destroy();
  await serve?.stop();
});

const policyDoc = (extra: object[] = []) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }, ...extra],
  });
const TAGS: Tag[] = [
  { TagKey: 'project', TagValue: 'kmskit' },
  { TagKey: 'managed-by', TagValue: 'cdktf' },
];

interface KeyInfo {
  metadata: KeyMetadata;
  policy: unknown;
  rotation?: boolean;
  rotationPeriodInDays?: number;
  tags: Tag[];
}

/** resourceKeyRead / findKeyInfo: DescribeKey, GetKeyPolicy, GetKeyRotationStatus (Origin AWS_KMS), ListResourceTags. */
async function readKey(client: KMSClient, keyId: string): Promise<KeyInfo | 'gone'> {
  const metadata = (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
  if (metadata.KeyState === 'PendingDeletion' || metadata.KeyState === 'PendingReplicaDeletion') return 'gone';
  const policy = JSON.parse((await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!);
  const info: KeyInfo = { metadata, policy, tags: [] };
  if (metadata.Origin === 'AWS_KMS') {
    const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    info.rotation = status.KeyRotationEnabled;
    if (status.RotationPeriodInDays !== undefined) info.rotationPeriodInDays = status.RotationPeriodInDays;
  }
  info.tags = (await client.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags ?? [];
  return info;
}

/** The provider's waiters poll until the condition holds several times in a row; three reads here. */
async function waitFor<T>(read: () => Promise<T>, holds: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 3; i++) {
    v = await read();
    expect(holds(v)).toBe(true);
  }
  return v;
}

const info = (v: KeyInfo | 'gone'): KeyInfo => {
  if (v === 'gone') throw new Error('the key is gone');
  return v;
};

/** aws_kms_key create: CreateKey, rotation, the waits, then the read. */
async function createKey(input: { policy: string; rotationPeriodInDays?: number; keySpec?: string; keyUsage?: string; multiRegion?: boolean; description: string }): Promise<KeyInfo> {
  const created = await east.send(
    new CreateKeyCommand({
      BypassPolicyLockoutSafetyCheck: false,
      KeySpec: (input.keySpec ?? 'SYMMETRIC_DEFAULT') as never,
      KeyUsage: (input.keyUsage ?? 'ENCRYPT_DECRYPT') as never,
      Tags: TAGS,
      Description: input.description,
      Policy: input.policy,
      ...(input.multiRegion ? { MultiRegion: true } : {}),
    }),
  );
  const keyId = created.KeyMetadata!.KeyId!;
  if (input.rotationPeriodInDays !== undefined) {
    await east.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: input.rotationPeriodInDays }));
    await waitFor(
      () => east.send(new GetKeyRotationStatusCommand({ KeyId: keyId })),
      (s) => s.KeyRotationEnabled === true && s.RotationPeriodInDays === input.rotationPeriodInDays,
    );
  }
  await waitFor(async () => JSON.parse((await east.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!), (p) => JSON.stringify(p) === JSON.stringify(JSON.parse(input.policy)));
  await waitFor(() => east.send(new ListResourceTagsCommand({ KeyId: keyId })), (t) => t.Tags!.length === TAGS.length);
  return info(await readKey(east, keyId));
}

/** findAliasByName: ListAliases, every page, filtered by name. */
async function findAlias(client: KMSClient, name: string): Promise<AliasListEntry | undefined> {
  let marker: string | undefined;
  do {
    const page = await client.send(new ListAliasesCommand({ ...(marker ? { Marker: marker } : {}) }));
    const hit = page.Aliases?.find((a) => a.AliasName === name);
    if (hit) return hit;
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return undefined;
}

/** findGrantByTwoPartKey: ListGrants with Limit 100, every page, filtered by grant id. */
async function findGrant(keyId: string, grantId: string): Promise<GrantListEntry | undefined> {
  let marker: string | undefined;
  do {
    const page = await east.send(new ListGrantsCommand({ KeyId: keyId, Limit: 100, ...(marker ? { Marker: marker } : {}) }));
    const hit = page.Grants?.find((g) => g.GrantId === grantId);
    if (hit) return hit;
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return undefined;
}

describe('Terraform AWS provider call sequences against kmskit serve', { timeout: 120_000 }, () => {
  it('configure: GetCallerIdentity gives the account the provider checks allowed_account_ids against', async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
  });

  it('aws_kms_key: create with policy and rotation period, refresh, update everything, disable/enable, destroy with pending deletion', async () => {
    const policy = policyDoc();
    const key = await createKey({ policy, rotationPeriodInDays: 90, description: 'tf data key' });
    expect(key).toMatchObject({ rotation: true, rotationPeriodInDays: 90, policy: JSON.parse(policy), metadata: { Enabled: true, KeyManager: 'CUSTOMER', Origin: 'AWS_KMS', Description: 'tf data key' } });
    expect(key.tags).toEqual(expect.arrayContaining(TAGS));
    const keyId = key.metadata.KeyId!;

    // Refresh (plan): the same read, idempotent.
    expect(info(await readKey(east, keyId))).toEqual(key);

    // Update: rotation period, description, policy, tags.
    await east.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 180 }));
    await waitFor(() => east.send(new GetKeyRotationStatusCommand({ KeyId: keyId })), (s) => s.RotationPeriodInDays === 180);
    await east.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'tf data key v2' }));
    await waitFor(() => east.send(new DescribeKeyCommand({ KeyId: keyId })), (d) => d.KeyMetadata!.Description === 'tf data key v2');
    const policy2 = policyDoc([{ Sid: 'AppUse', Effect: 'Allow', Principal: { AWS: APP_ROLE }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }]);
    await east.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy2, PolicyName: 'default', BypassPolicyLockoutSafetyCheck: false }));
    await waitFor(async () => JSON.parse((await east.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!), (p) => JSON.stringify(p) === JSON.stringify(JSON.parse(policy2)));
    await east.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: ['managed-by'] }));
    await east.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'env', TagValue: 'test' }] }));
    await waitFor(() => east.send(new ListResourceTagsCommand({ KeyId: keyId })), (t) => t.Tags!.map((x) => x.TagKey).sort().join() === 'env,project');

    // is_enabled = false (last in an update), then true again (first in the next).
    await east.send(new DisableKeyCommand({ KeyId: keyId }));
    await waitFor(() => east.send(new DescribeKeyCommand({ KeyId: keyId })), (d) => d.KeyMetadata!.Enabled === false);
    expect(info(await readKey(east, keyId))).toMatchObject({ rotation: true, rotationPeriodInDays: 180, metadata: { KeyState: 'Disabled' } });
    await east.send(new EnableKeyCommand({ KeyId: keyId }));
    await waitFor(() => east.send(new DescribeKeyCommand({ KeyId: keyId })), (d) => d.KeyMetadata!.Enabled === true);

    // enable_key_rotation = false.
    await east.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    await waitFor(() => east.send(new GetKeyRotationStatusCommand({ KeyId: keyId })), (s) => s.KeyRotationEnabled === false);

    // Destroy: ScheduleKeyDeletion, wait until the key is PendingDeletion; the next refresh drops it.
    const scheduled = await east.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(await readKey(east, keyId)).toBe('gone');
    // A destroy retried after a partial failure: the provider accepts "is pending deletion".
    await expect(east.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }))).rejects.toMatchObject({ name: 'KMSInvalidStateException', message: expect.stringContaining('is pending deletion') });
  });

  it.each([
    ['RSA_2048', 'SIGN_VERIFY'],
    ['ECC_NIST_P256', 'SIGN_VERIFY'],
    ['HMAC_256', 'GENERATE_VERIFY_MAC'],
  ])('aws_kms_key %s (%s): create and every refresh read the rotation status as false, without an error', async (keySpec, keyUsage) => {
    const key = await createKey({ policy: policyDoc(), keySpec, keyUsage, description: `tf ${keySpec}` });
    expect(key).toMatchObject({ rotation: false, metadata: { KeySpec: keySpec, KeyUsage: keyUsage } });
    expect(key.rotationPeriodInDays).toBeUndefined();
    expect(info(await readKey(east, key.metadata.KeyId!))).toEqual(key);
  });

  it('aws_kms_replica_key: a replica in the second region, read there; destroyed before its primary', async () => {
    const primary = await createKey({ policy: policyDoc(), multiRegion: true, rotationPeriodInDays: 365, description: 'tf multi-Region primary' });
    expect(primary.metadata.MultiRegionConfiguration?.MultiRegionKeyType).toBe('PRIMARY');
    const keyId = primary.metadata.KeyId!;
    // ReplicateKey is sent in the primary's region, with the key id taken from primary_key_arn.
    const replicated = await east.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'us-west-2', Tags: TAGS, Description: 'tf replica', Policy: policyDoc(), BypassPolicyLockoutSafetyCheck: false }));
    expect(replicated.ReplicaKeyMetadata!.Arn).toBe(`arn:aws:kms:us-west-2:${ACCOUNT}:key/${keyId}`);
    await waitFor(() => west.send(new DescribeKeyCommand({ KeyId: keyId })), (d) => d.KeyMetadata!.KeyState === 'Enabled');
    const replica = info(await readKey(west, keyId));
    expect(replica.metadata).toMatchObject({ KeyManager: 'CUSTOMER', Origin: 'AWS_KMS', MultiRegion: true, Description: 'tf replica', MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: primary.metadata.Arn, Region: 'us-east-1' } } });
    // key_rotation_enabled of the replica is its primary's.
    expect(replica).toMatchObject({ rotation: true, rotationPeriodInDays: 365 });
    expect(replica.tags).toEqual(expect.arrayContaining(TAGS));

    // Destroy: the replica first (it depends on the primary), then the primary.
    await west.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(await readKey(west, keyId)).toBe('gone');
    await east.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    // The primary waits in PendingReplicaDeletion, which the provider also counts as gone.
    expect((await east.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe('PendingReplicaDeletion');
    expect(await readKey(east, keyId)).toBe('gone');
  });

  it('aws_kms_alias and data "aws_kms_alias" (including alias/aws/s3), aws_kms_grant with constraints, then destroy', async () => {
    const key = await createKey({ policy: policyDoc(), rotationPeriodInDays: 90, description: 'tf aliased key' });
    const keyId = key.metadata.KeyId!;
    await east.send(new CreateAliasCommand({ AliasName: 'alias/tf/data', TargetKeyId: keyId }));
    const alias = await findAlias(east, 'alias/tf/data');
    expect(alias).toMatchObject({ AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/tf/data`, TargetKeyId: keyId });

    // data "aws_kms_alias" { name = "alias/aws/s3" }: listed before first use, created by DescribeKey.
    const s3 = await findAlias(east, 'alias/aws/s3');
    expect(s3).toBeDefined();
    const s3Key = (await east.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(s3Key).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled' });
    expect((await findAlias(east, 'alias/aws/s3'))!.TargetKeyId).toBe(s3Key.KeyId);

    // aws_kms_grant with an encryption-context constraint and a retiring principal.
    const grant = await east.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: APP_ROLE,
        Operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
        Constraints: { EncryptionContextSubset: { app: 'kmskit' } },
        Name: 'tf-app-data',
        RetiringPrincipal: ADMIN_ROLE,
      }),
    );
    const listed = await findGrant(keyId, grant.GrantId!);
    expect(listed).toMatchObject({ GranteePrincipal: APP_ROLE, RetiringPrincipal: ADMIN_ROLE, Name: 'tf-app-data', Constraints: { EncryptionContextSubset: { app: 'kmskit' } } });
    expect([...listed!.Operations!].sort()).toEqual(['Decrypt', 'Encrypt', 'GenerateDataKey']);
    // A second grant deleted with retire_on_delete.
    const retirable = await east.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: APP_ROLE, Operations: ['Decrypt'], Name: 'tf-retire' }));

    // Destroy: grants (RevokeGrant; RetireGrant for retire_on_delete), the alias, then the key.
    await east.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: grant.GrantId }));
    await east.send(new RetireGrantCommand({ KeyId: key.metadata.Arn, GrantId: retirable.GrantId }));
    expect(await findGrant(keyId, grant.GrantId!)).toBeUndefined();
    expect(await findGrant(keyId, retirable.GrantId!)).toBeUndefined();
    await east.send(new DeleteAliasCommand({ AliasName: 'alias/tf/data' }));
    expect(await findAlias(east, 'alias/tf/data')).toBeUndefined();
    await east.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(await readKey(east, keyId)).toBe('gone');
  });
});
