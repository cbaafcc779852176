/**
 * What every operation handler gets: the caller, its region, the clock reading for this request,
 * the store and a lazily opened transaction, plus the helpers handlers share (key resolution in
 * AWS's rules, state checks with AWS's messages, authorization, DescribeKey's metadata).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parsePolicy } from '../../policies/parse.js';
import type { NormalizedPolicy } from '../../policies/model.js';
import { authorize, decide, type AuthzDecision, type AuthzRequest, type ResolvedCaller } from './authz.js';
import { algorithmsFor, type EncryptionContext } from '../crypto/index.js';
import { KmsError } from './errors.js';
import { ensureManagedKey } from './managed-keys.js';
import { aliasArn, currentVersion, keyArn, Tx, type AliasRecord, type GrantRecord, type KeyRecord, type Store } from './store.js';
import type { ContextValue } from '../../policies/model.js';

export interface EmulatorCore {
  readonly store: Store;
  readonly account: string;
  readonly region: string;
  /** How long a grant takes to become effective without its token. */
  grantLagMs: number;
}

export interface AuditInfo {
  resources: string[];
  grantId?: string;
  encryptionContext?: EncryptionContext;
  /** A response shown in the audit log instead of the real one (no secrets). */
  responseElements?: Record<string, unknown>;
}

/**
 * An operation handler: validated, decoded input in (Buffers, Dates); output in the same form.
 * Synchronous on purpose: a call's checks, mutations and commit run without interleaving others.
 */
export type Handler = (ctx: RequestContext, input: Record<string, any>) => unknown;

export class RequestContext {
  private txn: Tx | undefined;
  readonly audit: AuditInfo = { resources: [] };
  constructor(
    readonly op: string,
    readonly core: EmulatorCore,
    readonly caller: ResolvedCaller,
    readonly region: string,
    readonly now: number,
  ) {}

  get store(): Store {
    return this.core.store;
  }

  /** The caller's account: where keys it creates live and where bare key ids and alias names resolve. */
  get account(): string {
    return this.caller.account;
  }

  get tx(): Tx {
    if (!this.txn) this.txn = new Tx(this.core.store);
    return this.txn;
  }

  get openTx(): Tx | undefined {
    return this.txn;
  }

  newKeyId(multiRegion: boolean): string {
    return multiRegion ? `mrk-${randomBytes(16).toString('hex')}` : randomUUID();
  }

  newMaterialId(): string {
    return randomBytes(32).toString('hex');
  }

