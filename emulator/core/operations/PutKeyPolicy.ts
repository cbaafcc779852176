import { lockoutCheck, parseKeyPolicy, type Handler } from '../context.js';
import { KmsError } from '../errors.js';

/**
 * Replaces the key policy, after the lockout safety check unless BypassPolicyLockoutSafetyCheck.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
 */
export const PutKeyPolicy: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:PutKeyPolicy', key);
  const name = input.PolicyName ?? 'default';
  if (name !== 'default') throw new KmsError('NotFoundException', `No such policy exists: ${name}. The only key policy name is "default".`);
  const parsed = parseKeyPolicy(input.Policy);
  lockoutCheck(ctx, key, parsed, input.BypassPolicyLockoutSafetyCheck);
  const k = ctx.tx.touchKey(key);
  k.policy = input.Policy;
  k.parsedPolicy = parsed;
  return {};
};
