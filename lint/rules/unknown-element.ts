import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'unknown-element',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'An element name the policy grammar does not define (element names are case-sensitive).',
    rationale:
      'KMS rejects a policy with an unknown element such as "Actions" or "effect", or an unknown principal type such as "aws". The message suggests the element that was probably meant.',
  },
  check(_policy, ctx) {
    return ctx.parse.problems.filter((p) => p.code === 'unknown-element').map((p) => ({ pointer: p.pointer, message: p.message }));
  },
};
