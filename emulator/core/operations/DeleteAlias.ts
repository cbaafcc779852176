import { authorizeAliasResource, checkAliasName, findAlias } from '../aliases.js';
import type { Handler } from '../context.js';

/** Deletes an alias; the key is unaffected. https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html */
export const DeleteAlias: Handler = (ctx, input) => {
  const name: string = input.AliasName;
  checkAliasName(name, false);
  const alias = findAlias(ctx, name);
  const key = ctx.store.findPartition(ctx.account, ctx.region)?.keys.get(alias.targetKeyId);
  if (key) ctx.authorize('kms:DeleteAlias', key);
  authorizeAliasResource(ctx, 'kms:DeleteAlias', name);
  ctx.tx.removeAlias(alias);
  return {};
};
