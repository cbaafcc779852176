import { pointerJoin } from '../../policies/parse.js';
import { isObject } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'missing-principal',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A statement has neither Principal nor NotPrincipal.',
    rationale: 'A key policy statement must say whom it applies to. Unlike an identity policy, a key policy is a resource policy, and KMS rejects a statement without Principal or NotPrincipal.',
  },
  check(policy) {
    return (policy?.statements ?? [])
      .filter((st) => isObject(st.raw) && !('Principal' in st.raw) && !('NotPrincipal' in st.raw))
      .map((st) => ({ pointer: pointerJoin(st.pointer, 'Principal'), message: 'The statement has no Principal; a key policy statement must name whom it applies to.' }));
  },
};
