import { pointerJoin } from '../../policies/parse.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'resource-not-star',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'Resource is something other than "*", or NotResource is used.',
    rationale:
      'In a key policy "*" means "this key": the policy is attached to exactly one key. A key ARN, an alias or a wildcard pattern in Resource, or a NotResource, is rejected by KMS at PutKeyPolicy and CreateKey since August 2025, so the deploy fails.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const r of st.resources ?? []) {
        if (r.text === '*' || isUnresolved(r.text)) continue;
        out.push({ pointer: r.pointer, message: `Resource "${r.text}" is not "*"; in a key policy the resource is always "*" (the key the policy is attached to), and KMS rejects anything else.` });
      }
      if (st.notResources) out.push({ pointer: pointerJoin(st.pointer, 'NotResource'), message: 'NotResource is not valid in a key policy; use "Resource": "*".' });
    }
    return out;
  },
};
