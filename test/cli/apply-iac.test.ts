/**
 * `kmskit apply` on what platform teams have besides cdktf.out: a plain Terraform folder, a
 * CloudFormation template, cdk.out. Read through iac/, the reader `kmskit lint` uses.
 */
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_TAG, applyStacks } from '../../apply/apply.js';
import { createEmulator, type Emulator } from '../../emulator/emulator.js';
import { tmpdirWith } from '../iac/tmp.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

// A Terraform folder without the file() of the lint fixture's heredoc trailing comma: apply needs valid policies.
const TF = tmpdirWith({
  'main.tf': `
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { team = "payments" }
  }
}
data "aws_caller_identity" "current" {}
variable "app_role" {
  default = "arn:aws:iam::111122223333:role/payments-app"
}
resource "aws_kms_key" "payments" {
  description         = "payments data"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "App", Effect = "Allow", Principal = { AWS = var.app_role }, Action = ["kms:Encrypt", "kms:Decrypt"], Resource = "*" },
    ]
  })
}
resource "aws_kms_alias" "payments" {
  name          = "alias/payments"
  target_key_id = aws_kms_key.payments.key_id
}
resource "aws_kms_grant" "reader" {
  name              = "reader"
  key_id            = aws_kms_key.payments.key_id
  grantee_principal = "arn:aws:iam::111122223333:role/reader"
  operations        = ["Decrypt"]
}
resource "aws_s3_bucket" "data" {
  bucket = "payments-data"
}
`,
});

const CFN = 'test/fixtures/iac/cloudformation/data-key.yaml';

describe('kmskit apply: a plain Terraform folder', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ region: 'us-east-1' });
  });
  afterAll(() => emulator.close());

  it('creates its keys, aliases and grants, in the provider region, with the address tag and default tags', async () => {
    const result = await applyStacks({ paths: [TF], emulator });
    expect(result.resources.map((r) => [r.action, r.type, r.address, r.region])).toEqual([
      ['created', 'aws_kms_key', 'aws_kms_key.payments', 'eu-west-1'],
      ['created', 'aws_kms_alias', 'aws_kms_alias.payments', 'eu-west-1'],
      ['created', 'aws_kms_grant', 'aws_kms_grant.reader', 'eu-west-1'],
    ]);
    expect(result.skipped).toEqual({ aws_s3_bucket: 1 });
    const meta = (await emulator.send('DescribeKey', { KeyId: 'alias/payments' }, { region: 'eu-west-1' })).KeyMetadata as { KeyId: string };
    const tags = (await emulator.send('ListResourceTags', { KeyId: meta.KeyId }, { region: 'eu-west-1' })).Tags as Array<{ TagKey: string; TagValue: string }>;
    expect(Object.fromEntries(tags.map((t) => [t.TagKey, t.TagValue]))).toEqual({ team: 'payments', [ADDRESS_TAG]: `${relative(process.cwd(), TF)}/aws_kms_key.payments` });
    const policy = JSON.parse(String((await emulator.send('GetKeyPolicy', { KeyId: meta.KeyId, PolicyName: 'default' }, { region: 'eu-west-1' })).Policy)) as { Statement: Array<{ Principal: { AWS: string } }> };
    // The own account is the emulator's; the variable takes its default.
    expect(policy.Statement.map((s) => s.Principal.AWS)).toEqual([`arn:aws:iam::${emulator.account}:root`, 'arn:aws:iam::111122223333:role/payments-app']);
    const rotation = await emulator.send('GetKeyRotationStatus', { KeyId: meta.KeyId }, { region: 'eu-west-1' });
    expect(rotation.KeyRotationEnabled).toBe(true);
  });

  it('lets the role the policy names use the key through the alias', async () => {
    const app = { principal: 'arn:aws:iam::111122223333:role/payments-app', region: 'eu-west-1' };
    const out = await emulator.send('Encrypt', { KeyId: 'alias/payments', Plaintext: b64('paid') }, app);
    const back = await emulator.send('Decrypt', { CiphertextBlob: out.CiphertextBlob }, app);
    expect(Buffer.from(String(back.Plaintext), 'base64').toString()).toBe('paid');
  });

  it('is idempotent: the second apply creates nothing', async () => {
    const again = await applyStacks({ paths: [TF], emulator });
    expect(again.created).toEqual([]);
    expect(again.unchanged.map((r) => r.address)).toEqual(['aws_kms_key.payments', 'aws_kms_alias.payments', 'aws_kms_grant.reader']);
  });
});

