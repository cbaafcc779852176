import { afterAll, describe, expect, it } from 'vitest';
import { KmsKey } from '../../stacks/constructs/kms-key.js';
import { KeyPolicyChecks } from '../../stacks/lint-aspect.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, AwsProvider, KmsKeyPolicyResource, KmsKeyResource, TerraformStack, Testing } from '../../stacks/provider.js';
import { ROLE, newStack } from './helpers.js';

function withLint() {
  const { stack } = newStack();
  const lint = new KeyPolicyChecks({ ownAccount: '111122223333' });
  Aspects.of(stack).add(lint);
  return { stack, lint };
}

const lockedOut = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE('app') }, Action: 'kms:Decrypt', Resource: '*' }] });

describe('KeyPolicyChecks', () => {
  it('fails synth with the rule id for a hand-written aws_kms_key that would lock the key out', () => {
    const { stack } = withLint();
    new KmsKeyResource(stack, 'Raw', { policy: lockedOut });
    expect(() => Testing.fullSynth(stack)).toThrow(/\[test\/Raw\] lockout-risk: /);
  });

  it('lints aws_kms_key_policy resources too', () => {
    const { stack } = withLint();
    const key = new KmsKeyResource(stack, 'Raw');
    new KmsKeyPolicyResource(stack, 'Policy', { keyId: key.keyId, policy: lockedOut });
    expect(() => Testing.fullSynth(stack)).toThrow(/\[test\/Policy\] lockout-risk: /);
  });

  it('reads the caller-identity account as the own account', () => {
    const { stack, lint } = withLint();
    new KmsKey(stack, 'Key', { admins: [ROLE('admin')] });
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(lint.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('reports an administrator in another account as an error with its rule id', () => {
    const { stack, lint } = withLint();
    new KmsKey(stack, 'Key', { admins: ['arn:aws:iam::444455556666:role/admin'] });
    expect(() => Testing.fullSynth(stack)).toThrow(/cross-account-admin: /);
    expect(lint.findings.map((f) => [f.ruleId, f.resource])).toContainEqual(['cross-account-admin', expect.stringMatching(/^test\/aws_kms_key\.Key_/)]);
  });

  it('passes the key settings to the key-configuration rules', () => {
    const { stack, lint } = withLint();
    new KmsKey(stack, 'Key', { enableKeyRotation: false });
    Testing.fullSynth(stack);
    expect(lint.findings.map((f) => [f.ruleId, f.severity, f.pointer])).toContainEqual(['rotation-disabled', 'warning', '/key/enable_key_rotation']);
  });

  it('judges a key without a policy with the default key policy AWS gives it, as kmskit lint does', () => {
    const { stack, lint } = withLint();
    new KmsKeyResource(stack, 'Raw');
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(lint.findings.map((f) => [f.ruleId, f.severity])).toEqual([['rotation-disabled', 'warning']]);
  });

  it('reads a policy written with Fn.jsonencode once the reader is prepared', async () => {
    const { Fn } = await import('../../stacks/provider.js');
    const { prepareKeyPolicyLint } = await import('../../stacks/lint-aspect.js');
    await prepareKeyPolicyLint();
    const { stack, lint } = withLint();
    new KmsKeyResource(stack, 'Encoded', {
      enableKeyRotation: true,
      policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] }),
    });
    expect(() => Testing.fullSynth(stack)).toThrow(/public-principal: /);
    expect(lint.findings.map((f) => f.ruleId)).toContain('public-principal');
  });
});