  /**
   * Resolve a KeyId parameter: key id, key ARN, alias name or alias ARN. ARNs resolve only in the
   * caller's region (as AWS does); bare ids and alias names only in the caller's own account.
   */
  resolveKey(keyId: string, options: { allowAlias?: boolean; member?: string } = {}): KeyRecord {
    const allowAlias = options.allowAlias ?? true;
    // The common cases first, as single Map reads: a key ARN of this region, a bare key id of the
    // caller's account. Anything else takes the checks below (which also word the errors).
    const byArn = this.store.byArn.get(keyId);
    if (byArn && byArn.region === this.region) return byArn;
    const own = this.store.findPartition(this.account, this.region)?.keys.get(keyId);
    if (own) return own;
    if (keyId.startsWith('arn:')) {
      const m = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/.exec(keyId);
      if (!m) throw new KmsError('NotFoundException', `Invalid arn ${keyId}`);
      const [, region, account, rest] = m as unknown as [string, string, string, string];
      // An ARN of another region is refused before any lookup, in AWS's words (LocalStack's
      // AWS-validated recording test_get_key_in_different_region: "Invalid arn <its region>").
      if (region !== this.region) throw new KmsError('NotFoundException', `Invalid arn ${region}`);
      if (rest.startsWith('alias/')) {
        if (!allowAlias) throw new KmsError('ValidationException', `${options.member ?? 'KeyId'} must be a key ID or key ARN, not an alias: ${keyId}`);
        const alias = this.store.findPartition(account, region)?.aliases.get(rest);
        if (!alias) {
          const managed = ensureManagedKey(this, rest, account, region);
          if (managed) return managed;
        }
        if (!alias) throw new KmsError('NotFoundException', `Alias ${keyId} is not found.`);
        return this.aliasTarget(alias);
      }
      const key = this.store.byArn.get(keyId);
      if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
      return key;
    }
    if (keyId.startsWith('alias/')) {
      if (!allowAlias) throw new KmsError('ValidationException', `${options.member ?? 'KeyId'} must be a key ID or key ARN, not an alias: ${keyId}`);
      const alias = this.store.findPartition(this.account, this.region)?.aliases.get(keyId);
      if (!alias) {
        // A predefined alias/aws/<service> alias: its AWS managed key is created on first use.
        const managed = ensureManagedKey(this, keyId, this.account, this.region);
        if (managed) return managed;
      }
      if (!alias) throw new KmsError('NotFoundException', `Alias ${aliasArn(this.region, this.account, keyId)} is not found.`);
      return this.aliasTarget(alias);
    }
    if (!/^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(keyId)) {
      throw new KmsError('NotFoundException', `Invalid keyId '${keyId}'`);
    }
    const key = this.store.findPartition(this.account, this.region)?.keys.get(keyId);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyArn(this.region, this.account, keyId)}' does not exist`);
    return key;
  }

  private aliasTarget(alias: AliasRecord): KeyRecord {
    const key = this.store.findPartition(alias.account, alias.region)?.keys.get(alias.targetKeyId);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyArn(alias.region, alias.account, alias.targetKeyId)}' does not exist`);
    return key;
  }

  /** Condition context for a KeyId given as an alias (kms:RequestAlias). */
  requestAliasContext(keyId: string | undefined): Record<string, ContextValue> {
    if (!keyId) return {};
    if (keyId.startsWith('alias/')) return { 'kms:RequestAlias': keyId };
    const m = /^arn:[^:]+:kms:[^:]*:\d{12}:(alias\/.+)$/.exec(keyId);
    return m ? { 'kms:RequestAlias': m[1]! } : {};
  }

  /** Authorize an action on a key (or an IAM-only action when key is undefined); records the grant used. */
  authorize(
    action: string,
    key: KeyRecord | undefined,
    opts: { grantOperation?: string; grantFilter?: (g: GrantRecord) => boolean; encryptionContext?: EncryptionContext; grantTokens?: string[]; context?: Record<string, ContextValue | undefined>; resource?: string } = {},
  ): AuthzDecision {
    if (opts.grantTokens) this.checkGrantTokens(opts.grantTokens);
    if (key && !this.audit.resources.includes(key.arn)) this.audit.resources.push(key.arn);
    // Built by assignment: this runs on every call, and conditional spreads allocate.
    const req: AuthzRequest = { caller: this.caller, action, now: this.now, grantLagMs: this.core.grantLagMs };
    if (key) req.key = key;
    if (opts.resource) req.resource = opts.resource;
    if (opts.context) req.context = opts.context;
    if (opts.grantOperation) req.grantOperation = opts.grantOperation;
    if (opts.grantFilter) req.grantFilter = opts.grantFilter;
    if (opts.encryptionContext) req.encryptionContext = opts.encryptionContext;
    if (opts.grantTokens) req.grantTokens = opts.grantTokens;
    const d = authorize(req);
    if (d.grant) this.audit.grantId = d.grant.grantId;
    return d;
  }

  /** Grant tokens are opaque, but one we never issued in any form is InvalidGrantTokenException. */
  checkGrantTokens(tokens: string[] | undefined): void {
    for (const t of tokens ?? []) {
      // The token itself is not echoed: it is a credential of sorts.
      if (!this.store.grantTokens.has(t) && !/^[A-Za-z0-9_-]{64,}$/.test(t)) throw new KmsError('InvalidGrantTokenException', 'A grant token in the request is not valid.');
    }
  }

  /** DryRun: stop after authorization with AWS's DryRunOperationException. */
  dryRun(input: { DryRun?: boolean }): void {
    if (input.DryRun) throw new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
  }

  /** Keys used for cryptography must be Enabled (AWS's words for each other state). */
  requireUsable(key: KeyRecord): void {
    if (key.state === 'Enabled') return;
    if (key.state === 'Disabled') throw new KmsError('DisabledException', `${key.arn} is disabled.`);
    this.requireNotPendingDeletion(key);
    this.requireSettled(key);
  }

  /**
   * ReplicateKey and UpdatePrimaryRegion act on a usable multi-Region primary key (the message is
   * AWS's: LocalStack's AWS-validated recording test_replicate_replica_key_should_fail).
   */
  requireUsablePrimary(key: KeyRecord): void {
    if (!key.multiRegion || key.multiRegionType !== 'PRIMARY') throw new KmsError('UnsupportedOperationException', `${key.arn} is not a multi-region primary key.`);
    if (key.state === 'Disabled') throw new KmsError('DisabledException', `${key.arn} is disabled.`);
    this.requireNotPendingDeletion(key);
  }

  /** EnableKey and DisableKey need a key with its material, not one still Creating (KMS key states table). */
  requireSettled(key: KeyRecord): void {
    this.requireImported(key);
    if (key.state === 'Creating') throw new KmsError('KMSInvalidStateException', `${key.arn} is creating.`);
  }

  /** An EXTERNAL key without its material (LocalStack's AWS-validated recording test_import_key_symmetric). */
  requireImported(key: KeyRecord): void {
    if (key.state === 'PendingImport') throw new KmsError('KMSInvalidStateException', `${key.arn} is pending import.`);
  }

  requireNotPendingDeletion(key: KeyRecord): void {
    if (key.state === 'PendingDeletion') throw new KmsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
    if (key.state === 'PendingReplicaDeletion') throw new KmsError('KMSInvalidStateException', `${key.arn} is pending replica deletion.`);
  }

  requireUsage(key: KeyRecord, usage: KeyRecord['usage'], op = this.op): void {
    if (key.usage !== usage) throw new KmsError('InvalidKeyUsageException', `${key.arn} key usage is ${key.usage} which is not valid for ${op}.`);
  }

  requireSymmetric(key: KeyRecord, op = this.op): void {
    if (key.spec !== 'SYMMETRIC_DEFAULT') throw new KmsError('InvalidKeyUsageException', `${key.arn} key usage is ${key.usage} and key spec is ${key.spec} which is not valid for ${op}.`);
  }

  /**
   * KeyMetadata as DescribeKey returns it; members AWS omits are absent, not empty (LocalStack's
   * AWS-validated recordings: CurrentKeyMaterialId only on symmetric keys that have material and
   * are not Creating, ExpirationModel only while imported material is present).
   */
  metadata(key: KeyRecord): Record<string, unknown> {
    const md: Record<string, unknown> = {
      AWSAccountId: key.account,
      KeyId: key.id,
      Arn: key.arn,
      CreationDate: new Date(key.createdAt),
      Enabled: key.state === 'Enabled',
      Description: key.description,
      KeyUsage: key.usage,
      KeyState: key.state,
      Origin: key.origin,
      KeyManager: key.manager ?? 'CUSTOMER',
      CustomerMasterKeySpec: key.spec,
      KeySpec: key.spec,
      ...algorithmsFor(key.spec, key.usage),
      MultiRegion: key.multiRegion,
    };
    if (key.spec === 'SYMMETRIC_DEFAULT' && key.state !== 'Creating' && key.versions.length > 0) md.CurrentKeyMaterialId = currentVersion(key).materialId;
    if (key.origin === 'EXTERNAL') Object.assign(md, expirationOf(key));
    if (key.deletionDate !== undefined) md.DeletionDate = new Date(key.deletionDate);
    if (key.pendingWindowDays !== undefined) md.PendingDeletionWindowInDays = key.pendingWindowDays;
    if (key.multiRegion) {
      const related = this.store.related(key);
      const primary = related.find((k) => k.multiRegionType === 'PRIMARY');
      md.MultiRegionConfiguration = {
        MultiRegionKeyType: key.multiRegionType,
        ...(primary ? { PrimaryKey: { Arn: primary.arn, Region: primary.region } } : {}),
        ReplicaKeys: related.filter((k) => k.multiRegionType === 'REPLICA').map((k) => ({ Arn: k.arn, Region: k.region })),
      };
    }
    return md;
  }
}

