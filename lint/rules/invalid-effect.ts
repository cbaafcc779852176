import { pointerJoin } from '../../policies/parse.js';
import { isObject } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'invalid-effect',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'Effect is missing or is not exactly "Allow" or "Deny" (case-sensitive).',
    rationale: 'KMS accepts only "Allow" and "Deny", spelled with that case; "allow" or "DENY" makes the whole policy invalid.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      if (!isObject(st.raw)) continue;
      const pointer = pointerJoin(st.pointer, 'Effect');
      if (!('Effect' in st.raw)) {
        out.push({ pointer, message: 'The statement has no Effect; add "Effect": "Allow" or "Deny".' });
        continue;
      }
      const e = st.raw.Effect;
      if (e === 'Allow' || e === 'Deny' || (typeof e === 'string' && isUnresolved(e))) continue;
      const fix = typeof e === 'string' && ['allow', 'deny'].includes(e.toLowerCase()) ? ` Effect is case-sensitive: write "${e.toLowerCase() === 'allow' ? 'Allow' : 'Deny'}".` : ' Use "Allow" or "Deny".';
      out.push({ pointer, message: `Effect ${JSON.stringify(e)} is not valid.${fix}` });
    }
    return out;
  },
};
