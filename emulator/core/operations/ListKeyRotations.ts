import { paginate, type Handler } from '../context.js';
import { KmsError } from '../errors.js';

/** The key's rotation history, oldest first. https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html */
export const ListKeyRotations: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:ListKeyRotations', key);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException', `${key.arn} is a ${key.spec} key; only symmetric encryption keys support rotation.`);
  // ALL_KEY_MATERIAL also lists the key's first material, which no rotation created.
  const first = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL' ? [{ date: undefined, type: undefined, version: key.versions[0]!.version }] : [];
  const entries: Array<{ date: number | undefined; type: string | undefined; version: number }> = [...first, ...key.rotations];
  const { page, ...rest } = paginate(entries, input.Limit, input.Marker);
  return {
    Rotations: page.map((r) => ({
      KeyId: key.arn,
      KeyMaterialId: key.versions.find((v) => v.version === r.version)?.materialId,
      KeyMaterialState: r.version === key.versions.at(-1)!.version ? 'CURRENT' : 'NON_CURRENT',
      ...(r.date !== undefined ? { RotationDate: new Date(r.date), RotationType: r.type } : {}),
    })),
    ...rest,
  };
};
