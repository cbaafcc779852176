/**
 * Authorization in AWS's order (Key Management Service Developer Guide, "Determining access to
 * KMS keys"), on top of `policies/evaluate.ts`:
 *
 *   1. an explicit Deny in the key policy or the caller's identity policies denies;
 *   2. a key-policy Allow that names the principal (or `*`) allows — within the key's account;
 *   3. a key-policy Allow that names the principal's account delegates: it allows only when one of
 *      the principal's identity policies also allows (the account root's identity allows everything);
 *      a principal from another account always needs both;
 *   4. a grant for the principal that covers the operation, whose constraints hold and which is
 *      effective (past the configured lag, or named by one of the request's grant tokens), allows;
 *   5. otherwise the request is denied.
 *
 * Every decision carries an explain trace: the statements that matched, by source, Sid and JSON
 * Pointer, and the grant used.
 */
import { evaluate } from '../../policies/evaluate.js';
import { classifyPrincipal } from '../../policies/arn.js';
import { foldConditionKey } from '../../policies/conditions.js';
import type { ContextValue, EvaluationResult, MatchedStatement, NormalizedPolicy } from '../../policies/model.js';
import { KmsError, type ExplainTrace } from './errors.js';
import type { EncryptionContext } from '../crypto/index.js';
import type { GrantRecord, KeyRecord } from './store.js';

export interface ResolvedCaller {
  /** The principal ARN (an IAM user/role, an assumed-role session, or an account root). */
  arn: string;
  account: string;
  isRoot: boolean;
  accessKeyId?: string;
  sourceIp?: string;
  viaService?: string;
  identityPolicies: NormalizedPolicy[];
}

export interface AuthzRequest {
  caller: ResolvedCaller;
  /** `kms:Encrypt`, ... */
  action: string;
  /** The key, or undefined for IAM-only actions (CreateKey, ListKeys, ...). */
  key?: KeyRecord;
  /** Resource ARN for IAM-only actions (`*` for CreateKey) — defaults to the key ARN. */
  resource?: string;
  /** Condition keys the request carries beyond those derived here. */
  context?: Record<string, ContextValue | undefined>;
  /** Grants: the grant operation name (`Decrypt`) when grants may allow this request. */
  grantOperation?: string;
  encryptionContext?: EncryptionContext;
  grantTokens?: string[];
  now: number;
  grantLagMs: number;
  /**
   * Replaces the encryption-context constraint check when a grant is considered (CreateGrant through
   * a grant: the new grant must be at least as constrained as the one that allows creating it).
   */
  grantFilter?: (g: GrantRecord) => boolean;
  /** Override the key policy (lockout check evaluates a policy not yet stored). */
  keyPolicy?: NormalizedPolicy;
}

export interface AuthzDecision {
  allowed: boolean;
  grant?: GrantRecord;
  explain: ExplainTrace;
  message?: string;
}

const DIRECT: ReadonlySet<string> = new Set(['exact', 'wildcard', 'service', 'not-principal']);

function traceOf(source: 'key-policy' | 'identity-policy', matched: MatchedStatement[]): ExplainTrace['statements'] {
  return matched.map((m) => ({
    source,
    documentIndex: m.documentIndex,
    ...(m.sid !== undefined ? { sid: m.sid } : {}),
    pointer: m.pointer,
    effect: m.effect,
    principalMatch: m.principalMatch,
  }));
}

/** The condition keys KMS puts in a request's context, for the key (when there is one). */
const keyContextCache = new WeakMap<KeyRecord, { tags: KeyRecord['tags']; type: KeyRecord['multiRegionType']; ctx: Record<string, ContextValue> }>();

/** The condition keys KMS derives from a key (a fresh copy: callers add request keys to it). */
export function keyContext(key: KeyRecord | undefined): Record<string, ContextValue> {
  if (!key) return {};
  const hit = keyContextCache.get(key);
  // Spec, usage and origin never change; tags are replaced, never edited in place; the
  // multi-Region type changes with UpdatePrimaryRegion.
  if (hit && hit.tags === key.tags && hit.type === key.multiRegionType) return { ...hit.ctx };
  const ctx = buildKeyContext(key);
  keyContextCache.set(key, { tags: key.tags, type: key.multiRegionType, ctx });
  return { ...ctx };
}

