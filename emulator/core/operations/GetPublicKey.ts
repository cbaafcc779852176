import { onlyMaterial } from '../store.js';
import type { Handler } from '../context.js';
import { algorithmsFor, publicKeyDer } from '../../crypto/index.js';
import { KmsError } from '../errors.js';

/** The SPKI DER public key of an RSA or ECC key. https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html */
export const GetPublicKey: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId);
  ctx.authorize('kms:GetPublicKey', key, { grantOperation: 'GetPublicKey', grantTokens: input.GrantTokens, context: ctx.requestAliasContext(input.KeyId) });
  ctx.requireUsable(key);
  if (key.spec === 'SYMMETRIC_DEFAULT' || key.spec.startsWith('HMAC')) throw new KmsError('UnsupportedOperationException', `${key.arn} is a ${key.spec} key; GetPublicKey is valid only for asymmetric keys.`);
  return { KeyId: key.arn, PublicKey: publicKeyDer(onlyMaterial(key)), CustomerMasterKeySpec: key.spec, KeySpec: key.spec, KeyUsage: key.usage, ...algorithmsFor(key.spec, key.usage) };
};
