import { afterEach, describe, expect, it } from 'vitest';
import { lintPolicy } from '../../lint/engine.js';
import { rules } from '../../lint/rules/index.js';
import type { Rule } from '../../lint/types.js';

/** 1-based line/column of the first occurrence of `needle` in `text` (plus `offset` characters). */
function positionOf(text: string, needle: string, offset = 0): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at + offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

const ROOT = 'arn:aws:iam::111122223333:root';
const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "${ROOT}"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Use",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
      "Action": ["kms:Encrypt", "kms:Decrpyt"],
      "Resource": "*"
    },
    {
      "Sid": "NoAction",
      "Effect": "Deny",
      "Principal": "*",
      "Resource": "*"
    }
  ]
}`;

describe('lintPolicy on a policy file', () => {
  const findings = lintPolicy({ file: 'policies/key.json', text });

  it('puts a finding on the line and column of the element it is about', () => {
    const f = findings.find((x) => x.ruleId === 'invalid-action');
    expect(f).toMatchObject({ pointer: '/Statement/1/Action/1', file: 'policies/key.json', sid: 'Use', severity: 'error', ...positionOf(text, '"kms:Decrpyt"') });
  });

  it('falls back to the nearest ancestor with a position for a missing element', () => {
    const f = findings.find((x) => x.ruleId === 'missing-action');
    expect(f?.pointer).toBe('/Statement/2/Action');
    expect(f).toMatchObject({ sid: 'NoAction', ...positionOf(text, '{\n      "Sid": "NoAction"') });
  });

  it('reports a missing element once, under the specific rule, not again as a schema error', () => {
    expect(findings.filter((x) => x.pointer === '/Statement/2/Action').map((x) => x.ruleId)).toEqual(['missing-action']);
  });

  it('sorts findings by position', () => {
    const keys = findings.map((f) => f.line * 10_000 + f.column);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it('reports malformed JSON where the parser stopped', () => {
    const bad = '{\n  "Version": "2012-10-17",\n  "Statement": [ , ]\n}';
    const [f, ...rest] = lintPolicy({ file: 'bad.json', text: bad });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'invalid-json', pointer: '', ...positionOf(bad, ', ]') });
  });

  it('reports a wrong-case Effect once, as invalid-effect', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }] };
    expect(lintPolicy({ file: 'x.json', value: doc }).filter((f) => f.pointer === '/Statement/0/Effect').map((f) => f.ruleId)).toEqual(['invalid-effect']);
  });
});

describe('lintPolicy positions and origin', () => {
  it('finds the position of a condition key whose name holds a slash (escaped as ~1 in the pointer)', () => {
    const t = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "${ROOT}"}, "Action": "kms:*", "Resource": "*",\n  "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}]}`;
    const f = lintPolicy({ file: 'x.json', text: t }).find((x) => x.ruleId === 'iam-only-condition-key');
    expect(f).toMatchObject({ pointer: '/Statement/0/Condition/StringEquals/aws:ResourceTag~1env', ...positionOf(t, '"aws:ResourceTag/env"') });
  });

  it('gives the Sid of a single statement object and leaves resource out when the source has none', () => {
    const [f] = lintPolicy({ file: 'x.json', value: { Version: '2012-10-17', Statement: { Sid: 'Only', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Decrpyt', Resource: '*' } } }).filter((x) => x.ruleId === 'invalid-action');
    expect(f).toMatchObject({ pointer: '/Statement/Action', sid: 'Only' });
    expect(f && 'resource' in f).toBe(false);
  });
});

describe('lintPolicy on embedded and rendered policies', () => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] };

  it('reports every finding of an embedded policy at the position of its string', () => {
    const findings = lintPolicy({ file: 'cdktf.out/stacks/app/cdk.tf.json', resource: 'aws_kms_key.main', text: JSON.stringify(doc, null, 2), embeddedAt: { line: 42, column: 17 } });
    expect(findings.length).toBeGreaterThan(1);
    for (const f of findings) expect(f).toMatchObject({ line: 42, column: 17, resource: 'aws_kms_key.main', file: 'cdktf.out/stacks/app/cdk.tf.json' });
  });

  it('uses line 1, column 1 for a value without text', () => {
    for (const f of lintPolicy({ file: 'plan.json', value: doc })) expect([f.line, f.column]).toEqual([1, 1]);
  });

  it('puts key-configuration findings at the Terraform attribute when the source knows it', () => {
    const findings = lintPolicy({
      file: 'main.tf.json',
      value: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }] },
      embeddedAt: { line: 3, column: 5 },
      key: { resourceType: 'aws_kms_key', enableKeyRotation: false, deletionWindowInDays: 3, attributePositions: { enable_key_rotation: { line: 9, column: 7 } } },
    });
    expect(findings.map((f) => [f.ruleId, f.pointer, f.line, f.column])).toEqual([
      ['deletion-window-out-of-range', '/key/deletion_window_in_days', 3, 5],
      ['rotation-disabled', '/key/enable_key_rotation', 9, 7],
    ]);
  });
});

