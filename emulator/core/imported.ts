/**
 * Imported key material (keys with Origin EXTERNAL), shared by GetParametersForImport,
 * ImportKeyMaterial, DeleteImportedKeyMaterial, RotateKeyOnDemand and seed files.
 *
 * - A material's KeyMaterialId is derived from the key id and the material (as AWS says it does),
 *   so re-importing the same material finds its record, and different material is refused.
 * - Import tokens live in memory for 24 hours of the emulator clock; after a restart, ask
 *   GetParametersForImport again (an old token is then InvalidImportTokenException).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestContext } from './context.js';
import { KmsError } from './errors.js';
import type { BackingKey, ImportTokenRecord, KeyRecord } from './store.js';
import { newWrappingKey, type WrappingKey } from '../crypto/index.js';

export const IMPORT_TOKEN_TTL_MS = 24 * 3_600_000;
/** ValidTo may be at most 365 days after the import (ImportKeyMaterial's ValidTo documentation). */
export const MAX_VALID_TO_MS = 365 * 86_400_000;

/** KeyMaterialId of imported material: HMAC-SHA256 keyed by the material over the key id (64 hex digits). */
export function importedMaterialId(keyId: string, material: Buffer): string {
  return createHmac('sha256', material).update(keyId, 'utf8').digest('hex');
}

export const sameMaterialId = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** UnsupportedOperationException for a key that is not EXTERNAL, in AWS's words (LocalStack's AWS-validated recording test_get_parameters_for_import). */
export function requireExternal(key: KeyRecord): void {
  if (key.origin !== 'EXTERNAL') throw new KmsError('UnsupportedOperationException', `${key.arn} origin is ${key.origin} which is not valid for this operation.`);
}

/** The account's wrapping key pair for a spec, made on first use. */
export function wrappingKeyFor(ctx: RequestContext, spec: string): WrappingKey {
  let k = ctx.store.wrappingKeys.get(spec);
  if (!k) {
    k = newWrappingKey(spec);
    ctx.store.wrappingKeys.set(spec, k);
  }
  return k;
}

export function issueImportToken(ctx: RequestContext, record: ImportTokenRecord): Buffer {
  // Expired tokens are dropped as new ones are issued, so the map stays small.
  for (const [t, r] of ctx.store.importTokens) if (r.validTo + IMPORT_TOKEN_TTL_MS < ctx.now) ctx.store.importTokens.delete(t);
  const token = Buffer.concat([Buffer.from('kmskit-import-token:', 'ascii'), randomBytes(32)]);
  ctx.store.importTokens.set(token.toString('hex'), record);
  return token;
}

/**
 * The parameters an import token stands for. A token this emulator never issued (or issued before
 * a restart), or one issued for another key, is InvalidImportTokenException; one past its 24 hours
 * is ExpiredImportTokenException.
 */
export function redeemImportToken(ctx: RequestContext, key: KeyRecord, token: Buffer): ImportTokenRecord {
  const r = ctx.store.importTokens.get(token.toString('hex'));
  if (!r || r.keyArn !== key.arn) {
    throw new KmsError('InvalidImportTokenException', `The import token is not valid for ${key.arn}: use the ImportToken of a GetParametersForImport response for this key (kmskit keeps import tokens until it restarts).`);
  }
  if (ctx.now > r.validTo) throw new KmsError('ExpiredImportTokenException', `The import token expired at ${new Date(r.validTo).toISOString()}; call GetParametersForImport again.`);
  return r;
}

/** The material record with this id, among a key's permanent materials and its pending one. */
export function findMaterial(key: KeyRecord, materialId: string): { material: BackingKey; pending: boolean } | undefined {
  const v = key.versions.find((x) => sameMaterialId(x.materialId, materialId));
  if (v) return { material: v, pending: false };
  if (key.pendingMaterial && sameMaterialId(key.pendingMaterial.materialId, materialId)) return { material: key.pendingMaterial, pending: true };
  return undefined;
}

/** The primary of a multi-Region key's set (the key itself when it is the primary or not multi-Region). */
export function primaryOf(ctx: RequestContext, key: KeyRecord): KeyRecord {
  if (key.multiRegionType !== 'REPLICA') return key;
  return ctx.store.related(key).find((k) => k.multiRegionType === 'PRIMARY') ?? key;
}
