import { principalEntries } from '../rule-helpers.js';
import type { PrincipalEntry } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):(iam|sts)::([^:]*):(.+)$/;
const ACCOUNT = /^\d{12}$/;
/** IAM unique ids: IAM shows these in place of an ARN whose principal was deleted. */
const UNIQUE_ID = /^(AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{12,}$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazonaws\.com\.cn|c2s\.ic\.gov|sc2s\.sgov\.gov|amazon\.com)$/;
const CANONICAL = /^[0-9a-f]{64}$/;

function problemWithAws(value: string): string | undefined {
  if (value === '*' || ACCOUNT.test(value) || UNIQUE_ID.test(value)) return undefined;
  if (/^\d+$/.test(value)) return `"${value}" is not an account id: an account id has exactly 12 digits.`;
  if (!value.startsWith('arn:')) return `"${value}" is neither "*", a 12-digit account id nor an IAM ARN.`;
  if (/[*?]/.test(value)) return `"${value}" has a wildcard inside an ARN, which a Principal does not allow; use "*" with an aws:PrincipalArn condition instead.`;
  const m = ARN.exec(value);
  if (!m) return `"${value}" is not a valid IAM principal ARN (arn:aws:iam::<account-id>:root|user/...|role/...).`;
  const [, , service, account = '', resource = ''] = m;
  if (!ACCOUNT.test(account)) return `"${value}" has an invalid account id "${account}": an account id has exactly 12 digits.`;
  if (service === 'iam') {
    if (resource.startsWith('group/')) return `"${value}" is an IAM group; a group cannot be a principal. Name its users or a role instead.`;
    if (resource === 'root' || /^(user|role)\/.+/.test(resource) || /^(saml-provider|oidc-provider)\/.+/.test(resource)) return undefined;
    return `"${value}" is not a principal: an IAM principal ARN ends in :root, :user/<name> or :role/<name>.`;
  }
  if (/^(assumed-role\/[^/]+\/.+|federated-user\/.+)$/.test(resource)) return undefined;
  return `"${value}" is not a valid STS principal ARN (assumed-role/<role>/<session> or federated-user/<name>).`;
}

// One memo per principal type, keyed by the value as written: the same principals recur in
// statement after statement and policy after policy, and a key built per lookup cost a string
// concatenation and its hashing every time.
// A valid principal is stored as null, so one lookup answers both cases.
const memos = new Map<PrincipalEntry['type'], Map<string, string | null>>();

/** Memoised: the same principals recur in statement after statement and policy after policy. */
function problemWith(e: PrincipalEntry): string | undefined {
  if (e.type === '*' || isUnresolved(e.value)) return undefined;
  let memo = memos.get(e.type);
  if (memo === undefined) memos.set(e.type, (memo = new Map()));
  const hit = memo.get(e.value);
  if (hit !== undefined) return hit ?? undefined;
  const result = judge(e);
  if (memo.size >= 4096) memo.clear();
  memo.set(e.value, result ?? null);
  return result;
}

function judge(e: PrincipalEntry): string | undefined {
  switch (e.type) {
    case 'AWS':
      return problemWithAws(e.value);
    case 'Service':
      if (/[*?]/.test(e.value)) return `Service principal "${e.value}" contains a wildcard, which is not allowed.`;
      return SERVICE.test(e.value) ? undefined : `"${e.value}" is not a service principal (e.g. logs.us-east-1.amazonaws.com).`;
    case 'Federated':
      return /[*?]/.test(e.value) ? `Federated principal "${e.value}" contains a wildcard, which is not allowed.` : undefined;
    case 'CanonicalUser':
      return CANONICAL.test(e.value) ? undefined : `"${e.value}" is not a canonical user id (64 hexadecimal characters).`;
    case '*':
      return undefined;
  }
}

export const rule: Rule = {
  id: 'invalid-principal',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A principal that KMS rejects or that can never match: a wildcard inside an ARN, an IAM group, a malformed ARN or account id, a malformed service principal.',
    rationale:
      'Principal accepts "*", 12-digit account ids, and ARNs of account roots, users, roles, assumed-role sessions and federated users. "arn:aws:iam::*:role/x" and IAM groups are rejected by KMS (MalformedPolicyDocumentException), and a mistyped account id silently names an account that is not yours.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      for (const e of principalEntries(st, 'Principal')) {
        const message = problemWith(e);
        if (message !== undefined) out.push({ pointer: e.pointer, message });
      }
      for (const e of principalEntries(st, 'NotPrincipal')) {
        const message = problemWith(e);
        if (message !== undefined) out.push({ pointer: e.pointer, message });
      }
    }
    return out;
  },
};
