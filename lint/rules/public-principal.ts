import { publicExposure } from '../exposure.js';
import { ownAccountOf } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

function shown(list: readonly string[]): string {
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
}

export const rule: Rule = {
  id: 'public-principal',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'An Allow that any principal of any account can use: "*" (or {"AWS": "*"}, also in a list) or NotPrincipal, with no condition that pins the caller\'s account or organization.',
    rationale:
      'Principal "*" in a key policy means every AWS principal in every account, and Allow with NotPrincipal means everyone except those listed (IAM User Guide, "AWS JSON policy elements: NotPrincipal"). Such a statement is safe only with a condition that pins the caller down: kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalArn, aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:UserId with non-wildcard values and a positive operator without IfExists, or a Deny the caller cannot avoid (a data perimeter on aws:PrincipalOrgID). kms:ViaService, the encryption context, network or time conditions do not pin the caller: any account can call through the service or send the context (AWS KMS Developer Guide, "kms:ViaService"). The same analysis decides the PUBLIC line of `kmskit explain`.',
  },
  check(policy, ctx) {
    if (!policy) return [];
    const out: RuleFinding[] = [];
    for (const e of publicExposure(policy, ownAccountOf(policy, ctx))) {
      const who = e.statement.notPrincipal ? 'This Allow with NotPrincipal applies to every principal in every account except those listed' : 'This Allow applies to every AWS principal in every account';
      const limits = e.conditions.length > 0 ? `; its conditions (${shown(e.conditions.map((c) => c.key))}) do not pin the caller, so any account can meet them` : '';
      out.push({
        pointer: e.pointer,
        message: `${who} (${shown(e.actions)})${limits}. Restrict it with kms:CallerAccount, aws:PrincipalOrgID or aws:PrincipalArn (non-wildcard values), or name the principals.`,
      });
    }
    return out;
  },
};
