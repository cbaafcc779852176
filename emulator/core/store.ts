/**
 * Keys, aliases, grants and rotations, partitioned by account and region as in AWS. Lookups by key
 * id, key ARN, alias name and alias ARN are single Map reads. Every mutation goes through a `Tx` that
 * records how to undo it and which records changed, so a call that fails after mutating (for
 * example when persisting fails) leaves no partial state, and persistence writes only what changed.
 */
import type { NormalizedPolicy } from '../../policies/model.js';
import type { EncryptionContext, KeySpecName, KeyUsage, WrappingKey } from '../crypto/index.js';

export type KeyState = 'Creating' | 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingReplicaDeletion' | 'PendingImport';
/** AWS_KMS: KMS made the material; EXTERNAL: the material is imported (ImportKeyMaterial). */
export type KeyOrigin = 'AWS_KMS' | 'EXTERNAL';

/** What an import said about one imported key material. */
export interface ImportedMaterial {
  /** PENDING_IMPORT once deleted (DeleteImportedKeyMaterial) or expired: the material is then gone. */
  state: 'IMPORTED' | 'PENDING_IMPORT';
  expirationModel: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  validTo?: number;
  description?: string;
}

/**
 * One key material. Records are replaced, never edited in place, so a transaction's undo (which
 * keeps the old versions array) restores them and persistence re-seals only what changed.
 */
export interface BackingKey {
  version: number;
  /** Plaintext material: lives only in memory; persisted sealed under the domain key. Empty while an imported material is deleted or expired. */
  material: Buffer;
  createdAt: number;
  /** The id AWS calls KeyMaterialId (64 hex), shown by ListKeyRotations / DescribeKey: random, or for imported material derived from the key id and the material. */
  materialId: string;
  /** Imported material only. */
  imported?: ImportedMaterial;
}

/** The last successful cryptographic use of a key (GetKeyLastUsage). */
export interface KeyUsageRecord {
  operation: string;
  at: number;
  /** The audit event of that call (its eventID in kms.audit.events()). */
  eventId: string;
  requestId: string;
}

export interface RotationRecord {
  date: number;
  type: 'AUTOMATIC' | 'ON_DEMAND';
  version: number;
}

export interface GrantConstraints {
  EncryptionContextEquals?: EncryptionContext;
  EncryptionContextSubset?: EncryptionContext;
}

export interface GrantRecord {
  grantId: string;
  token: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  /** The account that created the grant (`arn:aws:iam::<account>:root`). */
  issuingAccount: string;
  operations: string[];
  constraints?: GrantConstraints;
  createdAt: number;
}

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export interface KeyRecord {
  id: string;
  arn: string;
  account: string;
  region: string;
  createdAt: number;
  description: string;
  state: KeyState;
  deletionDate?: number;
  pendingWindowDays?: number;
  spec: KeySpecName;
  usage: KeyUsage;
  origin: KeyOrigin;
  policy: string;
  /** Parsed once at PutKeyPolicy/CreateKey; derived, never persisted. */
  parsedPolicy?: NormalizedPolicy;
  /** Key materials, oldest first; the last is current. Empty for an EXTERNAL key before its first import. */
  versions: BackingKey[];
  /** Imported material waiting for RotateKeyOnDemand to make it current (KeyMaterialState PENDING_ROTATION). */
  pendingMaterial?: BackingKey;
  /** Kept in memory and in snapshots, never journaled: cryptographic calls write nothing. */
  lastUsage?: KeyUsageRecord;
  rotationEnabled: boolean;
  rotationPeriodDays: number;
  nextRotation?: number;
  onDemandRotationStart?: number;
  rotations: RotationRecord[];
  tags: Tag[];
  grants: Map<string, GrantRecord>;
  multiRegion: boolean;
  multiRegionType?: 'PRIMARY' | 'REPLICA';
  /** For multi-Region keys: the primary's region. */
  primaryRegion?: string;
  /** `AWS` for an AWS managed key (alias/aws/<service>, see managed-keys.ts); customer managed when absent. */
  manager?: 'AWS';
}

