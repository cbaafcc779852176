/** Alias name checks shared by CreateAlias, UpdateAlias and DeleteAlias. */
import type { RequestContext } from './context.js';
import { KmsError } from './errors.js';
import { aliasArn, type AliasRecord } from './store.js';

export function checkAliasName(name: string, creating: boolean): void {
  // AWS's words, documentation link included (LocalStack's AWS-validated recording test_create_alias).
  if (!name.startsWith('alias/')) throw new KmsError('ValidationException', 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  if (name.length === 'alias/'.length) throw new KmsError('ValidationException', 'An alias name needs a name after the prefix "alias/".');
  if (creating && name.startsWith('alias/aws/')) throw new KmsError('NotAuthorizedException', `Alias names that begin with alias/aws/ are reserved for AWS managed keys: ${name}`);
}

export function findAlias(ctx: RequestContext, name: string): AliasRecord {
  const a = ctx.store.findPartition(ctx.account, ctx.region)?.aliases.get(name);
  if (!a) throw new KmsError('NotFoundException', `Alias ${aliasArn(ctx.region, ctx.account, name)} is not found.`);
  return a;
}

/** Aliases are IAM resources too: a principal other than the root needs an identity policy for them. */
export function authorizeAliasResource(ctx: RequestContext, action: string, alias: string): void {
  if (!ctx.caller.isRoot) ctx.authorize(action, undefined, { resource: aliasArn(ctx.region, ctx.account, alias) });
}
