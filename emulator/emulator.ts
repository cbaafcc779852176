/**
 * kmskit's in-process AWS KMS. `createEmulator()` returns an emulator whose `send(operation, input,
 * caller)` takes and returns the AWS JSON 1.1 wire form (blobs as base64, timestamps as epoch
 * seconds) and throws `KmsError` — the same path the HTTP server and the in-process SDK client use.
 *
 *   const kms = await createEmulator({ account: '111122223333', region: 'us-east-1' });
 *   const client = kms.client({ principal: 'arn:aws:iam::111122223333:role/App' });
 *   await client.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: data }));
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { NormalizedPolicy } from '../policies/model.js';
import { parsePolicy } from '../policies/parse.js';
import { classifyPrincipal } from '../policies/arn.js';
import { AuditLog, auditInput, withoutSecrets, type AuditEvent, type AuditRecord } from './core/audit.js';
import type { ResolvedCaller } from './core/authz.js';
import { makeClient, type ClientOptions } from './client.js';
import { Clock } from './core/clock.js';
import { RequestContext, type EmulatorCore } from './core/context.js';
import { KmsError } from './core/errors.js';
import { Faults } from './core/faults.js';
import { sweep } from './core/keys.js';
import { decodeInput, encodeOutput, encodeOutputJson, sdkOutput, type InputForm } from './core/model/index.js';
import { operations, UNSUPPORTED_OPERATIONS } from './core/operations/index.js';
import { Persistence, resolveDomainKey } from './state/persistence.js';
import { applySeed, loadSeed, type SeedDocument } from './state/seed.js';
import { Store, Tx } from './core/store.js';
import { noteKeyUsage, TRACKED_OPERATIONS } from './core/usage.js';
import type { VaultFace, VaultRequest } from './protocols/vault/face.js';
import { vaultAuditRecord } from './protocols/vault/audit.js';
import type { VaultHttpResponse } from './protocols/vault/envelope.js';
import { rootToken as resolveRootToken } from './protocols/vault/ids.js';
import { VaultStateSection } from './protocols/vault/persisted.js';
import { VaultState } from './protocols/vault/state.js';
import { Sessions, type Session } from './core/sessions.js';

export { KmsError, StateFileError, SeedFileError } from './core/errors.js';
export type { ExplainTrace } from './core/errors.js';
export type { AuditEvent } from './core/audit.js';
export type { SeedDocument } from './state/seed.js';
export { Clock } from './core/clock.js';

/** A principal the emulator knows: its ARN, optionally an access key (and secret), and its IAM identity policies. */
export interface PrincipalConfig {
  accessKeyId?: string;
  secretAccessKey?: string;
  /** IAM user/role ARN, assumed-role session ARN, or account root ARN. */
  arn: string;
  /** IAM identity policy documents (JSON text or objects). */
  policies?: unknown[];
}

/** Options of `createEmulator`. */
export interface EmulatorOptions {
  /** Default account (the root user's, and where callers without a principal act). Default 111122223333. */
  account?: string;
  /** Default region. Default us-east-1. */
  region?: string;
  /** Persist state here (snapshot + journal, see state/persistence.ts). In memory when absent. */
  stateFile?: string;
  /** A seed file path or document, applied when the state starts empty (and on reset()). */
  seed?: string | SeedDocument;
  principals?: PrincipalConfig[];
  /** 32-byte domain key (Buffer, hex or base64) sealing key material in the state file. */
  domainKey?: Buffer | string;
  /** How long a new grant takes to become effective for callers that do not present its token. Default 0. */
  grantLagMs?: number;
  /** Cap on retained audit events (the newest are kept). Default 10,000. */
  auditLimit?: number;
  /** The Vault Transit face (`/v1/`, `emulator.vault`). */
  vault?: {
    /** The root token; else `VAULT_DEV_ROOT_TOKEN_ID`; else a random `hvs.` token (read it from `emulator.vault.rootToken`). */
    rootToken?: string;
  };
}

