import { findConditionKey } from '../catalog.js';
import { parseOperator } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'multivalued-key-without-set-operator',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A multivalued condition key (kms:EncryptionContextKeys, kms:GrantOperations, aws:TagKeys, ...) without ForAnyValue: or ForAllValues:.',
    rationale:
      'A multivalued key carries a list. Without a set operator IAM compares it as a single value, which matches only in corner cases, so the condition does not express "any of" or "all of" as intended. Which keys are multivalued comes from the catalog (type ArrayOf...). Null is exempt: it only tests presence.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const c of st.conditions) {
        if (isUnresolved(c.key)) continue;
        const op = parseOperator(c.operator);
        if (op.set || op.base.toLowerCase() === 'null') continue;
        const entry = findConditionKey(c.key);
        if (!entry || !entry.type.startsWith('ArrayOf')) continue;
        out.push({ pointer: c.pointer, message: `"${c.key}" is multivalued; write ForAnyValue:${c.operator} or ForAllValues:${c.operator}.` });
      }
    }
    return out;
  },
};
