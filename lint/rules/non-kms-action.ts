import { actionNameFindings, memoByString } from '../rule-helpers.js';
import type { Rule } from '../types.js';
import { isUnresolved } from '../types.js';

const SERVICE = /^[a-z0-9-]+$/i;

/** The finding's message for an Action entry of another service; a pure function of the text, so memoised. */
const problemWith = memoByString((text: string): string | undefined => {
  if (isUnresolved(text)) return undefined;
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const service = text.slice(0, colon);
  if (!SERVICE.test(service) || service.toLowerCase() === 'kms') return undefined;
  return `"${text}" is not a KMS action and has no effect in a key policy.`;
});

export const rule: Rule = {
  id: 'non-kms-action',
  severity: 'warning',
  group: 'grammar',
  docs: {
    summary: 'An action of another service (s3:GetObject, iam:PassRole) in a key policy.',
    rationale:
      'A key policy controls only KMS operations on its key. An action of another service has no effect there; it usually means a statement was copied from an IAM or bucket policy, and the permission it was meant to give is missing where it matters.',
  },
  check(policy) {
    return actionNameFindings(policy, problemWith);
  },
};
