import { authorizeAliasResource, checkAliasName } from '../aliases.js';
import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { aliasArn } from '../store.js';

/** Creates an alias for a key in the caller's account and region. https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html */
export const CreateAlias: Handler = (ctx, input) => {
  const name: string = input.AliasName;
  checkAliasName(name, true);
  const key = ctx.resolveKey(input.TargetKeyId, { allowAlias: false, member: 'TargetKeyId' });
  if (key.account !== ctx.account) throw new KmsError('NotFoundException', `Key '${key.arn}' does not exist`);
  ctx.authorize('kms:CreateAlias', key);
  authorizeAliasResource(ctx, 'kms:CreateAlias', name);
  ctx.requireNotPendingDeletion(key);
  const arn = aliasArn(ctx.region, ctx.account, name);
  if (ctx.store.findPartition(ctx.account, ctx.region)?.aliases.has(name)) throw new KmsError('AlreadyExistsException', `An alias with the name ${arn} already exists`);
  ctx.tx.addAlias({ name, arn, account: ctx.account, region: ctx.region, targetKeyId: key.id, createdAt: ctx.now, updatedAt: ctx.now });
  return {};
};
