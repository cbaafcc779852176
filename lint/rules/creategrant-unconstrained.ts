import { actionEntryFor, canExist, coveredActions, hasUnresolvedCondition, isAllow, isEveryone, isOtherAccount, parseOperator, principalEntries } from '../rule-helpers.js';
import { actionMatches } from '../../policies/perms.js';
import { expandPattern } from '../catalog.js';
import type { NormalizedStatement } from '../../policies/model.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

const CONSTRAINING = new Set(['kms:grantisforawsresource', 'kms:viaservice', 'kms:granteeprincipal', 'kms:grantoperations']);
const POSITIVE = new Set(['Bool', 'StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

/**
 * Only CreateGrant named as such (or a pattern that covers nothing but grant operations) counts.
 * AWS's default policy gives key administrators CreateGrant through the verb pattern kms:Create*,
 * which is the documented administrator set, not a grant to a user; kms:* is kms-star-non-root's.
 */
function namesGrants(text: string): boolean {
  if (!/[*?]/.test(text)) return true;
  const covered = expandPattern(text, actionMatches);
  return covered.length > 0 && covered.every((a) => a.name.endsWith('Grant') || a.name.endsWith('Grants'));
}

function constrained(st: NormalizedStatement): boolean {
  return st.conditions.some((c) => {
    if (!CONSTRAINING.has(c.keyLower)) return false;
    const op = parseOperator(c.operator);
    if (!POSITIVE.has(op.base) || op.ifExists) return false;
    if (c.keyLower === 'kms:grantisforawsresource') return c.values.length > 0 && c.values.every((v) => v.toLowerCase() === 'true' || isUnresolved(v));
    return c.values.length > 0 && !c.values.includes('*');
  });
}

export const rule: Rule = {
  id: 'creategrant-unconstrained',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'kms:CreateGrant allowed without kms:GrantIsForAWSResource (or another grant constraint) to a principal other than the own account root, another account\'s root included.',
    rationale:
      'A principal that may create grants can grant any operation on the key to anyone, itself included, and grants bypass the key policy. AWS\'s default policy allows CreateGrant only with "Bool": {"kms:GrantIsForAWSResource": "true"}, so that only integrated AWS services create grants, and gives another account the same condition (AWS KMS Developer Guide, "Default key policy" and "Allowing users in other accounts to use a KMS key"). The root of another account is not exempt: the grant lets that account hand the key to anyone. kms:ViaService, kms:GranteePrincipal or kms:GrantOperations conditions also count as constraints. CreateGrant reached through an administrator verb pattern (kms:Create*, as in AWS\'s default key administrator statement) or kms:* is left to the administrator rules.',
  },
  check(policy, ctx) {
    if (!policy) return [];
    const out: RuleFinding[] = [];
    for (const st of policy.statements) {
      if (!isAllow(st) || !st.actions || !coveredActions(st).has('kms:CreateGrant')) continue;
      const entry = actionEntryFor(st, 'kms:CreateGrant');
      if (!entry || !namesGrants(entry.text)) continue;
      // The own root delegates to IAM policies (they decide); a root whose account is unknown is given the same benefit.
      const others = principalEntries(st).filter((e) => canExist(e) && !isUnresolved(e.value) && !(e.kind === 'root' && isOtherAccount(e, policy, ctx) !== 'yes'));
      if (others.length === 0 || constrained(st) || hasUnresolvedCondition(st)) continue;
      const who = others.map((e) => (isEveryone(e) ? '"*"' : e.kind === 'root' ? `${e.value} (another account's root)` : e.value)).join(', ');
      out.push({ pointer: entry.pointer, message: `${who} may create grants without a constraint; add "Bool": {"kms:GrantIsForAWSResource": "true"} so only AWS services can create grants.` });
    }
    return out;
  },
};
