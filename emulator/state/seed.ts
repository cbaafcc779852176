/**
 * Seed files: JSON that defines keys with fixed ids, material, aliases, policies, grants, rotation
 * history and principals. Applying a seed twice gives the same ids (and the same material, when the
 * seed gives it), so tests and demos can hard-code key ids.
 *
 * {
 *   "principals": [{ "arn": "arn:aws:iam::111122223333:role/App", "accessKeyId": "AKIA...", "policies": [ ... ] }],
 *   "keys": [{
 *     "id": "1234abcd-12ab-34cd-56ef-1234567890ab", "account"?: "...", "region"?: "...",
 *     "keySpec"?: "SYMMETRIC_DEFAULT", "keyUsage"?: "ENCRYPT_DECRYPT", "description"?: "...",
 *     "policy"?: { ... } | "...", "enabled"?: true, "multiRegion"?: false,
 *     "material"?: "<hex or base64: 32 bytes for symmetric, HMAC key bytes, or PKCS#8 DER for RSA/ECC/Ed25519>",
 *     "origin"?: "AWS_KMS" | "EXTERNAL",   // EXTERNAL: imported material ("material" given) or PendingImport (none)
 *     "expirationModel"?: "KEY_MATERIAL_DOES_NOT_EXPIRE" | "KEY_MATERIAL_EXPIRES", "validTo"?: "2030-01-01T00:00:00Z",
 *     "rotation"?: { "enabled": true, "periodInDays": 365, "history"?: [{ "date": "2024-01-01T00:00:00Z", "type": "ON_DEMAND", "material"?: "<hex>" }] },
 *     "aliases"?: ["alias/app"], "tags"?: { "team": "x" },
 *     "grants"?: [{ "grantId"?: "<64 hex>", "grantee": "arn:...", "operations": ["Decrypt"], "retiringPrincipal"?: "...", "name"?: "...", "constraints"?: {...} }]
 *   }]
 * }
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SeedFileError } from '../core/errors.js';
import { generateMaterial, isSupportedKeySpec, KEY_SPECS, materialProblem, normalizeMaterial, type KeySpecName, type KeyUsage } from '../crypto/index.js';
import { aliasArn, type BackingKey, type GrantRecord, type ImportedMaterial, type Store, type Tx } from '../core/store.js';
import { importedMaterialId } from '../core/imported.js';
import { buildKey, validateTags } from '../core/keys.js';
import { defaultKeyPolicy, DAY_MS } from '../core/context.js';
import { KmsError } from '../core/errors.js';
import { newGrantToken } from '../core/grants.js';

/** A seed file: keys (with their aliases and grants) and principals to create when the state starts empty. */
export interface SeedDocument {
  principals?: Array<{ arn: string; accessKeyId?: string; secretAccessKey?: string; policies?: unknown[] }>;
  keys?: SeedKey[];
}

export interface SeedKey {
  id: string;
  account?: string;
  region?: string;
  keySpec?: string;
  keyUsage?: string;
  description?: string;
  policy?: unknown;
  enabled?: boolean;
  multiRegion?: boolean;
  material?: string;
  /** EXTERNAL: the key's material is imported (with `material`), or it waits in PendingImport. */
  origin?: 'AWS_KMS' | 'EXTERNAL';
  expirationModel?: ImportedMaterial['expirationModel'];
  validTo?: string;
  createdAt?: string;
  rotation?: { enabled?: boolean; periodInDays?: number; history?: Array<{ date: string; type?: 'AUTOMATIC' | 'ON_DEMAND'; material?: string }> };
  aliases?: string[];
  tags?: Record<string, string>;
  grants?: Array<{ grantId?: string; grantee: string; operations: string[]; retiringPrincipal?: string; name?: string; constraints?: GrantRecord['constraints'] }>;
}