/** One Vault HTTP API request, for `emulator.vault.request` (no socket). */
export interface VaultRequestInit {
  /** Default POST; LIST works too. */
  method?: string;
  /** `/v1/transit/encrypt/my-app-key`, or without the `/v1/`; a query string may follow. */
  path: string;
  /** Sent as `X-Vault-Token`. */
  token?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
}

/** A Vault face answer, as the HTTP server would send it. */
export interface VaultReply {
  status: number;
  headers: Record<string, string>;
  /** The body exactly as the HTTP server would send it ('' for 204). */
  text: string;
  /** The body parsed (undefined for 204). */
  json: any;
}

/** The emulator's Vault face: the same routing, ACLs, state and audit as `/v1/` over HTTP. */
export interface EmulatorVault {
  readonly rootToken: string;
  /** Where the root token came from (`kmskit serve` prints a random one, as `vault server -dev` does). */
  readonly rootTokenSource: 'option' | 'env' | 'random';
  request(init: VaultRequestInit): Promise<VaultReply>;
  /** The raw request handler the HTTP server calls. */
  handle(req: VaultRequest): Promise<VaultHttpResponse>;
}

/** Who makes a call: a principal ARN or access key id, and the request attributes policies can test. */
export interface Caller {
  accessKeyId?: string;
  /** Principal ARN (takes precedence over accessKeyId). */
  principal?: string;
  region?: string;
  sourceIp?: string;
  /** e.g. `s3.us-east-1.amazonaws.com`: sets kms:ViaService. */
  viaService?: string;
}

/** A principal as the wire protocols look it up by access key id. */
export interface AccessKeyPrincipal {
  arn: string;
  secretAccessKey?: string;
  policies: unknown[];
  /** For assumed-role session credentials: the token the request must carry, and when it expires (wall-clock ms). */
  sessionToken?: string;
  expiresAt?: number;
}

/** An in-process KMS emulator: `send` for AWS JSON calls, `client()` for an SDK client, and its clock, audit log and faults. */
export interface Emulator {
  readonly account: string;
  readonly region: string;
  /** The operations this emulator implements (AWS names). */
  readonly operations: string[];
  readonly clock: Clock;
  readonly audit: { events(): AuditEvent[]; clear(): void };
  readonly faults: Faults;
  /**
   * One KMS operation. `form` is how input and output look: `wire` (default) is AWS JSON 1.1 as the
   * HTTP server carries it (blobs as base64 text, timestamps as epoch seconds); `sdk` is the AWS SDK
   * for JavaScript's command input and output (blobs as Uint8Array, timestamps as Date), what the
   * in-process client uses. Validation, authorization, audit and faults are the same for both.
   */
  send(operation: string, input?: object, caller?: Caller, form?: InputForm): Promise<Record<string, unknown>>;
  /**
   * For the HTTP server and the full-wire client: `send` with wire-form input whose answer is the response's JSON text, given
   * synchronously (a KmsError thrown) unless a fault is armed.
   */
  sendNow(operation: string, input?: object, caller?: Caller): string | Promise<string>;
  principalForAccessKey(accessKeyId: string): AccessKeyPrincipal | undefined;
  /**
   * Temporary credentials for a role of the identities (what STS AssumeRole hands out), or undefined
   * when `roleArn` is not a role the emulator knows.
   */
  startSession(roleArn: string, sessionName: string, durationSeconds: number): Session | undefined;
  client(options?: ClientOptions): KMSClient;
  /** Drop all keys, aliases, grants, audit events and faults (then re-apply the seed). */
  reset(): Promise<void>;
  /** Write a full snapshot of the state file now. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** How long grants take to become effective without a token (ms). */
  grantLagMs: number;
  /** HashiCorp Vault's Transit API (what `kmskit serve` answers under `/v1/`). */
  readonly vault: EmulatorVault;
}

/** How a call's input and output look: the public forms, and `json` (wire input, the wire JSON text out) for the server. */
type ExecForm = InputForm | 'json';

const handlers: ReadonlyMap<string, (typeof operations)[string]> = new Map(Object.entries(operations));
const READ_ONLY = new Set(['DescribeKey', 'ListKeys', 'ListAliases', 'GetKeyPolicy', 'ListKeyPolicies', 'ListGrants', 'ListRetirableGrants', 'GetKeyRotationStatus', 'ListKeyRotations', 'GetPublicKey', 'ListResourceTags']);

