import { conditionsOn, hasUnresolvedCondition, isAllow, isEveryone, principalEntries, restrictedBy } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

/** Condition keys that, with a non-wildcard value, narrow "*" to known accounts, organisations or resources. */
export const RESTRICTING_KEYS = [
  'kms:calleraccount',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
];

export const rule: Rule = {
  id: 'public-principal',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'An Allow to "*" (or {"AWS": "*"}) without a condition that restricts it to known accounts.',
    rationale:
      'Principal "*" in a key policy means every AWS principal in every account. It is safe only with a condition that pins the caller down: kms:CallerAccount, aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn with non-wildcard values and a positive operator without IfExists. kms:ViaService alone does not restrict (any account can call through the service; see viaservice-without-calleraccount). Conditions that only look at the request, such as the encryption context, do not restrict who.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      if (!isAllow(st)) continue;
      const everyone = principalEntries(st).find(isEveryone);
      if (!everyone || restrictedBy(st, RESTRICTING_KEYS) || hasUnresolvedCondition(st)) continue;
      // With kms:ViaService the more specific viaservice-without-calleraccount reports it.
      if (conditionsOn(st, ['kms:viaservice']).length > 0) continue;
      out.push({
        pointer: everyone.pointer,
        message: 'This Allow applies to every AWS principal in every account; restrict it with kms:CallerAccount, aws:PrincipalOrgID or aws:PrincipalArn (non-wildcard values), or name the principals.',
      });
    }
    return out;
  },
};
