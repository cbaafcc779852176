import { CRYPTO_ACTIONS } from '../../policies/perms.js';
import type { NormalizedStatement } from '../../policies/model.js';
import { adminActionsCovered, coveredActions, isAllow, principalEntries } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

const CRYPTO = new Set(CRYPTO_ACTIONS);

const cryptoMemo = new WeakMap<ReadonlySet<string>, readonly string[]>();

/** The cryptographic actions a statement covers, memoised on the covered set statements share. */
function cryptoActionsCovered(st: NormalizedStatement): readonly string[] {
  const covered = coveredActions(st);
  let out = cryptoMemo.get(covered);
  if (out === undefined) cryptoMemo.set(covered, (out = [...covered].filter((a) => CRYPTO.has(a))));
  return out;
}

export const rule: Rule = {
  id: 'admin-usage-not-separated',
  severity: 'warning',
  group: 'security',
  docs: {
    summary: 'One principal (other than an account root) may both administer the key and use it for cryptography.',
    rationale:
      'AWS recommends separating key administrators from key users: an administrator who can also decrypt can change who may decrypt and then read the data, with no second person involved. Statements that grant kms:* are reported by kms-star-non-root instead.',
  },
  check(policy) {
    const seen = new Map<string, { pointer: string; admin: Set<string>; crypto: Set<string> }>();
    for (const st of policy?.statements ?? []) {
      if (!isAllow(st) || !st.actions || st.actions.some((a) => a.lower === 'kms:*' || a.lower === '*')) continue;
      const people = principalEntries(st).filter((e) => e.type === 'AWS' && e.kind === 'iam');
      if (people.length === 0) continue;
      const stAdmin = adminActionsCovered(st);
      const stCrypto = cryptoActionsCovered(st);
      for (const e of people) {
        const entry = seen.get(e.value) ?? { pointer: e.pointer, admin: new Set<string>(), crypto: new Set<string>() };
        for (const a of stAdmin) entry.admin.add(a);
        for (const a of stCrypto) entry.crypto.add(a);
        seen.set(e.value, entry);
      }
    }
    const out: RuleFinding[] = [];
    for (const [who, e] of seen) {
      if (e.admin.size === 0 || e.crypto.size === 0) continue;
      out.push({ pointer: e.pointer, message: `${who} may both administer the key (${[...e.admin].slice(0, 2).join(', ')}, ...) and use it (${[...e.crypto].slice(0, 2).join(', ')}, ...); give administration and usage to different principals.` });
    }
    return out;
  },
};
