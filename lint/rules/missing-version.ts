import { isObject } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'missing-version',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'The policy has no Version element.',
    rationale:
      'Without Version, IAM evaluates the policy as version 2008-10-17, in which policy variables such as ${aws:username} are plain text. Write "Version": "2012-10-17".',
  },
  check(policy) {
    if (!isObject(policy?.raw) || 'Version' in policy.raw) return [];
    return [{ pointer: '/Version', message: 'The policy has no Version; IAM then uses 2008-10-17, without policy variables. Add "Version": "2012-10-17".' }];
  },
};