export function loadSeed(path: string): SeedDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SeedFileError(path, `cannot be read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as SeedDocument;
  } catch (e) {
    throw new SeedFileError(path, `is not valid JSON: ${(e as Error).message}`);
  }
}

function bytes(text: string, where: string): Buffer {
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return Buffer.from(text, 'base64');
  throw new SeedFileError(where, 'material must be hex or base64');
}

/** Deterministic hex id derived from the seed (grant ids and material ids repeat across loads). */
const derivedId = (...parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex');

function checkMaterial(spec: KeySpecName, m: Buffer, where: string): Buffer {
  const problem = materialProblem(spec, m);
  if (problem) throw new SeedFileError(where, problem);
  return normalizeMaterial(spec, m);
}

/** An EXTERNAL key's imported material record: its id derived as ImportKeyMaterial derives it. */
function importedVersion(k: SeedKey, spec: KeySpecName, version: number, createdAt: number, material: Buffer, where: string): BackingKey {
  const model = k.expirationModel ?? (k.validTo ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE');
  if (model !== 'KEY_MATERIAL_EXPIRES' && model !== 'KEY_MATERIAL_DOES_NOT_EXPIRE') throw new SeedFileError(where, `expirationModel must be KEY_MATERIAL_EXPIRES or KEY_MATERIAL_DOES_NOT_EXPIRE, got ${String(model)}`);
  const validTo = k.validTo !== undefined ? Date.parse(k.validTo) : undefined;
  if (validTo !== undefined && Number.isNaN(validTo)) throw new SeedFileError(where, `validTo is not a date: ${k.validTo}`);
  if ((model === 'KEY_MATERIAL_EXPIRES') !== (validTo !== undefined)) throw new SeedFileError(where, 'validTo must be given exactly when expirationModel is KEY_MATERIAL_EXPIRES');
  const m = checkMaterial(spec, material, where);
  return { version, createdAt, materialId: importedMaterialId(k.id, m), material: m, imported: { state: 'IMPORTED', expirationModel: model, ...(validTo !== undefined ? { validTo } : {}) } };
}

export function applySeed(seed: SeedDocument, env: { store: Store; tx: Tx; account: string; region: string; now: number }): void {
  if (!seed || typeof seed !== 'object') throw new SeedFileError('document', 'must be a JSON object');
  for (const [i, k] of (seed.keys ?? []).entries()) {
    const where = `keys[${i}]`;
    if (!k || typeof k.id !== 'string' || !/^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(k.id)) {
      throw new SeedFileError(where, `"id" must be a key id (a UUID, or mrk- and 32 hex digits for multi-Region keys), got ${JSON.stringify(k?.id)}`);
    }
    const account = k.account ?? env.account;
    const region = k.region ?? env.region;
    const spec = k.keySpec ?? 'SYMMETRIC_DEFAULT';
    if (!isSupportedKeySpec(spec)) throw new SeedFileError(where, `unsupported keySpec ${spec}`);
    const usage = (k.keyUsage ?? KEY_SPECS[spec].usages[0]) as KeyUsage;
    if (!KEY_SPECS[spec].usages.includes(usage)) throw new SeedFileError(where, `keyUsage ${usage} does not fit keySpec ${spec}`);
    const createdAt = k.createdAt ? Date.parse(k.createdAt) : env.now;
    if (Number.isNaN(createdAt)) throw new SeedFileError(where, `createdAt is not a date: ${k.createdAt}`);
    const history = k.rotation?.history ?? [];
    const origin = k.origin ?? 'AWS_KMS';
    if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') throw new SeedFileError(where, `origin must be AWS_KMS or EXTERNAL, got ${String(origin)}`);
    const external = origin === 'EXTERNAL';
    if (external && k.rotation?.enabled) throw new SeedFileError(where, 'keys with imported material (origin EXTERNAL) do not rotate automatically; rotation.enabled must be false');
    if (!external && (k.expirationModel !== undefined || k.validTo !== undefined)) throw new SeedFileError(where, 'expirationModel and validTo are for keys with origin EXTERNAL');
    if (external && !k.material && history.length) throw new SeedFileError(where, 'a key with origin EXTERNAL and rotation history needs its first "material"');
    const historyDate = (h: { date: string }, j: number): number => {
      const date = Date.parse(h.date);
      if (Number.isNaN(date)) throw new SeedFileError(`${where}.rotation.history[${j}]`, `date is not a date: ${h.date}`);
      return date;
    };
    const versions: BackingKey[] = external
      ? [
          ...(k.material ? [importedVersion(k, spec, 1, createdAt, bytes(k.material, where), where)] : []),
          ...history.map((h, j) => {
            if (!h.material) throw new SeedFileError(`${where}.rotation.history[${j}]`, 'imported material (origin EXTERNAL) needs its "material"');
            return importedVersion(k, spec, j + 2, historyDate(h, j), bytes(h.material, where), `${where}.rotation.history[${j}]`);
          }),
        ]
      : [
          { version: 1, createdAt, materialId: derivedId(k.id, '1'), material: k.material ? checkMaterial(spec, bytes(k.material, where), where) : generateMaterial(spec) },
          ...history.map((h, j) => ({ version: j + 2, createdAt: historyDate(h, j), materialId: derivedId(k.id, String(j + 2)), material: h.material ? checkMaterial(spec, bytes(h.material, where), where) : generateMaterial(spec) })),
        ];
    const tags = Object.entries(k.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
    let key;
    try {
      validateTags(tags);
      key = buildKey({
        id: k.id,
        account,
        region,
        spec,
        usage,
        policy: k.policy === undefined ? defaultKeyPolicy(account) : typeof k.policy === 'string' ? k.policy : JSON.stringify(k.policy, null, 2),
        description: k.description ?? '',
        tags,
        multiRegion: k.multiRegion ?? k.id.startsWith('mrk-'),
        ...(k.multiRegion || k.id.startsWith('mrk-') ? { multiRegionType: 'PRIMARY' as const, primaryRegion: region } : {}),
        createdAt,
        origin,
        versions,
      });
    } catch (e) {
      throw new SeedFileError(where, e instanceof KmsError ? e.message : String(e));
    }
    key.rotations = history.map((h, j) => ({ date: Date.parse(h.date), type: h.type ?? 'AUTOMATIC', version: j + 2 }));
    if (k.enabled === false && key.state === 'Enabled') key.state = 'Disabled';
    if (k.rotation?.enabled) {
      const period = k.rotation.periodInDays ?? 365;
      if (!(period >= 90 && period <= 2560)) throw new SeedFileError(where, `rotation.periodInDays must be 90–2560, got ${period}`);
      key.rotationEnabled = true;
      key.rotationPeriodDays = period;
      // A seed describes the state as of loading: a rotation date already past is not replayed
      // (that would add random material and make two loads differ); the next one is a period away.
      const due = (key.rotations.at(-1)?.date ?? createdAt) + period * DAY_MS;
      key.nextRotation = due > env.now ? due : env.now + period * DAY_MS;
    }
    for (const [j, g] of (k.grants ?? []).entries()) {
      if (!g || typeof g.grantee !== 'string' || !Array.isArray(g.operations)) throw new SeedFileError(`${where}.grants[${j}]`, 'needs "grantee" and "operations"');
      const grantId = g.grantId ?? derivedId(k.id, 'grant', String(j));
      key.grants.set(grantId, {
        grantId,
        token: newGrantToken(),
        ...(g.name ? { name: g.name } : {}),
        granteePrincipal: g.grantee,
        ...(g.retiringPrincipal ? { retiringPrincipal: g.retiringPrincipal } : {}),
        issuingAccount: `arn:aws:iam::${account}:root`,
        operations: g.operations,
        ...(g.constraints ? { constraints: g.constraints } : {}),
        createdAt,
      });
    }
    if (env.store.byArn.has(key.arn)) throw new SeedFileError(where, `key ${key.arn} is defined twice`);
    env.tx.addKey(key);
    for (const name of k.aliases ?? []) {
      if (!/^alias\/[a-zA-Z0-9:/_-]+$/.test(name) || name.startsWith('alias/aws/')) throw new SeedFileError(where, `invalid alias name ${name}`);
      const p = env.store.partition(account, region);
      if (p.aliases.has(name)) throw new SeedFileError(where, `alias ${name} is defined twice`);
      env.tx.addAlias({ name, arn: aliasArn(region, account, name), account, region, targetKeyId: key.id, createdAt, updatedAt: createdAt });
    }
  }
}
