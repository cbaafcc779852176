import { wildcardConditionValues } from '../rule-helpers.js';
import type { Rule } from '../types.js';

const ARN_EXACT = new Set(['ArnEquals', 'ArnNotEquals']);

export const rule: Rule = {
  id: 'arnequals-with-wildcard',
  severity: 'info',
  group: 'grammar',
  docs: {
    summary: 'A * or ? in a value of ArnEquals or ArnNotEquals, which match it as a pattern exactly like ArnLike.',
    rationale:
      'ArnEquals and ArnLike behave the same: both compare each of the six ARN parts and both honour * and ? within a part (IAM User Guide, "Amazon Resource Name (ARN) condition operators"). A wildcard under ArnEquals therefore matches what it reads as; writing ArnLike only tells a reviewer that a pattern is meant. A style note, never a defect.',
  },
  check(policy) {
    return wildcardConditionValues(policy, ARN_EXACT).map((v) => ({
      pointer: v.pointer,
      message: `"${v.value}" contains a wildcard; ${v.condition.operator} matches it as a pattern, like ${v.base.replace('Equals', 'Like')}, which says so.`,
    }));
  },
};
