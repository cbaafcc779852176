import { paginate, type Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { GRANT_ID, grantListEntry } from '../grants.js';

/** Lists a key's grants, optionally filtered by grant id or grantee. https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html */
export const ListGrants: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:ListGrants', key, { context: input.GranteePrincipal ? { 'kms:GranteePrincipal': input.GranteePrincipal } : {} });
  if (input.GrantId !== undefined && !GRANT_ID.test(input.GrantId)) throw new KmsError('InvalidGrantIdException', `Invalid grant ID: ${input.GrantId}`);
  const grants = [...key.grants.values()].filter((g) => (input.GrantId === undefined || g.grantId === input.GrantId) && (input.GranteePrincipal === undefined || g.granteePrincipal === input.GranteePrincipal));
  const { page, ...rest } = paginate(grants, input.Limit, input.Marker, 50);
  return { Grants: page.map((g) => grantListEntry(key, g)), ...rest };
};
