import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { atLeastAsConstrained, newGrantId, newGrantToken, sameGrantParameters, validateGrantOperations } from '../grants.js';
import type { GrantConstraints, GrantRecord } from '../store.js';

const PRINCIPAL = /^(arn:aws[a-z-]*:(iam|sts)::\d{12}:.+|\d{12}|[a-z0-9.-]+\.amazonaws\.com(\.cn)?)$/;

/**
 * Creates a grant. Through a grant that allows CreateGrant, only a grant with a subset of its
 * operations and at least its constraints may be created. `Name` makes retries idempotent.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
 */
export const CreateGrant: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  const grantee: string = input.GranteePrincipal;
  const retiring: string | undefined = input.RetiringPrincipal;
  for (const [member, p] of [['GranteePrincipal', grantee], ['RetiringPrincipal', retiring]] as const) {
    if (p !== undefined && !PRINCIPAL.test(p)) throw new KmsError('ValidationException', `${member} is not a valid principal: ${p}`);
  }
  const operations: string[] = [...new Set<string>(input.Operations)];
  const constraints: GrantConstraints | undefined =
    input.Constraints && (input.Constraints.EncryptionContextEquals || input.Constraints.EncryptionContextSubset) ? input.Constraints : undefined;
  validateGrantOperations(key, operations, constraints);
  const context: Record<string, string | string[]> = {
    'kms:GranteePrincipal': grantee,
    'kms:GrantOperations': operations,
    'kms:GrantIsForAWSResource': ctx.caller.viaService ? 'true' : 'false',
  };
  if (retiring) context['kms:RetiringPrincipal'] = retiring;
  if (constraints?.EncryptionContextEquals) context['kms:GrantConstraintType'] = 'EncryptionContextEquals';
  else if (constraints?.EncryptionContextSubset) context['kms:GrantConstraintType'] = 'EncryptionContextSubset';
  ctx.authorize('kms:CreateGrant', key, {
    grantOperation: 'CreateGrant',
    grantTokens: input.GrantTokens,
    context,
    grantFilter: (parent) => atLeastAsConstrained(parent, operations, constraints),
  });
  ctx.requireUsable(key);
  ctx.dryRun(input);
  if (input.Name !== undefined) {
    for (const g of key.grants.values()) {
      if (g.name === input.Name && sameGrantParameters(g, grantee, retiring, operations, constraints)) return { GrantToken: g.token, GrantId: g.grantId };
    }
  }
  if (key.grants.size >= 50_000) throw new KmsError('LimitExceededException', `${key.arn} has reached the limit of 50000 grants.`);
  const grant: GrantRecord = {
    grantId: newGrantId(),
    token: newGrantToken(),
    ...(input.Name !== undefined ? { name: input.Name } : {}),
    granteePrincipal: grantee,
    ...(retiring !== undefined ? { retiringPrincipal: retiring } : {}),
    issuingAccount: `arn:aws:iam::${ctx.account}:root`,
    operations,
    ...(constraints ? { constraints } : {}),
    createdAt: ctx.now,
  };
  ctx.tx.addGrant(key, grant);
  ctx.audit.responseElements = { grantId: grant.grantId };
  return { GrantToken: grant.token, GrantId: grant.grantId };
};
