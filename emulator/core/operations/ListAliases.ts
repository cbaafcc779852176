import { paginate, type Handler } from '../context.js';

/** Lists the aliases of the caller's account and region, optionally only those of one key. https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html */
export const ListAliases: Handler = (ctx, input) => {
  ctx.authorize('kms:ListAliases', undefined, { resource: '*' });
  const keyId = input.KeyId !== undefined ? ctx.resolveKey(input.KeyId, { allowAlias: false }).id : undefined;
  const aliases = [...(ctx.store.findPartition(ctx.account, ctx.region)?.aliases.values() ?? [])].filter((a) => keyId === undefined || a.targetKeyId === keyId);
  aliases.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { page, ...rest } = paginate(aliases, input.Limit, input.Marker);
  return {
    Aliases: page.map((a) => ({ AliasName: a.name, AliasArn: a.arn, TargetKeyId: a.targetKeyId, CreationDate: new Date(a.createdAt), LastUpdatedDate: new Date(a.updatedAt) })),
    ...rest,
  };
};