function buildKeyContext(key: KeyRecord): Record<string, ContextValue> {
  const ctx: Record<string, ContextValue> = {
    'kms:KeySpec': key.spec,
    'kms:KeyUsage': key.usage,
    'kms:KeyOrigin': key.origin,
    'kms:KeyManager': key.manager ?? 'CUSTOMER',
    'kms:MultiRegion': key.multiRegion ? 'true' : 'false',
  };
  if (key.multiRegionType) ctx['kms:MultiRegionKeyType'] = key.multiRegionType;
  for (const t of key.tags) ctx[`aws:ResourceTag/${t.TagKey}`] = t.TagValue;
  return ctx;
}

export function encryptionContextKeys(ec: EncryptionContext | undefined): Record<string, ContextValue> {
  if (!ec) return {};
  const out: Record<string, ContextValue> = {};
  const keys = Object.keys(ec);
  for (const k of keys) out[`kms:EncryptionContext:${k}`] = ec[k]!;
  if (keys.length) out['kms:EncryptionContextKeys'] = keys;
  return out;
}

function principalCovers(grantee: string, caller: ResolvedCaller): boolean {
  if (grantee === caller.arn) return true;
  // A grant to a role covers that role's sessions, as in AWS.
  const c = classifyPrincipal(caller.arn);
  if (c.kind === 'assumed-role' && c.account && c.roleName) {
    const g = classifyPrincipal(grantee);
    return g.kind === 'role' && g.account === c.account && g.name === c.roleName;
  }
  if (caller.isRoot && (grantee === caller.account || grantee === `arn:aws:iam::${caller.account}:root`)) return true;
  return false;
}

/**
 * Whether a grant's constraints hold for a request's encryption context. Key names match without
 * regard to case and values exactly, as the GrantConstraints reference says ("in a grant
 * constraint, the key in each key-value pair is not case sensitive, but the value is").
 */
export function constraintsHold(g: GrantRecord, ec: EncryptionContext | undefined): boolean {
  const c = g.constraints;
  if (!c) return true;
  const have = ec ?? {};
  if (c.EncryptionContextEquals) {
    const want = c.EncryptionContextEquals;
    if (Object.keys(want).length !== Object.keys(have).length) return false;
    if (!contextIncludes(have, want)) return false;
  }
  if (c.EncryptionContextSubset && !contextIncludes(have, c.EncryptionContextSubset)) return false;
  return true;
}

/** Every pair of `inner` is in `outer`: key names compared case-insensitively, values exactly. */
export function contextIncludes(outer: EncryptionContext, inner: EncryptionContext): boolean {
  let folded: Map<string, string> | undefined;
  for (const k of Object.keys(inner)) {
    const exact = outer[k];
    if (exact === inner[k]) continue;
    if (!folded) {
      folded = new Map();
      for (const ok of Object.keys(outer)) folded.set(ok.toLowerCase(), outer[ok]!);
    }
    if (folded.get(k.toLowerCase()) !== inner[k]) return false;
  }
  return true;
}

