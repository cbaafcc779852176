import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_ACCOUNT_MARKER } from '../../iac/account.js';
import { lint, positionOf, read } from './helpers.js';

// A Terraform module as platform teams write it: heredoc, jsonencode, aws_iam_policy_document,
// templatefile, a variable with a default, locals, provider allowed_account_ids.
const APP = 'test/fixtures/iac/terraform/app';
const MAIN = join(APP, 'main.tf');
const POLICIES = join(APP, 'policies.tf');
const TEMPLATE = join(APP, 'templates/key-policy.json.tpl');
const main = readFileSync(MAIN, 'utf8');
const policies = readFileSync(POLICIES, 'utf8');
const template = readFileSync(TEMPLATE, 'utf8');

describe('Terraform HCL: a folder is one module', () => {
  it('reads every key, key policy, alias and grant of the folder, with addresses', async () => {
    const { model } = await read([APP]);
    expect(model.units).toHaveLength(1);
    expect(model.units[0]!.resources.map((r) => `${r.kind} ${r.address}`).sort()).toEqual([
      'alias aws_kms_alias.payments',
      'grant aws_kms_grant.app',
      'key aws_kms_key.ledger',
      'key aws_kms_key.payments',
      'key aws_kms_key.reports',
      'key aws_kms_key.signing',
      'key-policy aws_kms_key_policy.signing',
    ]);
    expect(model.files.sort()).toEqual([MAIN, POLICIES, join(APP, 'variables.tf')].sort());
  });

  it('takes the own account from the provider\'s allowed_account_ids', async () => {
    const { sources } = await read([APP]);
    const ledger = sources.find((s) => s.resource === 'aws_kms_key.ledger')!;
    expect(ledger.account).toEqual({ id: '111122223333', source: 'provider' });
    expect(JSON.stringify(ledger.value)).toContain('arn:aws:iam::111122223333:root');
  });

  it('lets --account override the provider', async () => {
    const { sources } = await read([APP], { account: '123456789012' });
    expect(sources.every((s) => s.account?.id === '123456789012')).toBe(true);
  });
});

describe('Terraform HCL: heredoc policies', () => {
  it('reports the trailing comma of a heredoc as invalid-json at its line in main.tf, and still finds the public statement', async () => {
    const { findings } = await lint([APP]);
    const payments = findings.filter((f) => f.resource === 'aws_kms_key.payments');
    const json = payments.find((f) => f.ruleId === 'invalid-json')!;
    // The parser stops at the `]` after the trailing comma.
    const closing = main.indexOf(']', main.indexOf('"Sid": "Everyone"'));
    expect({ line: json.line, column: json.column }).toEqual(positionOf(main, ']', '"Sid": "Everyone"'));
    expect(closing).toBeGreaterThan(0);
    expect(json.message).toContain(`at line ${json.line}, column ${json.column}`);
    const open = payments.find((f) => f.ruleId === 'public-principal')!;
    expect(open.file).toBe(MAIN);
    expect({ line: open.line, column: open.column }).toEqual(positionOf(main, '"Principal": "*"', '"Sid": "Everyone"'));
  });

  it('strips the indentation of <<- and keeps each line at its own place', async () => {
    const { sources } = await read([APP]);
    const s = sources.find((x) => x.resource === 'aws_kms_key.payments')!;
    expect(s.text!.startsWith('{\n  "Version"')).toBe(true);
    const at = s.text!.indexOf('"Sid": "Root"');
    expect(s.locate!(at)).toEqual({ file: MAIN, ...positionOf(main, '"Sid": "Root"') });
  });

  it('reads the caller-identity account in a heredoc as the own account', async () => {
    const { sources } = await read([APP]);
    const s = sources.find((x) => x.resource === 'aws_kms_key.payments')!;
    expect(s.text).toContain('"arn:aws:iam::111122223333:root"');
    const { sources: unknown } = await read([MAIN]);
    expect(unknown.find((x) => x.resource === 'aws_kms_key.payments')!.text).toContain(`arn:aws:iam::111122223333:root`);
  });
});

describe('Terraform HCL: jsonencode', () => {
  it('reads the object, with references unknown but the known parts kept', async () => {
    const { sources } = await read([APP]);
    const s = sources.find((x) => x.resource === 'aws_kms_key.ledger')!;
    const doc = s.value as { Statement: Array<{ Sid: string; Principal: unknown; Resource: string; Action: unknown }> };
    expect(doc.Statement.map((st) => st.Sid)).toEqual(['Root', 'App', 'Partner']);
    // local.app_role is followed; data.aws_region stays unknown inside the ARN.
    expect(doc.Statement[1]!.Principal).toEqual({ AWS: 'arn:aws:iam::111122223333:role/payments-app' });
    expect(doc.Statement[1]!.Resource).toBe('arn:aws:kms:${data.aws_region.current.name}:111122223333:key/*');
  });

  it('points a finding at the element inside jsonencode, and an attribute finding at the attribute', async () => {
    const { findings } = await lint([APP]);
    const partner = findings.find((f) => f.ruleId === 'cross-account-admin' && f.resource === 'aws_kms_key.ledger')!;
    // Like a policy file's, a member's finding sits at its key.
    expect({ line: partner.line, column: partner.column }).toEqual(positionOf(main, 'AWS = "arn:aws:iam::444455556666:root"'));
    const rotation = findings.find((f) => f.ruleId === 'rotation-disabled' && f.resource === 'aws_kms_key.ledger')!;
    expect({ line: rotation.line, column: rotation.column }).toEqual(positionOf(main, 'false', 'resource "aws_kms_key" "ledger"'));
  });
});

