import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rules } from '../../../lint/rules/index.js';
import { grammarTables } from './grammar.cases.js';
import { keyConfigurationTables } from './key-configuration.cases.js';
import { securityTables } from './security.cases.js';

const tables = [...grammarTables, ...securityTables, ...keyConfigurationTables];

describe('rule tables', () => {
  it('cover every registered rule (rule-error is exercised by the engine tests, parse-error and unreadable-input by the reader tests)', () => {
    const tested = new Set(tables.map((t) => t.ruleId));
    const untested = Object.keys(rules).filter((id) => !['rule-error', 'parse-error', 'unreadable-input'].includes(id) && !tested.has(id));
    expect(untested).toEqual([]);
  });

  it('name only registered rules, each in the table of its own group', () => {
    for (const [group, list] of [['grammar', grammarTables], ['security', securityTables], ['key-configuration', keyConfigurationTables]] as const) {
      for (const t of list) expect(rules[t.ruleId]?.group, t.ruleId).toBe(group);
    }
  });

  it('register every rule file under its file name, and only those', async () => {
    const dir = new URL('../../../lint/rules/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3)).sort();
    expect(Object.keys(rules).sort()).toEqual(files);
    for (const id of files) {
      const mod = (await import(new URL(`${id}.ts`, dir).href)) as { rule?: { id: string } };
      expect(mod.rule?.id, `lint/rules/${id}.ts`).toBe(id);
      expect(rules[id]).toBe(mod.rule);
    }
  });

  it('give every rule a one-line summary and a rationale', () => {
    for (const r of Object.values(rules)) {
      expect(r.docs.summary, r.id).toMatch(/^\S.*\.$/);
      expect(r.docs.summary.includes('\n'), r.id).toBe(false);
      expect(r.docs.rationale.length, r.id).toBeGreaterThan(40);
    }
  });

  it('use the severities issue 3 specifies: warnings where it marks (w), errors elsewhere', () => {
    const warnings = ['missing-version', 'old-version', 'non-kms-action', 'iam-only-action', 'iam-only-condition-key', 'null-with-ifexists', 'wildcard-without-like', 'no-account-root-statement', 'admin-usage-not-separated', 'rotation-disabled'];
    const specified = ['invalid-json', 'invalid-version', 'invalid-effect', 'missing-principal', 'missing-action', 'missing-resource', 'resource-not-star', 'invalid-action', 'invalid-principal', 'invalid-condition-operator', 'invalid-condition-key', 'duplicate-sid', 'invalid-characters', 'policy-too-large', 'multivalued-key-without-set-operator', 'encryption-context-forallvalues', 'encryption-context-unsupported-action', 'public-principal', 'kms-star-non-root', 'lockout-risk', 'creategrant-unconstrained', 'notprincipal-allow', 'notaction-allow', 'service-principal-no-source', 'viaservice-without-calleraccount', 'cross-account-admin', 'rotation-unsupported', 'deletion-window-out-of-range', 'rotation-period-out-of-range', ...warnings];
    for (const id of specified) expect(rules[id]?.severity, id).toBe(warnings.includes(id) ? 'warning' : 'error');
  });
});
