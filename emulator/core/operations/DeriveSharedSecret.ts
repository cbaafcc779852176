import type { Handler } from '../context.js';
import { ecdhSharedSecret, peerPublicKey } from '../../crypto/index.js';
import { KmsError, silentError } from '../errors.js';
import { onlyMaterial } from '../store.js';

/**
 * ECDH between a KEY_AGREEMENT key's private key and a peer's public key (SPKI DER, same curve):
 * the raw shared secret, as `crypto.diffieHellman` or `openssl pkeyutl -derive` compute it. A
 * public key that is not one is ValidationException without a message, as AWS sends it
 * (LocalStack's AWS-validated recording test_derive_shared_secret).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DeriveSharedSecret.html
 */
export const DeriveSharedSecret: Handler = (ctx, input) => {
  if (input.Recipient) throw new KmsError('ValidationException', 'Recipient (attested Nitro Enclaves requests) is not supported by kmskit.');
  const key = ctx.resolveKey(input.KeyId);
  ctx.authorize('kms:DeriveSharedSecret', key, {
    grantOperation: 'DeriveSharedSecret',
    grantTokens: input.GrantTokens,
    context: { 'kms:KeyAgreementAlgorithm': input.KeyAgreementAlgorithm, ...ctx.requestAliasContext(input.KeyId) },
  });
  ctx.requireUsable(key);
  ctx.requireUsage(key, 'KEY_AGREEMENT');
  const peer = peerPublicKey(key.spec, input.PublicKey);
  if (typeof peer === 'string') throw silentError('ValidationException', `kmskit: ${peer}`);
  ctx.dryRun(input);
  return { KeyId: key.arn, SharedSecret: ecdhSharedSecret(onlyMaterial(key), peer), KeyAgreementAlgorithm: 'ECDH', KeyOrigin: key.origin };
};
