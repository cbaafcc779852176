import { adminActionsCovered, isAllow, isOtherAccount, ownAccountOf, principalEntries } from '../rule-helpers.js';
import { describeAccount } from '../../iac/account.js';
import type { Rule, RuleFinding } from '../types.js';

export const rule: Rule = {
  id: 'cross-account-admin',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'Key administration actions (kms:*, PutKeyPolicy, ScheduleKeyDeletion, DisableKey, ...) allowed to a principal of another account, its root included.',
    rationale:
      'Sharing a key with another account means letting it use the key (Encrypt, Decrypt, DescribeKey, grants for AWS resources: AWS KMS Developer Guide, "Allowing users in other accounts to use a KMS key"). An account that may also change the policy, disable or delete the key can take it over or destroy the data encrypted under it, whether the grant names its root or one of its roles. Every statement that does so is reported. The own account comes from the one account model (--account, the provider\'s allowed_account_ids, deployed state, a cdk.out environment), else from the root that the first kms:* statement names (AWS\'s "Enable IAM User Permissions" comes first); when it is "this account, id unknown", nothing is called another account.',
  },
  check(policy, ctx) {
    if (!policy) return [];
    const out: RuleFinding[] = [];
    for (const st of policy.statements) {
      if (!isAllow(st)) continue;
      const foreign = principalEntries(st).filter((e) => isOtherAccount(e, policy, ctx) === 'yes');
      if (foreign.length === 0) continue;
      const granted = adminActionsCovered(st);
      if (granted.length === 0) continue;
      const own = ownAccountOf(policy, ctx);
      const shown = granted.length > 3 ? `${granted.slice(0, 3).join(', ')} and ${granted.length - 3} more` : granted.join(', ');
      for (const e of foreign) {
        out.push({ pointer: e.pointer, message: `${e.value} is in account ${e.account}, not ${own === undefined ? 'the key\'s own account' : describeAccount(own)}, and may administer the key (${shown}); give other accounts usage actions only.` });
      }
    }
    return out;
  },
};
