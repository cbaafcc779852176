import { pointerJoin } from '../../policies/parse.js';
import { isObject } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'missing-resource',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A statement has neither Resource nor NotResource.',
    rationale: 'A statement without Resource is rejected by KMS; in a key policy it is always "*" (this key).',
  },
  check(policy) {
    return (policy?.statements ?? [])
      .filter((st) => isObject(st.raw) && !('Resource' in st.raw) && !('NotResource' in st.raw))
      .map((st) => ({ pointer: pointerJoin(st.pointer, 'Resource'), message: 'The statement has no Resource; a key policy statement needs "Resource": "*".' }));
  },
};