describe('Terraform HCL: aws_iam_policy_document', () => {
  it('renders statements, principals, conditions and source_policy_documents as the provider does', async () => {
    const { sources } = await read([APP]);
    const s = sources.find((x) => x.resource === 'aws_kms_key_policy.signing')!;
    expect(s.value).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Action: 'kms:*', Resource: '*', Principal: { AWS: 'arn:aws:iam::111122223333:root' } },
        { Sid: 'ViaService', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Sign', 'kms:Verify'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'lambda.eu-west-1.amazonaws.com' } } },
        { Sid: 'Signers', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/payments-app' }, Action: 'kms:Sign', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } },
      ],
    });
    // The key the policy belongs to lends its settings, and is not judged a second time.
    expect(s.key).toMatchObject({ resourceType: 'aws_kms_key_policy', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    expect(sources.some((x) => x.resource === 'aws_kms_key.signing')).toBe(false);
  });

  it('puts findings on the block in policies.tf where the fix goes', async () => {
    const { findings } = await lint([APP]);
    const f = findings.find((x) => x.ruleId === 'viaservice-without-calleraccount')!;
    expect(f.file).toBe(POLICIES);
    expect({ line: f.line, column: f.column }).toEqual(positionOf(policies, 'condition {', 'sid     = "ViaService"'));
  });
});

describe('Terraform HCL: templatefile()', () => {
  it('reads the template next to the module, binds its variables and reports in the template file', async () => {
    const { sources, findings } = await lint([APP]);
    const s = sources.find((x) => x.resource === 'aws_kms_key.reports')!;
    expect(s.file).toBe(TEMPLATE);
    const doc = JSON.parse(s.text!) as { Statement: Array<{ Principal: { AWS: unknown } }> };
    // var.admin_role is unknown to the linter (its default can be overridden); jsonencode() is JSON.
    expect(doc.Statement[0]!.Principal.AWS).toBe('${var.admin_role}');
    expect(doc.Statement[1]!.Principal.AWS).toEqual(['arn:aws:iam::111122223333:role/reports-reader']);
    const star = findings.find((f) => f.ruleId === 'kms-star-non-root')!;
    expect(star.file).toBe(TEMPLATE);
    expect(star.line).toBe(positionOf(template, '"Action": "kms:*"').line);
  });
});

describe('Terraform HCL: what the reader cannot know', () => {
  it('notes a policy that is a variable or a jsonencode of one, instead of guessing', async () => {
    const { tmpdirWith } = await import('./tmp.js');
    const dir = tmpdirWith({
      'main.tf': 'resource "aws_kms_key" "a" {\n  policy = var.policy\n}\nresource "aws_kms_key" "b" {\n  policy = jsonencode(local.doc)\n}\n',
    });
    const { sources, model } = await read([dir]);
    expect(sources).toEqual([]);
    expect(model.notes).toEqual([expect.stringMatching(/aws_kms_key\.a\.policy is var\.policy, known only at apply time; not linted/), expect.stringMatching(/aws_kms_key\.b\.policy is jsonencode\(local\.doc\), known only at apply time; not linted/)]);
  });

  it('reports an HCL syntax error at its place and still reads the rest of the file', async () => {
    const { tmpdirWith } = await import('./tmp.js');
    const text =
      'resource "aws_kms_key" "ok" {\n  enable_key_rotation = true\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "kms:*", Resource = "*" }] })\n}\n\nresource "aws_kms_alias" "broken" {\n  name = \n}\n';
    const dir = tmpdirWith({ 'main.tf': text });
    const { findings } = await lint([dir]);
    const parse = findings.find((f) => f.ruleId === 'parse-error')!;
    expect(parse.file).toBe(join(dir, 'main.tf'));
    expect(parse.line).toBeGreaterThanOrEqual(7);
    expect(findings.map((f) => f.ruleId)).toContain('public-principal');
  });

  it('keeps $${...} (how Terraform writes IAM policy variables) as the ${...} AWS receives', async () => {
    const { tmpdirWith } = await import('./tmp.js');
    const dir = tmpdirWith({
      'main.tf':
        'resource "aws_kms_key" "k" {\n  policy = jsonencode({\n    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*", Condition = { StringEquals = { "aws:username" = "$${aws:username}" } } }]\n  })\n}\n',
    });
    const { sources } = await read([dir]);
    expect(sources[0]!.value).toMatchObject({ Statement: [{ Condition: { StringEquals: { 'aws:username': '${aws:username}' } } }] });
  });

  it('reads a module without allowed_account_ids as "this account, id unknown"', async () => {
    const { tmpdirWith } = await import('./tmp.js');
    const dir = tmpdirWith({
      'main.tf':
        'data "aws_caller_identity" "me" {}\nresource "aws_kms_key" "k" {\n  enable_key_rotation = true\n  policy = jsonencode({ Statement = [\n    { Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:root" }, Action = "kms:*", Resource = "*" },\n    { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/admin" }, Action = ["kms:PutKeyPolicy"], Resource = "*" },\n  ] })\n}\n',
    });
    const { sources, findings } = await lint([dir]);
    expect(sources[0]!.account).toEqual({ source: 'unknown' });
    expect(JSON.stringify(sources[0]!.value)).toContain(`arn:aws:iam::${OWN_ACCOUNT_MARKER}:root`);
    // 111122223333 may well be this account: nothing says it differs.
    expect(findings.map((f) => f.ruleId)).not.toContain('cross-account-admin');
    const told = await lint([dir], { account: '999999999999' });
    expect(told.findings.map((f) => f.ruleId)).toContain('cross-account-admin');
  });
});
