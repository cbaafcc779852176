import type { Handler, RequestContext } from '../context.js';
import { materialProblem, normalizeMaterial, unwrapKeyMaterial } from '../../crypto/index.js';
import { KmsError, silentError } from '../errors.js';
import { findMaterial, importedMaterialId, MAX_VALID_TO_MS, primaryOf, redeemImportToken, requireExternal, sameMaterialId } from '../imported.js';
import type { BackingKey, ImportedMaterial, KeyRecord } from '../store.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Imports key material wrapped under a GetParametersForImport public key: the first material of an
 * EXTERNAL key, the same material again (after deletion or expiry, or to change its expiration),
 * or — for symmetric keys — new material that waits as PENDING_ROTATION until RotateKeyOnDemand.
 * A multi-Region replica takes the materials its primary has.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html
 */
export const ImportKeyMaterial: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  const expirationModel: ImportedMaterial['expirationModel'] = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  const validTo: number | undefined = input.ValidTo instanceof Date ? input.ValidTo.getTime() : undefined;
  ctx.authorize('kms:ImportKeyMaterial', key, { context: { 'kms:ExpirationModel': expirationModel, ...(validTo !== undefined ? { 'kms:ValidTo': String(Math.floor(validTo / 1000)) } : {}) } });
  requireExternal(key);
  ctx.requireNotPendingDeletion(key);
  if (key.state === 'Creating') throw new KmsError('KMSInvalidStateException', `${key.arn} is creating.`);
  // AWS's words (LocalStack's AWS-validated recording test_import_key_symmetric).
  if (expirationModel === 'KEY_MATERIAL_EXPIRES' && validTo === undefined) throw new KmsError('ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
  if (expirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE' && validTo !== undefined) throw new KmsError('ValidationException', 'ValidTo must be omitted when the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');
  if (validTo !== undefined && (validTo <= ctx.now || validTo > ctx.now + MAX_VALID_TO_MS)) {
    throw new KmsError('ValidationException', `ValidTo must be after ${iso(ctx.now)} and at most 365 days later (${iso(ctx.now + MAX_VALID_TO_MS)}), got ${iso(validTo)}.`);
  }
  const symmetric = key.spec === 'SYMMETRIC_DEFAULT';
  if (!symmetric && (input.ImportType !== undefined || input.KeyMaterialId !== undefined || input.KeyMaterialDescription !== undefined)) {
    throw new KmsError('ValidationException', `ImportType, KeyMaterialId and KeyMaterialDescription are valid only for symmetric encryption keys, not ${key.spec}.`);
  }
  const params = redeemImportToken(ctx, key, input.ImportToken);
  const wrapping = ctx.store.wrappingKeys.get(params.wrappingKeySpec);
  const unwrapped = wrapping ? unwrapKeyMaterial(wrapping, params.wrappingAlgorithm, input.EncryptedKeyMaterial) : undefined;
  if (!unwrapped) throw silentError('InvalidCiphertextException', `kmskit: the EncryptedKeyMaterial does not decrypt with this import token's ${params.wrappingKeySpec} wrapping key and ${params.wrappingAlgorithm}`);
  const problem = materialProblem(key.spec, unwrapped);
  if (problem) throw new KmsError('IncorrectKeyMaterialException', `The key material cannot be imported into ${key.arn}: ${problem}.`);
  const material = normalizeMaterial(key.spec, unwrapped);
  const id = importedMaterialId(key.id, material);
  if (input.KeyMaterialId !== undefined && !sameMaterialId(input.KeyMaterialId, id)) {
    throw new KmsError('IncorrectKeyMaterialException', `The key material's id is ${id}, not the KeyMaterialId ${input.KeyMaterialId} of the request.`);
  }
  const primary = primaryOf(ctx, key);
  const replica = primary !== key;
  const hasMaterial = key.versions.length > 0 || key.pendingMaterial !== undefined;
  const importType: string = input.ImportType ?? (hasMaterial || replica ? 'EXISTING_KEY_MATERIAL' : 'NEW_KEY_MATERIAL');
  const details = (previous?: ImportedMaterial): ImportedMaterial => {
    const description: string | undefined = input.KeyMaterialDescription ?? previous?.description;
    return { state: 'IMPORTED', expirationModel, ...(validTo !== undefined ? { validTo } : {}), ...(description !== undefined ? { description } : {}) };
  };
  const k = ctx.tx.touchKey(key);
  if (importType === 'NEW_KEY_MATERIAL') {
    if (input.KeyMaterialId !== undefined) throw new KmsError('ValidationException', 'You cannot specify a KeyMaterialId with ImportType NEW_KEY_MATERIAL.');
    if (replica) throw new KmsError('UnsupportedOperationException', `${key.arn} is a multi-Region replica key: import new key material into its primary key ${primary.arn}, then the same material here with ImportType EXISTING_KEY_MATERIAL.`);
    const known = findMaterial(key, id);
    if (known && !known.pending) throw new KmsError('IncorrectKeyMaterialException', `This key material (id: ${id}) is already associated with ${key.arn}; reimport it with ImportType EXISTING_KEY_MATERIAL.`);
    if (key.versions.length === 0) {
      k.versions = [{ version: 1, material, createdAt: ctx.now, materialId: id, imported: details() }];
    } else {
      if (!symmetric) throw new KmsError('IncorrectKeyMaterialException', `${key.arn} is a ${key.spec} key: its key material cannot change after the first import; reimport the same material.`);
      // AWS's words (LocalStack's AWS-validated recording test_import_key_material_raises_if_there_is_already_key_material_pending).
      if (key.pendingMaterial && !known) {
        throw new KmsError('KMSInvalidStateException', `New key material (id: ${id}) cannot be imported into KMS key ${key.id}, because another key material (id: ${key.pendingMaterial.materialId}) is pending rotation.`);
      }
      const version = key.versions[key.versions.length - 1]!.version + 1;
      k.pendingMaterial = { version, material, createdAt: ctx.now, materialId: id, imported: details(key.pendingMaterial?.imported) };
    }
  } else if (replica) {
    importIntoReplica(k, primary, material, id, details);
  } else {
    const known = findMaterial(key, id);
    if (!known) throw new KmsError('IncorrectKeyMaterialException', `The key material (id: ${id}) is not key material previously imported into ${key.arn}.`);
    const again: BackingKey = { ...known.material, material, imported: details(known.material.imported) };
    if (known.pending) k.pendingMaterial = again;
    else k.versions = key.versions.map((v) => (v === known.material ? again : v));
  }
  if (k.state === 'PendingImport' && allImported(ctx, k)) k.state = 'Enabled';
  ctx.store.noteKeyEvents(k);
  return { KeyId: key.arn, ...(symmetric ? { KeyMaterialId: id } : {}) };
};

/** A replica takes the primary's materials: the same bytes, version and id as the primary's record. */
function importIntoReplica(k: KeyRecord, primary: KeyRecord, material: Buffer, id: string, details: (previous?: ImportedMaterial) => ImportedMaterial): void {
  const source = findMaterial(primary, id);
  if (!source) throw new KmsError('IncorrectKeyMaterialException', `The key material (id: ${id}) is not key material of the primary key ${primary.arn}; a multi-Region replica takes its primary's key material.`);
  const own = source.pending ? k.pendingMaterial : k.versions.find((v) => v.materialId === id);
  const record: BackingKey = { version: source.material.version, createdAt: source.material.createdAt, materialId: id, material, imported: details(own?.imported) };
  if (source.pending) k.pendingMaterial = record;
  else k.versions = [...k.versions.filter((v) => v.materialId !== id), record].sort((a, b) => a.version - b.version);
}

/** Every permanent material is present (for a replica: every one its primary has). */
function allImported(ctx: RequestContext, key: KeyRecord): boolean {
  const primary = primaryOf(ctx, key);
  const needed = primary === key ? key.versions.map((v) => v.materialId) : primary.versions.map((v) => v.materialId);
  return needed.length > 0 && needed.every((mid) => key.versions.some((v) => v.materialId === mid && v.imported?.state === 'IMPORTED'));
}
