import type { Handler } from '../context.js';

/** Returns a key's metadata. https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html */
export const DescribeKey: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId);
  ctx.authorize('kms:DescribeKey', key, { grantOperation: 'DescribeKey', grantTokens: input.GrantTokens, context: ctx.requestAliasContext(input.KeyId) });
  return { KeyMetadata: ctx.metadata(key) };
};
