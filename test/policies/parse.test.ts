import { describe, expect, it } from 'vitest';
import { parsePolicy, positionOf, splitConditionOperator, foldConditionKey } from '../../policies/parse.js';

const policyText = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": ["kms:Decrypt", "KMS:GenerateDataKey*"],
      "Resource": "*",
      "Condition": { "ForAnyValue:StringEqualsIfExists": { "kms:EncryptionContext:Dept": ["a", 10, true] } }
    }
  ]
}`;

describe('parsePolicy', () => {
  it('reports malformed JSON with the line and column where it breaks', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" "Action": "kms:*" }\n  ]\n}';
    const r = parsePolicy(text);
    expect(r.policy).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'invalid-json', pointer: '', position: { line: 4, column: 25 } });
    expect(r.problems[0]?.message).toContain('line 4, column 25');
  });

  it('reports an unterminated document at the end of the input', () => {
    const r = parsePolicy('{"Version": "2012-10-17",\n"Statement": [');
    expect(r.problems[0]?.code).toBe('invalid-json');
    expect(r.problems[0]?.position).toEqual({ line: 2, column: 15 });
  });

  it('rejects trailing commas, which IAM also rejects', () => {
    const r = parsePolicy('{"Statement": [],}');
    expect(r.problems[0]?.code).toBe('invalid-json');
  });

  it('normalises single values to lists and keeps the original text next to the folded form', () => {
    const r = parsePolicy(policyText);
    expect(r.problems).toEqual([]);
    const [root, pub] = r.policy!.statements;
    expect(root?.actions).toEqual([{ text: 'kms:*', lower: 'kms:*', pointer: '/Statement/0/Action' }]);
    expect(root?.principal?.aws).toEqual(['arn:aws:iam::111122223333:root']);
    expect(pub?.principal?.wildcard).toBe(true);
    expect(pub?.actions?.map((a) => a.lower)).toEqual(['kms:decrypt', 'kms:generatedatakey*']);
    expect(pub?.actions?.[1]?.text).toBe('KMS:GenerateDataKey*');
  });

  it('splits condition operators and stringifies values as IAM compares them', () => {
    const cond = parsePolicy(policyText).policy!.statements[1]!.conditions[0]!;
    expect(cond).toMatchObject({
      operator: 'ForAnyValue:StringEqualsIfExists',
      baseOperator: 'StringEquals',
      setOperator: 'ForAnyValue',
      ifExists: true,
      key: 'kms:EncryptionContext:Dept',
      keyLower: 'kms:encryptioncontext:dept',
      values: ['a', '10', 'true'],
      pointer: '/Statement/1/Condition/ForAnyValue:StringEqualsIfExists/kms:EncryptionContext:Dept',
    });
  });

  it('maps JSON Pointers to the line and column of the member key', () => {
    const r = parsePolicy(policyText);
    expect(r.positions.get('/Statement/1/Principal')).toEqual({ line: 13, column: 7 });
    const line14 = policyText.split('\n')[13]!;
    expect(r.positions.get('/Statement/1/Action/1')).toEqual({ line: 14, column: line14.indexOf('"KMS:GenerateDataKey*"') + 1 });
    expect(positionOf(r.positions, '/Statement/1/Action/9')).toEqual({ line: 14, column: 7 });
  });

  it('accepts a single statement object and points into it without an index', () => {
    const r = parsePolicy({ Version: '2012-10-17', Statement: { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' } });
    expect(r.problems).toEqual([]);
    expect(r.policy!.statements[0]?.pointer).toBe('/Statement');
    expect(r.policy!.statements[0]?.principal?.aws).toEqual(['*']);
  });

  it('returns wrong types, unknown and conflicting elements as problems with pointers', () => {
    const r = parsePolicy({
      Version: 2012,
      Statement: [
        { Effect: 'Allow', Action: ['kms:Encrypt', 7], NotAction: 'kms:Decrypt', Resource: '*', Principal: { Users: 'x' }, effect: 'Allow' },
        'not a statement',
      ],
    });
    const byCode = r.problems.map((p) => `${p.code} ${p.pointer}`).sort();
    expect(byCode).toEqual([
      'conflicting-elements /Statement/0/NotAction',
      'invalid-type /Statement/0/Action/1',
      'invalid-type /Statement/1',
      'invalid-type /Version',
      'unknown-element /Statement/0/Principal/Users',
      'unknown-element /Statement/0/effect',
    ]);
    expect(r.problems.find((p) => p.pointer === '/Statement/0/effect')?.message).toContain('did you mean "Effect"');
  });

  it('reports missing Effect, Action and Resource', () => {
    const r = parsePolicy({ Statement: [{ Principal: '*' }] });
    expect(r.problems.map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'missing-element /Statement/0/Effect',
      'missing-element /Statement/0/Action',
      'missing-element /Statement/0/Resource',
    ]);
  });

  it('reports duplicate keys, because only the last one takes effect', () => {
    const r = parsePolicy('{"Statement": {"Effect": "Deny", "Effect": "Allow", "Action": "kms:*", "Resource": "*"}}');
    expect(r.problems).toMatchObject([{ code: 'duplicate-key', pointer: '/Statement/Effect', position: { line: 1, column: 34 } }]);
    expect(r.policy!.statements[0]?.effect).toBe('Allow');
  });

  it('never throws, whatever it is given', () => {
    for (const input of [null, undefined, 42, [], '', '[1,2', '{"Statement": null}', { Statement: [null] }, { Statement: [{ Condition: [] }] }, '\u0000', '"x"']) {
      const r = parsePolicy(input);
      expect(Array.isArray(r.problems)).toBe(true);
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });

  it('does not let a __proto__ key pollute objects', () => {
    const r = parsePolicy('{"__proto__": {"polluted": true}, "Statement": []}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.problems.map((p) => p.code)).toContain('unknown-element');
  });
});

describe('condition helpers', () => {
  it('folds condition keys, the encryption-context key name included (KMS Developer Guide: kms:EncryptionContext:context-key)', () => {
    expect(foldConditionKey('KMS:EncryptionContext:AppName')).toBe('kms:encryptioncontext:appname');
    expect(foldConditionKey('kms:EncryptionContextKeys')).toBe('kms:encryptioncontextkeys');
    expect(foldConditionKey('AWS:SourceArn')).toBe('aws:sourcearn');
  });
  it('does not mistake an operator named IfExists for a suffix', () => {
    expect(splitConditionOperator('StringLikeIfExists')).toEqual({ baseOperator: 'StringLike', ifExists: true });
    expect(splitConditionOperator('ForAllValues:StringEquals')).toEqual({ baseOperator: 'StringEquals', setOperator: 'ForAllValues', ifExists: false });
  });
});
