import { paginate, type Handler } from '../context.js';

/** Lists the keys of the caller's account in the caller's region. https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html */
export const ListKeys: Handler = (ctx, input) => {
  ctx.authorize('kms:ListKeys', undefined, { resource: '*' });
  const keys = [...(ctx.store.findPartition(ctx.account, ctx.region)?.keys.values() ?? [])];
  const { page, ...rest } = paginate(keys, input.Limit, input.Marker);
  return { Keys: page.map((k) => ({ KeyId: k.id, KeyArn: k.arn })), ...rest };
};
