import { actionMatches } from '../../policies/perms.js';
import { coveredActions, hasUnresolvedAction } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

const TAGGING = ['kms:TagResource', 'kms:UntagResource', 'kms:CreateKey'];

export const rule: Rule = {
  id: 'iam-only-condition-key',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'A condition key that never applies in a key policy: aws:ResourceTag/*, kms:ResourceAliases, and aws:RequestTag/* or aws:TagKeys on statements without tagging actions.',
    rationale:
      'AWS KMS documents aws:ResourceTag and kms:ResourceAliases (attribute-based access control) for IAM policies only: a key policy already names its key. aws:RequestTag and aws:TagKeys are present only in TagResource, UntagResource and CreateKey requests, so on any other action the condition never matches the way it reads.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const c of st.conditions) {
        const k = c.keyLower;
        if (k.startsWith('aws:resourcetag/') || k === 'kms:resourcealiases') {
          out.push({ pointer: c.pointer, message: `"${c.key}" works only in IAM policies; in a key policy use the key's own statements instead of attribute-based conditions.` });
        } else if (k.startsWith('aws:requesttag/') || k === 'aws:tagkeys') {
          if (hasUnresolvedAction(st) || st.notActions) continue;
          const covered = [...coveredActions(st)];
          if (covered.length === 0 || covered.some((a) => TAGGING.some((t) => actionMatches(t, a)))) continue;
          out.push({ pointer: c.pointer, message: `"${c.key}" is present only in tagging requests (TagResource, UntagResource), and this statement allows none of them.` });
        }
      }
    }
    return out;
  },
};
