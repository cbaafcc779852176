import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';

/** Returns the key policy (its only name is `default`). https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html */
export const GetKeyPolicy: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:GetKeyPolicy', key);
  const name = input.PolicyName ?? 'default';
  if (name !== 'default') throw new KmsError('NotFoundException', `No such policy exists: ${name}. The only key policy name is "default".`);
  return { Policy: key.policy, PolicyName: 'default' };
};
