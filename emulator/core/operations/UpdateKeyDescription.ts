import type { Handler } from '../context.js';

/** Replaces a key's description. https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html */
export const UpdateKeyDescription: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:UpdateKeyDescription', key);
  ctx.requireNotPendingDeletion(key);
  ctx.tx.touchKey(key).description = input.Description;
  return {};
};