export interface AliasRecord {
  name: string;
  arn: string;
  account: string;
  region: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

export class Partition {
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();
  constructor(
    readonly account: string,
    readonly region: string,
  ) {}
}

export const keyArn = (region: string, account: string, id: string): string => `arn:aws:kms:${region}:${account}:key/${id}`;
export const aliasArn = (region: string, account: string, name: string): string => `arn:aws:kms:${region}:${account}:${name}`;
export const currentVersion = (k: KeyRecord): BackingKey => k.versions[k.versions.length - 1]!;
/** The material of a key with one material (asymmetric and HMAC keys; they never rotate). */
export const onlyMaterial = (k: KeyRecord): Buffer => k.versions[0]!.material;

export type Change = { kind: 'key'; key: KeyRecord } | { kind: 'delete-key'; arn: string } | { kind: 'alias'; alias: AliasRecord } | { kind: 'delete-alias'; arn: string };

/** A unit of change: undo log plus the set of records to persist. */
export class Tx {
  private readonly undo: Array<() => void> = [];
  readonly changedKeys = new Map<string, KeyRecord | null>();
  readonly changedAliases = new Map<string, AliasRecord | null>();
  private readonly touched = new Set<object>();

  constructor(private readonly store: Store) {}

  get empty(): boolean {
    return this.changedKeys.size === 0 && this.changedAliases.size === 0;
  }

  /** Call before changing any field of a key (grants, tags, rotations included). */
  touchKey(k: KeyRecord): KeyRecord {
    if (!this.touched.has(k)) {
      this.touched.add(k);
      const before = { ...k, versions: [...k.versions], rotations: [...k.rotations], tags: [...k.tags], grants: new Map(k.grants) };
      this.undo.push(() => {
        for (const g of k.grants.values()) this.store.grantTokens.delete(g.token);
        Object.assign(k, before);
        for (const key of Object.keys(k) as Array<keyof KeyRecord>) if (!(key in before)) delete k[key];
        for (const g of k.grants.values()) this.store.grantTokens.set(g.token, { keyArn: k.arn, grantId: g.grantId });
      });
    }
    this.changedKeys.set(k.arn, k);
    return k;
  }

  addKey(k: KeyRecord): void {
    this.store.insertKey(k);
    this.touched.add(k);
    this.undo.push(() => this.store.removeKey(k));
    this.changedKeys.set(k.arn, k);
  }

  removeKey(k: KeyRecord): void {
    this.store.removeKey(k);
    this.undo.push(() => this.store.insertKey(k));
    this.changedKeys.set(k.arn, null);
  }

  addAlias(a: AliasRecord): void {
    this.store.insertAlias(a);
    this.undo.push(() => this.store.removeAlias(a));
    this.changedAliases.set(a.arn, a);
  }

  removeAlias(a: AliasRecord): void {
    this.store.removeAlias(a);
    this.undo.push(() => this.store.insertAlias(a));
    this.changedAliases.set(a.arn, null);
  }

  touchAlias(a: AliasRecord): AliasRecord {
    const before = { ...a };
    this.undo.push(() => Object.assign(a, before));
    this.changedAliases.set(a.arn, a);
    return a;
  }

  addGrant(k: KeyRecord, g: GrantRecord): void {
    this.touchKey(k);
    k.grants = new Map(k.grants).set(g.grantId, g);
    this.store.grantTokens.set(g.token, { keyArn: k.arn, grantId: g.grantId });
  }

  removeGrant(k: KeyRecord, g: GrantRecord): void {
    this.touchKey(k);
    const m = new Map(k.grants);
    m.delete(g.grantId);
    k.grants = m;
    this.store.grantTokens.delete(g.token);
  }

  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
    this.undo.length = 0;
  }

  changes(): Change[] {
    const out: Change[] = [];
    for (const [arn, k] of this.changedKeys) out.push(k ? { kind: 'key', key: k } : { kind: 'delete-key', arn });
    for (const [arn, a] of this.changedAliases) out.push(a ? { kind: 'alias', alias: a } : { kind: 'delete-alias', arn });
    return out;
  }
}

/** An import token GetParametersForImport issued (kept in memory: a restart needs new parameters). */
export interface ImportTokenRecord {
  keyArn: string;
  wrappingAlgorithm: string;
  wrappingKeySpec: string;
  validTo: number;
}

