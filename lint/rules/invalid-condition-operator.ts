import { didYouMean } from '../catalog.js';
import { memoByString, operatorPointer, parseOperator } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

/** The IAM condition operators (IAM JSON policy reference, "Condition operators"), without IfExists. */
export const CONDITION_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
] as const;

const KNOWN = new Map<string, string>(CONDITION_OPERATORS.map((o) => [o.toLowerCase(), o]));

// Memoised: a pure function of the operator, and policies use the same few operators throughout.
const problemWith = memoByString((operator: string): string | undefined => {
  const colon = operator.indexOf(':');
  if (colon >= 0) {
    const prefix = operator.slice(0, colon).toLowerCase();
    if (prefix !== 'forallvalues' && prefix !== 'foranyvalue') {
      const s = didYouMean(operator.slice(0, colon), ['ForAllValues', 'ForAnyValue']);
      return `"${operator}" has an unknown set operator "${operator.slice(0, colon)}"; use ForAllValues: or ForAnyValue:.${s ? ` Did you mean "${s}"?` : ''}`;
    }
  }
  const { base } = parseOperator(operator);
  if (KNOWN.has(base.toLowerCase())) return undefined;
  const s = didYouMean(base, CONDITION_OPERATORS);
  return `"${operator}" is not a condition operator.${s ? ` Did you mean "${operator.replace(base, s)}"?` : ''}`;
});

export const rule: Rule = {
  id: 'invalid-condition-operator',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A condition operator IAM does not define (e.g. StringEqual, ForAnyValues:StringLike).',
    rationale: 'KMS rejects a policy with an unknown condition operator. The message suggests the nearest real operator.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      const seen = new Set<string>();
      for (const c of st.conditions) {
        const pointer = operatorPointer(c);
        if (seen.has(pointer) || isUnresolved(c.operator)) continue;
        seen.add(pointer);
        const message = problemWith(c.operator);
        if (message !== undefined) out.push({ pointer, message });
      }
    }
    return out;
  },
};
