import { isEncryptionContextKey, parseOperator } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

export const rule: Rule = {
  id: 'encryption-context-forallvalues',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A set operator (ForAllValues:/ForAnyValue:) on kms:EncryptionContext:<key>.',
    rationale:
      'kms:EncryptionContext:<key> is single-valued: each context key has one value. KMS rejects a set operator on it; to constrain the set of context keys use kms:EncryptionContextKeys instead.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const c of st.conditions) {
        const op = parseOperator(c.operator);
        if (!op.set || !isEncryptionContextKey(c.keyLower)) continue;
        out.push({ pointer: c.pointer, message: `"${c.key}" is single-valued; drop ${op.set}: (write ${c.operator.slice(c.operator.indexOf(':') + 1)}) or use kms:EncryptionContextKeys to constrain the key names.` });
      }
    }
    return out;
  },
};
