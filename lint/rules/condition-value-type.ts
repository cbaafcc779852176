import { isIP } from 'node:net';
import { conditionValues, parseOperator } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function isCidrOrIp(v: string): boolean {
  const [ip = '', bits, ...rest] = v.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/** What the operator family needs of a value, or undefined for families that take any string. */
function problem(base: string, v: unknown): string | undefined {
  const s = typeof v === 'string' ? v : String(v);
  if (base === 'Bool' || base === 'Null') return /^(true|false)$/i.test(s) ? undefined : `${base} takes "true" or "false", not ${JSON.stringify(v)}`;
  if (base.startsWith('Numeric')) return s.trim() !== '' && Number.isFinite(Number(s)) ? undefined : `${base} needs a number, not ${JSON.stringify(v)}`;
  if (base.startsWith('Date')) return ISO_DATE.test(s) || /^\d+$/.test(s) ? undefined : `${base} needs an ISO 8601 date or epoch seconds, not ${JSON.stringify(v)}`;
  if (base === 'IpAddress' || base === 'NotIpAddress') return isCidrOrIp(s) ? undefined : `${base} needs an IP address or CIDR range, not ${JSON.stringify(v)}`;
  return undefined;
}

export const rule: Rule = {
  id: 'condition-value-type',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A condition value of the wrong type for its operator: Bool or Null not true/false, Numeric not a number, Date not a date, IpAddress not an IP or CIDR.',
    rationale:
      'IAM cannot compare such a value, so the condition never matches: an Allow silently grants nothing, and with a negated operator a Deny applies to everything. "Bool": {"kms:GrantIsForAWSResource": "yes"} is a typical case.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const c of st.conditions) {
        const { base } = parseOperator(c.operator);
        for (const v of conditionValues(st, c)) {
          if (typeof v.value === 'object' || (typeof v.value === 'string' && isUnresolved(v.value))) continue;
          const message = problem(base, v.value);
          if (message !== undefined) out.push({ pointer: v.pointer, message: `${message} (condition key ${c.key}).` });
        }
      }
    }
    return out;
  },
};
