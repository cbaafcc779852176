import { POLICY_VERSIONS } from '../../policies/model.js';
import { isObject } from '../rule-helpers.js';
import type { Rule } from '../types.js';
import { isUnresolved } from '../types.js';

export const rule: Rule = {
  id: 'invalid-version',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: `Version is neither "2012-10-17" nor "2008-10-17".`,
    rationale: 'The policy language has exactly two versions. Any other value, a date typed by hand or a number, makes KMS reject the policy.',
  },
  check(policy) {
    const raw = policy?.raw;
    if (!isObject(raw) || !('Version' in raw)) return [];
    const v = raw.Version;
    if (typeof v === 'string' && (isUnresolved(v) || (POLICY_VERSIONS as readonly string[]).includes(v))) return [];
    return [{ pointer: '/Version', message: `Version ${JSON.stringify(v)} is not a policy language version; use "2012-10-17".` }];
  },
};
