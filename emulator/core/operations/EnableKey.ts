import type { Handler } from '../context.js';

/** Sets a key's state to Enabled. https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html */
export const EnableKey: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:EnableKey', key);
  ctx.requireNotPendingDeletion(key);
  ctx.requireSettled(key);
  ctx.tx.touchKey(key).state = 'Enabled';
  ctx.store.noteKeyEvents(key);
  return {};
};
