import { pointerJoin } from '../../policies/parse.js';
import { coveredActions, hasUnresolvedAction, isAllow, isEveryone, principalEntries } from '../rule-helpers.js';
import type { Rule } from '../types.js';
import { isUnresolved } from '../types.js';

const PUT = 'kms:PutKeyPolicy';

export const rule: Rule = {
  id: 'lockout-risk',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'No Allow lets the account root or a named administrator call kms:PutKeyPolicy, or an unconditional Deny takes it from everyone.',
    rationale:
      'If nobody may change the key policy, the key becomes unmanageable: AWS Support has to be involved to regain access, and in the meantime the key cannot be fixed, rotated by policy or deleted. Keep an Allow of kms:PutKeyPolicy (kms:* in AWS\'s default policy) for the account root or an administrator role.',
  },
  check(policy) {
    if (!policy || policy.statements.length === 0) return [];
    for (const st of policy.statements) {
      if (st.effect !== 'Deny' || st.conditions.length > 0 || st.notPrincipal) continue;
      if (!principalEntries(st).some(isEveryone) || !coveredActions(st).has(PUT)) continue;
      return [{ pointer: st.pointer, message: 'This Deny takes kms:PutKeyPolicy from every principal, with no condition: nobody can ever change the key policy again.' }];
    }
    const keeps = policy.statements.some(
      (st) =>
        isAllow(st) &&
        (hasUnresolvedAction(st) || coveredActions(st).has(PUT)) &&
        principalEntries(st).some((e) => isUnresolved(e.value) || (e.type === 'AWS' && e.value !== '*')),
    );
    if (keeps) return [];
    return [{ pointer: pointerJoin('', 'Statement'), message: 'No statement allows the account root or an administrator to call kms:PutKeyPolicy; once applied, nobody could change this key policy.' }];
  },
};