describe('KeyPolicyChecks on helper-built policies', () => {
  it('finds no errors when several log groups and services share one key', async () => {
    const { CloudwatchLogGroup, SqsQueue } = await import('../../stacks/provider.js');
    const { encryptLogGroup, encryptQueue } = await import('../../stacks/constructs/sse/index.js');
    const { stack, lint } = withLint();
    const key = new KmsKey(stack, 'Key', { admins: [ROLE('admin')], users: [ROLE('app')] });
    encryptLogGroup(new CloudwatchLogGroup(stack, 'A', { name: 'a' }), key);
    encryptLogGroup(new CloudwatchLogGroup(stack, 'B', { name: 'b' }), key);
    encryptQueue(new SqsQueue(stack, 'Q'), key, { principals: [ROLE('app'), ROLE('worker')] });
    key.grantDecrypt(ROLE('reader'));
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(lint.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('KeyPolicyChecks across synths', () => {
  it('reports a finding once however often the tree is synthesized', () => {
    const { stack, lint } = withLint();
    new KmsKey(stack, 'Key', { enableKeyRotation: false });
    Testing.synth(stack);
    Testing.synth(stack);
    expect(lint.findings.filter((f) => f.ruleId === 'rotation-disabled')).toHaveLength(1);
    const warnings = stack.node.findChild('Key').node.findChild('Resource').node.metadata.filter((m) => String(m.data).startsWith('rotation-disabled'));
    expect(warnings).toHaveLength(1);
  });
});

const openToAll = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' },
  ],
});

describe('KeyPolicyChecks error format', () => {
  it('names the construct path, rule id, stack, Terraform address and the place in the policy (with its Sid)', () => {
    const { stack } = withLint();
    new KmsKeyResource(stack, 'Orders', { policy: openToAll });
    let message = '';
    try {
      Testing.fullSynth(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[test\/Orders\] public-principal: .+ \[stack test, aws_kms_key\.Orders, policy \/Statement\/1\/Principal \(Sid "Open"\)\]/);
    expect(message).toMatch(/\[test\/Orders\] kms-star-non-root: .+ \[stack test, aws_kms_key\.Orders, policy \/Statement\/1[^\]]*\(Sid "Open"\)\]/);
  });

  it('names a key setting as such', () => {
    const { stack, lint } = withLint();
    new KmsKey(stack, 'Key', { enableKeyRotation: false });
    Testing.fullSynth(stack);
    const warning = stack.node.findChild('Key').node.findChild('Resource').node.metadata.map((m) => String(m.data)).find((d) => d.startsWith('rotation-disabled'));
    expect(warning).toMatch(/\[stack test, aws_kms_key\.Key_[0-9A-F]+, key setting enable_key_rotation\]$/);
    expect(lint.findings[0]).toMatchObject({ stack: 'test', constructPath: 'test/Key/Resource', ruleId: 'rotation-disabled' });
  });
});

describe('KeyPolicyChecks.addTo', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'kmskit-aspect-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('on an App covers every stack, also those created after the call, and app.synth() fails', () => {
    const app = new App({ outdir });
    const early = new TerraformStack(app, 'early');
    new AwsProvider(early, 'aws', { region: 'us-east-1' });
    const checks = KeyPolicyChecks.addTo(app);
    const late = new TerraformStack(app, 'late');
    new AwsProvider(late, 'aws', { region: 'us-east-1' });
    new KmsKeyResource(late, 'Open', { policy: openToAll });
    expect(() => app.synth()).toThrow(/\[late\/Open\] public-principal: .*\[stack late, aws_kms_key\.Open,/);
    expect(Aspects.of(early).all).toContain(checks);
  });

  it('an aspect added to the App the cdk-nag way is never run by cdktf (why addTo exists)', () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'prod');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new KmsKeyResource(stack, 'Open', { policy: openToAll });
    const checks = new KeyPolicyChecks();
    Aspects.of(app).add(checks);
    expect(() => app.synth()).not.toThrow();
    expect(checks.findings).toEqual([]);
  });

  it("takes the own account from the provider's allowedAccountIds, so a same-account admin is not cross-account", () => {
    const build = (allowedAccountIds?: string[]) => {
      const stack = new TerraformStack(Testing.app(), 'test');
      new AwsProvider(stack, 'aws', { region: 'us-east-1', ...(allowedAccountIds ? { allowedAccountIds } : {}) });
      const checks = KeyPolicyChecks.addTo(stack);
      new KmsKey(stack, 'Key', { admins: ['arn:aws:iam::111122223333:role/admin'], users: ['arn:aws:iam::111122223333:role/app'] });
      Testing.fullSynth(stack);
      return checks.findings.filter((f) => f.severity === 'error');
    };
    expect(build(['111122223333'])).toEqual([]);
    expect(() => build(['444455556666'])).toThrow(/cross-account-admin: arn:aws:iam::111122223333:role\/admin is in account 111122223333, not 444455556666/);
  });

  it('applies rule settings and suppressions from the config', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const checks = KeyPolicyChecks.addTo(stack, {
      config: { rules: { 'kms-star-non-root': 'off' }, suppressions: [{ rule: 'public-principal', resource: 'aws_kms_key.Open', reason: 'reviewed in SEC-1' }] },
    });
    new KmsKeyResource(stack, 'Open', { policy: openToAll });
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(checks.findings.map((f) => f.ruleId)).not.toContain('public-principal');
  });
});
