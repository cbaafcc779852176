/**
 * Vault service tokens: ids and accessors in Vault's shapes (`hvs.` + 24 base62 characters),
 * creation with the token store's policy rules, TTLs on the emulator clock, and the lookup answer.
 * The dev server's limits apply: default and maximum TTL 768h (32 days).
 */
import { userError } from './errors.js';
import { newAccessor, newTokenId } from './ids.js';
import type { Caller, HandlerContext } from './endpoint.js';
import { struct, type LogicalResponse } from './envelope.js';
import { tokenHash, type Change, type TokenRecord } from './state.js';
import { rfc3339Nano } from './transit/keys.js';

export const MAX_TTL_SECONDS = 768 * 3600;

/** Vault's SanitizePolicies: trimmed, lower-cased, deduplicated, sorted; `root` alone stays alone. */
export function sanitizePolicies(policies: string[], addDefault: boolean): string[] {
  const set = new Set(policies.map((p) => p.trim().toLowerCase()).filter(Boolean));
  if (set.has('root')) return ['root'];
  if (addDefault) set.add('default');
  return [...set].sort();
}

function displayName(name: string): string {
  if (!name) return 'token';
  return `token-${name}`.replace(/[^a-zA-Z0-9-]/g, '-').replace(/-+$/, '');
}

/** `auth/token/create` and `create-orphan`. */
export function createToken(ctx: HandlerContext, orphan: boolean): LogicalResponse {
  const d = ctx.data;
  const parent = ctx.caller;
  const isSudo = parent.isRoot || ctx.hasSudo(ctx.path);
  if (parent.record && parent.record.numUses > 0) throw userError('restricted use token cannot generate child tokens');
  const type = d.string('type');
  if (type && type !== 'service' && type !== 'default') throw userError(type === 'batch' ? 'kmskit emulates service tokens only; batch tokens are not available' : "invalid 'token_type' value");
  const numUses = d.int('num_uses');
  if (numUses < 0) throw userError('number of uses cannot be negative');
  const warnings: string[] = [];

  let id = newTokenId();
  if (d.string('id')) {
    if (!isSudo) throw userError('root or sudo privileges required to specify token id');
    id = d.string('id');
    warnings.push('Supplying a custom ID for the token uses the weaker SHA1 hashing instead of the more secure SHA2-256 HMAC for token obfuscation. SHA1 hashed tokens on the wire leads to less secure lookups.');
  }
  if (ctx.state.tokens.has(tokenHash(id)) || tokenHash(id) === ctx.state.rootHash) throw userError('cannot create a token with a duplicate ID');

  const requested = d.get<string[]>('policies');
  const noDefault = d.bool('no_default_policy');
  let policies: string[];
  if (requested.length === 0) policies = sanitizePolicies(parent.policies, false);
  else if (!isSudo) {
    const parentSet = new Set(sanitizePolicies(parent.policies, false));
    const wanted = sanitizePolicies(requested, false);
    if (!parentSet.has('root') && !wanted.every((p) => parentSet.has(p))) throw userError('child policies must be subset of parent');
    policies = sanitizePolicies(requested, !noDefault && parent.policies.includes('default'));
  } else policies = sanitizePolicies(requested, !noDefault);
  if (noDefault) policies = policies.filter((p) => p !== 'default');
  if (policies.includes('root') && !parent.policies.includes('root')) throw userError('root tokens may not be created without parent token being root');

  let noParent = orphan;
  if (d.bool('no_parent')) {
    if (!isSudo) throw userError('root or sudo privileges required to create orphan token');
    noParent = true;
  }

  const explicitMax = d.int('explicit_max_ttl');
  const period = d.int('period');
  let ttl = d.int('ttl');
  if (explicitMax < 0) throw userError('explicit_max_ttl must be positive');
  if (period < 0) throw userError('period must be positive');
  const isRootToken = policies.length === 1 && policies[0] === 'root';
  if (period > 0) ttl = period;
  else if (ttl === 0 && !isRootToken) ttl = MAX_TTL_SECONDS;
  const cap = explicitMax > 0 ? Math.min(explicitMax, MAX_TTL_SECONDS) : MAX_TTL_SECONDS;
  if (ttl > cap) {
    warnings.push(`TTL of "${formatDuration(ttl)}" exceeded the effective max_ttl of "${formatDuration(cap)}"; TTL value is capped accordingly`);
    ttl = cap;
  }
  if (ttl === 0 && parent.record && parent.record.ttl !== 0) throw userError('expiring root tokens cannot create non-expiring root tokens');

  const record: TokenRecord = {
    hash: tokenHash(id),
    accessor: newAccessor(),
    policies,
    displayName: displayName(d.string('display_name')),
    ...(noParent ? {} : { parent: parent.record?.hash ?? ctx.state.rootHash }),
    createdAt: ctx.now,
    ttl,
    ...(ttl > 0 ? { expiresAt: ctx.now + ttl * 1000 } : {}),
    explicitMaxTtl: explicitMax,
    period,
    numUses,
    path: `auth/token/${orphan ? 'create-orphan' : 'create'}`,
    meta: Object.keys(d.get<Record<string, string>>('meta')).length ? d.get<Record<string, string>>('meta') : null,
    renewable: ttl > 0 && d.bool('renewable'),
  };
  ctx.commit([{ kind: 'token', token: record }]);
  for (const p of policies) if (p !== 'default' && p !== 'root' && !ctx.state.policies.has(p)) warnings.push(`Policy "${p}" does not exist`);
  ctx.audit.params.policies = policies;
  ctx.audit.params.display_name = record.displayName;
  return { auth: authBlock(id, record), warnings };
}

