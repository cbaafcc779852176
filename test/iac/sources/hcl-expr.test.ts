import { describe, expect, it } from 'vitest';
import {
  OWN_ACCOUNT_MARKER,
  policyDocumentReference,
  readJsonencode,
  resourceReference,
  substituteCallerAccount,
  wholeInterpolation,
} from '../../../iac/terraform/expressions.js';

describe('readJsonencode', () => {
  it('reads HCL object syntax as cdktf writes it', () => {
    const text =
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Sid" = "A", "Effect" = "Allow", "Action" = ["kms:*"], "Resource" = "*", "Condition" = {"Bool" = {"kms:GrantIsForAWSResource" = true}, "NumericLessThan" = {"x" = 10}}}]})}';
    const read = readJsonencode(text);
    expect(read).toEqual({
      ok: true,
      value: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['kms:*'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': true }, NumericLessThan: { x: 10 } } }],
      },
    });
  });

  it('reads bare keys, colons, newlines as separators and comments', () => {
    const read = readJsonencode('${jsonencode({\n  Version = "2012-10-17" # the current version\n  Statement: []\n})}');
    expect(read).toEqual({ ok: true, value: { Version: '2012-10-17', Statement: [] } });
  });

  it('keeps references as unknown ${...} values, and maps the caller account to the marker', () => {
    const read = readJsonencode('${jsonencode({"AWS" = data.aws_caller_identity.current.arn, "Account" = data.aws_caller_identity.me.account_id, "Root" = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:root", "F" = lower(var.x)})}');
    expect(read).toEqual({
      ok: true,
      value: { AWS: '${data.aws_caller_identity.current.arn}', Account: OWN_ACCOUNT_MARKER, Root: `arn:aws:iam::${OWN_ACCOUNT_MARKER}:root`, F: '${lower(var.x)}' },
    });
  });

  it('decodes string escapes and keeps $${ as a literal', () => {
    const read = readJsonencode('${jsonencode({"a" = "x\\"y\\\\z\\u0041", "b" = "$${aws:username}"})}');
    expect(read).toEqual({ ok: true, value: { a: 'x"y\\zA', b: '${aws:username}' } });
  });

  it('is undefined for text that is not one jsonencode() call', () => {
    expect(readJsonencode('{"Version":"2012-10-17"}')).toBeUndefined();
    expect(readJsonencode('${jsonencode({})}-${x}')).toBeUndefined();
    expect(readJsonencode('${aws_iam_policy.p.policy}')).toBeUndefined();
  });

  it('reports a jsonencode() it cannot read instead of guessing', () => {
    const read = readJsonencode('${jsonencode({"a" = [for s in var.list : s]})}');
    expect(read?.ok).toBe(false);
  });
});

describe('references', () => {
  it('recognises one whole interpolation, not two', () => {
    expect(wholeInterpolation('${a.b}')).toBe('a.b');
    expect(wholeInterpolation('${a}-${b}')).toBeUndefined();
    expect(wholeInterpolation('${jsonencode({"a" = "}"})}')).toBe('jsonencode({"a" = "}"})');
  });

  it('finds the policy document a key policy points to', () => {
    expect(policyDocumentReference('${data.aws_iam_policy_document.key_policy.json}')).toBe('key_policy');
    expect(policyDocumentReference('${data.aws_iam_policy_document.key_policy.minified_json}')).toBe('key_policy');
    expect(policyDocumentReference('${data.aws_iam_policy_document.key_policy.id}')).toBeUndefined();
  });

  it('finds the resource a key_id points to', () => {
    expect(resourceReference('${aws_kms_key.app.id}')).toEqual({ type: 'aws_kms_key', name: 'app' });
    expect(resourceReference('alias/app')).toBeUndefined();
  });

  it('substitutes every caller-identity account reference', () => {
    expect(substituteCallerAccount('a:${data.aws_caller_identity.x.account_id}:${data.aws_caller_identity.y.account_id}', '123')).toBe('a:123:123');
  });
});

describe('readJsonencode on arbitrary text', () => {
  it('never throws, whatever the expression', () => {
    const alphabet = ['{', '}', '[', ']', '(', ')', '"', '\\', '=', ':', ',', '\n', ' ', 'a', '1', '-', '${', '$${', '%{', 'true', 'null', 'x.y', '#', '/*', '*/', '//'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let readable = 0;
    for (let i = 0; i < 3000; i++) {
      let body = '';
      const len = random(40);
      for (let j = 0; j < len; j++) body += alphabet[random(alphabet.length)];
      const text = '${jsonencode(' + (i % 3 === 0 ? '{"a" = ' + body + '}' : body) + ')}';
      const out = readJsonencode(text);
      if (out?.ok) readable++;
      expect(out === undefined || typeof out.ok === 'boolean').toBe(true);
    }
    expect(readable).toBeGreaterThan(0);
  });
});

describe('template directives', () => {
  it('reads a %{...} directive inside a string as unknown', () => {
    const read = readJsonencode('${jsonencode({"Resource" = "%{if var.all}*%{else}arn:x%{endif}"})}');
    expect(read).toEqual({ ok: true, value: { Resource: '${if var.all}*${else}arn:x${endif}' } });
  });
});
