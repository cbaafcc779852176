import { describe, expect, it } from 'vitest';
import { rules } from '../../../lint/rules/index.js';
import { grammarTables } from './grammar.cases.js';
import { keyConfigurationTables } from './key-configuration.cases.js';
import { securityTables } from './security.cases.js';

const tables = [...grammarTables, ...securityTables, ...keyConfigurationTables];

describe('rule tables', () => {
  it('cover every registered rule (rule-error is exercised by the engine tests)', () => {
    const tested = new Set(tables.map((t) => t.ruleId));
    const untested = Object.keys(rules).filter((id) => id !== 'rule-error' && !tested.has(id));
    expect(untested).toEqual([]);
  });

  it('name only registered rules, each in the table of its own group', () => {
    for (const [group, list] of [['grammar', grammarTables], ['security', securityTables], ['key-configuration', keyConfigurationTables]] as const) {
      for (const t of list) expect(rules[t.ruleId]?.group, t.ruleId).toBe(group);
    }
  });
});
