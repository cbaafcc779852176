/**
 * The Vault face of the emulator: one Vault HTTP API request in, one response out, with Vault's
 * order of work:
 *
 *   1. `sys/health` and `sys/seal-status` answer without a token;
 *   2. the method becomes a logical operation (GET → read, or list with `?list=true`; LIST → list;
 *      POST/PUT → update, or create when the endpoint's existence check finds nothing; DELETE →
 *      delete); the body is JSON whatever the Content-Type (form bodies only when they are one);
 *   3. the token (`X-Vault-Token`, else `Authorization: Bearer`) must be known and live;
 *   4. the token's ACL must allow the operation on the path (root allows all);
 *   5. the path must lead to an endpoint (mount → endpoint → operation, else Vault's 404/405);
 *   6. the handler runs; its changes are persisted before they are applied;
 *   7. the call is recorded in the emulator's audit log (who, what, which key; never a secret).
 *
 * It knows nothing of sockets: the HTTP server hands it requests, and `Emulator.vault.request`
 * reaches it in-process.
 */
import { randomUUID } from 'node:crypto';
import { Acl, parsePolicy, type Operation, type ParsedPolicy } from './acl.js';
import { authTokenEndpoints } from './auth-token.js';
import type { Caller, Endpoint, HandlerContext } from './endpoint.js';
import { envelope, errorResponse, noContent, sysEnvelope, type LogicalResponse, type VaultHttpResponse } from './envelope.js';
import { VaultError, internalError, invalidToken, missingToken, noHandler, notFound, permissionDenied, unsupportedOperation, unsupportedPath, userError } from './errors.js';
import { FieldData } from './params.js';
import { newAccessor } from './ids.js';
import { tokenHash, type Change, type Mount, type TokenRecord, type VaultState } from './state.js';
import { DEFAULT_POLICY, health, injectsSysData, sealStatus, sysEndpoints } from './sys.js';
import { dueRotations, TRANSIT_ENDPOINTS } from './transit/endpoints.js';
import { rotationDueAt } from './transit/keys.js';

export interface VaultRequest {
  method: string;
  /** The request target as sent: `/v1/transit/encrypt/my-app-key?x=y`. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp?: string;
}

export interface VaultAuditEntry {
  time: number;
  event: string;
  path: string;
  operation: Operation;
  /** Absent when the request carried no valid token. */
  caller?: Caller;
  status: number;
  error?: string;
  resource?: string;
  params: Record<string, unknown>;
  sourceIp?: string;
}

export interface VaultFaceOptions {
  /** What the face serves from (loaded from the state file before the face exists). */
  state: VaultState;
  rootToken: string;
  /** When the root token came to be (the emulator's start), ms. */
  rootCreatedAt: number;
  now(): number;
  /** Persists changes before they are applied (the emulator's state file); absent = in memory. */
  persist?(changes: Change[], now: number): void;
  /** Receives one entry per call (health checks aside), refused ones included. */
  audit?(entry: VaultAuditEntry): void;
  log?(line: string): void;
}

const PARSE_BOOL_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const NO_QUERY = new URLSearchParams();

export class VaultFace {
  readonly state: VaultState;
  private readonly rootToken: string;
  private readonly rootAccessor = newAccessor();
  private readonly rootCreatedAt: number;
  private readonly aclCache = new Map<string, { epoch: number; acl: Acl }>();
  /** Parsed policies by name, with the text they were parsed from. */
  private readonly parsedPolicies = new Map<string, { text: string; parsed: ParsedPolicy }>();
  private readonly sys: Endpoint[];
  private readonly authToken: Endpoint[];
  private rotationWatermark = Number.POSITIVE_INFINITY;
  private readonly defaultPolicy = parsePolicy('default', DEFAULT_POLICY);

