import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { importedKeyState } from '../keys.js';

/** Cancels a scheduled deletion; the key comes back Disabled (PendingImport when its imported material is missing), as in AWS. https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html */
export const CancelKeyDeletion: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:CancelKeyDeletion', key);
  if (key.state !== 'PendingDeletion' && key.state !== 'PendingReplicaDeletion') throw new KmsError('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
  const k = ctx.tx.touchKey(key);
  k.state = 'Disabled';
  // A key whose imported material is gone comes back waiting for it.
  if (k.origin === 'EXTERNAL') k.state = importedKeyState(k, 'Disabled');
  delete k.deletionDate;
  delete k.pendingWindowDays;
  return { KeyId: key.arn };
};
