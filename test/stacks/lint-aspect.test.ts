import { describe, expect, it } from 'vitest';
import { KmsKey } from '../../stacks/constructs/kms-key.js';
import { KeyPolicyLintAspect } from '../../stacks/lint-aspect.js';
import { Aspects, KmsKeyPolicyResource, KmsKeyResource, Testing } from '../../stacks/provider.js';
import { ROLE, newStack } from './helpers.js';

function withLint() {
  const { stack } = newStack();
  const lint = new KeyPolicyLintAspect({ ownAccount: '111122223333' });
  Aspects.of(stack).add(lint);
  return { stack, lint };
}

const lockedOut = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE('app') }, Action: 'kms:Decrypt', Resource: '*' }] });

describe('KeyPolicyLintAspect', () => {
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
    expect(lint.findings.map((f) => [f.ruleId, f.resource])).toContainEqual(['cross-account-admin', expect.stringMatching(/^aws_kms_key\.Key_/)]);
  });

  it('passes the key settings to the key-configuration rules', () => {
    const { stack, lint } = withLint();
    new KmsKey(stack, 'Key', { enableKeyRotation: false });
    Testing.fullSynth(stack);
    expect(lint.findings.map((f) => [f.ruleId, f.severity, f.pointer])).toContainEqual(['rotation-disabled', 'warning', '/key/enable_key_rotation']);
  });

  it('leaves keys without a policy alone (AWS applies its default key policy)', () => {
    const { stack, lint } = withLint();
    new KmsKeyResource(stack, 'Raw');
    Testing.fullSynth(stack);
    expect(lint.findings).toEqual([]);
  });
});

describe('KeyPolicyLintAspect on helper-built policies', () => {
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

describe('KeyPolicyLintAspect across synths', () => {
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