describe('kmskit apply: a CloudFormation template', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ region: 'eu-central-1' });
  });
  afterAll(() => emulator.close());

  it('creates the key and the alias, resolving !Ref, !Sub and parameter defaults, and the default Fn::If branch', async () => {
    const result = await applyStacks({ paths: [CFN], emulator });
    expect(result.resources.map((r) => [r.action, r.type, r.stack, r.address])).toEqual([
      ['created', 'aws_kms_key', 'data-key', 'DataKey'],
      ['created', 'aws_kms_alias', 'data-key', 'DataKeyAlias'],
    ]);
    expect(result.skipped).toEqual({ 'AWS::S3::Bucket': 1 });
    const meta = (await emulator.send('DescribeKey', { KeyId: 'alias/data' })).KeyMetadata as { KeyId: string; Description: string };
    expect(meta.Description).toBe('data key (${Ref:Environment})'.replace('${Ref:Environment}', 'dev'));
    const policy = JSON.parse(String((await emulator.send('GetKeyPolicy', { KeyId: meta.KeyId, PolicyName: 'default' })).Policy)) as { Statement: Array<{ Sid: string; Principal: unknown }> };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['Root', 'Admins']);
    expect(policy.Statement[1]!.Principal).toEqual({ AWS: `arn:aws:iam::${emulator.account}:role/kms-admin` });
  });

  it('is idempotent', async () => {
    const again = await applyStacks({ paths: [CFN], emulator });
    expect(again.created).toEqual([]);
    expect(again.resources).toHaveLength(2);
  });

  it('creates the keys of a cdk.out, aliases pointing at them by GetAtt', async () => {
    const result = await applyStacks({ paths: ['test/fixtures/iac/cdk.out'], emulator });
    expect(result.resources.map((r) => [r.action, r.stack, r.address])).toEqual([
      ['created', 'KeysStack', 'AppKey2B71A8E4'],
      ['created', 'KeysStack', 'AppKeyAlias4B4CFA1B'],
      ['created', 'shared-keys', 'SharedKey'],
    ]);
    const alias = (await emulator.send('DescribeKey', { KeyId: 'alias/app' }, { region: 'eu-west-1' })).KeyMetadata as { Arn: string };
    expect(alias.Arn).toBe(result.resources[0]!.keyArn);
  });
});

describe('kmskit apply: what it cannot apply', () => {
  it('refuses input with a syntax error before creating anything, naming file, line and column', async () => {
    const dir = tmpdirWith({ 'main.tf': 'resource "aws_kms_key" "k" {\n  description = \n}\n' });
    const emulator = await createEmulator();
    try {
      await expect(applyStacks({ paths: [dir], emulator })).rejects.toThrow(/main\.tf:\d+:\d+: HCL syntax error/);
      expect((await emulator.send('ListKeys', {})).Keys).toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it('says that a plan or a policy file describes nothing to create', async () => {
    const emulator = await createEmulator();
    try {
      await expect(applyStacks({ paths: ['test/fixtures/lint/policies/default.json'], emulator })).rejects.toThrow(/nothing to apply \(policy inputs/);
    } finally {
      await emulator.close();
    }
  });
});

describe('kmskit apply: aws_kms_external_key (imported key material)', () => {
  it('creates the key with Origin EXTERNAL and imports the material, as the Terraform provider does', async (ctx) => {
    const emulator = await createEmulator();
    try {
      const probe = await emulator.send('CreateKey', { Origin: 'EXTERNAL' }).catch((e: { code?: string }) => e);
      if ((probe as { code?: string }).code === 'UnsupportedOperationException') {
        console.log('skipped: this emulator does not support CreateKey with Origin EXTERNAL yet (imported key material)');
        ctx.skip();
        return;
      }
      const material = Buffer.alloc(32, 7).toString('base64');
      const dir = tmpdirWith({ 'main.tf': `resource "aws_kms_external_key" "imported" {\n  description         = "imported"\n  key_material_base64 = "${material}"\n}\n` });
      const result = await applyStacks({ paths: [dir], emulator });
      expect(result.resources.map((r) => [r.action, r.type])).toEqual([['created', 'aws_kms_external_key']]);
      const meta = (await emulator.send('DescribeKey', { KeyId: result.resources[0]!.keyArn })).KeyMetadata as { Origin: string; KeyState: string };
      expect(meta).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'Enabled' });
      const again = await applyStacks({ paths: [dir], emulator });
      expect(again.created).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
