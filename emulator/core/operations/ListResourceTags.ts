import { paginate, type Handler } from '../context.js';

/** A key's tags. https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html */
export const ListResourceTags: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:ListResourceTags', key);
  const { page, ...rest } = paginate(key.tags, input.Limit, input.Marker, 50);
  return { Tags: page, ...rest };
};
