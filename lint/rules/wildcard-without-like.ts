import { wildcardConditionValues } from '../rule-helpers.js';
import type { Rule } from '../types.js';

const LITERAL = new Set(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']);

export const rule: Rule = {
  id: 'wildcard-without-like',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'A * or ? in a value of a StringEquals-family operator.',
    rationale:
      'StringEquals compares literally (IAM User Guide, "String condition operators"): "arn:aws:iam::111122223333:role/*" matches only a role named "*", so the condition never matches what it reads as. Use StringLike. ArnEquals is different: it expands wildcards like ArnLike, so it matches what it reads as (arnequals-with-wildcard, info).',
  },
  check(policy) {
    return wildcardConditionValues(policy, LITERAL).map((v) => ({
      pointer: v.pointer,
      message: `"${v.value}" contains a wildcard, but ${v.condition.operator} compares literally; use ${v.base.replace('Equals', 'Like').replace('IgnoreCase', '')} if a pattern is meant.`,
    }));
  },
};
