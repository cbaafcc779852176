/**
 * ARNs and principals: splitting an ARN into its six parts, and telling what kind of caller a
 * principal string names (account root, IAM user, role, assumed-role session, federated user,
 * service). Nothing here throws; unrecognised input comes back as `undefined` or kind `unknown`.
 */

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon; may itself contain colons and slashes. */
  resource: string;
}

/** `arn:partition:service:region:account:resource`, or undefined when the text is not an ARN. */
export function parseArn(text: string): ParsedArn | undefined {
  if (typeof text !== 'string' || !text.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  let rest = text;
  for (let i = 0; i < 5; i++) {
    const colon = rest.indexOf(':');
    if (colon === -1) return undefined;
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: rest };
}

export function isAccountId(text: unknown): text is string {
  return typeof text === 'string' && /^\d{12}$/.test(text);
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const SERVICE_SUFFIX = /\.amazonaws\.com(\.cn)?$/;

export interface ServicePrincipal {
  /** The service part without a region, e.g. `logs` or `delivery.logs`. */
  name: string;
  region?: string;
  /** `amazonaws.com` or `amazonaws.com.cn`. */
  suffix: string;
}

/** `logs.amazonaws.com` → { name: 'logs' }; `logs.us-east-1.amazonaws.com` → { name: 'logs', region: 'us-east-1' }. */
export function parseServicePrincipal(text: string): ServicePrincipal | undefined {
  if (typeof text !== 'string') return undefined;
  const lower = text.toLowerCase();
  const suffix = SERVICE_SUFFIX.exec(lower);
  if (!suffix) return undefined;
  const labels = lower.slice(0, suffix.index).split('.');
  if (labels.length === 0 || labels.some((l) => l === '')) return undefined;
  const last = labels[labels.length - 1] ?? '';
  const result: ServicePrincipal = { name: labels.join('.'), suffix: suffix[0].slice(1) };
  if (labels.length > 1 && REGION.test(last)) {
    result.name = labels.slice(0, -1).join('.');
    result.region = last;
  }
  return result;
}

/**
 * Service principals match when they name the same service and, if both carry a region, the same
 * region: AWS accepts the global and the regional form of a service principal for each other
 * (`logs.amazonaws.com` ~ `logs.us-east-1.amazonaws.com`), but two different regions never match.
 */
export function servicePrincipalsMatch(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const pa = parseServicePrincipal(a);
  const pb = parseServicePrincipal(b);
  if (!pa || !pb || pa.name !== pb.name) return false;
  if (pa.region !== undefined && pb.region !== undefined) return pa.region === pb.region && pa.suffix === pb.suffix;
  return true;
}

export type CallerKind = 'root' | 'user' | 'role' | 'assumed-role' | 'federated-user' | 'service' | 'unknown';

/** A request's principal, classified. */
export interface Caller {
  /** The principal string as given. */
  raw: string;
  kind: CallerKind;
  partition?: string;
  account?: string;
  /** The principal's own ARN (for a bare account id: its root ARN). */
  arn?: string;
  /** User name, role name or federated user name (the last path component). */
  name?: string;
  /** For a role or session: the role name. A session ARN drops the role's path. */
  roleName?: string;
  /** For a session: the session name. */
  sessionName?: string;
}

/** Classifies a principal string. Never throws; anything unrecognised is kind `unknown`. */
export function classifyPrincipal(principal: unknown): Caller {
  const raw = typeof principal === 'string' ? principal : '';
  if (isAccountId(raw)) return { raw, kind: 'root', partition: 'aws', account: raw, arn: `arn:aws:iam::${raw}:root` };
  const arn = parseArn(raw);
  if (arn) {
    const base = { raw, partition: arn.partition, arn: raw, ...(isAccountId(arn.account) ? { account: arn.account } : {}) };
    if (arn.service === 'iam') {
      if (arn.resource === 'root') return { ...base, kind: 'root' };
      const [type, ...path] = arn.resource.split('/');
      const name = path[path.length - 1];
      if (name && type === 'user') return { ...base, kind: 'user', name };
      if (name && type === 'role') return { ...base, kind: 'role', name, roleName: name };
    }
    if (arn.service === 'sts') {
      const [type, first, second, ...more] = arn.resource.split('/');
      if (type === 'assumed-role' && first && second && more.length === 0)
        return { ...base, kind: 'assumed-role', name: first, roleName: first, sessionName: second };
      if (type === 'federated-user' && first && second === undefined) return { ...base, kind: 'federated-user', name: first };
    }
    return { ...base, kind: 'unknown' };
  }
  if (parseServicePrincipal(raw)) return { raw, kind: 'service' };
  return { raw, kind: 'unknown' };
}

/**
 * The ARN `aws:PrincipalArn` carries for a caller: for an assumed-role session, the role's ARN
 * (without its path, which the session ARN does not carry); otherwise the caller's own ARN.
 */
export function principalArnOf(caller: Caller): string | undefined {
  if (!caller || typeof caller !== 'object') return undefined;
  if (caller.kind === 'assumed-role' && caller.account && caller.roleName)
    return `arn:${caller.partition ?? 'aws'}:iam::${caller.account}:role/${caller.roleName}`;
  if (caller.kind === 'service') return undefined;
  return caller.arn;
}

// ---------------------------------------------------------------------------------------------
// Principal entries of a policy: can they exist?
// ---------------------------------------------------------------------------------------------

/** The principal types a Principal block may hold; `*` is the bare `"Principal": "*"` form (or a bare string in its place). */
export type PrincipalEntryType = '*' | 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/**
 * What a principal entry names:
 * - `everyone`: `"*"`, `{"AWS": "*"}`;
 * - `root`: an account (12-digit id or `arn:<partition>:iam::<id>:root`), i.e. every principal of it;
 * - `iam`: a user, role, assumed-role session, federated user, identity provider or IAM unique id;
 * - `service`, `federated`, `canonical`;
 * - `unknown`: a deploy-time value (`${...}`), judged by nothing;
 * - `invalid`: a principal that cannot exist. It grants nothing: it is neither a root nor an
 *   administrator, and the evaluator never matches it.
 */
export type PrincipalKind = 'everyone' | 'root' | 'iam' | 'service' | 'federated' | 'canonical' | 'unknown' | 'invalid';

/** What `judgePrincipal` says of one principal entry. */
export interface PrincipalJudgement {
  kind: PrincipalKind;
  /**
   * The account the entry belongs to: a 12-digit id for valid AWS principals; for an unknown value,
   * the account field as written (`${AWS::AccountId}`), when the value has the shape of an IAM ARN.
   */
  account?: string;
  /** For `root`, and for an unknown value shaped `arn:...:iam::<account>:root`. */
  root?: boolean;
  /** Why an `invalid` entry cannot exist. */
  problem?: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const PARTITIONS = /^(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc)$/;
/** IAM unique ids: IAM shows these in place of an ARN whose principal was deleted. */
const UNIQUE_ID = /^(AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{12,}$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazonaws\.com\.cn|c2s\.ic\.gov|sc2s\.sgov\.gov|amazon\.com)$/;
const CANONICAL = /^[0-9a-f]{64}$/;
/** `arn:<partition>:iam|sts::<account>:<resource>`, leniently, for the shape of an unknown value. */
const IAM_ARN_SHAPE = /^arn:[^:]*:(iam|sts)::([^:]*):(.*)$/;

function judgeAws(value: string): PrincipalJudgement {
  if (value === '*') return { kind: 'everyone' };
  if (ACCOUNT_ID.test(value)) return { kind: 'root', account: value, root: true };
  if (value.includes('${')) {
    // A reference may itself hold colons (`${AWS::AccountId}`): read the ARN's shape with each one masked.
    const refs: string[] = [];
    const masked = value.replace(/\$\{[^}]*\}/g, (ref) => `\u0000${refs.push(ref) - 1}\u0000`);
    const unmask = (t: string) => t.replace(/\u0000(\d+)\u0000/g, (_, i: string) => refs[Number(i)]!);
    const m = IAM_ARN_SHAPE.exec(masked);
    return m ? { kind: 'unknown', account: unmask(m[2]!), root: m[1] === 'iam' && unmask(m[3]!) === 'root' } : { kind: 'unknown' };
  }
  if (UNIQUE_ID.test(value)) return { kind: 'iam' };
  const invalid = (problem: string): PrincipalJudgement => ({ kind: 'invalid', problem });
  if (/^\d+$/.test(value)) return invalid(`"${value}" is not an account id: an account id has exactly 12 digits.`);
  if (!value.startsWith('arn:')) return invalid(`"${value}" is neither "*", a 12-digit account id nor an IAM ARN.`);
  if (/[*?]/.test(value)) return invalid(`"${value}" has a wildcard inside an ARN, which a Principal does not allow; use "*" with an aws:PrincipalArn condition instead.`);
  const arn = parseArn(value);
  if (!arn || !PARTITIONS.test(arn.partition) || (arn.service !== 'iam' && arn.service !== 'sts') || arn.region !== '' || arn.resource === '')
    return invalid(`"${value}" is not a valid IAM principal ARN (arn:aws:iam::<account-id>:root|user/...|role/...).`);
  if (arn.service === 'iam' && arn.account === 'aws' && arn.resource.startsWith('policy/'))
    return invalid(`"${value}" is an AWS managed policy, not a principal: name the role or user it is attached to.`);
  if (!ACCOUNT_ID.test(arn.account)) return invalid(`"${value}" has an invalid account id "${arn.account}": an account id has exactly 12 digits.`);
  const account = arn.account;
  if (arn.service === 'iam') {
    if (arn.resource === 'root') return { kind: 'root', account, root: true };
    if (arn.resource.startsWith('group/')) return { ...invalid(`"${value}" is an IAM group; a group cannot be a principal. Name its users or a role instead.`), account };
    if (arn.resource.startsWith('policy/')) return { ...invalid(`"${value}" is a managed policy, not a principal: name the role or user it is attached to.`), account };
    if (/^(user|role|saml-provider|oidc-provider)\/.+/.test(arn.resource)) return { kind: 'iam', account };
    return { ...invalid(`"${value}" is not a principal: an IAM principal ARN ends in :root, :user/<name> or :role/<name>.`), account };
  }
  if (/^(assumed-role\/[^/]+\/.+|federated-user\/.+)$/.test(arn.resource)) return { kind: 'iam', account };
  return { ...invalid(`"${value}" is not a valid STS principal ARN (assumed-role/<role>/<session> or federated-user/<name>).`), account };
}

function judgeUncached(type: PrincipalEntryType, value: string): PrincipalJudgement {
  if (value.includes('${') && type !== 'AWS') return { kind: 'unknown' };
  switch (type) {
    case '*':
      if (value === '*') return { kind: 'everyone' };
      return {
        kind: 'invalid',
        problem: `Principal "${value}" is neither "*" nor a principal block: write {"AWS": "${value}"} (or "Service", "Federated") to name a principal.`,
      };
    case 'AWS':
      return judgeAws(value);
    case 'Service':
      if (/[*?]/.test(value)) return { kind: 'invalid', problem: `Service principal "${value}" contains a wildcard, which is not allowed.` };
      return SERVICE.test(value) ? { kind: 'service' } : { kind: 'invalid', problem: `"${value}" is not a service principal (e.g. logs.us-east-1.amazonaws.com).` };
    case 'Federated':
      return /[*?]/.test(value) ? { kind: 'invalid', problem: `Federated principal "${value}" contains a wildcard, which is not allowed.` } : { kind: 'federated' };
    case 'CanonicalUser':
      return CANONICAL.test(value) ? { kind: 'canonical' } : { kind: 'invalid', problem: `"${value}" is not a canonical user id (64 hexadecimal characters).` };
  }
}

// The same few principals recur in statement after statement and policy after policy.
const judgements = new Map<string, PrincipalJudgement>();

/**
 * Judges one principal entry of a policy: what it names, its account, and, when it cannot exist,
 * why (KMS rejects such a policy with MalformedPolicyDocumentException, and it grants nothing). The
 * result is shared: callers must not modify it.
 */
export function judgePrincipal(type: PrincipalEntryType, value: string): PrincipalJudgement {
  if (typeof (type as unknown) !== 'string' || typeof (value as unknown) !== 'string') return { kind: 'invalid', problem: 'a principal must be a string' };
  const key = `${type}\n${value}`;
  let j = judgements.get(key);
  if (j === undefined) {
    j = judgeUncached(type, value);
    if (judgements.size >= 4096) judgements.clear();
    judgements.set(key, j);
  }
  return j;
}
