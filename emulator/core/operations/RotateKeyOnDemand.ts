import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { rotate } from '../keys.js';
import { requireRotatable } from '../rotation.js';

/**
 * At most 25 on-demand rotations per key: the current API reference's number (LocalStack's
 * recording test_key_rotations_limits, made in April 2025, hit the limit at 10; the newer
 * documentation wins).
 */
export const ON_DEMAND_ROTATION_LIMIT = 25;

/**
 * Rotates now; automatic rotation's schedule is unaffected. A key with imported material rotates
 * to the material imported as pending (ImportKeyMaterial with NEW_KEY_MATERIAL); for a multi-Region
 * key, once every replica has imported it too.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html
 */
export const RotateKeyOnDemand: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:RotateKeyOnDemand', key);
  ctx.requireUsable(key);
  requireRotatable(ctx, key);
  if (key.rotations.filter((r) => r.type === 'ON_DEMAND').length >= ON_DEMAND_ROTATION_LIMIT) {
    // AWS's words (LocalStack's AWS-validated recording test_key_rotations_limits).
    throw new KmsError('LimitExceededException', `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`);
  }
  if (key.origin === 'EXTERNAL') {
    const pending = key.pendingMaterial;
    // AWS's words (LocalStack's AWS-validated recording test_rotate_key_on_demand_raises_for_no_pending_key_material).
    if (!pending) throw new KmsError('KMSInvalidStateException', `No available key material pending rotation for the key: ${key.arn}.`);
    const set = ctx.store.related(key);
    const missing = set.filter((r) => r.pendingMaterial?.materialId !== pending.materialId);
    if (missing.length) throw new KmsError('KMSInvalidStateException', `Key material ${pending.materialId} is pending multi-Region import: import it into the replica keys ${missing.map((r) => r.arn).join(', ')} first.`);
    for (const r of set) {
      const k = ctx.tx.touchKey(r);
      k.versions = [...r.versions, r.pendingMaterial!];
      k.rotations = [...r.rotations, { date: ctx.now, type: 'ON_DEMAND', version: pending.version }];
      delete k.pendingMaterial;
    }
    return { KeyId: key.arn };
  }
  rotate(ctx.tx, ctx.store, key, 'ON_DEMAND', ctx.now);
  return { KeyId: key.arn };
};
