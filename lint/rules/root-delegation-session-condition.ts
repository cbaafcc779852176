import { hasUnresolvedCondition, isAllow, isOtherAccount, parseOperator, principalEntries } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

/** Keys that describe the caller's session (how it signed in), which roles and services acting for them do not have. */
const SESSION_KEYS = new Set(['aws:multifactorauthpresent', 'aws:multifactorauthage', 'aws:tokenissuetime', 'aws:sourceidentity', 'aws:federatedprovider']);

export const rule: Rule = {
  id: 'root-delegation-session-condition',
  severity: 'warning',
  group: 'security',
  docs: {
    summary: 'aws:MultiFactorAuthPresent (or another session condition) on the statement that allows the own account root, which delegates the key to IAM policies.',
    rationale:
      'The account-root statement ("Enable IAM User Permissions") is what lets IAM policies grant access to the key (AWS KMS Developer Guide, "Default key policy"); it is evaluated for every IAM principal of the account. A session condition on it applies to all of them: roles assumed without MFA, service roles and service-linked roles, Lambda functions, and AWS services calling KMS for them have no aws:MultiFactorAuthPresent (IAM User Guide, "aws:MultiFactorAuthPresent": the key is absent for role sessions and long-term credentials unless MFA was used), so IAM-delegated access breaks silently. Require MFA in IAM policies, or in a Deny of specific administrative actions with BoolIfExists, and leave the root statement without conditions. IfExists forms are not reported: they let requests without the key through.',
  },
  check(policy, ctx) {
    if (!policy) return [];
    const out: RuleFinding[] = [];
    for (const st of policy.statements) {
      if (!isAllow(st) || hasUnresolvedCondition(st)) continue;
      const root = principalEntries(st).find((e) => e.root === true && (e.kind === 'root' || e.kind === 'unknown') && isOtherAccount(e, policy, ctx) !== 'yes');
      if (!root) continue;
      for (const c of st.conditions) {
        if (!SESSION_KEYS.has(c.keyLower) || parseOperator(c.operator).ifExists) continue;
        out.push({
          pointer: c.pointer,
          message: `${c.key} on the account-root statement applies to every IAM principal the root delegates to: roles, service roles and AWS services acting for them have no such session and lose the access their IAM policies give them. Require it in IAM policies instead.`,
        });
      }
    }
    return out;
  },
};
