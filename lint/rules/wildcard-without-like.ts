import { conditionValues, parseOperator } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

const LITERAL = new Set(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']);
const ARN_EXACT = new Set(['ArnEquals', 'ArnNotEquals']);

export const rule: Rule = {
  id: 'wildcard-without-like',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'A * or ? in a value of a StringEquals-family or ArnEquals/ArnNotEquals operator.',
    rationale:
      'StringEquals compares literally: "arn:aws:iam::111122223333:role/*" matches only a role named "*", so the condition never matches what it reads as. Use StringLike. ArnEquals does expand wildcards, like ArnLike, but reads as an exact match; write ArnLike so reviewers see the pattern.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const c of st.conditions) {
        const { base } = parseOperator(c.operator);
        const literal = LITERAL.has(base);
        if (!literal && !ARN_EXACT.has(base)) continue;
        for (const v of conditionValues(st, c)) {
          if (typeof v.value !== 'string' || isUnresolved(v.value) || !/[*?]/.test(v.value)) continue;
          const like = base.replace('Equals', 'Like').replace('IgnoreCase', '');
          out.push({
            pointer: v.pointer,
            message: literal
              ? `"${v.value}" contains a wildcard, but ${c.operator} compares literally; use ${like} if a pattern is meant.`
              : `"${v.value}" contains a wildcard in ${c.operator}; it matches as a pattern, so write ${like} to say so.`,
          });
        }
      }
    }
    return out;
  },
};
