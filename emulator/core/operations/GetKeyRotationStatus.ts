import type { Handler } from '../context.js';

/**
 * Whether automatic rotation is on, its period and next date. Keys that cannot rotate automatically
 * (asymmetric, HMAC) answer `KeyRotationEnabled: false` rather than an error, as AWS does: "The key
 * rotation status of these KMS keys is always false". A multi-Region replica reports its primary's
 * status. https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html
 */
export const GetKeyRotationStatus: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:GetKeyRotationStatus', key);
  ctx.requireNotPendingDeletion(key);
  if (key.spec !== 'SYMMETRIC_DEFAULT') return { KeyRotationEnabled: false, KeyId: key.arn };
  const primary = key.multiRegionType === 'REPLICA' ? ctx.store.related(key).find((k) => k.multiRegionType === 'PRIMARY') ?? key : key;
  return {
    KeyRotationEnabled: primary.rotationEnabled,
    KeyId: key.arn,
    ...(primary.rotationEnabled ? { RotationPeriodInDays: primary.rotationPeriodDays, NextRotationDate: new Date(primary.nextRotation!) } : {}),
  };
};
