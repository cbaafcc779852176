import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';

/** Whether automatic rotation is on, its period and next date. https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html */
export const GetKeyRotationStatus: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:GetKeyRotationStatus', key);
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw new KmsError('UnsupportedOperationException', `${key.arn} is a ${key.spec} key; only symmetric encryption keys support rotation.`);
  ctx.requireNotPendingDeletion(key);
  const primary = key.multiRegionType === 'REPLICA' ? ctx.store.related(key).find((k) => k.multiRegionType === 'PRIMARY') ?? key : key;
  return {
    KeyRotationEnabled: primary.rotationEnabled,
    KeyId: key.arn,
    ...(primary.rotationEnabled ? { RotationPeriodInDays: primary.rotationPeriodDays, NextRotationDate: new Date(primary.nextRotation!) } : {}),
  };
};
