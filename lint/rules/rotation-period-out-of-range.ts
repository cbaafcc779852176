import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'rotation-period-out-of-range',
  severity: 'error',
  group: 'key-configuration',
  docs: {
    summary: 'rotation_period_in_days outside 90–2560. Reported at /key/rotation_period_in_days.',
    rationale: 'KMS accepts a rotation period of 90 to 2560 days; any other value fails EnableKeyRotation, so the apply fails.',
  },
  check(_policy, ctx) {
    const days = ctx.source.key?.rotationPeriodInDays;
    if (typeof days !== 'number' || (Number.isInteger(days) && days >= 90 && days <= 2560)) return [];
    return [{ pointer: '/key/rotation_period_in_days', message: `rotation_period_in_days must be a whole number from 90 to 2560, got ${days}.` }];
  },
};
