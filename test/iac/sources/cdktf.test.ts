import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSources, OWN_ACCOUNT_MARKER } from '../../../iac/load.js';
import { positionOf } from './helpers.js';

// Real `cdktf synth` output (see test/fixtures/lint/generate-synth.ts.txt), in the cdktf.out layout.
const SYNTH = 'test/fixtures/lint/synth';
const KEYRING = join(SYNTH, 'stacks/keyring/cdk.tf.json');
const keyringText = readFileSync(KEYRING, 'utf8');

describe('cdktf.out sources', () => {
  it('lints every stack the manifest lists, naming resources with their stack', async () => {
    const { sources, files } = await loadSources([SYNTH]);
    expect(files).toEqual([KEYRING, join(SYNTH, 'stacks/replicas/cdk.tf.json')]);
    expect(sources.map((s) => s.resource).sort()).toEqual([
      'keyring/aws_kms_key.default_key',
      'keyring/aws_kms_key.encoded_key',
      'keyring/aws_kms_key.public_key',
      'keyring/aws_kms_key_policy.signing_key_policy',
      'replicas/aws_kms_replica_key.replica',
    ]);
  });

  it('gives the same sources for the stack folder and for its cdk.tf.json', async () => {
    const viaDir = await loadSources([join(SYNTH, 'stacks/keyring')]);
    const viaFile = await loadSources([KEYRING]);
    expect(viaDir.sources).toEqual(viaFile.sources);
    expect(viaFile.sources.length).toBeGreaterThan(0);
  });

  it('places a policy string at its position in cdk.tf.json', async () => {
    const { sources } = await loadSources([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key.public_key')!;
    expect(source.embeddedAt).toEqual(positionOf(keyringText, '"{\\"Version', '"public_key"'));
    expect(source.file).toBe(KEYRING);
  });

  it('substitutes the caller-identity account with the own-account marker', async () => {
    const { sources } = await loadSources([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key.public_key')!;
    expect(source.ownAccount).toBe(OWN_ACCOUNT_MARKER);
    expect(source.text).toContain(`arn:aws:iam::${OWN_ACCOUNT_MARKER}:root`);
    expect(source.text).not.toContain('aws_caller_identity');
    expect(JSON.parse(source.text!)).toMatchObject({ Statement: [{ Sid: 'Root' }, { Sid: 'Anyone', Principal: '*' }] });
  });

  it('reads a jsonencode() policy into a document, leaving references unknown', async () => {
    const { sources } = await loadSources([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key.encoded_key')!;
    expect(source.value).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN_ACCOUNT_MARKER}:root` }, Action: ['kms:*'], Resource: '*' },
        {
          Sid: 'Caller',
          Effect: 'Allow',
          Principal: { AWS: '${data.aws_caller_identity.current.arn}' },
          Action: ['kms:Encrypt', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': OWN_ACCOUNT_MARKER } },
        },
      ],
    });
    expect(source.embeddedAt).toEqual(positionOf(keyringText, '"${jsonencode', '"encoded_key"'));
  });

  it('renders the aws_iam_policy_document a key policy refers to, with the key settings of its key', async () => {
    const { sources } = await loadSources([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key_policy.signing_key_policy')!;
    expect(source.value).toMatchObject({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN_ACCOUNT_MARKER}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Signers', Action: ['kms:Sign', 'kms:Verify'], Condition: { StringEquals: { 'kms:CallerAccount': OWN_ACCOUNT_MARKER } } },
      ],
    });
    expect(source.key).toMatchObject({ resourceType: 'aws_kms_key_policy', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', deletionWindowInDays: 7 });
    // The document is where a fix goes, so findings point at its block.
    expect(source.embeddedAt).toEqual(positionOf(keyringText, '{', '"signing_policy":'));
    // The key the policy is attached to is not linted a second time with a default policy.
    expect(sources.some((s) => s.resource === 'keyring/aws_kms_key.signing_key')).toBe(false);
  });

  it('gives a key without a policy the AWS default key policy, so its settings are still checked', async () => {
    const { sources } = await loadSources([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key.default_key')!;
    expect(source.value).toMatchObject({ Statement: [{ Principal: { AWS: `arn:aws:iam::${OWN_ACCOUNT_MARKER}:root` }, Action: 'kms:*' }] });
    expect(source.key).toMatchObject({ resourceType: 'aws_kms_key', enableKeyRotation: false });
    expect(source.key?.attributePositions?.enable_key_rotation).toEqual(positionOf(keyringText, 'false', '"default_key"'));
  });

  it('warns about a policy known only at apply time instead of guessing', async () => {
    const { sources, warnings } = await loadSources([KEYRING]);
    expect(sources.some((s) => s.resource?.endsWith('file_key'))).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/aws_kms_key\.file_key\.policy is an expression known only at apply time .*file\("policy\.json"\).*not linted/)]);
  });

  it('reads attribute values that are references as unknown (null) key settings', async () => {
    const text = JSON.stringify({
      resource: { aws_kms_key: { k: { enable_key_rotation: '${var.rotate}', deletion_window_in_days: 7, policy: '{"Statement":[]}' } } },
    });
    const { sourcesFromTerraformJson } = await import('../../../iac/terraform/json-config.js');
    const { sources } = sourcesFromTerraformJson('main.tf.json', text, JSON.parse(text));
    expect(sources[0]?.key).toMatchObject({ enableKeyRotation: null, deletionWindowInDays: 7 });
    expect(sources[0]?.resource).toBe('aws_kms_key.k');
  });
});

describe('Terraform string escapes', () => {
  it('turns $${...} (how Terraform writes IAM policy variables) into the ${...} AWS receives', async () => {
    const { sourcesFromTerraformJson } = await import('../../../iac/terraform/json-config.js');
    const policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:username': '$${aws:username}', x: '$${data.aws_caller_identity.me.account_id}' } } }],
    });
    const json = { resource: { aws_kms_key: { k: { policy } } } };
    const { sources } = sourcesFromTerraformJson('main.tf.json', JSON.stringify(json), json);
    const doc = JSON.parse(sources[0]!.text!) as { Statement: Array<{ Principal: { AWS: string }; Condition: { StringEquals: Record<string, string> } }> };
    expect(doc.Statement[0]!.Principal.AWS).toBe(`arn:aws:iam::${OWN_ACCOUNT_MARKER}:root`);
    expect(doc.Statement[0]!.Condition.StringEquals).toEqual({ 'aws:username': '${aws:username}', x: '${data.aws_caller_identity.me.account_id}' });
  });

  it('does the same inside aws_iam_policy_document blocks', async () => {
    const { sourcesFromTerraformJson } = await import('../../../iac/terraform/json-config.js');
    const json = {
      data: { aws_iam_policy_document: { d: { statement: [{ actions: ['kms:Decrypt'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['*'] }], condition: [{ test: 'StringEquals', variable: 'aws:PrincipalTag/team', values: ['$${aws:username}'] }] }] } } },
      resource: { aws_kms_key: { k: { policy: '${data.aws_iam_policy_document.d.json}' } } },
    };
    const { sources } = sourcesFromTerraformJson('main.tf.json', JSON.stringify(json), json);
    expect(sources[0]!.value).toMatchObject({ Statement: [{ Condition: { StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' } } }] });
  });
});

describe('key resource types', () => {
  it('lints external keys and their replicas, which carry external key settings', async () => {
    const { sourcesFromTerraformJson } = await import('../../../iac/terraform/json-config.js');
    const policy = JSON.stringify({ Statement: [] });
    const json = { resource: { aws_kms_external_key: { e: { policy } }, aws_kms_replica_external_key: { r: { policy, primary_key_arn: 'arn:aws:kms:us-east-1:111122223333:key/mrk-1' } } } };
    const { sources } = sourcesFromTerraformJson('main.tf.json', JSON.stringify(json), json);
    expect(sources.map((s) => [s.resource, s.key?.resourceType])).toEqual([
      ['aws_kms_external_key.e', 'aws_kms_external_key'],
      ['aws_kms_replica_external_key.r', 'aws_kms_external_key'],
    ]);
  });
});

describe('jsonencode of a reference', () => {
  it('is unknown (not linted, with a warning), not a malformed policy', async () => {
    const { sourcesFromTerraformJson } = await import('../../../iac/terraform/json-config.js');
    const json = { resource: { aws_kms_key: { k: { policy: '${jsonencode(local.key_policy)}' } } } };
    const out = sourcesFromTerraformJson('main.tf.json', JSON.stringify(json), json);
    expect(out.sources).toEqual([]);
    expect(out.warnings).toEqual(['main.tf.json: aws_kms_key.k.policy is an expression known only at apply time (${jsonencode(local.key_policy)}); not linted']);
  });
});
