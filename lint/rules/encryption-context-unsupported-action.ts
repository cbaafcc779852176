import { ENCRYPTION_CONTEXT_ACTIONS } from '../../policies/perms.js';
import { coveredActions, hasUnresolvedAction, isEncryptionContextKey } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

const CONTEXT_ACTIONS = new Set(ENCRYPTION_CONTEXT_ACTIONS.map((a) => a.toLowerCase()));
const carriesContext = (action: string): boolean => CONTEXT_ACTIONS.has(action.toLowerCase());

export const rule: Rule = {
  id: 'encryption-context-unsupported-action',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'An encryption-context condition on a statement that lists actions which never carry an encryption context (DescribeKey, GetPublicKey, Sign, ...): for those actions the statement can never do what it says.',
    rationale:
      'Only Encrypt, Decrypt, ReEncrypt*, GenerateDataKey* and the grant operations carry an encryption context (AWS KMS Developer Guide, "kms:EncryptionContext:context-key"; the Service Authorization Reference lists the key on exactly those actions). On any other action the kms:EncryptionContext: and kms:EncryptionContextKeys condition keys are absent, so an Allow never applies to it (the action is unreachable through the statement) and a Deny with a negated operator always does. Reported at the condition when no action of the statement carries a context, and at each action named outright (kms:Sign, kms:DescribeKey) when only some do. A wildcard family that happens to cover no such action (kms:Describe*, as in AWS\'s CloudWatch Logs key policy) is reported only in the first case.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      const ec = st.conditions.find((c) => isEncryptionContextKey(c.keyLower) || c.keyLower === 'kms:encryptioncontextkeys');
      if (!ec || !st.actions || hasUnresolvedAction(st)) continue;
      const covered = [...coveredActions(st)];
      if (covered.length === 0) continue;
      if (!covered.some(carriesContext)) {
        out.push({ pointer: ec.pointer, message: `"${ec.key}" is never present on ${covered.join(', ')}: none of them carries an encryption context.` });
        continue;
      }
      for (const a of st.actions) {
        if (/[*?]/.test(a.text)) continue;
        // A name outside the catalog is invalid-action's.
        const named = covered.find((c) => c.toLowerCase() === a.lower);
        if (named === undefined || carriesContext(named)) continue;
        const what = st.effect === 'Deny' ? 'a Deny with a negated operator always applies to it, one with a positive operator never' : 'this Allow never applies to it';
        out.push({ pointer: a.pointer, message: `${named} carries no encryption context, so "${ec.key}" is absent on it and ${what}; move it to a statement without the encryption-context condition.` });
      }
    }
    return out;
  },
};