  constructor(private readonly options: VaultFaceOptions) {
    this.state = options.state;
    this.rootToken = options.rootToken;
    this.state.rootHash = tokenHash(this.rootToken);
    this.rootCreatedAt = options.rootCreatedAt;
    this.sys = sysEndpoints({ aclFor: (p) => this.aclFor(p), policiesOfToken: (t) => this.policiesOfToken(t) });
    this.authToken = authTokenEndpoints(
      (id) => this.resolveToken(id),
      () => this.rootCreatedAt,
    );
    this.stateChanged();
  }

  /** After the state was loaded or reset from outside: work out when the next automatic rotation is due. */
  stateChanged(): void {
    this.rotationWatermark = Number.POSITIVE_INFINITY;
    for (const m of this.state.mounts.values()) for (const k of m.keys.values()) this.noteRotation(rotationDueAt(k));
  }

  /** Drop mounts, keys, policies and tokens (the root token stays). */
  reset(): void {
    this.state.clear();
    this.aclCache.clear();
    this.parsedPolicies.clear();
    this.rotationWatermark = Number.POSITIVE_INFINITY;
  }

  handle(req: VaultRequest): VaultHttpResponse {
    const now = this.options.now();
    const q = req.url.indexOf('?');
    const rawPath = (q < 0 ? req.url : req.url.slice(0, q)).replace(/^\/v1\/?/, '');
    const query = q < 0 ? NO_QUERY : new URLSearchParams(req.url.slice(q + 1));
    let path = rawPath;
    if (rawPath.includes('%')) {
      try {
        path = decodeURIComponent(rawPath);
      } catch {
        return errorResponse(userError('invalid path: bad percent-encoding'));
      }
    }
    const method = req.method.toUpperCase();
    if (path === 'sys/health' && (method === 'GET' || method === 'HEAD')) return health(method, query, now);
    if (path === 'sys/seal-status' && method === 'GET') return sealStatus();

    let operation: Operation;
    if (method === 'GET') operation = PARSE_BOOL_TRUE.has(query.get('list') ?? '') ? 'list' : 'read';
    else if (method === 'LIST') operation = 'list';
    else if (method === 'POST' || method === 'PUT') operation = 'update';
    else if (method === 'DELETE') operation = 'delete';
    else return errorResponse(unsupportedOperation());
    if (operation === 'list' && !path.endsWith('/')) path += '/';

    const audit = { params: {} as Record<string, unknown>, resource: undefined as string | undefined };
    let caller: Caller | undefined;
    let event = path.replace(/\/$/, '');
    const finish = (res: VaultHttpResponse, error?: VaultError): VaultHttpResponse => {
      {
        this.options.audit?.({
          time: now,
          event,
          path: path.replace(/\/$/, ''),
          operation,
          ...(caller ? { caller } : {}),
          status: res.status,
          ...(error ? { error: error.errors[0] ?? `status ${error.status}` } : {}),
          ...(audit.resource ? { resource: audit.resource } : {}),
          params: audit.params,
          ...(req.sourceIp ? { sourceIp: req.sourceIp } : {}),
        });
      }
      return res;
    };

    try {
      const data = this.requestData(method, req, query);
      caller = this.authenticate(req.headers, now);
      this.sweepRotations(now);

      const route = this.route(path);
      if (route?.endpoint.exists && operation === 'update' && !route.endpoint.exists({ state: this.state, captures: route.captures, ...(route.mount ? { mount: route.mount } : {}) })) operation = 'create';
      if (route) event = route.endpoint.event;
      // A refused call still names the key it was aimed at.
      if (route?.mount && route.captures.name) audit.resource = `${route.mount.record.path}keys/${route.captures.name}`;
      if (!caller.isRoot && !this.aclFor(caller.policies).allows(operation, path, data)) throw permissionDenied();
      if (caller.record && caller.record.numUses > 0) caller = { ...caller, record: this.useOnce(caller.record, now) };
      if (!route) throw route === null ? unsupportedPath() : noHandler(path.replace(/\/$/, ''));
      const handler = route.endpoint.ops[operation];
      if (!handler) throw unsupportedOperation();

      const fields = new FieldData(route.endpoint.fields, data, route.captures);
      const ctx: HandlerContext = {
        data: fields,
        captures: route.captures,
        state: this.state,
        now,
        caller,
        ...(route.mount ? { mount: route.mount } : {}),
        path: path.replace(/\/$/, ''),
        operation,
        commit: (changes) => this.commit(changes, now),
        hasSudo: (p) => caller!.isRoot || this.aclFor(caller!.policies).capabilities(p).includes('sudo'),
        audit,
      };
      const out = handler(ctx);
      if (out === null) {
        if (operation === 'read' || operation === 'list') throw notFound();
        return finish(noContent());
      }
      const warnings = [...(out.warnings ?? []), ...fields.warnings];
      const logical: LogicalResponse = { ...out, ...(warnings.length ? { warnings } : {}) };
      const sysPath = path.replace(/\/$/, '');
      return finish(route.mount ? envelope(logical, route.mount.record.type) : sysPath.startsWith('sys/') ? (injectsSysData(sysPath) ? sysEnvelope(logical) : envelope(logical, 'system')) : envelope(logical, 'token'));
    } catch (e) {
      const err = e instanceof VaultError ? e : this.internal(e);
      return finish(errorResponse(err), err);
    }
  }