/**
 * ExpirationModel and ValidTo of an EXTERNAL key: from the materials currently imported (none:
 * both absent); ValidTo is the earliest expiry among them, as KeyMetadata documents.
 */
export function expirationOf(key: KeyRecord): { ExpirationModel?: string; ValidTo?: Date } {
  let model: string | undefined;
  let validTo: number | undefined;
  for (const v of key.versions) {
    const imp = v.imported;
    if (imp?.state !== 'IMPORTED') continue;
    if (imp.expirationModel === 'KEY_MATERIAL_EXPIRES') {
      model = imp.expirationModel;
      if (imp.validTo !== undefined && (validTo === undefined || imp.validTo < validTo)) validTo = imp.validTo;
    } else model ??= imp.expirationModel;
  }
  return { ...(model ? { ExpirationModel: model } : {}), ...(validTo !== undefined ? { ValidTo: new Date(validTo) } : {}) };
}

/** IncorrectKeyException's words (LocalStack's AWS-validated recordings test_error_messaging_for_invalid_keys, test_re_encrypt_incorrect_source_key). */
export const incorrectKey = (): KmsError => new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');

const defaultPolicies = new Map<string, string>();
/** AWS's default key policy (root `kms:*`), one shared string per account. */
export const defaultKeyPolicy = (account: string): string => {
  let p = defaultPolicies.get(account);
  if (!p) {
    p = defaultKeyPolicyText(account);
    defaultPolicies.set(account, p);
  }
  return p;
};

