import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'old-version',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'Version is "2008-10-17", the old policy language.',
    rationale: 'Version 2008-10-17 does not support policy variables, so ${aws:PrincipalTag/...} and similar values are compared literally. Use "2012-10-17".',
  },
  check(policy) {
    if (policy?.version !== '2008-10-17') return [];
    return [{ pointer: '/Version', message: 'Version "2008-10-17" is the old policy language without policy variables; use "2012-10-17".' }];
  },
};
