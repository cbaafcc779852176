import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_ACCOUNT_MARKER } from '../../iac/account.js';
import { lint, positionOf, read } from './helpers.js';
import { tmpdirWith } from './tmp.js';

const CFN = 'test/fixtures/iac/cloudformation';
const DATA_KEY = join(CFN, 'data-key.yaml');
const BOOTSTRAP = join(CFN, 'bootstrap.yaml');
const CDK_OUT = 'test/fixtures/iac/cdk.out';
const dataKey = readFileSync(DATA_KEY, 'utf8');

describe('CloudFormation YAML with short-form tags', () => {
  it('reads AWS::KMS::Key and AWS::KMS::Alias with Terraform attribute names, skipping other types', async () => {
    const { model } = await read([DATA_KEY]);
    const unit = model.units[0]!;
    expect(unit.input).toBe('cloudformation');
    expect(unit.resources.map((r) => [r.kind, r.address])).toEqual([
      ['key', 'DataKey'],
      ['alias', 'DataKeyAlias'],
    ]);
    expect(unit.otherResources).toEqual({ 'AWS::S3::Bucket': 1 });
    expect(Object.keys(unit.resources[0]!.attributes).sort()).toEqual(['deletion_window_in_days', 'description', 'enable_key_rotation', 'policy', 'tags']);
  });

  it('reads !Sub of the partition and account as this account\'s root', async () => {
    const { sources } = await read([DATA_KEY]);
    const doc = sources[0]!.value as { Statement: Array<{ Principal: { AWS: string } }> };
    expect(doc.Statement[0]!.Principal.AWS).toBe(`arn:aws:iam::${OWN_ACCOUNT_MARKER}:root`);
    // A parameter stays unknown; the known parts around it stay.
    expect(doc.Statement[1]!.Principal.AWS).toBe(`arn:aws:iam::${OWN_ACCOUNT_MARKER}:role/\${Ref:AdminRoleName}`);
  });

  it('judges both branches of !If, with AWS::NoValue removing the statement in one', async () => {
    const { sources, findings } = await lint([DATA_KEY]);
    const s = sources[0]!;
    const readings = [s.value, ...(s.variants ?? []).map((v) => v.value)] as Array<{ Statement: unknown[] }>;
    expect(readings.map((r) => r.Statement.length).sort()).toEqual([2, 3]);
    const open = findings.find((f) => f.ruleId === 'public-principal')!;
    expect(open.resource).toBe('data-key/DataKey');
    expect({ line: open.line, column: open.column }).toEqual(positionOf(dataKey, 'Principal: "*"', 'Sid: DevAnyone'));
  });

  it('reads the CDK bootstrap template: the account principal is the own account, the conditions keep the public statement in', async () => {
    const { sources, findings } = await lint([BOOTSTRAP]);
    expect(sources).toHaveLength(1);
    const doc = sources[0]!.value as { Statement: Array<{ Principal: { AWS: string }; Condition?: Record<string, Record<string, unknown>> }> };
    expect(doc.Statement[0]!.Principal.AWS).toBe(OWN_ACCOUNT_MARKER);
    expect(doc.Statement[1]!.Condition).toEqual({ StringEquals: { 'kms:CallerAccount': OWN_ACCOUNT_MARKER, 'kms:ViaService': ['s3.${AWS::Region}.amazonaws.com'] } });
    expect(doc.Statement[2]!.Principal.AWS).toBe('${GetAtt:FilePublishingRole.Arn}');
    // Restricted to the own account through S3: not public.
    expect(findings.map((f) => f.ruleId)).not.toContain('public-principal');
    expect(findings.map((f) => f.ruleId)).toContain('rotation-disabled');
  });

  it('reports a YAML syntax error at its place', async () => {
    const dir = tmpdirWith({ 'key.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties: [\n' });
    const { findings } = await lint([join(dir, 'key.yaml')]);
    const parse = findings.find((f) => f.ruleId === 'parse-error')!;
    expect(parse.file).toBe(join(dir, 'key.yaml'));
    expect(parse.line).toBeGreaterThanOrEqual(5);
    // What the parser recovered is still read: the key, without a policy, gets AWS's default.
    expect(findings.map((f) => f.ruleId)).toContain('rotation-disabled');
  });

  it('reads a JSON template by its content, whatever its name', async () => {
    const dir = tmpdirWith({
      'stack.json': JSON.stringify({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] } } } } }, null, 2),
    });
    const { findings } = await lint([dir]);
    expect(findings.map((f) => f.ruleId)).toContain('public-principal');
  });

  it('reads a key with Origin EXTERNAL as an external key, and a replica key with its primary', async () => {
    const dir = tmpdirWith({
      't.yaml': 'Resources:\n  Ext:\n    Type: AWS::KMS::Key\n    Properties:\n      Origin: EXTERNAL\n  Rep:\n    Type: AWS::KMS::ReplicaKey\n    Properties:\n      PrimaryKeyArn: arn:aws:kms:us-east-1:111122223333:key/mrk-1\n      KeyPolicy:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}\n            Action: "kms:*"\n            Resource: "*"\n',
    });
    const { model, sources } = await read([dir]);
    expect(model.units[0]!.resources.map((r) => r.kind)).toEqual(['external-key', 'replica-key']);
    expect(sources.map((s) => s.key?.resourceType)).toEqual(['aws_kms_external_key', 'aws_kms_replica_key']);
  });
});

describe('cdk.out', () => {
  it('reads the stacks of the manifest, with the account of their environment', async () => {
    const { model, sources } = await read([CDK_OUT]);
    expect(model.units.map((u) => [u.name, u.input, u.account])).toEqual([
      ['KeysStack', 'cdk-out', { id: '111122223333', source: 'environment' }],
      ['shared-keys', 'cdk-out', { source: 'unknown' }],
    ]);
    expect(sources.map((s) => s.resource)).toEqual(['KeysStack/AppKey2B71A8E4', 'shared-keys/SharedKey']);
  });

  it('reports another account that may administer a key, in the template file', async () => {
    const { findings } = await lint([CDK_OUT]);
    const f = findings.find((x) => x.ruleId === 'cross-account-admin')!;
    expect(f.file).toBe(join(CDK_OUT, 'KeysStack.template.json'));
    expect(f.message).toContain('999988887777');
    // The unknown-account stack names 111122223333, which may be its own: no cross-account finding there.
    expect(findings.filter((x) => x.resource === 'shared-keys/SharedKey').map((x) => x.ruleId)).not.toContain('cross-account-admin');
  });

  it('reads a single *.template.json', async () => {
    const { sources } = await read([join(CDK_OUT, 'SharedStack.template.json')]);
    expect(sources.map((s) => s.resource)).toEqual(['SharedStack/SharedKey']);
  });
});
