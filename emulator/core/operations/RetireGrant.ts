import { decide } from '../authz.js';
import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { GRANT_ID } from '../grants.js';
import type { GrantRecord, KeyRecord } from '../store.js';

/**
 * Retires a grant, by token or by key and grant id. Allowed for the grant's retiring principal, its
 * grantee when the grant includes RetireGrant, the account that issued it, and principals whose
 * key policy or identity policy allows kms:RetireGrant.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_RetireGrant.html
 */
export const RetireGrant: Handler = (ctx, input) => {
  let key: KeyRecord | undefined;
  let grant: GrantRecord | undefined;
  if (input.GrantToken !== undefined) {
    const ref = ctx.store.grantTokens.get(input.GrantToken);
    if (!ref) throw new KmsError('InvalidGrantTokenException', 'The grant token is not valid or its grant no longer exists.');
    key = ctx.store.byArn.get(ref.keyArn);
    grant = key?.grants.get(ref.grantId);
  } else if (input.KeyId !== undefined && input.GrantId !== undefined) {
    if (!GRANT_ID.test(input.GrantId)) throw new KmsError('InvalidGrantIdException', `Invalid grant ID: ${input.GrantId}`);
    key = ctx.resolveKey(input.KeyId, { allowAlias: false });
    grant = key.grants.get(input.GrantId);
    if (!grant) throw new KmsError('NotFoundException', `Grant ID ${input.GrantId} not found for ${key.arn}`);
  } else {
    throw new KmsError('ValidationException', 'RetireGrant needs either GrantToken, or both KeyId and GrantId.');
  }
  if (!key || !grant) throw new KmsError('NotFoundException', 'The grant no longer exists.');
  ctx.audit.resources.push(key.arn);
  ctx.audit.grantId = grant.grantId;
  const c = ctx.caller;
  const permitted =
    grant.retiringPrincipal === c.arn ||
    (grant.granteePrincipal === c.arn && grant.operations.includes('RetireGrant')) ||
    (c.isRoot && grant.issuingAccount === `arn:aws:iam::${c.account}:root`) ||
    decide({ caller: c, action: 'kms:RetireGrant', key, now: ctx.now, grantLagMs: ctx.core.grantLagMs }).allowed;
  if (!permitted) {
    throw new KmsError('AccessDeniedException', `User: ${c.arn} is not authorized to perform: kms:RetireGrant on resource: ${key.arn} because it is neither the grant's retiring principal, nor its grantee with RetireGrant, nor its issuing account, and no policy allows kms:RetireGrant`);
  }
  ctx.dryRun(input);
  ctx.tx.removeGrant(key, grant);
  return {};
};
