import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintPolicy } from '../../lint/engine.js';
import { readInputs } from '../../iac/load.js';
import { policySources } from '../../lint/documents.js';
import { accountRootStatement } from '../../policies/build.js';
import { APP_ENCRYPTION_CONTEXT, DEFAULT_CONFIG, KEY_ALIASES } from '../../stacks/config.js';
import { type KmskitApp, buildApp } from '../../stacks/app.js';
import { KmsKey } from '../../stacks/constructs/kms-key.js';
import { DATA_NAMES } from '../../stacks/data-stack.js';
import { Testing } from '../../stacks/provider.js';
import { CALLER_ACCOUNT, only, policyOf, resources, statements, type Synthesized } from './helpers.js';

let outdir: string;
let built: KmskitApp;
let keyring: Synthesized;
let data: Synthesized;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'kmskit-stacks-'));
  built = buildApp({ outdir, context: {}, env: {} });
  built.app.synth();
  keyring = JSON.parse(Testing.synth(built.keyring)) as Synthesized;
  data = JSON.parse(Testing.synth(built.data)) as Synthesized;
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('KeyringStack', () => {
  it('matches its snapshot', () => {
    expect(keyring).toMatchSnapshot();
  });

  it('declares the data key as in the classic hands-on Terraform: 90-day rotation, 7-day deletion window, an alias', () => {
    expect(only(keyring, 'aws_kms_key', 'DataKey')).toMatchObject({ enable_key_rotation: true, rotation_period_in_days: 90, deletion_window_in_days: 7, customer_master_key_spec: 'SYMMETRIC_DEFAULT' });
    expect(only(keyring, 'aws_kms_alias', 'DataKey')).toMatchObject({ name: KEY_ALIASES.data });
  });

  it('declares an ECC_NIST_P256 signing key and an HMAC_256 key', () => {
    expect(only(keyring, 'aws_kms_key', 'SigningKey')).toMatchObject({ customer_master_key_spec: 'ECC_NIST_P256', key_usage: 'SIGN_VERIFY', enable_key_rotation: false });
    expect(only(keyring, 'aws_kms_key', 'HmacKey')).toMatchObject({ customer_master_key_spec: 'HMAC_256', key_usage: 'GENERATE_VERIFY_MAC', enable_key_rotation: false });
  });

  it('declares a multi-Region primary with a replica in the second region', () => {
    expect(only(keyring, 'aws_kms_key', 'MultiRegionKey')).toMatchObject({ multi_region: true });
    expect(only(keyring, 'aws_kms_replica_key')).toMatchObject({ provider: 'aws.replica', primary_key_arn: expect.stringContaining('aws_kms_key.MultiRegionKey') });
    expect(keyring.provider?.['aws']).toEqual([
      expect.objectContaining({ region: DEFAULT_CONFIG.primaryRegion, allowed_account_ids: [DEFAULT_CONFIG.account] }),
      expect.objectContaining({ region: DEFAULT_CONFIG.replicaRegion, alias: 'replica' }),
    ]);
  });

  it('grants the app role the data key only with the app encryption context', () => {
    const grant = only(keyring, 'aws_kms_grant', 'DataKey');
    expect(grant).toMatchObject({ grantee_principal: DEFAULT_CONFIG.appRoleArn, constraints: [{ encryption_context_subset: { ...APP_ENCRYPTION_CONTEXT } }] });
    const principals = statements(policyOf(keyring, 'DataKey'))
      .filter((s) => s.Condition === undefined)
      .map((s) => JSON.stringify(s.Principal));
    expect(principals.some((p) => p.includes('role/kmskit-app'))).toBe(false);
    expect(Object.values(resources(keyring, 'aws_kms_grant')).every((g) => Array.isArray(g['constraints']))).toBe(true);
  });

  it('writes no account id into key policies', () => {
    for (const [id, key] of Object.entries({ ...resources(keyring, 'aws_kms_key'), ...resources(keyring, 'aws_kms_replica_key') })) {
      expect(key['policy'], id).not.toMatch(/\d{12}/);
      expect(statements(JSON.parse(key['policy'] as string))[0], id).toEqual(accountRootStatement(CALLER_ACCOUNT));
    }
  });
});

