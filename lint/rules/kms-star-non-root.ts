import { canExist, isAllow, isEveryone, principalEntries } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'kms-star-non-root',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'kms:* (or *) allowed to a principal other than an account root.',
    rationale:
      'kms:* gives full control: change the policy, schedule deletion, and use the key. AWS\'s default key policy gives it only to the account root, which delegates to IAM policies; for roles and users, grant the administrator or user action sets separately (see admin-usage-not-separated). One exception is AWS\'s own: the CloudTrail console writes the key\'s creator into the root statement ("Enable IAM user permissions": the account root and arn:aws:iam::<same account>:user/<creator>), so in a statement whose only action is kms:*, an IAM principal listed next to its own account\'s root is left alone. A NotAction Allow is reported by notaction-allow; a principal that cannot exist by invalid-principal.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      if (!isAllow(st)) continue;
      const star = (st.actions ?? []).find((a) => a.lower === 'kms:*' || a.lower === '*');
      if (!star) continue;
      const entries = principalEntries(st);
      // The console's root statement: Action exactly kms:*, the root, and principals of that same account.
      const consoleRootStatement = st.actions!.length === 1;
      const rootAccounts = new Set(entries.filter((e) => e.kind === 'root').map((e) => e.account));
      const others = entries.filter((e) => canExist(e) && !isUnresolved(e.value) && e.kind !== 'root' && !(consoleRootStatement && e.kind === 'iam' && rootAccounts.has(e.account)));
      if (others.length === 0) continue;
      const who = others.map((e) => (isEveryone(e) ? 'everyone ("*")' : e.value)).join(', ');
      out.push({ pointer: star.pointer, message: `"${star.text}" gives full control of the key to ${who}; only the account root should get kms:*. Grant administrators and users their own action sets.` });
    }
    return out;
  },
};