interface KnownPrincipal {
  arn: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  policies: unknown[];
  parsed: NormalizedPolicy[];
}

function accountOf(arn: string): string | undefined {
  return classifyPrincipal(arn).account;
}

/** Creates an in-process KMS emulator (in memory, or on a state file that survives restarts). */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const account = options.account ?? '111122223333';
  const region = options.region ?? 'us-east-1';
  if (!/^\d{12}$/.test(account)) throw new TypeError(`createEmulator: account must be 12 digits, got ${JSON.stringify(account)}`);
  if (!/^([a-z]+-){2,3}\d+$/.test(region)) throw new TypeError(`createEmulator: region must look like us-east-1, got ${JSON.stringify(region)}`);
  const store = new Store();
  const clock = new Clock();
  const audit = new AuditLog(options.auditLimit);
  const faults = new Faults();
  const core: EmulatorCore = { store, account, region, grantLagMs: options.grantLagMs ?? 0 };

  const byArn = new Map<string, KnownPrincipal>();
  const byAccessKey = new Map<string, KnownPrincipal>();
  const addPrincipal = (p: PrincipalConfig, where: string): void => {
    if (!p || typeof p.arn !== 'string' || !accountOf(p.arn)) throw new TypeError(`${where}: "arn" must be an IAM principal ARN with an account, got ${JSON.stringify(p?.arn)}`);
    const parsed = (p.policies ?? []).map((doc, i) => {
      const r = parsePolicy(doc);
      if (!r.policy || r.problems.length) throw new TypeError(`${where}.policies[${i}]: ${r.problems[0]?.message ?? 'not a policy document'}${r.problems[0]?.pointer ? ` (at ${r.problems[0].pointer})` : ''}`);
      return r.policy;
    });
    const known: KnownPrincipal = { arn: p.arn, policies: p.policies ?? [], parsed, ...(p.accessKeyId ? { accessKeyId: p.accessKeyId } : {}), ...(p.secretAccessKey ? { secretAccessKey: p.secretAccessKey } : {}) };
    byArn.set(p.arn, known);
    if (p.accessKeyId) byAccessKey.set(p.accessKeyId, known);
  };
  (options.principals ?? []).forEach((p, i) => addPrincipal(p, `principals[${i}]`));
  const sessions = new Sessions();

  const seedDoc = options.seed !== undefined ? (typeof options.seed === 'string' ? loadSeed(options.seed) : options.seed) : undefined;
  for (const [i, p] of (seedDoc?.principals ?? []).entries()) if (!byArn.has(p.arn)) addPrincipal(p, `seed principals[${i}]`);

  let persistence: Persistence | undefined;
  // The Vault face's state loads with the rest; the face itself (routes, ACLs, transit crypto) is
  // imported on the first Vault request, so `kmskit serve` starts no slower for KMS users.
  const vaultState = new VaultState();
  const vaultSection = new VaultStateSection(vaultState);
  const vaultRoot = resolveRootToken(options.vault?.rootToken);
  const vaultStarted = clock.nowMs();
  let vaultFace: Promise<VaultFace> | undefined;
  const loadVaultFace = (): Promise<VaultFace> =>
    (vaultFace ??= import('./protocols/vault/face.js').then(
      ({ VaultFace }) =>
        new VaultFace({
          state: vaultState,
          rootToken: vaultRoot.token,
          rootCreatedAt: vaultStarted,
          now: () => clock.nowMs(),
          persist: (changes, now) => persistence?.appendSection(store, vaultSection.name, changes, now),
          audit: (entry) => audit.record(vaultAuditRecord(entry, account, region)),
        }),
    ));
  if (options.stateFile) {
    persistence = new Persistence(options.stateFile, resolveDomainKey(options.stateFile, options.domainKey), [vaultSection]);
    persistence.load(store);
    // Emulator time resumes where the state left it (a test that advanced the clock and restarted
    // must not see rotations and deletions move back into the future).
    const behind = persistence.lastTime - clock.nowMs();
    if (behind > 0) clock.advance({ ms: behind });
  }

  const commit = (tx: Tx): void => {
    if (tx.empty) return;
    if (!persistence) return;
    try {
      persistence.append(store, tx.changes(), clock.nowMs());
    } catch (e) {
      tx.rollback();
      throw new KmsError('KMSInternalException', `kmskit could not persist the change to ${persistence.file}: ${(e as Error).message}`);
    }
  };

  const seedNow = (): void => {
    if (!seedDoc) return;
    const tx = new Tx(store);
    applySeed(seedDoc, { store, tx, account, region, now: clock.nowMs() });
    commit(tx);
  };
  if (store.size === 0) seedNow();

  // An assumed-role session carries its role's identity policies.
  const sessionRole = (arn: string): KnownPrincipal | undefined => {
    const s = classifyPrincipal(arn);
    if (s.kind !== 'assumed-role') return undefined;
    for (const p of byArn.values()) {
      const r = classifyPrincipal(p.arn);
      if (r.kind === 'role' && r.account === s.account && r.name === s.roleName) return p;
    }
    return undefined;
  };

  type Resolved = { caller: ResolvedCaller; region: string; identity: AuditEvent['userIdentity'] };
  // Principals are fixed at creation, so a resolved caller can be reused (bounded cache).
  const callerCache = new Map<string, Resolved>();
  // Clients pass the same caller object on every call: remember the answer per object too.
  const byCallerObject = new WeakMap<Caller, { seen: Caller; r: Resolved }>();
  const resolveCallerCached = (c: Caller): Resolved => {
    const same = byCallerObject.get(c);
    // Guard against a caller object mutated between calls.
    if (same && same.seen.principal === c.principal && same.seen.accessKeyId === c.accessKeyId && same.seen.region === c.region && same.seen.sourceIp === c.sourceIp && same.seen.viaService === c.viaService) return same.r;
    const key = `${c.principal ?? ''}\n${c.accessKeyId ?? ''}\n${c.region ?? ''}\n${c.sourceIp ?? ''}\n${c.viaService ?? ''}`;
    let r = callerCache.get(key);
    if (!r) {
      if (callerCache.size > 1000) callerCache.clear();
      r = resolveCaller(c);
      callerCache.set(key, r);
    }
    byCallerObject.set(c, { seen: { ...c }, r });
    return r;
  };

  const resolveCaller = (c: Caller): Resolved => {
    let known: KnownPrincipal | undefined;
    let arn: string;
    if (c.principal) {
      arn = /^\d{12}$/.test(c.principal) ? `arn:aws:iam::${c.principal}:root` : c.principal;
      known = byArn.get(arn) ?? sessionRole(arn);
    } else if (c.accessKeyId && byAccessKey.has(c.accessKeyId)) {
      known = byAccessKey.get(c.accessKeyId)!;
      arn = known.arn;
    } else if (c.accessKeyId && sessions.get(c.accessKeyId)) {
      arn = sessions.get(c.accessKeyId)!.arn;
      known = sessionRole(arn);
    } else {
      arn = `arn:aws:iam::${account}:root`;
    }
    const info = classifyPrincipal(arn);
    if (!info.account || info.kind === 'unknown' || info.kind === 'service') {
      throw new KmsError('UnrecognizedClientException', `The caller principal ${JSON.stringify(arn)} is not an IAM user, role, assumed-role session or account root ARN.`);
    }
    const r = c.region ?? region;
    if (!/^([a-z]+-){2,3}\d+$/.test(r)) throw new KmsError('UnrecognizedClientException', `The caller region ${JSON.stringify(r)} is not a region name.`);
    return {
      caller: {
        arn,
        account: info.account,
        isRoot: info.kind === 'root',
        identityPolicies: known?.parsed ?? [],
        ...(c.accessKeyId ? { accessKeyId: c.accessKeyId } : known?.accessKeyId ? { accessKeyId: known.accessKeyId } : {}),
        ...(c.sourceIp ? { sourceIp: c.sourceIp } : {}),
        ...(c.viaService ? { viaService: c.viaService } : {}),
      },
      region: r,
      // Shared by every audit event of this caller (events are read-only).
      identity: Object.freeze({
        type: ({ root: 'Root', user: 'IAMUser', role: 'AssumedRole', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser' } as Record<string, string>)[info.kind] ?? 'Unknown',
        arn,
        accountId: info.account,
        ...(c.accessKeyId ? { accessKeyId: c.accessKeyId } : known?.accessKeyId ? { accessKeyId: known.accessKeyId } : {}),
      }),
    };
  };

  let closed = false;

  /**
   * One call, start to end: caller, sweep of due rotations and deletions, validation, the handler,
   * commit, output in the caller's form, and its audit event (failures included). `fault` is the
   * error an injected fault raised for this call, thrown (and audited) after the call's own checks.
   */
  const sendWithFaults = async (operation: string, input: object, callerIn: Caller, form: ExecForm): Promise<Record<string, unknown> | string> => {
    // A call that fails its own checks (caller, closed emulator, unknown operation) fails as it would
    // without faults, and does not use one up.
    let callable = !closed && handlers.has(operation);
    try {
      resolveCallerCached(callerIn ?? {});
    } catch {
      callable = false;
    }
    let fault: unknown;
    if (callable) {
      try {
        await faults.apply(operation);
      } catch (e) {
        fault = e;
      }
    }
    return execute(operation, input, callerIn, form, fault);
  };

  const execute = (operation: string, input: object, callerIn: Caller, form: ExecForm, fault?: unknown): Record<string, unknown> | string => {
    const now = clock.nowMs();
    let ctx: RequestContext | undefined;
    let resolved: Resolved | undefined;
    let decoded: Record<string, any> | undefined;
    let raw: unknown;
    let ok = false;
    let encoded: Record<string, unknown> | undefined;
    let error: KmsError | undefined;
    let eventId: string | undefined;
    try {
      resolved = resolveCallerCached(callerIn ?? {});
      if (closed) throw new KmsError('KMSInternalException', 'The kmskit emulator is closed.');
      const handler = handlers.get(operation);
      if (!handler) {
        const why = Object.prototype.hasOwnProperty.call(UNSUPPORTED_OPERATIONS, operation) ? UNSUPPORTED_OPERATIONS[operation] : undefined;
        if (why) throw new KmsError('UnsupportedOperationException', `${operation} is not supported: ${why}.`);
        throw new KmsError('UnknownOperationException', `Unknown operation ${String(operation).slice(0, 100)}`);
      }
      if (fault !== undefined) throw fault;
      if (now >= store.nextEventAt) {
        const tx = new Tx(store);
        try {
          sweep(store, tx, now);
        } catch (e) {
          tx.rollback();
          throw e;
        }
        commit(tx);
      }
      decoded = decodeInput(operation, input, form === 'sdk' ? 'sdk' : 'wire');
      ctx = new RequestContext(operation, core, resolved.caller, resolved.region, now);
      raw = handler(ctx, decoded);
      if (ctx.openTx) commit(ctx.openTx);
      ok = true;
      if (TRACKED_OPERATIONS.has(operation)) eventId = noteKeyUsage(store, operation, ctx.audit.resources, now);
      if (form === 'sdk') return sdkOutput(operation, raw);
      if (form === 'json') return encodeOutputJson(operation, raw);
      encoded = encodeOutput(operation, raw);
      return encoded;
    } catch (e) {
      ctx?.openTx?.rollback();
      error = e instanceof KmsError ? e : new KmsError('KMSInternalException', `kmskit internal error in ${String(operation)}: ${(e as Error)?.message ?? String(e)}`);
      throw error;
    } finally {
      const ec = ctx?.audit.encryptionContext ?? decoded?.EncryptionContext ?? decoded?.SourceEncryptionContext;
      const record: AuditRecord = {
        time: ctx?.now ?? now,
        eventName: String(operation),
        region: resolved?.region ?? region,
        identity: resolved?.identity ?? { type: 'Unknown', arn: String(callerIn?.principal ?? ''), accountId: account },
        // The log shows what the wire carried, whichever form the call came in.
        input: form === 'sdk' ? auditInput(input) : input,
        resources: ctx?.audit.resources ?? [],
        readOnly: READ_ONLY.has(operation),
      };
      if (callerIn?.sourceIp) record.sourceIp = callerIn.sourceIp;
      if (encoded) record.output = encoded;
      else if (ok) {
        // Secrets left out before encoding, and the wire form holds no Buffer or Date: nothing left to scrub.
        record.output = encodeOutput(operation, withoutSecrets(raw));
        record.outputScrubbed = true;
      }
      if (ctx?.audit.responseElements) record.responseElements = ctx.audit.responseElements;
      if (error) {
        record.errorCode = error.code;
        if (error.message) record.errorMessage = error.message;
        if (error.detail) record.errorDetail = error.detail;
      }
      if (ctx?.audit.grantId) record.grantId = ctx.audit.grantId;
      if (eventId) record.eventId = eventId;
      if (ec) record.encryptionContext = ec;
      audit.record(record);
    }
  };

  const emulator: Emulator & { __store: Store; __persistence: Persistence | undefined } = {
    // Internals for kmskit's own tests (material grep, persistence faults); not part of the API.
    __store: store,
    __persistence: persistence,
    account,
    region,
    operations: Object.keys(operations).sort(),
    clock,
    audit,
    faults,
    get grantLagMs() {
      return core.grantLagMs;
    },
    set grantLagMs(v: number) {
      core.grantLagMs = v;
    },
    sendNow(operation, input = {}, callerIn = {}) {
      if (faults.armed) return sendWithFaults(operation, input, callerIn, 'json') as Promise<string>;
      return execute(operation, input, callerIn, 'json') as string;
    },
    send(operation, input = {}, callerIn = {}, form = 'wire') {
      // Without an armed fault nothing here waits, so the call runs synchronously and its result is
      // wrapped once, instead of paying for an async function's suspension on every call.
      if (faults.armed) return sendWithFaults(operation, input, callerIn, form) as Promise<Record<string, unknown>>;
      try {
        return Promise.resolve(execute(operation, input, callerIn, form) as Record<string, unknown>);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    principalForAccessKey(akid) {
      const p = byAccessKey.get(akid);
      if (p) return { arn: p.arn, policies: p.policies, ...(p.secretAccessKey ? { secretAccessKey: p.secretAccessKey } : {}) };
      const s = sessions.get(akid);
      if (!s) return undefined;
      return { arn: s.arn, policies: sessionRole(s.arn)?.policies ?? [], secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiresAt: s.expiresAt };
    },
    startSession(roleArn, sessionName, durationSeconds) {
      const role = byArn.get(roleArn);
      if (!role || classifyPrincipal(roleArn).kind !== 'role') return undefined;
      return sessions.start(roleArn, sessionName, durationSeconds);
    },
    client(opts = {}) {
      return makeClient(emulator, opts);
    },
    vault: {
      rootToken: vaultRoot.token,
      rootTokenSource: vaultRoot.source,
      async handle(req) {
        if (closed) throw new KmsError('KMSInternalException', 'The kmskit emulator is closed.');
        return (await loadVaultFace()).handle(req);
      },
      async request(init) {
        const path = init.path.startsWith('/v1/') ? init.path : `/v1/${init.path.replace(/^\/+/, '')}`;
        const body = init.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(init.body) ? init.body : Buffer.from(typeof init.body === 'string' ? init.body : JSON.stringify(init.body));
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
        if (init.token !== undefined) headers['x-vault-token'] = init.token;
        const res = await emulator.vault.handle({ method: init.method ?? 'POST', url: path, headers, body });
        return { status: res.status, headers: res.headers, text: res.body, json: res.body ? JSON.parse(res.body) : undefined };
      },
    },
    async reset() {
      if (vaultFace) (await vaultFace).reset();
      else vaultState.clear();
      store.clear();
      audit.clear();
      faults.clear();
      seedNow();
      persistence?.compact(store, clock.nowMs());
    },
    async flush() {
      persistence?.compact(store, clock.nowMs());
    },
    async close() {
      if (closed) return;
      closed = true;
      persistence?.close(store, clock.nowMs());
    },
  };
  return emulator;
}