export class Store {
  readonly partitions = new Map<string, Partition>();
  /** Import tokens by their hex; and one RSA wrapping key pair per wrapping key spec. */
  readonly importTokens = new Map<string, ImportTokenRecord>();
  readonly wrappingKeys = new Map<string, WrappingKey>();
  /** Key id → every key with that id (one, or a multi-Region key and its replicas). */
  readonly byId = new Map<string, KeyRecord[]>();
  readonly byArn = new Map<string, KeyRecord>();
  readonly grantTokens = new Map<string, { keyArn: string; grantId: string }>();
  private keyCount = 0;
  /** Earliest time a rotation or deletion may be due; requests before it skip the sweep. */
  nextEventAt = Number.POSITIVE_INFINITY;

  /** account → region → partition: every request looks a partition up, so without building a key string. */
  private readonly byAccount = new Map<string, Map<string, Partition>>();

  partition(account: string, region: string): Partition {
    let p = this.findPartition(account, region);
    if (!p) {
      p = new Partition(account, region);
      this.partitions.set(`${account}:${region}`, p);
      let regions = this.byAccount.get(account);
      if (!regions) this.byAccount.set(account, (regions = new Map()));
      regions.set(region, p);
    }
    return p;
  }

  findPartition(account: string, region: string): Partition | undefined {
    return this.byAccount.get(account)?.get(region);
  }

  get size(): number {
    return this.keyCount;
  }

  insertKey(k: KeyRecord): void {
    const p = this.partition(k.account, k.region);
    if (!p.keys.has(k.id)) this.keyCount++;
    p.keys.set(k.id, k);
    this.byArn.set(k.arn, k);
    const same = this.byId.get(k.id) ?? [];
    this.byId.set(k.id, [...same.filter((x) => x.arn !== k.arn), k]);
    for (const g of k.grants.values()) this.grantTokens.set(g.token, { keyArn: k.arn, grantId: g.grantId });
    this.noteKeyEvents(k);
  }

  removeKey(k: KeyRecord): void {
    const p = this.findPartition(k.account, k.region);
    if (p?.keys.delete(k.id)) this.keyCount--;
    this.byArn.delete(k.arn);
    const rest = (this.byId.get(k.id) ?? []).filter((x) => x.arn !== k.arn);
    if (rest.length) this.byId.set(k.id, rest);
    else this.byId.delete(k.id);
    for (const g of k.grants.values()) this.grantTokens.delete(g.token);
  }

  insertAlias(a: AliasRecord): void {
    this.partition(a.account, a.region).aliases.set(a.name, a);
  }

  removeAlias(a: AliasRecord): void {
    this.findPartition(a.account, a.region)?.aliases.delete(a.name);
  }

  /** Lower the sweep watermark to cover this key's next rotation or deletion. */
  noteKeyEvents(k: KeyRecord): void {
    if (k.deletionDate !== undefined && k.deletionDate < this.nextEventAt) this.nextEventAt = k.deletionDate;
    // A disabled key does not rotate; EnableKey notes its rotation again (so the sweep is not
    // re-run on every request for a date that cannot act).
    if (k.rotationEnabled && k.state === 'Enabled' && k.nextRotation !== undefined && k.nextRotation < this.nextEventAt) this.nextEventAt = k.nextRotation;
    // A new replica is Creating until the next request; imported material expires at its ValidTo.
    if (k.state === 'Creating' && k.createdAt < this.nextEventAt) this.nextEventAt = k.createdAt;
    if (k.origin === 'EXTERNAL') {
      for (const v of k.versions) {
        const to = v.imported?.state === 'IMPORTED' ? v.imported.validTo : undefined;
        if (to !== undefined && to < this.nextEventAt) this.nextEventAt = to;
      }
    }
    // PendingReplicaDeletion ends when the last replica's deletion runs, inside the same sweep.
  }

  *allKeys(): Iterable<KeyRecord> {
    for (const p of this.partitions.values()) yield* p.keys.values();
  }

  *allAliases(): Iterable<AliasRecord> {
    for (const p of this.partitions.values()) yield* p.aliases.values();
  }

  /** Related multi-Region keys (the primary and its replicas), this one included. */
  related(k: KeyRecord): KeyRecord[] {
    if (!k.multiRegion) return [k];
    return (this.byId.get(k.id) ?? []).filter((x) => x.account === k.account);
  }

  clear(): void {
    this.partitions.clear();
    this.byAccount.clear();
    this.byId.clear();
    this.byArn.clear();
    this.grantTokens.clear();
    this.importTokens.clear();
    this.keyCount = 0;
    this.nextEventAt = Number.POSITIVE_INFINITY;
  }
}
