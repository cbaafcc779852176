import type { Handler } from '../context.js';
import { requireAutomaticRotatable } from '../rotation.js';

/** Turns off automatic rotation. https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html */
export const DisableKeyRotation: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:DisableKeyRotation', key);
  ctx.requireUsable(key);
  requireAutomaticRotatable(ctx, key);
  const k = ctx.tx.touchKey(key);
  k.rotationEnabled = false;
  delete k.nextRotation;
  return {};
};
