import type { Rule } from '../types.js';

export const MAX_KEY_POLICY_BYTES = 32_768;

/**
 * An upper bound of the UTF-8 size of `JSON.stringify(value)`: every character of a string counted
 * at 6 bytes (the longest escape, \uXXXX), numbers at 24, plus punctuation. Stops counting once past
 * the limit; deep or cyclic values return Infinity so the exact path decides.
 */
function upperBound(value: unknown, depth: number): number {
  if (depth > 64) return Number.POSITIVE_INFINITY;
  if (typeof value === 'string') return value.length * 6 + 2;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return 24;
  let total = 2;
  if (Array.isArray(value)) {
    for (const v of value) {
      total += upperBound(v, depth + 1) + 1;
      if (total > MAX_KEY_POLICY_BYTES) return total;
    }
    return total;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      total += k.length * 6 + 3 + upperBound(v, depth + 1) + 1;
      if (total > MAX_KEY_POLICY_BYTES) return total;
    }
    return total;
  }
  return Number.POSITIVE_INFINITY;
}

export const rule: Rule = {
  id: 'policy-too-large',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'The policy is larger than 32,768 bytes.',
    rationale: 'A key policy is limited to 32 KB (AWS KMS quotas); a larger one is rejected at deploy. Whitespace counts.',
  },
  check(_policy, ctx) {
    const { text, value } = ctx.source;
    let size: number;
    if (text !== undefined) size = Buffer.byteLength(text, 'utf8');
    else {
      // Serialising every rendered policy just to measure it is most of this rule's cost; a bound
      // computed by walking the value settles the common case (far below the limit) without it.
      if (upperBound(value, 0) <= MAX_KEY_POLICY_BYTES) return [];
      try {
        size = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
      } catch {
        return [];
      }
    }
    if (size <= MAX_KEY_POLICY_BYTES) return [];
    return [{ pointer: '', message: `The policy is ${size.toLocaleString('en-US')} bytes; a key policy may be at most ${MAX_KEY_POLICY_BYTES.toLocaleString('en-US')} bytes.` }];
  },
};
