import type { Handler } from '../context.js';

/** Removes tags from a key. https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html */
export const UntagResource: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  const remove = new Set<string>(input.TagKeys);
  ctx.authorize('kms:UntagResource', key, { context: { 'aws:TagKeys': [...remove] } });
  ctx.requireNotPendingDeletion(key);
  ctx.tx.touchKey(key).tags = key.tags.filter((t) => !remove.has(t.TagKey));
  return {};
};
