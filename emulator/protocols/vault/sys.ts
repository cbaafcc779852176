/**
 * The `sys/` endpoints a transit user touches — secrets-engine mounts and ACL policies — and the
 * unauthenticated `sys/health` and `sys/seal-status`, as a dev server answers them: initialized,
 * unsealed, active, in-memory.
 */
import { randomUUID } from 'node:crypto';
import { userError } from './errors.js';
import type { Endpoint, HandlerContext } from './endpoint.js';
import { rawJson, struct, type LogicalResponse, type VaultHttpResponse } from './envelope.js';
import { parsePolicy } from './acl.js';
import { decodeStdBase64 } from './params.js';
import type { Mount, MountRecord } from './state.js';
import { base62 } from './ids.js';

/** Version kmskit reports: the Vault behaviour it follows, marked as kmskit's. */
export const VAULT_VERSION = '1.17.0+kmskit';
const CLUSTER_NAME = 'vault-cluster-kmskit';
const CLUSTER_ID = randomUUID();

/** Paths whose answers Vault also copies to the top level of the JSON (for pre-0.6 clients). */
export function injectsSysData(path: string): boolean {
  return ['sys/mounts', 'sys/policy', 'sys/capabilities', 'sys/capabilities-self', 'sys/capabilities-accessor'].includes(path) || path.startsWith('sys/mounts/') || path.startsWith('sys/policy/');
}

export function health(method: string, query: URLSearchParams, now: number): VaultHttpResponse {
  const code = Number(query.get('activecode') ?? 200);
  const status = Number.isInteger(code) && code >= 100 && code <= 599 ? code : 200;
  if (method === 'HEAD') return { status, headers: { 'Cache-Control': 'no-store' }, body: '' };
  return rawJson(
    status,
    struct({
      initialized: true,
      sealed: false,
      standby: false,
      performance_standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: Math.floor(now / 1000),
      version: VAULT_VERSION,
      enterprise: false,
      cluster_name: CLUSTER_NAME,
      cluster_id: CLUSTER_ID,
      echo_duration_ms: 0,
      clock_skew_ms: 0,
    }),
  );
}

export function sealStatus(): VaultHttpResponse {
  return rawJson(
    200,
    struct({
      type: 'shamir',
      initialized: true,
      sealed: false,
      t: 1,
      n: 1,
      progress: 0,
      nonce: '',
      version: VAULT_VERSION,
      build_date: '2024-06-10T10:11:34Z',
      migration: false,
      cluster_name: CLUSTER_NAME,
      cluster_id: CLUSTER_ID,
      recovery_seal: false,
      storage_type: 'inmem',
    }),
  );
}

// ---------------------------------------------------------------- mounts

const SYSTEM_MOUNT = {
  accessor: `system_${base62(8).toLowerCase()}`,
  config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
  description: 'system endpoints used for control, policy and debugging',
  external_entropy_access: false,
  local: false,
  options: null,
  plugin_version: '',
  running_plugin_version: `v${VAULT_VERSION}`,
  running_sha256: '',
  seal_wrap: true,
  type: 'system',
  uuid: randomUUID(),
};

function mountInfo(m: MountRecord): Record<string, unknown> {
  return {
    accessor: m.accessor,
    config: { default_lease_ttl: m.config.default_lease_ttl, force_no_cache: false, max_lease_ttl: m.config.max_lease_ttl },
    description: m.description,
    external_entropy_access: false,
    local: m.local,
    options: m.options,
    plugin_version: '',
    running_plugin_version: `v${VAULT_VERSION}`,
    running_sha256: '',
    seal_wrap: m.sealWrap,
    type: m.type,
    uuid: m.uuid,
  };
}

function listMounts(ctx: HandlerContext): LogicalResponse {
  const data: Record<string, unknown> = { 'sys/': SYSTEM_MOUNT };
  for (const m of ctx.state.mounts.values()) data[m.record.path] = mountInfo(m.record);
  return { data };
}

const RESERVED = ['sys/', 'auth/', 'cubbyhole/', 'identity/'];

