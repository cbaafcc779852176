/**
 * Engine fuzz: 5,000 random and mutated documents (generated from the grammar, mutated from the AWS
 * examples, and damaged as text). The engine must never throw, no rule may fail (a rule-error
 * finding is a bug), and every finding must be well-formed. Seeded, so a failure reproduces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../lint/engine.js';
import { rules } from '../../lint/rules/index.js';
import type { Finding, PolicySource } from '../../lint/types.js';
import { prng } from '../helpers/prng.js';

const SEED = Number(process.env.KMSKIT_FUZZ_SEED ?? 20261122);
const COUNT = 5_000;


const dir = new URL('../../policies/examples/', import.meta.url);
const exampleTexts = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => readFileSync(new URL(f, dir), 'utf8'));

const STRINGS = ['*', '', 'Allow', 'Deny', 'allow', 'kms:*', 'kms:Decrypt', 'kms:Decrpyt', 'kms:Create*', 'kms:PutKeyPolicy', 'kms:CreateGrant', 's3:GetObject', 'Decrypt', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:role/x', 'arn:aws:iam::*:role/x', '111122223333', '1111', 'logs.us-east-1.amazonaws.com', 'logs', '${var.x}', '${data.aws_caller_identity.current.account_id}', 'arn:aws:logs:us-east-1:111122223333:*', 'true', 'false', '10.0.0.0/8', 'é', '’', '\u0000', '🔑', 'x'.repeat(300), '2012-10-17', '2008-10-17'];
const ELEMENT_KEYS = ['Version', 'Id', 'Statement', 'Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'AWS', 'Service', 'Federated', 'CanonicalUser', 'effect', 'Actions'];
const CONDITION_OPS = ['StringEquals', 'StringLike', 'ArnLike', 'ArnEquals', 'Bool', 'BoolIfExists', 'Null', 'NullIfExists', 'ForAnyValue:StringEquals', 'ForAllValues:StringLike', 'StringEqual', 'NumericLessThan', 'IpAddress', 'DateGreaterThan', 'Foo:Bar'];
const CONDITION_KEYS = ['kms:CallerAccount', 'kms:ViaService', 'kms:EncryptionContext:aws:logs:arn', 'kms:EncryptionContext:Dept', 'kms:EncryptionContextKeys', 'kms:GrantOperations', 'kms:GrantIsForAWSResource', 'aws:SourceArn', 'aws:SourceAccount', 'aws:PrincipalOrgID', 'aws:ResourceTag/env', 'aws:TagKeys', 'kms:CallerAcount', 'nokey', '${var.k}', 'aws:SourceIp'];

function generator(random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const maybeList = <T>(make: () => T): T | T[] => (random() < 0.5 ? make() : Array.from({ length: Math.floor(random() * 4) }, make));
  const scalar = (): unknown => (random() < 0.85 ? pick(STRINGS) : pick([null, true, 7, -1, 1e21, [], {}]));
  const principal = (): unknown => (random() < 0.2 ? pick(['*', 'AWS', 5]) : Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 2) }, () => [pick(['AWS', 'Service', 'Federated', 'aws']), maybeList(scalar)])));
  const condition = (): unknown => Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, () => [pick(CONDITION_OPS), Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 2) }, () => [pick(CONDITION_KEYS), maybeList(scalar)]))]));
  const statement = (): unknown => {
    const st: Record<string, unknown> = {};
    if (random() < 0.9) st.Effect = pick(['Allow', 'Deny', 'allow', 5]);
    if (random() < 0.5) st.Sid = random() < 0.9 ? pick(['A', 'B', 'Allow use of the key', '’']) : 3;
    if (random() < 0.8) st[random() < 0.85 ? 'Principal' : 'NotPrincipal'] = principal();
    if (random() < 0.9) st[random() < 0.85 ? 'Action' : 'NotAction'] = maybeList(scalar);
    if (random() < 0.9) st[random() < 0.9 ? 'Resource' : 'NotResource'] = maybeList(scalar);
    if (random() < 0.5) st.Condition = condition();
    if (random() < 0.05) st[pick(ELEMENT_KEYS)] = scalar();
    return st;
  };
  const document = (): unknown => {
    if (random() < 0.03) return scalar();
    const doc: Record<string, unknown> = {};
    if (random() < 0.85) doc.Version = pick(['2012-10-17', '2008-10-17', '2012-10-18', 2012]);
    if (random() < 0.95) doc.Statement = random() < 0.1 ? statement() : Array.from({ length: Math.floor(random() * 5) }, statement);
    if (random() < 0.05) doc[pick(ELEMENT_KEYS)] = scalar();
    return doc;
  };
  const mutateValue = (value: unknown, depth = 0): unknown => {
    if (depth > 8 || random() < 0.05) return scalar();
    if (Array.isArray(value)) return value.filter(() => random() > 0.1).map((v) => (random() < 0.3 ? mutateValue(v, depth + 1) : v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(() => random() > 0.05)
          .map(([k, v]) => [random() < 0.03 ? pick(ELEMENT_KEYS) : k, random() < 0.3 ? mutateValue(v, depth + 1) : v]),
      );
    }
    return random() < 0.5 ? scalar() : value;
  };
  const damageText = (text: string): string => {
    const chars = [...text];
    const edits = 1 + Math.floor(random() * 4);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(random() * (chars.length + 1));
      const op = random();
      if (op < 0.4) chars.splice(at, 1);
      else if (op < 0.8) chars.splice(at, 0, pick(['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', 'x', '\u0000', 'é']));
      else chars.splice(at, Math.floor(random() * 20));
    }
    return chars.join('');
  };
  return { pick, document, mutateValue, damageText };
}

function checkWellFormed(f: Finding, file: string): void {
  expect(rules[f.ruleId], f.ruleId).toBeDefined();
  expect(['error', 'warning', 'info']).toContain(f.severity);
  expect(f.file).toBe(file);
  expect(f.pointer === '' || f.pointer.startsWith('/')).toBe(true);
  expect(Number.isInteger(f.line) && f.line >= 1 && Number.isInteger(f.column) && f.column >= 1).toBe(true);
  expect(f.message.length).toBeGreaterThan(0);
}

describe('linter fuzz', () => {
  it(`lints ${COUNT} random and mutated documents without throwing or failing a rule (seed ${SEED})`, () => {
    const random = prng(SEED);
    const g = generator(random);
    let findings = 0;
    const ruleErrors: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const kind = i % 4;
      const source: PolicySource =
        kind === 0
          ? { file: `gen-${i}.json`, value: g.document() }
          : kind === 1
            ? { file: `gen-${i}.json`, text: JSON.stringify(g.document(), null, random() < 0.5 ? 2 : 0) ?? '' }
            : kind === 2
              ? { file: `mut-${i}.json`, text: JSON.stringify(g.mutateValue(JSON.parse(g.pick(exampleTexts)))) ?? '' }
              : { file: `dmg-${i}.json`, text: g.damageText(g.pick(exampleTexts)) };
      // Key settings, own account and embedding vary too: the key-configuration rules and the
      // position logic must take any combination.
      if (random() < 0.25) {
        Object.assign(source, {
          key: {
            resourceType: g.pick(['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_key_policy', 'aws_kms_external_key'] as const),
            keySpec: g.pick([undefined, null, 'SYMMETRIC_DEFAULT', 'RSA_2048', 'HMAC_256', '${var.spec}']),
            keyUsage: g.pick([undefined, null, 'ENCRYPT_DECRYPT', 'SIGN_VERIFY']),
            enableKeyRotation: g.pick([undefined, null, true, false]),
            rotationPeriodInDays: g.pick([undefined, null, 0, 90, 365, 2561, 1.5, Number.NaN]),
            deletionWindowInDays: g.pick([undefined, null, 7, 6, 31, -1]),
            attributePositions: g.pick([undefined, {}, { enable_key_rotation: { line: 3, column: 4 } }]),
          },
        });
      }
      if (random() < 0.2) Object.assign(source, { ownAccount: g.pick(['111122223333', '${data.aws_caller_identity.current.account_id}', '']) });
      if (random() < 0.2) Object.assign(source, { embeddedAt: { line: 7, column: 9 } });
      let result: Finding[] = [];
      expect(() => (result = lintPolicy(source)), `document ${i}`).not.toThrow();
      for (const f of result) {
        checkWellFormed(f, source.file);
        if (f.ruleId === 'rule-error') ruleErrors.push(`#${i}: ${f.message}`);
      }
      findings += result.length;
    }
    expect(ruleErrors).toEqual([]);
    // The generator is meant to produce broken documents: a fuzz run that finds nothing tested nothing.
    expect(findings).toBeGreaterThan(COUNT);
  });
});
