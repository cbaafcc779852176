import { pointerJoin } from '../../policies/parse.js';
import { isAllow } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'notprincipal-allow',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'NotPrincipal in an Allow statement.',
    rationale:
      'Allow with NotPrincipal allows everyone except the listed principals, including anonymous and other-account callers. AWS strongly recommends against it; name the principals in Principal instead.',
  },
  check(policy) {
    return (policy?.statements ?? [])
      .filter((st) => isAllow(st) && st.notPrincipal)
      .map((st) => ({ pointer: pointerJoin(st.pointer, 'NotPrincipal'), message: 'Allow with NotPrincipal allows every principal in every account except those listed; name the principals in Principal instead.' }));
  },
};
