import type { Handler } from '../context.js';
import { validateTags } from '../keys.js';
import type { Tag } from '../store.js';

/** Adds or overwrites tags on a key. https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html */
export const TagResource: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  const tags: Tag[] = input.Tags;
  const context: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((t) => t.TagKey) };
  for (const t of tags) context[`aws:RequestTag/${t.TagKey}`] = t.TagValue;
  ctx.authorize('kms:TagResource', key, { context });
  ctx.requireNotPendingDeletion(key);
  validateTags(tags);
  const merged = new Map(key.tags.map((t) => [t.TagKey, t.TagValue]));
  for (const t of tags) merged.set(t.TagKey, t.TagValue);
  const next = [...merged].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  validateTags(next);
  ctx.tx.touchKey(key).tags = next;
  return {};
};