export function authBlock(id: string, t: TokenRecord, leaseDuration = t.ttl): Record<string, unknown> {
  return struct({
    client_token: id,
    accessor: t.accessor,
    policies: t.policies,
    token_policies: t.policies,
    metadata: t.meta,
    lease_duration: leaseDuration,
    renewable: t.renewable,
    entity_id: '',
    token_type: 'service',
    orphan: t.parent === undefined,
    mfa_requirement: null,
    num_uses: t.numUses,
  });
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
}

/** The lookup answer for a token (the id is '' for lookups by accessor, as in Vault). */
export function lookupData(t: TokenRecord | undefined, caller: Pick<Caller, 'policies' | 'displayName' | 'accessor'>, id: string, now: number, rootCreatedAt: number): Record<string, unknown> {
  if (!t) {
    // The root token.
    return {
      accessor: caller.accessor,
      creation_time: Math.floor(rootCreatedAt / 1000),
      creation_ttl: 0,
      display_name: 'root',
      entity_id: '',
      expire_time: null,
      explicit_max_ttl: 0,
      id,
      meta: null,
      num_uses: 0,
      orphan: true,
      path: 'auth/token/root',
      policies: ['root'],
      ttl: 0,
      type: 'service',
    };
  }
  return {
    accessor: t.accessor,
    creation_time: Math.floor(t.createdAt / 1000),
    creation_ttl: t.ttl,
    display_name: t.displayName,
    entity_id: '',
    expire_time: t.expiresAt !== undefined ? rfc3339Nano(t.expiresAt) : null,
    explicit_max_ttl: t.explicitMaxTtl,
    id,
    issue_time: rfc3339Nano(t.createdAt),
    meta: t.meta,
    num_uses: t.numUses,
    orphan: t.parent === undefined,
    path: t.path,
    policies: t.policies,
    renewable: t.renewable,
    ttl: t.expiresAt !== undefined ? Math.max(0, Math.floor((t.expiresAt - now) / 1000)) : 0,
    type: 'service',
    ...(t.period ? { period: t.period } : {}),
  };
}

/** Revoking a token revokes the tokens it created, as Vault's revoke (tree) does. */
export function revocation(ctx: HandlerContext, hash: string): Change[] {
  return ctx.state.descendants(hash).map((h) => ({ kind: 'revoke-token' as const, hash: h }));
}

/** `renew` and `renew-self`: a new TTL from now, within the token's maximum. */
export function renew(ctx: HandlerContext, id: string, t: TokenRecord | undefined): LogicalResponse {
  if (!t) throw userError('lease is not renewable');
  if (!t.renewable || t.expiresAt === undefined) throw userError('lease is not renewable');
  const increment = ctx.data.int('increment') || t.ttl;
  const maxEnd = t.createdAt + (t.explicitMaxTtl > 0 ? Math.min(t.explicitMaxTtl, MAX_TTL_SECONDS) : MAX_TTL_SECONDS) * 1000;
  const expiresAt = Math.min(ctx.now + increment * 1000, t.period > 0 ? ctx.now + t.period * 1000 : maxEnd);
  const next: TokenRecord = { ...t, expiresAt };
  ctx.commit([{ kind: 'token', token: next }]);
  return { auth: authBlock(id, next, Math.floor((expiresAt - ctx.now) / 1000)) };
}
