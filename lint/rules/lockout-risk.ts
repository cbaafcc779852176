import { pointerJoin } from '../../policies/parse.js';
import type { NormalizedStatement } from '../../policies/model.js';
import { coveredActions, hasUnresolvedAction, isAllow, isEveryone, principalEntries } from '../rule-helpers.js';
import type { PrincipalEntry } from '../rule-helpers.js';
import type { Rule } from '../types.js';

const PUT = 'kms:PutKeyPolicy';

/** Someone who can manage the policy: an account root, an IAM principal, everyone ("*" covers the root), or an unknown value. Services and principals that cannot exist do not count. */
function canManage(e: PrincipalEntry): boolean {
  return e.kind === 'root' || e.kind === 'iam' || e.kind === 'everyone' || (e.kind === 'unknown' && e.type === 'AWS');
}

function keepsPolicyChangeable(st: NormalizedStatement): boolean {
  if (!isAllow(st) || !(hasUnresolvedAction(st) || coveredActions(st).has(PUT))) return false;
  // Allow + NotPrincipal applies to everyone not listed, the root among them (public-principal reports it).
  if (st.notPrincipal && !st.principal) return true;
  return principalEntries(st).some(canManage);
}

export const rule: Rule = {
  id: 'lockout-risk',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'No Allow lets the account root or a named administrator call kms:PutKeyPolicy, or an unconditional Deny takes it from everyone.',
    rationale:
      'If nobody may change the key policy, the key becomes unmanageable: AWS Support has to be involved to regain access, and in the meantime the key cannot be fixed, rotated by policy or deleted (AWS KMS Developer Guide, "Default key policy": "Allows access to the AWS account and enables IAM policies"). Keep an Allow of kms:PutKeyPolicy (kms:* in AWS\'s default policy) for the account root or an administrator role. A principal that cannot exist (arn:aws:iam::account-id:root, an 11-digit account id) does not count: KMS rejects it and it grants nothing. "*" does count (it covers the root; public-principal reports it).',
  },
  check(policy) {
    if (!policy || policy.statements.length === 0) return [];
    for (const st of policy.statements) {
      if (st.effect !== 'Deny' || st.conditions.length > 0 || st.notPrincipal) continue;
      if (!principalEntries(st).some(isEveryone) || !coveredActions(st).has(PUT)) continue;
      return [{ pointer: st.pointer, message: 'This Deny takes kms:PutKeyPolicy from every principal, with no condition: nobody can ever change the key policy again.' }];
    }
    if (policy.statements.some(keepsPolicyChangeable)) return [];
    return [{ pointer: pointerJoin('', 'Statement'), message: 'No statement allows the account root or an administrator to call kms:PutKeyPolicy; once applied, nobody could change this key policy.' }];
  },
};
