import { publicExposure } from '../exposure.js';
import { ownAccountOf } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

export const rule: Rule = {
  id: 'viaservice-without-calleraccount',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'An Allow to "*" limited by kms:ViaService but not by kms:CallerAccount (or another condition that pins the caller).',
    rationale:
      'kms:ViaService says which service the request comes through, not whose request it is: with Principal "*", any principal in any account that can use the service (EBS, S3, RDS, ...) can use your key through it. AWS\'s documented pattern pairs kms:ViaService with kms:CallerAccount (AWS KMS Developer Guide, "kms:ViaService"). The statement is also public exposure (public-principal); this finding points at the condition to fix.',
  },
  check(policy, ctx) {
    if (!policy) return [];
    const out: RuleFinding[] = [];
    for (const e of publicExposure(policy, ownAccountOf(policy, ctx))) {
      const via = e.conditions.find((c) => c.keyLower === 'kms:viaservice');
      if (via) out.push({ pointer: via.pointer, message: 'kms:ViaService limits the service, not the caller: any account can use the key through it. Add "kms:CallerAccount": "<your account id>".' });
    }
    return out;
  },
};