describe('lintPolicy configuration', () => {
  const doc = { Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }] };

  it('uses the rule\'s own severity by default', () => {
    expect(lintPolicy({ file: 'x', value: doc }).map((f) => [f.ruleId, f.severity])).toEqual([['missing-version', rules['missing-version']?.severity]]);
  });

  it('accepts info as a severity', () => {
    expect(lintPolicy({ file: 'x', value: doc }, { rules: { 'missing-version': 'info' } }).map((f) => f.severity)).toEqual(['info']);
  });

  it('changes a severity and turns a rule off', () => {
    expect(lintPolicy({ file: 'x', value: doc }, { rules: { 'missing-version': 'error' } }).map((f) => f.severity)).toEqual(['error']);
    expect(lintPolicy({ file: 'x', value: doc }, { rules: { 'missing-version': 'off' } })).toEqual([]);
  });
});

describe('lintPolicy robustness', () => {
  const throwing: Rule = {
    id: 'test-throws',
    severity: 'warning',
    group: 'grammar',
    docs: { summary: 'test', rationale: 'test' },
    check() {
      throw new Error('boom');
    },
  };
  afterEach(() => {
    delete rules[throwing.id];
  });

  it('turns a rule that throws into a rule-error finding and still runs the others', () => {
    rules[throwing.id] = throwing;
    const findings = lintPolicy({ file: 'x.json', value: { Statement: [] } });
    const err = findings.find((f) => f.ruleId === 'rule-error');
    expect(err).toMatchObject({ severity: 'error', pointer: '' });
    expect(err?.message).toContain('test-throws');
    expect(err?.message).toContain('boom');
    expect(findings.some((f) => f.ruleId === 'missing-version')).toBe(true);
  });

  it('never throws on inputs that are not policies', () => {
    const circular: Record<string, unknown> = { Version: '2012-10-17' };
    circular.Statement = [{ Effect: 'Allow', Principal: circular, Action: 'kms:*', Resource: '*' }];
    const inputs = [undefined, null, 42, 'text', [], {}, circular, { Statement: 'x' }, { Statement: [null, 1, 'a'] }];
    for (const value of inputs) {
      const findings = lintPolicy({ file: 'x', value });
      expect(findings.filter((f) => f.ruleId === 'rule-error')).toEqual([]);
    }
    expect(lintPolicy({ file: 'empty.json', text: '' }).map((f) => f.ruleId)).toEqual(['invalid-json']);
  });

  it('raises nothing on Terraform references', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: '${var.admin_role_arns}' }, Action: '${var.admin_actions}', Resource: '${aws_kms_key.main.arn}' },
        {
          Sid: 'Everyone in the account via S3',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': '${data.aws_caller_identity.current.account_id}', 'kms:ViaService': 's3.${var.region}.amazonaws.com' } },
        },
        { Sid: 'Logs', Effect: 'Allow', Principal: { Service: 'logs.${var.region}.amazonaws.com' }, Action: 'kms:Encrypt*', Resource: '*', Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': '${aws_cloudwatch_log_group.app.arn}' } } },
      ],
    };
    expect(lintPolicy({ file: 'cdk.tf.json', value: doc, ownAccount: '${data.aws_caller_identity.current.account_id}' })).toEqual([]);
  });

  it('raises nothing on whole elements given as Terraform references', () => {
    const docs = [
      { Version: '2012-10-17', Statement: '${var.statements}' },
      { Version: '2012-10-17', Statement: [{ Sid: 'Admin', Effect: 'Allow', Principal: '${var.admin_principal}', Action: 'kms:*', Resource: '*' }] },
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
          { Sid: 'Shared', Effect: 'Allow', Principal: '*', Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: '*', Condition: '${var.sharing_conditions}' },
          { Sid: 'Svc', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: '${var.source_condition}' } },
        ],
      },
    ];
    for (const value of docs) expect(lintPolicy({ file: 'cdk.tf.json', value }).map((f) => `${f.ruleId} ${f.pointer}`)).toEqual([]);
  });
});