  private internal(e: unknown): VaultError {
    const id = randomUUID();
    this.options.log?.(`kmskit: vault request ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
    return internalError(`internal error (kmskit request ${id})`);
  }

  private requestData(method: string, req: VaultRequest, query: URLSearchParams): Record<string, unknown> {
    if (method === 'GET' || method === 'LIST' || method === 'DELETE') {
      const data: Record<string, unknown> = {};
      for (const [k, v] of query) if (k !== 'list' && !(k in data)) data[k] = v;
      return data;
    }
    const text = req.body.toString('utf8');
    const trimmed = text.trimStart();
    if (trimmed === '') return {};
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/x-www-form-urlencoded' && !trimmed.startsWith('{') && !trimmed.startsWith('[')) {
      const data: Record<string, unknown> = {};
      for (const [k, v] of new URLSearchParams(text)) if (!(k in data)) data[k] = v;
      return data;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw userError(`failed to parse JSON input: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw userError('failed to parse JSON input: json: cannot unmarshal into Go value of type map[string]interface {}');
    return parsed as Record<string, unknown>;
  }

  private authenticate(headers: VaultRequest['headers'], now: number): Caller {
    const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
    let id = first(headers['x-vault-token'])?.trim();
    if (!id) {
      const auth = first(headers.authorization);
      if (auth && /^bearer /i.test(auth)) id = auth.slice(7).trim();
    }
    if (!id) throw missingToken();
    const t = this.resolveToken(id, now);
    if (!t) throw invalidToken();
    if (t === 'root') return { id, policies: ['root'], displayName: 'root', accessor: this.rootAccessor, isRoot: true };
    return { record: t, id, policies: t.policies, displayName: t.displayName, accessor: t.accessor, isRoot: t.policies.includes('root') };
  }

  /** A live token by id: the root token, a stored record, or undefined (unknown, revoked, expired). */
  private resolveToken(id: string, now = this.options.now()): TokenRecord | 'root' | undefined {
    if (id === this.rootToken) return 'root';
    const t = this.state.tokens.get(tokenHash(id));
    if (!t) return undefined;
    if (t.expiresAt !== undefined && t.expiresAt <= now) {
      // Expired: Vault revokes it; so does this (persisted, so it stays revoked after a restart).
      this.commit(this.state.descendants(t.hash).map((hash) => ({ kind: 'revoke-token' as const, hash })), now);
      return undefined;
    }
    return t;
  }

  private policiesOfToken(id: string): string[] | undefined {
    const t = this.resolveToken(id);
    return t === 'root' ? ['root'] : t?.policies;
  }

  /** Counts one use of a limited-use token; the last use revokes it (the request itself proceeds). */
  private useOnce(t: TokenRecord, now: number): TokenRecord {
    const used = { ...t, numUses: t.numUses - 1 };
    if (used.numUses === 0) this.commit(this.state.descendants(t.hash).map((hash) => ({ kind: 'revoke-token' as const, hash })), now);
    else this.commit([{ kind: 'token', token: used }], now);
    return used;
  }

  /** The combined ACL of a set of policies (cached until a policy changes). */
  aclFor(policies: string[]): Acl {
    const key = policies.join('\n');
    const hit = this.aclCache.get(key);
    if (hit && hit.epoch === this.state.policyEpoch) return hit.acl;
    const root = policies.includes('root');
    const parsed = policies.flatMap((p) => {
      const stored = this.policy(p);
      if (stored) return [stored];
      return p === 'default' ? [this.defaultPolicy] : [];
    });
    const acl = new Acl(parsed, root);
    if (this.aclCache.size > 1000) this.aclCache.clear();
    this.aclCache.set(key, { epoch: this.state.policyEpoch, acl });
    return acl;
  }

  /** A stored policy, parsed once (the state file keeps the text). */
  private policy(name: string): ParsedPolicy | undefined {
    const record = this.state.policies.get(name);
    if (!record) return undefined;
    const hit = this.parsedPolicies.get(name);
    if (hit && hit.text === record.text) return hit.parsed;
    let parsed: ParsedPolicy;
    try {
      parsed = parsePolicy(name, record.text);
    } catch (e) {
      // Only a hand-edited state file gets here: policies are checked when written.
      throw internalError(`policy ${JSON.stringify(name)} in the state file does not parse: ${e instanceof VaultError ? e.errors[0] : String(e)}`);
    }
    this.parsedPolicies.set(name, { text: record.text, parsed });
    return parsed;
  }

  /**
   * The endpoint a path leads to: `undefined` when no mount owns it (Vault's "no handler for
   * route"), `null` when a mount owns it but none of its endpoints matches ("unsupported path").
   */
  private route(path: string): { endpoint: Endpoint; captures: Record<string, string>; mount?: Mount } | null | undefined {
    const match = (endpoints: Endpoint[], rel: string, mount?: Mount) => {
      for (const endpoint of endpoints) {
        const m = endpoint.pattern.exec(rel);
        if (m) {
          const captures: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) captures[k] = v;
          return { endpoint, captures, ...(mount ? { mount } : {}) };
        }
      }
      return null;
    };
    if (path.startsWith('sys/')) return match(this.sys, path.slice(4));
    if (path.startsWith('auth/token/')) return match(this.authToken, path.slice('auth/token/'.length));
    const mount = this.state.mountFor(path);
    if (!mount) return undefined;
    return match(TRANSIT_ENDPOINTS, path.slice(mount.record.path.length), mount);
  }

  private commit(changes: Change[], now: number): void {
    if (changes.length === 0) return;
    try {
      this.options.persist?.(changes, now);
    } catch (e) {
      throw internalError(`kmskit could not persist the change: ${(e as Error).message}`);
    }
    for (const c of changes) {
      this.state.apply(c);
      if (c.kind === 'transit-key') this.noteRotation(rotationDueAt(c.key));
      if (c.kind === 'policy' || c.kind === 'delete-policy') this.aclCache.clear();
    }
  }

  private noteRotation(at: number | undefined): void {
    if (at !== undefined && at < this.rotationWatermark) this.rotationWatermark = at;
  }

  /** Vault rotates keys whose auto_rotate_period has passed; here on the emulator's clock. */
  private sweepRotations(now: number): void {
    if (now <= this.rotationWatermark) return;
    this.rotationWatermark = Number.POSITIVE_INFINITY;
    for (const m of this.state.mounts.values()) {
      const due = dueRotations(m, now);
      if (due.length) this.commit(due.map((key) => ({ kind: 'transit-key' as const, mount: m.record.path, key })), now);
      for (const k of m.keys.values()) this.noteRotation(rotationDueAt(k));
    }
  }
}