function normalizeMountPath(raw: string): string {
  const p = raw.replace(/^\/+/, '').replace(/\/*$/, '/');
  if (p === '/' || p.includes('..')) throw userError(`invalid mount path ${JSON.stringify(raw)}`);
  return p;
}

function enableMount(ctx: HandlerContext): null {
  const d = ctx.data;
  const path = normalizeMountPath(d.string('path'));
  const type = d.string('type');
  if (!type) throw userError('backend type must be specified as a string');
  ctx.audit.params.path = path;
  ctx.audit.params.type = type;
  if (type !== 'transit') throw userError(`kmskit emulates only the transit secrets engine; cannot enable ${JSON.stringify(type)} at ${path}`);
  for (const r of RESERVED) if (path.startsWith(r)) throw userError(`path is already in use at ${r}`);
  for (const m of ctx.state.mounts.values()) {
    const existing = m.record.path;
    if (path.startsWith(existing)) throw userError(`path is already in use at ${existing}`);
    if (existing.startsWith(path)) throw userError(`existing mount at ${existing}`);
  }
  const config = d.get<Record<string, unknown>>('config');
  const options = d.get<Record<string, unknown>>('options');
  const record: MountRecord = {
    path,
    type: 'transit',
    description: d.string('description'),
    accessor: `transit_${base62(8).toLowerCase()}`,
    uuid: randomUUID(),
    createdAt: ctx.now,
    config: { default_lease_ttl: Number(config.default_lease_ttl ?? 0) || 0, max_lease_ttl: Number(config.max_lease_ttl ?? 0) || 0 },
    options: Object.keys(options).length ? Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])) : null,
    local: d.bool('local'),
    sealWrap: d.bool('seal_wrap'),
  };
  ctx.commit([{ kind: 'mount', mount: record }]);
  return null;
}

function mountAt(ctx: HandlerContext): Mount | undefined {
  return ctx.state.mounts.get(normalizeMountPath(ctx.data.string('path')));
}

function readMount(ctx: HandlerContext): LogicalResponse {
  const path = normalizeMountPath(ctx.data.string('path'));
  if (path === 'sys/') return { data: SYSTEM_MOUNT };
  const m = mountAt(ctx);
  if (!m) throw userError(`No secret engine mount at ${path}`);
  return { data: mountInfo(m.record) };
}

function disableMount(ctx: HandlerContext): null {
  const path = normalizeMountPath(ctx.data.string('path'));
  ctx.audit.params.path = path;
  if (RESERVED.some((r) => path.startsWith(r))) throw userError(`cannot unmount ${JSON.stringify(path)}`);
  // Disabling a path nothing is mounted at succeeds, as in Vault.
  if (ctx.state.mounts.has(path)) ctx.commit([{ kind: 'unmount', path }]);
  return null;
}

// ---------------------------------------------------------------- policies

/** Vault's built-in `default` policy, restricted to the paths kmskit serves (it is editable, not deletable). */
export const DEFAULT_POLICY = `# Allow tokens to look up, renew and revoke themselves, and to check their own capabilities.
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

path "auth/token/renew-self" {
    capabilities = ["update"]
}

path "auth/token/revoke-self" {
    capabilities = ["update"]
}

path "sys/capabilities-self" {
    capabilities = ["update"]
}
`;

/** The policies a state has, with `default` present unless replaced. */
export function policyNames(ctx: HandlerContext): string[] {
  const names = new Set([...ctx.state.policies.keys(), 'default']);
  return [...names].sort();
}

function listPolicies(legacy: boolean) {
  return (ctx: HandlerContext): LogicalResponse => {
    const keys = [...policyNames(ctx), 'root'];
    return { data: legacy ? { keys, policies: keys } : { keys } };
  };
}

function readPolicy(legacy: boolean) {
  return (ctx: HandlerContext): LogicalResponse | null => {
    const name = ctx.data.string('name').toLowerCase();
    const p = ctx.state.policies.get(name);
    const text = p?.text ?? (name === 'default' ? DEFAULT_POLICY : undefined);
    if (text === undefined) return null;
    return {
      data: {
        name,
        [legacy ? 'rules' : 'policy']: text,
        version: p?.version ?? 1,
        cas_required: false,
        allow_wildcards_in_identity_templates: false,
        allow_slashes_in_identity_templates: false,
        ...(p?.modified ? { modified: new Date(p.modified).toISOString() } : {}),
      },
    };
  };
}

function writePolicy(legacy: boolean) {
  return (ctx: HandlerContext): LogicalResponse | null => {
    const raw = ctx.data.string('name');
    const name = raw.toLowerCase();
    ctx.audit.params.name = name;
    if (!name) throw userError('policy name must be provided in the URL');
    const warnings: string[] = [];
    if (raw !== name) warnings.push(`policy name was converted to ${name}`);
    let text = ctx.data.string('policy');
    if (!text && legacy) {
      text = ctx.data.string('rules');
      warnings.push("'rules' is deprecated, please use 'policy' instead");
    }
    if (!text) throw userError("'policy' parameter not supplied or empty");
    // A policy may be sent base64-encoded.
    const decoded = decodeStdBase64(text);
    if (typeof decoded !== 'string') text = decoded.toString('utf8');
    if (name === 'root') throw userError('cannot update "root" policy');
    parsePolicy(name, text); // a bad document is refused here, before anything is stored
    const previous = ctx.state.policies.get(name);
    ctx.commit([{ kind: 'policy', policy: { name, text, version: (previous?.version ?? 0) + 1, modified: ctx.now } }]);
    return warnings.length ? { warnings } : null;
  };
}

function deletePolicy(ctx: HandlerContext): null {
  const name = ctx.data.string('name').toLowerCase();
  ctx.audit.params.name = name;
  if (name === 'root') throw userError('cannot delete "root" policy');
  if (name === 'default') throw userError('cannot delete default policy');
  if (ctx.state.policies.has(name)) ctx.commit([{ kind: 'delete-policy', name }]);
  return null;
}

function capabilities(self: boolean) {
  return (ctx: HandlerContext, aclFor: (policies: string[]) => { capabilities(path: string): string[] }, policiesOfToken: (token: string) => string[] | undefined): LogicalResponse => {
    const d = ctx.data;
    const paths = [...d.get<string[]>('paths'), ...(d.string('path') ? [d.string('path')] : [])];
    if (paths.length === 0) throw userError('paths must be supplied');
    let policies = ctx.caller.policies;
    if (!self) {
      const token = d.string('token');
      if (!token) throw userError('missing token');
      const p = policiesOfToken(token);
      if (!p) throw userError('invalid token');
      policies = p;
    }
    const acl = aclFor(policies);
    const data: Record<string, unknown> = {};
    for (const p of paths) data[p] = acl.capabilities(p);
    if (paths.length === 1) data.capabilities = data[paths[0]!];
    return { data };
  };
}

/** Capabilities endpoints need the face's ACL cache; it binds them. */
export interface CapabilityBindings {
  aclFor(policies: string[]): { capabilities(path: string): string[] };
  policiesOfToken(token: string): string[] | undefined;
}

export function sysEndpoints(b: CapabilityBindings): Endpoint[] {
  const caps = (self: boolean) => {
    const fn = capabilities(self);
    return (ctx: HandlerContext) => fn(ctx, b.aclFor, b.policiesOfToken);
  };
  const policyFields = { name: 'string', policy: 'string' } as const;
  return [
    { event: 'sys/mounts', pattern: /^mounts\/?$/, fields: {}, ops: { read: listMounts } },
    {
      event: 'sys/mounts',
      pattern: /^mounts\/(?<path>.+)$/,
      fields: { path: 'string', type: 'string', description: 'string', config: 'map', options: 'map', local: 'bool', seal_wrap: 'bool', external_entropy_access: 'bool', plugin_name: 'string', plugin_version: 'string' },
      ops: { update: enableMount, read: readMount, delete: disableMount },
    },
    { event: 'sys/policy', pattern: /^policy\/?$/, fields: {}, ops: { read: listPolicies(true), list: listPolicies(true) } },
    {
      event: 'sys/policy',
      pattern: /^policy\/(?<name>.+)$/,
      fields: { ...policyFields, rules: 'string' },
      ops: { read: readPolicy(true), update: writePolicy(true), delete: deletePolicy },
    },
    { event: 'sys/policies/acl', pattern: /^policies\/acl\/?$/, fields: {}, ops: { list: listPolicies(false) } },
    {
      event: 'sys/policies/acl',
      pattern: /^policies\/acl\/(?<name>.+)$/,
      fields: policyFields,
      ops: { read: readPolicy(false), update: writePolicy(false), delete: deletePolicy },
    },
    { event: 'sys/capabilities-self', pattern: /^capabilities-self$/, fields: { path: 'string', paths: 'strings' }, ops: { update: caps(true) } },
    { event: 'sys/capabilities', pattern: /^capabilities$/, fields: { path: 'string', paths: 'strings', token: 'string' }, ops: { update: caps(false) } },
  ];
}
