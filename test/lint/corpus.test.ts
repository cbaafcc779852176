/**
 * The real-world corpus (test/lint/corpus/key-policies.json): the linter reports exactly the
 * reviewed defects of each policy, and `kmskit explain` agrees with it on public exposure.
 */
import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../lint/engine.js';
import { explainPolicy } from '../../lint/explain.js';
import { loadCorpus, sourceOf } from './corpus/corpus.js';

const entries = loadCorpus();
const key = (x: { rule?: string; ruleId?: string; pointer: string }): string => `${x.rule ?? x.ruleId} ${x.pointer}`;

describe('the real-world key-policy corpus', () => {
  it('holds a sizeable collection, every policy with its provenance', () => {
    expect(entries.length).toBeGreaterThanOrEqual(100);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    for (const e of entries) {
      expect(e.source, e.id).toMatch(/^https:\/\/(github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\/|gist\.github\.com\/)/);
      expect(e.at, e.id).not.toBe('');
      expect([e.policy, e.statement, e.text].filter((v) => v !== undefined), e.id).toHaveLength(1);
    }
  });

  for (const e of entries) {
    it(`reports the reviewed defects: ${e.id}`, () => {
      const actual = lintPolicy(sourceOf(e)).map(key).sort();
      expect(actual).toEqual(e.defects.map(key).sort());
    });
  }

  it('agrees with kmskit explain: a policy is public in one exactly when it is in the other', () => {
    const disagreements: string[] = [];
    for (const e of entries) {
      const source = sourceOf(e);
      const linted = lintPolicy(source).some((f) => f.ruleId === 'public-principal');
      const explained = explainPolicy(source).publicAccess.length > 0;
      if (linted !== explained) disagreements.push(`${e.id}: lint ${linted ? 'public' : 'not public'}, explain ${explained ? 'public' : 'not public'}`);
    }
    expect(disagreements).toEqual([]);
  });
});
