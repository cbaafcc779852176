import { pointerJoin } from '../../policies/parse.js';
import { isAllow } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'notaction-allow',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'NotAction in an Allow statement.',
    rationale:
      'Allow with NotAction allows every action except those listed, including ones AWS adds later (PutKeyPolicy, ScheduleKeyDeletion, new cryptographic operations). List the allowed actions instead.',
  },
  check(policy) {
    return (policy?.statements ?? [])
      .filter((st) => isAllow(st) && st.notActions)
      .map((st) => ({ pointer: pointerJoin(st.pointer, 'NotAction'), message: 'Allow with NotAction allows every KMS action except those listed, including kms:PutKeyPolicy and future actions; list the allowed actions instead.' }));
  },
};
