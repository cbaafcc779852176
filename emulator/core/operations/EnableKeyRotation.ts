import { DAY_MS, type Handler } from '../context.js';
import { requireAutomaticRotatable } from '../rotation.js';

/**
 * Turns on automatic rotation every RotationPeriodInDays (90–2560, default 365); the next rotation
 * happens when the emulator clock passes it. https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
 */
export const EnableKeyRotation: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:EnableKeyRotation', key);
  ctx.requireUsable(key);
  requireAutomaticRotatable(ctx, key);
  const period: number = input.RotationPeriodInDays ?? (key.rotationEnabled ? key.rotationPeriodDays : 365);
  const k = ctx.tx.touchKey(key);
  const since = key.rotationEnabled ? (key.rotations.filter((r) => r.type === 'AUTOMATIC').at(-1)?.date ?? ctx.now) : ctx.now;
  k.rotationEnabled = true;
  k.rotationPeriodDays = period;
  k.nextRotation = Math.max(since + period * DAY_MS, ctx.now);
  ctx.store.noteKeyEvents(k);
  return {};
};
