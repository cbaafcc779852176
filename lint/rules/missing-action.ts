import { pointerJoin } from '../../policies/parse.js';
import { isObject } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'missing-action',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A statement has neither Action nor NotAction.',
    rationale: 'A statement without Action or NotAction is rejected by KMS.',
  },
  check(policy) {
    return (policy?.statements ?? [])
      .filter((st) => isObject(st.raw) && !('Action' in st.raw) && !('NotAction' in st.raw))
      .map((st) => ({ pointer: pointerJoin(st.pointer, 'Action'), message: 'The statement has no Action; name the kms: actions it allows or denies.' }));
  },
};
