import type { Handler } from '../context.js';

/** Lists key policy names: always `default`. https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html */
export const ListKeyPolicies: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:ListKeyPolicies', key);
  return { PolicyNames: ['default'], Truncated: false };
};
