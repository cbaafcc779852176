import { paginate, type Handler } from '../context.js';
import { unusedManagedAliases } from '../managed-keys.js';
import { aliasArn } from '../store.js';

/**
 * Lists the aliases of the caller's account and region, optionally only those of one key. Without a
 * KeyId the predefined `alias/aws/<service>` aliases whose AWS managed key does not exist yet are
 * listed too, with no TargetKeyId, as AWS does.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html
 */
export const ListAliases: Handler = (ctx, input) => {
  ctx.authorize('kms:ListAliases', undefined, { resource: '*' });
  const keyId = input.KeyId !== undefined ? ctx.resolveKey(input.KeyId, { allowAlias: false }).id : undefined;
  const stored = ctx.store.findPartition(ctx.account, ctx.region)?.aliases;
  const entries: Array<{ AliasName: string; AliasArn: string; TargetKeyId?: string; CreationDate?: Date; LastUpdatedDate?: Date }> = [];
  for (const a of stored?.values() ?? []) {
    if (keyId === undefined || a.targetKeyId === keyId) entries.push({ AliasName: a.name, AliasArn: a.arn, TargetKeyId: a.targetKeyId, CreationDate: new Date(a.createdAt), LastUpdatedDate: new Date(a.updatedAt) });
  }
  if (keyId === undefined) for (const name of unusedManagedAliases(stored)) entries.push({ AliasName: name, AliasArn: aliasArn(ctx.region, ctx.account, name) });
  entries.sort((a, b) => (a.AliasName < b.AliasName ? -1 : a.AliasName > b.AliasName ? 1 : 0));
  const { page, ...rest } = paginate(entries, input.Limit, input.Marker);
  return { Aliases: page, ...rest };
};
