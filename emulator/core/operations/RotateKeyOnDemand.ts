import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { rotate } from '../keys.js';
import { requireRotatable } from '../rotation.js';

export const ON_DEMAND_ROTATION_LIMIT = 10;

/**
 * Rotates now (at most 10 times per key); automatic rotation's schedule is unaffected.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html
 */
export const RotateKeyOnDemand: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:RotateKeyOnDemand', key);
  ctx.requireUsable(key);
  requireRotatable(ctx, key);
  if (key.rotations.filter((r) => r.type === 'ON_DEMAND').length >= ON_DEMAND_ROTATION_LIMIT) {
    throw new KmsError('LimitExceededException', `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`);
  }
  rotate(ctx.tx, ctx.store, key, 'ON_DEMAND', ctx.now);
  return { KeyId: key.arn };
};
