/**
 * The per-rule table harness (typescript-eslint's RuleTester, reduced): each rule has `valid`
 * documents on which it must stay silent and `invalid` documents with the exact findings
 * (rule id + JSON Pointer) it must report. Cases run through the real engine, so parsing, schema
 * de-duplication and positions are part of what is tested.
 */
import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../../lint/engine.js';
import type { PolicySource } from '../../../lint/types.js';

export interface RuleCase {
  name: string;
  /** A policy as a value, or as JSON text when a string. */
  doc: unknown;
  /** Extra source fields (key settings, ownAccount, embeddedAt). */
  source?: Partial<PolicySource>;
}

export interface InvalidCase extends RuleCase {
  findings: Array<{ ruleId: string; pointer: string }>;
}

export interface RuleTable {
  ruleId: string;
  valid: RuleCase[];
  invalid: InvalidCase[];
}

export const OWN = '111122223333';
export const OTHER = '444455556666';
export const ROOT_ARN = `arn:aws:iam::${OWN}:root`;

/** AWS's default "Enable IAM User Permissions" statement. */
export const rootStatement = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT_ARN }, Action: 'kms:*', Resource: '*' };

/** A complete policy: Version, the root statement at /Statement/0, then `statements` from /Statement/1. */
export function policy(...statements: unknown[]): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: [rootStatement, ...statements] };
}

/** An Allow statement with the given principal, action(s) and extra elements. */
export function allow(principal: unknown, action: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra };
}

export function sourceFor(c: RuleCase): PolicySource {
  const base: PolicySource = typeof c.doc === 'string' ? { file: 'case.json', text: c.doc } : { file: 'case.json', value: c.doc };
  return { ...base, ...c.source };
}

export function runTables(tables: RuleTable[]): void {
  for (const table of tables) {
    describe(table.ruleId, () => {
      it('has at least one valid and one invalid case', () => {
        expect(table.valid.length).toBeGreaterThan(0);
        expect(table.invalid.length).toBeGreaterThan(0);
      });
      for (const c of table.valid) {
        it(`stays silent: ${c.name}`, () => {
          const findings = lintPolicy(sourceFor(c)).filter((f) => f.ruleId === table.ruleId || f.ruleId === 'rule-error');
          expect(findings.map((f) => `${f.ruleId} ${f.pointer}: ${f.message}`)).toEqual([]);
        });
      }
      for (const c of table.invalid) {
        it(`reports: ${c.name}`, () => {
          const ids = new Set([...c.findings.map((f) => f.ruleId), 'rule-error']);
          const actual = lintPolicy(sourceFor(c))
            .filter((f) => ids.has(f.ruleId))
            .map((f) => ({ ruleId: f.ruleId, pointer: f.pointer }));
          const sort = (xs: Array<{ ruleId: string; pointer: string }>) => [...xs].sort((a, b) => `${a.ruleId} ${a.pointer}`.localeCompare(`${b.ruleId} ${b.pointer}`));
          expect(sort(actual)).toEqual(sort(c.findings));
        });
      }
    });
  }
}
