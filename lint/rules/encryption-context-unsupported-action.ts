import { ENCRYPTION_CONTEXT_ACTIONS } from '../../policies/perms.js';
import { coveredActions, hasUnresolvedAction, isEncryptionContextKey } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

const CONTEXT_ACTIONS = new Set(ENCRYPTION_CONTEXT_ACTIONS.map((a) => a.toLowerCase()));

export const rule: Rule = {
  id: 'encryption-context-unsupported-action',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'An encryption-context condition on a statement none of whose actions carries an encryption context (e.g. DescribeKey alone).',
    rationale:
      'Only Encrypt, Decrypt, ReEncrypt*, GenerateDataKey* and the grant operations carry an encryption context. On any other action the kms:EncryptionContext condition key is absent, so an Allow never applies and a Deny with a negated operator always does: the statement cannot do what it says.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      const ec = st.conditions.find((c) => isEncryptionContextKey(c.keyLower) || c.keyLower === 'kms:encryptioncontextkeys');
      if (!ec || !st.actions || hasUnresolvedAction(st)) continue;
      const covered = [...coveredActions(st)];
      if (covered.length === 0 || covered.some((a) => CONTEXT_ACTIONS.has(a.toLowerCase()))) continue;
      out.push({ pointer: ec.pointer, message: `"${ec.key}" is never present on ${covered.join(', ')}: none of them carries an encryption context.` });
    }
    return out;
  },
};
