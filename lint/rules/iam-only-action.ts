import { IAM_ONLY_ACTIONS, actionMatches } from '../../policies/perms.js';
import { expandPattern } from '../catalog.js';
import { memoByString } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

const IAM_ONLY = new Set(IAM_ONLY_ACTIONS.map((a) => a.toLowerCase()));

/** The finding's message for an IAM-only action; a pure function of the text, so memoised. */
const problemWith = memoByString((text: string): string | undefined => {
  if (text === '*' || isUnresolved(text) || !text.toLowerCase().startsWith('kms:')) return undefined;
  const covered = expandPattern(text, actionMatches);
  if (covered.length === 0 || !covered.every((k) => IAM_ONLY.has(k.lower))) return undefined;
  const what = /[*?]/.test(text) ? `"${text}" (${covered.map((k) => k.name).join(', ')})` : `"${text}"`;
  return `${what} can only be allowed in an IAM policy; in a key policy it has no effect.`;
});

export const rule: Rule = {
  id: 'iam-only-action',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'An action that has no effect in a key policy (CreateKey, ListKeys, ListAliases, GenerateRandom, custom key store operations, ListRetirableGrants).',
    rationale:
      'These operations act on no particular key, so only an IAM policy can allow them ("AWS KMS permissions" reference, policy type "IAM policy"). Named in a key policy they do nothing, and the caller who needed them still gets AccessDenied.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const a of st.actions ?? []) {
        const message = problemWith(a.text);
        if (message !== undefined) out.push({ pointer: a.pointer, message });
      }
    }
    return out;
  },
};
