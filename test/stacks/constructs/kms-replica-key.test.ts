import { describe, expect, it } from 'vitest';
import { SIDS, accountRootStatement, adminStatement } from '../../../policies/build.js';
import { KmsKey } from '../../../stacks/constructs/kms-key.js';
import { KmsReplicaKey } from '../../../stacks/constructs/kms-replica-key.js';
import { AwsProvider } from '../../../stacks/provider.js';
import { CALLER_ACCOUNT, ROLE, newStack, only, policyOf, resources, statements, synth } from '../helpers.js';

describe('KmsReplicaKey', () => {
  it('replicates a multi-Region primary through the aliased provider, with its own policy and aliases', () => {
    const { stack, replica } = newStack({ replica: true });
    const primary = new KmsKey(stack, 'Primary', { multiRegion: true });
    const copy = new KmsReplicaKey(stack, 'Replica', { primary, provider: replica as AwsProvider, admins: [ROLE('admin')], aliases: ['shared'] });
    const json = synth(stack);
    const res = only(json, 'aws_kms_replica_key');
    expect(res).toMatchObject({
      provider: 'aws.replica',
      primary_key_arn: expect.stringMatching(/^\$\{aws_kms_key\.Primary_[A-F0-9]+\.arn\}$/),
      deletion_window_in_days: 30,
      enabled: true,
      bypass_policy_lockout_safety_check: false,
    });
    expect(statements(policyOf(json, 'Replica', 'aws_kms_replica_key'))).toEqual([accountRootStatement(CALLER_ACCOUNT), adminStatement([ROLE('admin')])]);
    expect(only(json, 'aws_kms_alias', 'Replica')).toMatchObject({ name: 'alias/shared', provider: 'aws.replica' });
    expect(copy.region).toBe('us-west-2');
    expect(copy.keySpec).toBe(primary.keySpec);
    expect(copy.resource.node.id).toBe('Resource');
  });

  it('creates its grants in the replica region', () => {
    const { stack, replica } = newStack({ replica: true });
    const primary = new KmsKey(stack, 'Primary', { multiRegion: true });
    const copy = new KmsReplicaKey(stack, 'Replica', { primary, provider: replica as AwsProvider });
    copy.addGrant({ grantee: ROLE('app'), operations: ['Decrypt'], constraints: { encryptionContextEquals: { a: 'b' } } });
    copy.grantDecrypt(ROLE('reader'));
    const json = synth(stack);
    expect(only(json, 'aws_kms_grant')).toMatchObject({ provider: 'aws.replica', key_id: expect.stringContaining('aws_kms_replica_key.Replica') });
    expect(statements(policyOf(json, 'Replica', 'aws_kms_replica_key')).map((s) => s.Sid)).toEqual([SIDS.accountRoot, 'Allow decrypt']);
  });

  it('rejects a primary that is not multi-Region', () => {
    const { stack, replica } = newStack({ replica: true });
    const primary = new KmsKey(stack, 'Primary');
    expect(() => new KmsReplicaKey(stack, 'Replica', { primary, provider: replica as AwsProvider })).toThrow(
      'primary must be a multi-Region key (multiRegion: true), got test/Primary with multiRegion false',
    );
    expect(resources(synth(stack), 'aws_kms_replica_key')).toEqual({});
  });

  it('rejects a provider in the primary region', () => {
    const { stack, provider } = newStack({ replica: true });
    const primary = new KmsKey(stack, 'Primary', { multiRegion: true });
    expect(() => new KmsReplicaKey(stack, 'Replica', { primary, provider })).toThrow(
      `the replica's provider must be in another region than the primary (us-east-1), got "us-east-1"`,
    );
  });

  it('rejects a primary that is not a KmsKey', () => {
    const { stack, replica } = newStack({ replica: true });
    expect(() => new KmsReplicaKey(stack, 'Replica', { primary: 'arn:aws:kms:us-east-1:111122223333:key/mrk-1' as never, provider: replica as AwsProvider })).toThrow(
      'primary must be a KmsKey, got "arn:aws:kms:us-east-1:111122223333:key/mrk-1"',
    );
  });

  it('passes description, deletion window and tags through', () => {
    const { stack, replica } = newStack({ replica: true });
    const primary = new KmsKey(stack, 'Primary', { multiRegion: true });
    new KmsReplicaKey(stack, 'Replica', { primary, provider: replica as AwsProvider, description: 'copy', deletionWindowInDays: 7, tags: { a: 'b' } });
    expect(only(synth(stack), 'aws_kms_replica_key')).toMatchObject({ description: 'copy', deletion_window_in_days: 7, tags: { a: 'b' } });
  });

  it('checks the deletion window', () => {
    const { stack, replica } = newStack({ replica: true });
    const primary = new KmsKey(stack, 'Primary', { multiRegion: true });
    expect(() => new KmsReplicaKey(stack, 'Replica', { primary, provider: replica as AwsProvider, deletionWindowInDays: 45 })).toThrow('deletionWindowInDays must be an integer 7–30, got 45');
  });
});
