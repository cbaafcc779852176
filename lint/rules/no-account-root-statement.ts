import { pointerJoin } from '../../policies/parse.js';
import { givenOwnAccount, isAccountRoot, isAllow, ownAccountOf, principalAccount, principalEntries } from '../rule-helpers.js';
import type { Rule } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'no-account-root-statement',
  severity: 'warning',
  group: 'security',
  docs: {
    summary: 'No statement allows the key\'s own account root.',
    rationale:
      'The default key policy\'s "Enable IAM User Permissions" statement (Principal arn:aws:iam::<account>:root) is what lets IAM policies in the account grant access to the key. Without it, only principals named in the key policy can ever use or manage the key, and IAM-based access control and recovery paths stop working.',
  },
  check(policy, ctx) {
    if (!policy || policy.statements.length === 0) return [];
    const own = givenOwnAccount(ctx);
    const ok = policy.statements.some(
      (st) =>
        isAllow(st) &&
        principalEntries(st).some(
          (e) => e.type === 'AWS' && (isUnresolved(e.value) || (isAccountRoot(e.value) && (own === undefined || principalAccount(e.value) === own))),
        ),
    );
    if (ok) return [];
    const account = ownAccountOf(policy, ctx) ?? own;
    return [{ pointer: pointerJoin('', 'Statement'), message: `No statement allows the account root${account ? ` (arn:aws:iam::${account}:root)` : ''}; IAM policies cannot grant access to this key.` }];
  },
};