describe('DataStack', () => {
  it('matches its snapshot', () => {
    expect(data).toMatchSnapshot();
  });

  it('encrypts every data service with the data key through cross-stack references', () => {
    const keyRef = expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-keyring\.outputs\.[\w-]+\}$/);
    expect(only(data, 'aws_s3_bucket_server_side_encryption_configuration')['rule']).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: keyRef }, bucket_key_enabled: true },
    ]);
    expect(only(data, 'aws_secretsmanager_secret')).toMatchObject({ name: DATA_NAMES.secret, kms_key_id: keyRef });
    expect(only(data, 'aws_sqs_queue')).toMatchObject({ kms_master_key_id: keyRef });
    expect(only(data, 'aws_sns_topic')).toMatchObject({ kms_master_key_id: keyRef });
    expect(only(data, 'aws_dynamodb_table')).toMatchObject({ server_side_encryption: { enabled: true, kms_key_arn: keyRef } });
    expect(only(data, 'aws_cloudwatch_log_group')).toMatchObject({ kms_key_id: keyRef });
    expect(only(data, 'aws_cloudtrail')).toMatchObject({ kms_key_id: keyRef });
    expect(only(data, 'aws_ebs_default_kms_key')).toMatchObject({ key_arn: keyRef });
    expect(only(data, 'aws_db_instance')).toMatchObject({ storage_encrypted: true, kms_key_id: keyRef, performance_insights_kms_key_id: keyRef });
    expect(only(data, 'aws_lambda_function')).toMatchObject({ kms_key_arn: keyRef });
  });

  it('adds each service statement to the data key policy in the keyring stack', () => {
    const sids = statements(policyOf(keyring, 'DataKey')).map((s) => s.Sid);
    for (const sid of ['Allow access through Amazon S3', 'Allow access through AWS Secrets Manager', 'Allow access through Amazon SQS', 'Allow AWS services to publish to encrypted SNS topics', 'Allow access through Amazon DynamoDB', 'Allow CloudWatch Logs to use the key', 'Allow CloudTrail to encrypt logs', 'Allow access through Amazon EBS', 'Allow access through Amazon RDS', 'Allow access through AWS Lambda']) {
      expect(sids).toContain(sid);
    }
  });

  it('depends on the keyring stack, not the other way round', () => {
    expect(built.data.dependencies.map((d) => d.node.id)).toEqual(['keyring']);
    expect(built.keyring.dependencies).toEqual([]);
  });
});

describe('synth-time lint', () => {
  it('finds no errors and no warnings in the key policies of the stacks', () => {
    const findings = built.lint?.findings ?? [];
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('linted every key policy of the stacks', async () => {
    const sources = policySources((await readInputs([outdir])).units.flatMap((u) => u.resources));
    const keyPolicies = sources.filter((s) => s.key !== undefined);
    expect(keyPolicies.length).toBe(Object.keys(resources(keyring, 'aws_kms_key')).length + Object.keys(resources(keyring, 'aws_kms_replica_key')).length);
    for (const source of keyPolicies) {
      expect(lintPolicy(source).filter((f) => f.severity === 'error'), source.resource).toEqual([]);
    }
  });

  it('agrees with kmskit lint on the synthesized stacks (one reader, one account model)', async () => {
    const sources = policySources((await readInputs([outdir])).units.flatMap((u) => u.resources));
    const cli = sources.flatMap((s) => lintPolicy(s)).map((f) => `${f.ruleId} ${f.pointer} ${f.resource?.split('/').pop()}`).sort();
    const aspect = (built.lint?.findings ?? []).map((f) => `${f.ruleId} ${f.pointer} ${f.resource?.split('/').pop()}`).sort();
    expect(aspect).toEqual(cli);
  });

  it('fails synth with the rule id when a policy would lock the key out', () => {
    const { app, keyring: stack } = buildApp({ outdir, context: {}, env: {} });
    new KmsKey(stack, 'Locked', { omitAccountRootStatement: { reason: 'test' }, users: ['arn:aws:iam::111122223333:role/kmskit-app'] });
    expect(() => app.synth()).toThrow(/\[keyring\/Locked\/Resource\] lockout-risk: No statement allows the account root or an administrator to call kms:PutKeyPolicy/);
  });

  it('keeps warnings as warnings: synth succeeds and the key resource carries a warning annotation', () => {
    const { app, keyring: stack } = buildApp({ outdir, context: {}, env: {} });
    new KmsKey(stack, 'NoRotation', { enableKeyRotation: false });
    expect(() => app.synth()).not.toThrow();
    const annotations = stack.node.findChild('NoRotation').node.findChild('Resource').node.metadata;
    expect(annotations.map((m) => [m.type, String(m.data).split(':')[0]])).toContainEqual(['@cdktf/warn', 'rotation-disabled']);
  });
});

describe('buildApp configuration', () => {
  it('takes settings from the cdktf context', () => {
    const app = buildApp({ outdir, context: { 'kmskit:primaryRegion': 'eu-west-1', 'kmskit:replicaRegion': 'eu-north-1' }, env: {} });
    const json = JSON.parse(Testing.synth(app.keyring)) as Synthesized & { provider: { aws: Array<{ region: string }> } };
    expect(json.provider.aws.map((p) => p.region)).toEqual(['eu-west-1', 'eu-north-1']);
    expect(app.keyring.dataKey.region).toBe('eu-west-1');
    expect(app.keyring.multiRegionReplica.region).toBe('eu-north-1');
  });

  it('keeps state locally next to cdktf.json by default, and in S3 when a state bucket is set', () => {
    const local = JSON.parse(Testing.synth(built.data)) as { terraform: { backend: unknown } };
    expect(local.terraform.backend).toEqual({ local: { path: '../../../terraform.data.tfstate' } });
    const s3 = buildApp({ outdir, context: {}, env: { KMSKIT_STATE_BUCKET: 'my-tf-state' } });
    const json = JSON.parse(Testing.synth(s3.keyring)) as { terraform: { backend: unknown } };
    expect(json.terraform.backend).toEqual({ s3: { bucket: 'my-tf-state', key: 'kmskit/keyring.tfstate', region: 'us-east-1', encrypt: true } });
  });

  it('names the configured roles of the own account through aws_caller_identity in key policies', () => {
    const text = only(keyring, 'aws_kms_key', 'HmacKey')['policy'] as string;
    expect(text).toContain(`arn:aws:iam::${CALLER_ACCOUNT}:role/kmskit-app`);
    expect(text).not.toContain(DEFAULT_CONFIG.account);
  });
});
