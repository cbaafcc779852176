import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { findMaterial, requireExternal } from '../imported.js';
import { importedKeyState, withoutMaterial } from '../keys.js';
import { currentVersion } from '../store.js';

/**
 * Deletes imported key material (the current one, or the KeyMaterialId given): the key becomes
 * PendingImport (unless pending deletion) and its ciphertexts fail until the same material is
 * imported again. Deleting material pending rotation just drops it (on a multi-Region primary, from
 * its replicas too). https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html
 */
export const DeleteImportedKeyMaterial: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:DeleteImportedKeyMaterial', key);
  requireExternal(key);
  if (key.state === 'Creating') throw new KmsError('KMSInvalidStateException', `${key.arn} is creating.`);
  if (key.versions.length === 0 && !key.pendingMaterial) ctx.requireImported(key);
  const target = input.KeyMaterialId !== undefined ? findMaterial(key, input.KeyMaterialId) : { material: currentVersion(key), pending: false };
  if (!target) throw new KmsError('NotFoundException', `Key material ${input.KeyMaterialId} is not associated with ${key.arn}.`);
  const symmetric = key.spec === 'SYMMETRIC_DEFAULT';
  const out = { KeyId: key.arn, ...(symmetric ? { KeyMaterialId: target.material.materialId } : {}) };
  if (target.pending) {
    const dropFrom = key.multiRegionType === 'PRIMARY' ? ctx.store.related(key) : [key];
    for (const r of dropFrom) {
      if (r.pendingMaterial?.materialId !== target.material.materialId) continue;
      delete ctx.tx.touchKey(r).pendingMaterial;
    }
    return out;
  }
  const k = ctx.tx.touchKey(key);
  k.versions = key.versions.map((v) => (v === target.material && v.imported?.state === 'IMPORTED' ? withoutMaterial(v) : v));
  k.state = importedKeyState(k, k.state);
  return out;
};
