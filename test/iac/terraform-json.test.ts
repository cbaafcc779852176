import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_ACCOUNT_MARKER } from '../../iac/account.js';
import { lint, positionOf, read } from './helpers.js';
import { tmpdirWith } from './tmp.js';

// Real `cdktf synth` output (see test/fixtures/lint/generate-synth.ts.txt), in the cdktf.out layout.
const SYNTH = 'test/fixtures/lint/synth';
const KEYRING = join(SYNTH, 'stacks/keyring/cdk.tf.json');
const keyringText = readFileSync(KEYRING, 'utf8');

describe('cdktf.out', () => {
  it('reads every stack the manifest lists, naming resources with their stack', async () => {
    const { sources, model } = await read([SYNTH]);
    expect(model.files).toEqual([KEYRING, join(SYNTH, 'stacks/replicas/cdk.tf.json')]);
    expect(sources.map((s) => s.resource).sort()).toEqual([
      'keyring/aws_kms_key.default_key',
      'keyring/aws_kms_key.encoded_key',
      'keyring/aws_kms_key.file_key',
      'keyring/aws_kms_key.public_key',
      'keyring/aws_kms_key_policy.signing_key_policy',
      'replicas/aws_kms_replica_key.replica',
    ]);
  });

  it('gives the same sources for the stack folder and for its cdk.tf.json', async () => {
    const viaDir = await read([join(SYNTH, 'stacks/keyring')]);
    const viaFile = await read([KEYRING]);
    // The folder also holds policy.json, a policy file of its own.
    expect(JSON.stringify(viaDir.sources.filter((s) => s.resource !== undefined))).toEqual(JSON.stringify(viaFile.sources));
    expect(viaFile.sources.length).toBeGreaterThan(0);
  });

  it('places a policy string at its position in cdk.tf.json (the JSON contract)', async () => {
    const { sources } = await read([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key.public_key')!;
    expect(source.embeddedAt).toEqual(positionOf(keyringText, '"{\\"Version', '"public_key"'));
    expect(source.file).toBe(KEYRING);
  });

  it('writes the caller-identity account as the own account, id unknown', async () => {
    const { sources } = await read([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key.public_key')!;
    expect(source.ownAccount).toBe(OWN_ACCOUNT_MARKER);
    expect(source.account).toEqual({ source: 'unknown' });
    expect(source.text).toContain(`arn:aws:iam::${OWN_ACCOUNT_MARKER}:root`);
    expect(JSON.parse(source.text!)).toMatchObject({ Statement: [{ Sid: 'Root' }, { Sid: 'Anyone', Principal: '*' }] });
  });

  it('reads a ${jsonencode({...})} policy into a document, leaving references unknown', async () => {
    const { sources } = await read([KEYRING]);
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
    // Inside a JSON string every value is reported at the string.
    expect(source.positions!.get('/Statement/1/Principal')).toMatchObject(positionOf(keyringText, '"${jsonencode', '"encoded_key"'));
  });

  it('renders the aws_iam_policy_document a key policy refers to, with the key settings of its key', async () => {
    const { sources } = await read([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key_policy.signing_key_policy')!;
    expect(source.value).toMatchObject({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWN_ACCOUNT_MARKER}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Signers', Action: ['kms:Sign', 'kms:Verify'], Condition: { StringEquals: { 'kms:CallerAccount': OWN_ACCOUNT_MARKER } } },
      ],
    });
    expect(source.key).toMatchObject({ resourceType: 'aws_kms_key_policy', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', deletionWindowInDays: 7 });
    // The document's statements are where a fix goes.
    expect(source.positions!.get('/Statement/1')!.line).toBeGreaterThan(positionOf(keyringText, '"signing_policy"').line);
    expect(sources.some((s) => s.resource === 'keyring/aws_kms_key.signing_key')).toBe(false);
  });

  it('gives a key without a policy the AWS default key policy, so its settings are still checked', async () => {
    const { sources } = await read([KEYRING]);
    const source = sources.find((s) => s.resource === 'keyring/aws_kms_key.default_key')!;
    expect(source.value).toMatchObject({ Statement: [{ Principal: { AWS: `arn:aws:iam::${OWN_ACCOUNT_MARKER}:root` }, Action: 'kms:*' }] });
    expect(source.key).toMatchObject({ resourceType: 'aws_kms_key', enableKeyRotation: false });
    expect(source.key?.attributePositions?.enable_key_rotation).toMatchObject(positionOf(keyringText, 'false', '"default_key"'));
  });

  it('reads a file() policy from the stack folder, where Terraform reads it', async () => {
    const { sources } = await read([KEYRING]);
    const s = sources.find((x) => x.resource === 'keyring/aws_kms_key.file_key')!;
    expect(s.file).toBe(join(SYNTH, 'stacks/keyring/policy.json'));
    expect(JSON.parse(s.text!)).toMatchObject({ Statement: [{ Sid: 'Root' }] });
  });

  it('reports a file() that cannot be read as unreadable, at the attribute', async () => {
    const text = JSON.stringify({ resource: { aws_kms_key: { k: { policy: '${file("missing.json")}' } } } }, null, 2);
    const dir = tmpdirWith({ 'main.tf.json': text });
    const { findings } = await lint([dir]);
    const f = findings.find((x) => x.ruleId === 'unreadable-input')!;
    expect(f.resource).toBe('aws_kms_key.k');
    expect(f.message).toMatch(/aws_kms_key\.k\.policy reads .*missing\.json, which cannot be read: no such file or directory/);
    expect(f.line).toBe(positionOf(text, '"${file').line);
  });

  it('reads references as unknown (null) key settings', async () => {
    const dir = tmpdirWith({ 'main.tf.json': JSON.stringify({ resource: { aws_kms_key: { k: { enable_key_rotation: '${var.rotate}', deletion_window_in_days: 7, policy: '{"Statement":[]}' } } } }) });
    const { sources } = await read([dir]);
    expect(sources[0]?.key).toMatchObject({ enableKeyRotation: null, deletionWindowInDays: 7 });
    expect(sources[0]?.resource).toBe('aws_kms_key.k');
  });

  it('turns $${...} into the ${...} AWS receives, also in aws_iam_policy_document blocks', async () => {
    const policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:username': '$${aws:username}', x: '$${data.aws_caller_identity.me.account_id}' } } }],
    });
    const dir = tmpdirWith({
      'a.tf.json': JSON.stringify({ resource: { aws_kms_key: { k: { policy } } } }),
      'b.tf.json': JSON.stringify({
        data: { aws_iam_policy_document: { d: { statement: [{ actions: ['kms:Decrypt'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['*'] }], condition: [{ test: 'StringEquals', variable: 'aws:PrincipalTag/team', values: ['$${aws:username}'] }] }] } } },
        resource: { aws_kms_key: { j: { policy: '${data.aws_iam_policy_document.d.json}' } } },
      }),
    });
    const { sources } = await read([dir]);
    const doc = JSON.parse(sources.find((s) => s.resource === 'aws_kms_key.k')!.text!) as { Statement: Array<{ Principal: { AWS: string }; Condition: { StringEquals: Record<string, string> } }> };
    expect(doc.Statement[0]!.Principal.AWS).toBe(`arn:aws:iam::${OWN_ACCOUNT_MARKER}:root`);
    expect(doc.Statement[0]!.Condition.StringEquals).toEqual({ 'aws:username': '${aws:username}', x: '${data.aws_caller_identity.me.account_id}' });
    expect(sources.find((s) => s.resource === 'aws_kms_key.j')!.value).toMatchObject({ Statement: [{ Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' } } }] });
  });

  it('lints external keys and their replicas, which carry external key settings', async () => {
    const policy = JSON.stringify({ Statement: [] });
    const dir = tmpdirWith({ 'main.tf.json': JSON.stringify({ resource: { aws_kms_external_key: { e: { policy } }, aws_kms_replica_external_key: { r: { policy, primary_key_arn: 'arn:aws:kms:us-east-1:111122223333:key/mrk-1' } } } }) });
    const { sources } = await read([dir]);
    expect(sources.map((s) => [s.resource, s.key?.resourceType])).toEqual([
      ['aws_kms_external_key.e', 'aws_kms_external_key'],
      ['aws_kms_replica_external_key.r', 'aws_kms_external_key'],
    ]);
  });

  it('notes a jsonencode of a reference as unknown, not a malformed policy', async () => {
    const dir = tmpdirWith({ 'main.tf.json': JSON.stringify({ resource: { aws_kms_key: { k: { policy: '${jsonencode(local.key_policy)}' } } } }) });
    const { sources, model } = await read([dir]);
    expect(sources).toEqual([]);
    expect(model.notes).toEqual([expect.stringMatching(/aws_kms_key\.k\.policy is jsonencode\(local\.key_policy\), known only at apply time; not linted$/)]);
  });

  it('reads the .tf and .tf.json files of one folder as one module', async () => {
    const dir = tmpdirWith({
      'doc.tf.json': JSON.stringify({ data: { aws_iam_policy_document: { d: { statement: [{ actions: ['kms:*'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['*'] }] }] } } } }),
      'main.tf': 'resource "aws_kms_key" "k" {\n  policy = data.aws_iam_policy_document.d.json\n}\n',
    });
    const { findings } = await lint([dir]);
    expect(findings.map((f) => f.ruleId)).toContain('public-principal');
  });
});
