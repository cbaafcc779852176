import { authorizeAliasResource, checkAliasName, findAlias } from '../aliases.js';
import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { KEY_SPECS } from '../../crypto/index.js';

/**
 * Points an alias at another key of the same type and usage.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html
 */
export const UpdateAlias: Handler = (ctx, input) => {
  const name: string = input.AliasName;
  checkAliasName(name, false);
  const alias = findAlias(ctx, name);
  const target = ctx.resolveKey(input.TargetKeyId, { allowAlias: false, member: 'TargetKeyId' });
  const current = ctx.store.findPartition(ctx.account, ctx.region)?.keys.get(alias.targetKeyId);
  if (target.account !== ctx.account) throw new KmsError('NotFoundException', `Key '${target.arn}' does not exist`);
  if (current) ctx.authorize('kms:UpdateAlias', current);
  ctx.authorize('kms:UpdateAlias', target);
  authorizeAliasResource(ctx, 'kms:UpdateAlias', name);
  ctx.requireNotPendingDeletion(target);
  if (current && (KEY_SPECS[current.spec].family !== KEY_SPECS[target.spec].family || current.usage !== target.usage)) {
    throw new KmsError('ValidationException', `${target.arn} cannot replace the alias target: the new key must have the same key type and key usage (${current.spec}/${current.usage}) as ${current.arn}.`);
  }
  const a = ctx.tx.touchAlias(alias);
  a.targetKeyId = target.id;
  a.updatedAt = ctx.now;
  return {};
};
