/**
 * Linter fuzz: 10,000 mutated key policies, from the AWS-documented examples, through the whole
 * engine. The linter must never throw, must never turn a rule's own bug into a crash (a rule that
 * throws is a `rule-error` finding, and we want none), and every finding must be well-formed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../lint/engine.js';
import { prng } from './harness.js';

const COUNT = 10_000;
const seed = Number(process.env.KMSKIT_RELIABILITY_SEED ?? 1234);
const examplesDir = new URL('../../policies/examples/', import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, examplesDir), 'utf8')) as unknown);

const ODD_VALUES: unknown[] = [null, true, 0, -1, 1e308, '', '*', '${aws_iam_role.x.arn}', 'kms:*', 'arn:aws:iam::*:root', '\u0000', 'é', '🔑', [], {}, [[]], { AWS: [] }, 'x'.repeat(5000)];
const KEYS = ['Version', 'Statement', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'Condition', 'Sid', 'AWS', 'Service', 'StringEquals', 'ForAnyValue:StringLike', 'kms:EncryptionContext:x', 'kms:CallerAccount', 'Null', 'BoolIfExists'];

function mutate(value: unknown, random: () => number, depth = 0): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  if (depth > 6 || random() < 0.08) return pick(ODD_VALUES);
  if (Array.isArray(value)) {
    const copy = value.map((v) => (random() < 0.3 ? mutate(v, random, depth + 1) : v));
    if (random() < 0.2) copy.push(pick(ODD_VALUES));
    if (random() < 0.1) copy.splice(0, 1);
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (random() < 0.05) continue; // drop a member
      copy[random() < 0.03 ? k.toLowerCase() : k] = random() < 0.35 ? mutate(v, random, depth + 1) : v;
    }
    if (random() < 0.1) copy[pick(KEYS)] = pick(ODD_VALUES);
    return copy;
  }
  return random() < 0.5 ? pick(ODD_VALUES) : value;
}

function textMutation(text: string, random: () => number): string {
  const at = Math.floor(random() * text.length);
  switch (Math.floor(random() * 4)) {
    case 0: return text.slice(0, at); // truncated
    case 1: return text.slice(0, at) + text.slice(at + 1); // a character lost
    case 2: return text.slice(0, at) + '{[",:}'[Math.floor(random() * 6)] + text.slice(at);
    default: return text.slice(0, at) + '\uFFFD\u0007' + text.slice(at);
  }
}

describe('linter fuzz', () => {
  it(`lints ${COUNT} mutated policies without throwing (seed ${seed})`, () => {
    expect(examples.length).toBeGreaterThan(5);
    const random = prng(seed);
    const ruleErrors: string[] = [];
    let findings = 0;
    for (let i = 0; i < COUNT; i++) {
      const base = examples[i % examples.length];
      const mutated = mutate(base, random);
      const asText = random() < 0.5;
      const text = asText ? (random() < 0.3 ? textMutation(JSON.stringify(mutated, null, 2), random) : JSON.stringify(mutated, null, 2)) : undefined;
      const source = asText ? { file: `fuzz-${i}.json`, text } : { file: `fuzz-${i}.json`, value: mutated };
      const result = lintPolicy(source);
      expect(Array.isArray(result)).toBe(true);
      for (const f of result) {
        findings++;
        if (f.ruleId === 'rule-error') ruleErrors.push(`${i}: ${f.message}`);
        if (!(f.line >= 1 && f.column >= 1 && typeof f.pointer === 'string' && f.message.length > 0)) {
          throw new Error(`malformed finding for input ${i}: ${JSON.stringify(f)}`);
        }
      }
    }
    expect(findings).toBeGreaterThan(COUNT); // the mutations are bad policies: the linter must notice
    expect(ruleErrors.slice(0, 5)).toEqual([]);
  }, 120_000);
});
