import { DAY_MS, type Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { validationError } from '../model/index.js';

/**
 * Schedules deletion after a 7–30 day waiting period (default 30); the key is gone when the clock
 * passes it. A multi-Region primary with replicas waits in PendingReplicaDeletion until they are gone.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
 */
export const ScheduleKeyDeletion: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:ScheduleKeyDeletion', key);
  const days: number = input.PendingWindowInDays ?? 30;
  if (days < 7) throw validationError('PendingWindowInDays', days, 'have value greater than or equal to 7');
  if (days > 30) throw validationError('PendingWindowInDays', days, 'have value less than or equal to 30');
  if (key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion') throw new KmsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  const k = ctx.tx.touchKey(key);
  const hasReplicas = key.multiRegionType === 'PRIMARY' && ctx.store.related(key).length > 1;
  k.pendingWindowDays = days;
  if (hasReplicas) {
    k.state = 'PendingReplicaDeletion';
    delete k.deletionDate;
  } else {
    k.state = 'PendingDeletion';
    k.deletionDate = ctx.now + days * DAY_MS;
  }
  ctx.store.noteKeyEvents(k);
  return { KeyId: key.arn, ...(k.deletionDate !== undefined ? { DeletionDate: new Date(k.deletionDate) } : {}), KeyState: k.state, PendingWindowInDays: days };
};
