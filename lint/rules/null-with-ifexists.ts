import { operatorPointer, parseOperator } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

export const rule: Rule = {
  id: 'null-with-ifexists',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'The Null operator with the IfExists suffix (NullIfExists).',
    rationale:
      'Null already tests whether a key is present; IfExists makes the condition true whenever the key is absent, so "NullIfExists": {"k": "false"} (require k) passes requests without k. IAM documents IfExists for every operator except Null.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      const seen = new Set<string>();
      for (const c of st.conditions) {
        const op = parseOperator(c.operator);
        const pointer = operatorPointer(c);
        if (op.base.toLowerCase() !== 'null' || !op.ifExists || seen.has(pointer)) continue;
        seen.add(pointer);
        out.push({ pointer, message: `"${c.operator}": IfExists has no meaning on Null, which itself tests for presence; use "Null".` });
      }
    }
    return out;
  },
};
