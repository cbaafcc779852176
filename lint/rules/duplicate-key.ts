import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'duplicate-key',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'The same JSON key appears twice in one object.',
    rationale:
      'JSON parsers, and IAM, silently keep only the last of two equal keys, so a reviewer reading the first "Effect" or "Condition" sees a policy that is not the one enforced.',
  },
  check(_policy, ctx) {
    return ctx.parse.problems.filter((p) => p.code === 'duplicate-key').map((p) => ({ pointer: p.pointer, message: p.message }));
  },
};
