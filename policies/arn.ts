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
