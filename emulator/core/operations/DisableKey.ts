import type { Handler } from '../context.js';

/** Sets a key's state to Disabled: cryptographic operations then fail with DisabledException. https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html */
export const DisableKey: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:DisableKey', key);
  ctx.requireNotPendingDeletion(key);
  ctx.requireSettled(key);
  ctx.tx.touchKey(key).state = 'Disabled';
  return {};
};
