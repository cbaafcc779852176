import { pointerJoin } from '../../policies/parse.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'duplicate-sid',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'Two statements have the same Sid.',
    rationale:
      'Sids must be unique within a policy; KMS rejects duplicates. Spaces and other printable characters are legal in a KMS Sid (the console writes "Allow use of the key"), so only duplication is checked.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    const first = new Map<string, string>();
    for (const st of policy?.statements ?? []) {
      if (st.sid === undefined || st.sid === '' || isUnresolved(st.sid)) continue;
      const earlier = first.get(st.sid);
      if (earlier === undefined) first.set(st.sid, st.pointer);
      else out.push({ pointer: pointerJoin(st.pointer, 'Sid'), message: `Sid "${st.sid}" is already used by ${earlier}; Sids must be unique.` });
    }
    return out;
  },
};
