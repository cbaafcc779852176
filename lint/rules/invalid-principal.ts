import { principalEntries } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

export const rule: Rule = {
  id: 'invalid-principal',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A principal that cannot exist: a wildcard inside an ARN, an IAM group, a managed-policy ARN, a malformed ARN or account id, a bare string in place of a principal block, a malformed service principal.',
    rationale:
      'Principal accepts "*", 12-digit account ids, and ARNs of account roots, users, roles, assumed-role sessions and federated users (IAM User Guide, "AWS JSON policy elements: Principal"). KMS rejects anything else with MalformedPolicyDocumentException, and such an entry grants nothing: a malformed "root" (arn:aws:iam::account-id:root) is no account root, so the other rules judge the policy without it (a policy whose only root statement is malformed is a lockout). A list in place of the principal block (["foo", "*"]) is judged entry by entry: the bad entry is reported here and the "*" is still judged as everyone.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const element of ['Principal', 'NotPrincipal'] as const) {
        for (const e of principalEntries(st, element)) if (e.problem !== undefined) out.push({ pointer: e.pointer, message: e.problem });
      }
    }
    return out;
  },
};
