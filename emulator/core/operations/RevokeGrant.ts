import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { GRANT_ID } from '../grants.js';

/** Revokes a grant; needs kms:RevokeGrant from a policy (a grant cannot allow it). https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html */
export const RevokeGrant: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:RevokeGrant', key);
  if (!GRANT_ID.test(input.GrantId)) throw new KmsError('InvalidGrantIdException', `Invalid grant ID: ${input.GrantId}`);
  const grant = key.grants.get(input.GrantId);
  if (!grant) throw new KmsError('NotFoundException', `Grant ID ${input.GrantId} not found for ${key.arn}`);
  ctx.dryRun(input);
  ctx.audit.grantId = grant.grantId;
  ctx.tx.removeGrant(key, grant);
  return {};
};
