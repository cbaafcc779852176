import type { Rule, RuleFinding } from '../types.js';
import { valueAt } from '../rule-helpers.js';
import { validateKeyPolicySchema } from '../schema/index.js';
import { isUnresolved } from '../types.js';

const STRUCTURAL = new Set(['invalid-type', 'missing-element', 'conflicting-elements', 'empty-element']);

export const rule: Rule = {
  id: 'invalid-element',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'An element has the wrong type or shape, is empty, or conflicts with another (JSON Schema of a key policy).',
    rationale:
      'KMS rejects a policy whose elements do not follow the IAM policy grammar: a Statement that is not an object, an Action that is a number, an empty Principal, both Action and NotAction in one statement. This is the JSON Schema check; where a more specific rule (missing-action, invalid-effect, ...) reports the same element, only that rule reports it.',
  },
  check(_policy, ctx) {
    const out: RuleFinding[] = [];
    const seen = new Set<string>();
    // An element given as one Terraform reference ("Principal": "${var.principal}") is unknown, not malformed.
    const unresolved = (pointer: string) => {
      const v = valueAt(ctx.raw, pointer);
      return typeof v === 'string' && isUnresolved(v);
    };
    for (const p of ctx.parse.problems) {
      if (!STRUCTURAL.has(p.code) || seen.has(p.pointer) || unresolved(p.pointer)) continue;
      seen.add(p.pointer);
      out.push({ pointer: p.pointer, message: p.message });
    }
    if (ctx.raw === undefined) return out;
    for (const v of validateKeyPolicySchema(ctx.raw)) {
      // Unknown elements are unknown-element's; a pointer parse already explained needs no second message.
      if (seen.has(v.pointer) || unresolved(v.pointer) || ctx.parse.problems.some((p) => p.pointer === v.pointer)) continue;
      if ([...seen].some((s) => s !== '' && v.pointer.startsWith(s + '/'))) continue;
      seen.add(v.pointer);
      out.push(v);
    }
    return out;
  },
};
