import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

const SERVICE = /^[a-z0-9-]+$/i;

export const rule: Rule = {
  id: 'non-kms-action',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'An action of another service (s3:GetObject, iam:PassRole) in a key policy.',
    rationale:
      'A key policy controls only KMS operations on its key. An action of another service has no effect there; it usually means a statement was copied from an IAM or bucket policy, and the permission it was meant to give is missing where it matters.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const a of [...(st.actions ?? []), ...(st.notActions ?? [])]) {
        if (isUnresolved(a.text)) continue;
        const colon = a.text.indexOf(':');
        if (colon <= 0) continue;
        const service = a.text.slice(0, colon);
        if (!SERVICE.test(service) || service.toLowerCase() === 'kms') continue;
        out.push({ pointer: a.pointer, message: `"${a.text}" is not a KMS action and has no effect in a key policy.` });
      }
    }
    return out;
  },
};
