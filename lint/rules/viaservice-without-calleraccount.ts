import { conditionsOn, hasUnresolvedCondition, isAllow, isEveryone, principalEntries, restrictedBy } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { RESTRICTING_KEYS } from './public-principal.js';

export const rule: Rule = {
  id: 'viaservice-without-calleraccount',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'An Allow to "*" limited by kms:ViaService but not by kms:CallerAccount (or another account restriction).',
    rationale:
      'kms:ViaService says which service the request comes through, not whose request it is: with Principal "*", any principal in any account that can use the service (EBS, S3, RDS, ...) can use your key through it. AWS\'s documented pattern pairs kms:ViaService with kms:CallerAccount.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      if (!isAllow(st) || !principalEntries(st).some(isEveryone)) continue;
      const via = conditionsOn(st, ['kms:viaservice'])[0];
      if (!via || restrictedBy(st, RESTRICTING_KEYS) || hasUnresolvedCondition(st)) continue;
      out.push({ pointer: via.pointer, message: 'kms:ViaService limits the service, not the caller: any account can use the key through it. Add "kms:CallerAccount": "<your account id>".' });
    }
    return out;
  },
};
