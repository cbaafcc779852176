/**
 * Key lifecycle shared by several operations and by seeding: building a key record, rotating its
 * backing key (for a multi-Region key: the primary and every replica together, since related keys
 * share material), and the clock sweep that applies due rotations and deletions.
 */
import { randomBytes } from 'node:crypto';
import { generateMaterial, type KeySpecName, type KeyUsage } from '../crypto/index.js';
import { KmsError } from './errors.js';
import { parseKeyPolicy, DAY_MS } from './context.js';
import { keyArn, type BackingKey, type KeyOrigin, type KeyRecord, type KeyState, type Store, type Tag, type Tx } from './store.js';

export interface NewKey {
  id: string;
  account: string;
  region: string;
  spec: KeySpecName;
  usage: KeyUsage;
  policy: string;
  description?: string;
  tags?: Tag[];
  multiRegion?: boolean;
  multiRegionType?: 'PRIMARY' | 'REPLICA';
  primaryRegion?: string;
  createdAt: number;
  /** Default AWS_KMS. An EXTERNAL key starts with no material, in PendingImport. */
  origin?: KeyOrigin;
  /** Default Enabled (PendingImport for an EXTERNAL key without versions). */
  state?: KeyState;
  /** Existing versions (a replica shares its primary's); fresh material otherwise (none for EXTERNAL keys). */
  versions?: BackingKey[];
}

export function buildKey(n: NewKey): KeyRecord {
  const origin = n.origin ?? 'AWS_KMS';
  const versions = n.versions ?? (origin === 'EXTERNAL' ? [] : [{ version: 1, material: generateMaterial(n.spec), createdAt: n.createdAt, materialId: randomBytes(32).toString('hex') }]);
  return {
    id: n.id,
    arn: keyArn(n.region, n.account, n.id),
    account: n.account,
    region: n.region,
    createdAt: n.createdAt,
    description: n.description ?? '',
    state: n.state ?? (versions.length === 0 ? 'PendingImport' : 'Enabled'),
    spec: n.spec,
    usage: n.usage,
    origin,
    policy: n.policy,
    parsedPolicy: parseKeyPolicy(n.policy),
    versions,
    rotationEnabled: false,
    rotationPeriodDays: 365,
    rotations: [],
    tags: n.tags ?? [],
    grants: new Map(),
    multiRegion: n.multiRegion ?? false,
    ...(n.multiRegionType ? { multiRegionType: n.multiRegionType } : {}),
    ...(n.primaryRegion ? { primaryRegion: n.primaryRegion } : {}),
  };
}

/** AWS's cap on a key's tags. */
export const MAX_TAGS = 50;

/**
 * Tags: no `aws:` prefix (either case), no duplicate keys within the request, at most 50: each a
 * TagException with AWS's words (LocalStack's AWS-validated recordings
 * test_create_key_with_invalid_tag_key, test_tag_key_with_duplicate_tag_keys_raises_error,
 * test_create_key_with_too_many_tags_raises_error).
 */
export function validateTags(tags: Tag[] | undefined): void {
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw new KmsError('TagException', 'Tags beginning with aws: are reserved');
    if (seen.has(t.TagKey)) throw new KmsError('TagException', 'Duplicate tag keys');
    seen.add(t.TagKey);
  }
  if ((tags?.length ?? 0) > MAX_TAGS) throw new KmsError('TagException', 'Too many tags');
}

/** New backing key for a key and all its related multi-Region keys. */
export function rotate(tx: Tx, store: Store, key: KeyRecord, type: 'AUTOMATIC' | 'ON_DEMAND', at: number): void {
  const last = key.versions[key.versions.length - 1]!;
  const bk: BackingKey = { version: last.version + 1, material: generateMaterial(key.spec), createdAt: at, materialId: randomBytes(32).toString('hex') };
  for (const k of store.related(key)) {
    tx.touchKey(k);
    k.versions = [...k.versions, bk];
    k.rotations = [...k.rotations, { date: at, type, version: bk.version }];
  }
}

/** The state an EXTERNAL key's materials allow: PendingImport while any permanent material is missing. */
export function importedKeyState(k: KeyRecord, otherwise: KeyState): KeyState {
  if (k.state === 'PendingDeletion' || k.state === 'PendingReplicaDeletion') return k.state;
  return k.versions.length === 0 || k.versions.some((v) => v.imported?.state === 'PENDING_IMPORT') ? 'PendingImport' : otherwise;
}

/** A material record without its material, as DeleteImportedKeyMaterial and expiry leave it. */
export const withoutMaterial = (v: BackingKey): BackingKey => ({ ...v, material: Buffer.alloc(0), imported: { ...v.imported!, state: 'PENDING_IMPORT' } });

/** Apply rotations, deletions, replica creation and material expiry due at `now`. Cheap unless an event is due. */
export function sweep(store: Store, tx: Tx, now: number): void {
  if (now < store.nextEventAt) return;
  store.nextEventAt = Number.POSITIVE_INFINITY;
  const keys = [...store.allKeys()];
  // Deletions first: a replica's deletion can release its primary from PendingReplicaDeletion.
  for (const k of keys) {
    if (k.state === 'PendingDeletion' && k.deletionDate !== undefined && k.deletionDate <= now) {
      const p = store.findPartition(k.account, k.region);
      for (const a of [...(p?.aliases.values() ?? [])]) if (a.targetKeyId === k.id) tx.removeAlias(a);
      tx.removeKey(k);
    }
  }
  for (const k of keys) {
    if (!store.byArn.has(k.arn)) continue;
    if (k.state === 'Creating') {
      // A replica finishes creating by the next request after ReplicateKey (AWS takes seconds).
      tx.touchKey(k);
      k.state = k.origin === 'EXTERNAL' ? importedKeyState(k, 'Enabled') : 'Enabled';
    }
    if (k.origin === 'EXTERNAL' && k.versions.some((v) => v.imported?.state === 'IMPORTED' && v.imported.validTo !== undefined && v.imported.validTo <= now)) {
      // Expired imported material is deleted, as DeleteImportedKeyMaterial would.
      tx.touchKey(k);
      k.versions = k.versions.map((v) => (v.imported?.state === 'IMPORTED' && v.imported.validTo !== undefined && v.imported.validTo <= now ? withoutMaterial(v) : v));
      k.state = importedKeyState(k, k.state);
    }
    if (k.state === 'PendingReplicaDeletion' && store.related(k).length === 1) {
      tx.touchKey(k);
      k.state = 'PendingDeletion';
      k.deletionDate = now + (k.pendingWindowDays ?? 30) * DAY_MS;
    }
    const rotates = k.rotationEnabled && k.state === 'Enabled' && k.multiRegionType !== 'REPLICA' && k.nextRotation !== undefined;
    if (rotates && k.nextRotation! <= now) {
      let at = k.nextRotation!;
      while (at <= now) {
        rotate(tx, store, k, 'AUTOMATIC', at);
        at += k.rotationPeriodDays * DAY_MS;
      }
      tx.touchKey(k);
      k.nextRotation = at;
    }
    store.noteKeyEvents(k);
  }
}

