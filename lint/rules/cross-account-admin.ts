import { accountRelationOf, adminActionsCovered, isAllow, ownAccountOf, principalAccount, principalEntries } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'cross-account-admin',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'Key administration actions (PutKeyPolicy, ScheduleKeyDeletion, DisableKey, ...) allowed to another account.',
    rationale:
      'Sharing a key with another account means letting it use the key (Encrypt, Decrypt, DescribeKey, grants for AWS resources). An account that may also change the policy, disable or delete the key can take it over or destroy the data encrypted under it. The own account comes from the source (Terraform caller identity) or from the one account root the policy names; without either, the rule stays silent.',
  },
  check(policy, ctx) {
    if (!policy) return [];
    const own = ownAccountOf(policy, ctx);
    if (own === undefined) return [];
    const out: RuleFinding[] = [];
    for (const st of policy.statements) {
      if (!isAllow(st)) continue;
      const foreign = principalEntries(st).filter((e) => {
        if (e.type !== 'AWS' || isUnresolved(e.value)) return false;
        const account = principalAccount(e.value);
        // Only an account known to differ: "this account, id unknown" may be any literal id.
        return account !== undefined && accountRelationOf(account, policy, ctx) === 'other';
      });
      if (foreign.length === 0) continue;
      const granted = adminActionsCovered(st);
      if (granted.length === 0) continue;
      for (const e of foreign) {
        const account = principalAccount(e.value);
        const shown = granted.length > 3 ? `${granted.slice(0, 3).join(', ')} and ${granted.length - 3} more` : granted.join(', ');
        out.push({ pointer: e.pointer, message: `${e.value} is in account ${account}, not ${own}, and may administer the key (${shown}); give other accounts usage actions only.` });
      }
    }
    return out;
  },
};
