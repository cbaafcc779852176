/** Alias name checks shared by CreateAlias, UpdateAlias and DeleteAlias. */
import type { RequestContext } from './context.js';
import { KmsError } from './errors.js';
import { aliasArn, type AliasRecord } from './store.js';

export function checkAliasName(name: string, creating: boolean): void {
  if (!name.startsWith('alias/') || name.length <= 'alias/'.length) {
    throw new KmsError('ValidationException', `1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must begin with "alias/" followed by a name`);
  }
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
