import { pointerJoin } from '../../policies/parse.js';
import { givenOwnAccount, isAllow, isEveryone, isOtherAccount, ownAccountOf, principalEntries } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'no-account-root-statement',
  severity: 'warning',
  group: 'security',
  docs: {
    summary: 'No statement allows the key\'s own account root.',
    rationale:
      'The default key policy\'s "Enable IAM User Permissions" statement (Principal arn:aws:iam::<account>:root) is what lets IAM policies in the account grant access to the key (AWS KMS Developer Guide, "Default key policy"). Without it, only principals named in the key policy can ever use or manage the key, and IAM-based access control and recovery paths stop working. A malformed root (arn:aws:iam::account-id:root) is no root; a deploy-time value counts when it may be one (arn:aws:iam::${AWS::AccountId}:root, ${var.principal}), not when it reads as a role (arn:aws:iam::${AWS::AccountId}:role/Admin). "*" and Allow + NotPrincipal cover the root: such a policy is reported as public (public-principal), not here.',
  },
  check(policy, ctx) {
    if (!policy || policy.statements.length === 0) return [];
    const ok = policy.statements.some(
      (st) =>
        isAllow(st) &&
        ((st.notPrincipal !== undefined && st.principal === undefined) ||
          principalEntries(st).some(
            (e) => isEveryone(e) || (e.root === true && isOtherAccount(e, policy, ctx) !== 'yes') || (e.type === 'AWS' && e.kind === 'unknown' && e.account === undefined),
          )),
    );
    if (ok) return [];
    const account = ownAccountOf(policy, ctx) ?? givenOwnAccount(ctx);
    return [{ pointer: pointerJoin('', 'Statement'), message: `No statement allows the account root${account ? ` (arn:aws:iam::${account}:root)` : ''}; IAM policies cannot grant access to this key.` }];
  },
};