const defaultKeyPolicyText = (account: string): string =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
    },
    null,
    2,
  );

/**
 * Parsed policies by text: keys with the same policy (most keys carry the default one) share one
 * parsed document, which saves memory and lets the evaluation cache serve them all.
 */
const parsedByText = new Map<string, NormalizedPolicy>();

/** Parse a key policy for storage: MalformedPolicyDocumentException on any structural problem. */
export function parseKeyPolicy(text: string): NormalizedPolicy {
  const known = parsedByText.get(text);
  if (known) return known;
  const parsed = parseKeyPolicyUncached(text);
  if (parsedByText.size > 10_000) parsedByText.clear();
  parsedByText.set(text, parsed);
  return parsed;
}

function parseKeyPolicyUncached(text: string): NormalizedPolicy {
  const r = parsePolicy(text);
  if (!r.policy || r.problems.length) {
    const p = r.problems[0];
    throw new KmsError('MalformedPolicyDocumentException', p ? `The new key policy is not valid: ${p.message}${p.pointer ? ` (at ${p.pointer})` : ''}` : 'The new key policy is not valid JSON.');
  }
  const statements = r.policy.statements;
  if (statements.length === 0) throw new KmsError('MalformedPolicyDocumentException', 'The new key policy has no statements.');
  for (const s of statements) {
    if (!s.principal && !s.notPrincipal) throw new KmsError('MalformedPolicyDocumentException', `Policy statement ${s.pointer} has no Principal: a key policy must name its principals.`);
  }
  return r.policy;
}

/** The lockout safety check of CreateKey / PutKeyPolicy / ReplicateKey. */
export function lockoutCheck(ctx: RequestContext, key: KeyRecord, policy: NormalizedPolicy, bypass: boolean | undefined): void {
  if (bypass) return;
  const d = decide({ caller: ctx.caller, action: 'kms:PutKeyPolicy', key, keyPolicy: policy, now: ctx.now, grantLagMs: ctx.core.grantLagMs });
  if (!d.allowed) throw new KmsError('MalformedPolicyDocumentException', 'The new key policy will not allow you to update the key policy in the future.');
}

/** Paginate a list with AWS's Limit/Marker/Truncated/NextMarker (the marker is an offset we issued). */
export function paginate<T>(items: T[], limit: number | undefined, marker: string | undefined, defaultLimit = 100): { page: T[]; Truncated: boolean; NextMarker?: string } {
  let start = 0;
  if (marker !== undefined) {
    const m = /^kmskit-(\d+)$/.exec(marker);
    if (!m) throw new KmsError('InvalidMarkerException', `The marker ${marker} is not valid.`);
    start = Number(m[1]);
  }
  const n = limit ?? defaultLimit;
  const page = items.slice(start, start + n);
  const truncated = start + n < items.length;
  return { page, Truncated: truncated, ...(truncated ? { NextMarker: `kmskit-${start + n}` } : {}) };
}

export const DAY_MS = 86_400_000;
