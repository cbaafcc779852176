/**
 * Key lifecycle shared by several operations and by seeding: building a key record, rotating its
 * backing key (for a multi-Region key: the primary and every replica together, since related keys
 * share material), and the clock sweep that applies due rotations and deletions.
 */
import { randomBytes } from 'node:crypto';
import { generateMaterial, type KeySpecName, type KeyUsage } from '../crypto/index.js';
import { KmsError } from './errors.js';
import { parseKeyPolicy, DAY_MS } from './context.js';
import { keyArn, type BackingKey, type KeyRecord, type Store, type Tag, type Tx } from './store.js';

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
  /** Existing versions (a replica shares its primary's); fresh material otherwise. */
  versions?: BackingKey[];
}

export function buildKey(n: NewKey): KeyRecord {
  const versions = n.versions ?? [{ version: 1, material: generateMaterial(n.spec), createdAt: n.createdAt, materialId: randomBytes(32).toString('hex') }];
  return {
    id: n.id,
    arn: keyArn(n.region, n.account, n.id),
    account: n.account,
    region: n.region,
    createdAt: n.createdAt,
    description: n.description ?? '',
    state: 'Enabled',
    spec: n.spec,
    usage: n.usage,
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

/** Tags: no `aws:` prefix, no duplicate keys within the request (TagException, as AWS). */
export function validateTags(tags: Tag[] | undefined): void {
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw new KmsError('TagException', `Tag keys beginning with aws: are reserved: ${t.TagKey}`);
    if (seen.has(t.TagKey)) throw new KmsError('TagException', `Duplicate tag key in the request: ${t.TagKey}`);
    seen.add(t.TagKey);
  }
  if ((tags?.length ?? 0) > 50) throw new KmsError('LimitExceededException', 'A KMS key can have at most 50 tags.');
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

/** Apply rotations and deletions that are due at `now`. Cheap unless an event is due. */
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

