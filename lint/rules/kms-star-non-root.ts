import { isAccountRoot, isAllow, isEveryone, principalEntries } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'kms-star-non-root',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'kms:* (or *) allowed to a principal other than an account root.',
    rationale:
      'kms:* gives full control: change the policy, schedule deletion, and use the key. AWS\'s default key policy gives it only to the account root, which delegates to IAM policies; for roles and users, grant the administrator or user action sets separately (see admin-usage-not-separated). A NotAction Allow is reported by notaction-allow.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      if (!isAllow(st)) continue;
      const star = (st.actions ?? []).find((a) => a.lower === 'kms:*' || a.lower === '*');
      if (!star) continue;
      const others = principalEntries(st).filter((e) => !isUnresolved(e.value) && !(e.type === 'AWS' && isAccountRoot(e.value)));
      if (others.length === 0) continue;
      const who = others.map((e) => (isEveryone(e) ? 'everyone ("*")' : e.value)).join(', ');
      out.push({ pointer: star.pointer, message: `"${star.text}" gives full control of the key to ${who}; only the account root should get kms:*. Grant administrators and users their own action sets.` });
    }
    return out;
  },
};
