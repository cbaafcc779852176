import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'deletion-window-out-of-range',
  severity: 'error',
  group: 'key-configuration',
  docs: {
    summary: 'deletion_window_in_days outside 7–30. Reported at /key/deletion_window_in_days.',
    rationale: 'KMS accepts a pending-deletion window of 7 to 30 days (whole days); any other value fails ScheduleKeyDeletion, so destroying the key fails.',
  },
  check(_policy, ctx) {
    const days = ctx.source.key?.deletionWindowInDays;
    if (typeof days !== 'number' || (Number.isInteger(days) && days >= 7 && days <= 30)) return [];
    return [{ pointer: '/key/deletion_window_in_days', message: `deletion_window_in_days must be a whole number from 7 to 30, got ${days}.` }];
  },
};
