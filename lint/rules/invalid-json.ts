import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'invalid-json',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'The policy is not well-formed JSON.',
    rationale:
      'KMS rejects a key policy that does not parse (MalformedPolicyDocumentException), and no other rule can judge it. The finding is placed where the parser stopped.',
  },
  check(_policy, ctx) {
    return ctx.parse.problems.filter((p) => p.code === 'invalid-json').map((p) => ({ pointer: p.pointer, message: p.message }));
  },
};
