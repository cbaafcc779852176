import { paginate, type Handler } from '../context.js';
import { silentError } from '../errors.js';
import type { BackingKey, KeyRecord } from '../store.js';

/**
 * The key's materials, oldest first: those rotations made (ROTATIONS_ONLY, the default), or with
 * ALL_KEY_MATERIAL also the first material and imported material pending rotation. Imported
 * materials carry their import state, expiration and description.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html
 */
export const ListKeyRotations: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:ListKeyRotations', key);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw silentError('UnsupportedOperationException', `kmskit: ${key.arn} is a ${key.spec} key; only symmetric encryption keys have key rotations`);
  const all = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
  const rotatedAt = new Map(key.rotations.map((r) => [r.version, r]));
  const current = key.versions.at(-1);
  const rows: Array<Record<string, unknown>> = [];
  for (const v of key.versions) {
    const r = rotatedAt.get(v.version);
    if (!r && !all) continue;
    rows.push({ ...entry(key, v, v === current ? 'CURRENT' : 'NON_CURRENT'), ...(r ? { RotationDate: new Date(r.date), RotationType: r.type } : {}) });
  }
  if (all && key.pendingMaterial) {
    const p = key.pendingMaterial;
    const waiting = key.multiRegionType === 'PRIMARY' && ctx.store.related(key).some((k) => k.pendingMaterial?.materialId !== p.materialId);
    rows.push(entry(key, p, waiting ? 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION' : 'PENDING_ROTATION'));
  }
  const { page, ...rest } = paginate(rows, input.Limit, input.Marker);
  return { Rotations: page, ...rest };
};

function entry(key: KeyRecord, v: BackingKey, state: string): Record<string, unknown> {
  const imp = v.imported;
  return {
    KeyId: key.arn,
    KeyMaterialId: v.materialId,
    ...(imp?.description !== undefined ? { KeyMaterialDescription: imp.description } : {}),
    ...(imp ? { ImportState: imp.state === 'IMPORTED' ? 'IMPORTED' : 'PENDING_IMPORT', ExpirationModel: imp.expirationModel } : {}),
    KeyMaterialState: state,
    ...(imp?.validTo !== undefined ? { ValidTo: new Date(imp.validTo) } : {}),
  };
}