function findGrant(req: AuthzRequest): GrantRecord | undefined {
  if (!req.key || !req.grantOperation) return undefined;
  const tokens = new Set(req.grantTokens ?? []);
  for (const g of req.key.grants.values()) {
    if (!g.operations.includes(req.grantOperation)) continue;
    if (!principalCovers(g.granteePrincipal, req.caller)) continue;
    if (!(tokens.has(g.token) || req.now >= g.createdAt + req.grantLagMs)) continue;
    if (req.grantFilter ? !req.grantFilter(g) : !constraintsHold(g, req.encryptionContext)) continue;
    return g;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Evaluation cache. A policy's decision for a request depends only on the principal, action,
// resource and the context keys its conditions reference, so results are cached per document under
// exactly those. Documents using policy variables are never cached (variables read any key).
// ---------------------------------------------------------------------------------------------

const referencedKeys = new WeakMap<object, { keys: string[]; resource: boolean } | null>();
// Per document, then per principal: the principal and action strings are the same objects call after
// call (their hashes cached), where one concatenated key would be built and hashed on every call.
const evalCache = new WeakMap<object, Map<string, Map<string, EvaluationResult>>>();

function keysOf(docs: NormalizedPolicy[]): { keys: string[]; resource: boolean } | null {
  const cacheKey = docs.length === 1 ? docs[0]! : docs;
  const known = referencedKeys.get(cacheKey);
  if (known !== undefined) return known;
  const keys = new Set<string>();
  let cachable = true;
  // Key policies almost always say Resource "*": then the key ARN cannot change the outcome.
  let resource = false;
  for (const d of docs) {
    if (JSON.stringify(d.raw ?? null).includes('${')) cachable = false;
    for (const st of d.statements) {
      for (const c of st.conditions) keys.add(c.keyLower);
      if (st.notResources || !st.resources || st.resources.some((r) => r.text !== '*')) resource = true;
    }
  }
  const result = cachable ? { keys: [...keys].sort(), resource } : null;
  referencedKeys.set(cacheKey, result);
  return result;
}

type Req = { principal: string; action: string; resource: string; context?: Record<string, ContextValue | undefined> };

function cachedEvaluate(request: Req, docs: NormalizedPolicy[], req: AuthzRequest): EvaluationResult {
  const owner = docs.length === 1 ? docs[0]! : docs;
  const shape = keysOf(docs);
  // The full condition context is built only when a policy reads it or the cache misses.
  if (shape === null) return evaluate(withContext(request, req), docs);
  const keys = shape.keys;
  let key = shape.resource ? `${request.action}\n${request.resource}` : request.action;
  if (keys.length) {
    const context = withContext(request, req).context!;
    const folded = new Map<string, ContextValue | undefined>();
    for (const k in context) folded.set(foldConditionKey(k), context[k]);
    for (const k of keys) key += `\n${JSON.stringify(folded.get(k) ?? null)}`;
  }
  let byPrincipal = evalCache.get(owner);
  if (!byPrincipal) {
    byPrincipal = new Map();
    evalCache.set(owner, byPrincipal);
  }
  let cache = byPrincipal.get(request.principal);
  if (!cache) {
    if (byPrincipal.size > 500) byPrincipal.clear();
    cache = new Map();
    byPrincipal.set(request.principal, cache);
  }
  let r = cache.get(key);
  if (!r) {
    if (cache.size > 2000) cache.clear();
    r = evaluate(withContext(request, req), docs);
    cache.set(key, r);
  }
  return r;
}

/** Decide a request; never throws. */
let lastNow = -1;
let lastIso = '';
const isoTime = (now: number): string => {
  if (now !== lastNow) {
    lastNow = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
};
const NONE: EvaluationResult = Object.freeze({ decision: 'implicit-deny', allowedBy: [], deniedBy: [] }) as EvaluationResult;

/**
 * A decision whose explain trace is built only when read: the allow path runs on every call and
 * nobody reads its trace, while a denial's trace goes into the AccessDeniedException.
 */
class Decision implements AuthzDecision {
  private trace: ExplainTrace | undefined;
  constructor(
    readonly allowed: boolean,
    private readonly parts: {
      decision: ExplainTrace['decision'];
      action: string;
      principal: string;
      resource: string;
      reason: string;
      keyPolicy: MatchedStatement[];
      identity: MatchedStatement[];
      grantId?: string;
    },
    readonly grant?: GrantRecord,
    readonly message?: string,
  ) {}

  get explain(): ExplainTrace {
    if (!this.trace) {
      const p = this.parts;
      this.trace = {
        decision: p.decision,
        action: p.action,
        principal: p.principal,
        resource: p.resource,
        reason: p.reason,
        statements: [...traceOf('key-policy', p.keyPolicy), ...traceOf('identity-policy', p.identity)],
        ...(p.grantId ? { grantId: p.grantId } : {}),
      };
    }
    return this.trace;
  }
}

/** Every condition key the request carries (built once per request, on demand). */
function withContext(request: Req, req: AuthzRequest): Req {
  if (request.context) return request;
  const { caller } = req;
  const context: Record<string, ContextValue | undefined> = req.key ? keyContext(req.key) : {};
  if (req.encryptionContext) Object.assign(context, encryptionContextKeys(req.encryptionContext));
  if (req.context) Object.assign(context, req.context);
  if (caller.sourceIp) context['aws:SourceIp'] = caller.sourceIp;
  if (caller.viaService) context['kms:ViaService'] = caller.viaService;
  context['aws:CurrentTime'] = isoTime(req.now);
  context['aws:EpochTime'] = String(Math.floor(req.now / 1000));
  request.context = context;
  return request;
}

export function decide(req: AuthzRequest): AuthzDecision {
  const { caller, action } = req;
  const resource = req.resource ?? req.key?.arn ?? '*';
  const request: Req = { principal: caller.arn, action, resource };
  const keyPolicy = req.keyPolicy ?? req.key?.parsedPolicy;
  const kp: EvaluationResult = req.key && keyPolicy ? cachedEvaluate(request, [keyPolicy], req) : NONE;
  const crossAccount = req.key !== undefined && req.key.account !== caller.account;
  // The account root holds every permission in its own account, so its identity "policy" allows.
  const rootAllows = caller.isRoot;
  const id: EvaluationResult = caller.identityPolicies.length ? cachedEvaluate(request, caller.identityPolicies, req) : NONE;
  const principal = caller.arn;

  if (kp.deniedBy.length) {
    return new Decision(false, { decision: 'explicit-deny', action, principal, resource, reason: 'an explicit Deny in the key policy', keyPolicy: kp.deniedBy, identity: [] }, undefined, `${denied(principal, action, resource)} with an explicit deny in a resource-based policy`);
  }
  if (id.deniedBy.length) {
    return new Decision(false, { decision: 'explicit-deny', action, principal, resource, reason: 'an explicit Deny in an identity policy', keyPolicy: [], identity: id.deniedBy }, undefined, `${denied(principal, action, resource)} with an explicit deny in an identity-based policy`);
  }
  const identityAllows = rootAllows || id.decision === 'allow';
  if (!req.key) {
    if (identityAllows) return new Decision(true, { decision: 'allow', action, principal, resource, reason: rootAllows ? 'the account root user holds every IAM permission in its account' : 'an identity policy allows', keyPolicy: [], identity: id.allowedBy });
    return new Decision(false, { decision: 'implicit-deny', action, principal, resource, reason: 'no identity policy allows', keyPolicy: [], identity: [] }, undefined, `${denied(principal, action, resource)} because no identity-based policy allows the ${action} action`);
  }
  let direct: MatchedStatement[] | undefined;
  let account: MatchedStatement[] | undefined;
  for (const m of kp.allowedBy) {
    if (DIRECT.has(m.principalMatch)) (direct ??= []).push(m);
    else if (m.principalMatch === 'account') (account ??= []).push(m);
  }
  if (!crossAccount && direct) {
    return new Decision(true, { decision: 'allow', action, principal, resource, reason: 'the key policy names the principal', keyPolicy: direct, identity: [] });
  }
  if ((direct || account) && identityAllows) {
    const reason = crossAccount ? 'cross-account: the key policy allows the account and an identity policy of the principal allows' : 'the key policy delegates to the account and an identity policy allows';
    return new Decision(true, { decision: 'allow', action, principal, resource, reason, keyPolicy: [...(direct ?? []), ...(account ?? [])], identity: id.allowedBy });
  }
  const grant = findGrant(req);
  if (grant) {
    return new Decision(true, { decision: 'allow', action, principal, resource, reason: `grant ${grant.grantId} allows ${req.grantOperation}`, keyPolicy: [], identity: [], grantId: grant.grantId }, grant);
  }
  if (direct || account) {
    const reason = crossAccount ? 'cross-account: the key policy allows but no identity policy of the principal does' : 'the key policy delegates to the account but no identity policy allows';
    return new Decision(false, { decision: 'implicit-deny', action, principal, resource, reason, keyPolicy: kp.allowedBy, identity: id.allowedBy }, undefined, `${denied(principal, action, resource)} because no identity-based policy allows the ${action} action`);
  }
  return new Decision(false, { decision: 'implicit-deny', action, principal, resource, reason: 'no key policy statement, identity policy or grant allows', keyPolicy: [], identity: id.allowedBy }, undefined, `${denied(principal, action, resource)} because no resource-based policy allows the ${action} action`);
}

function denied(principal: string, action: string, resource: string): string {
  return `User: ${principal} is not authorized to perform: ${action} on resource: ${resource}`;
}

/** Decide and throw AccessDeniedException (with the trace) when denied. */
export function authorize(req: AuthzRequest): AuthzDecision {
  const d = decide(req);
  if (!d.allowed) throw new KmsError('AccessDeniedException', d.message!, { explain: d.explain });
  return d;
}
