import { onlyMaterial } from '../store.js';
import type { Handler } from '../context.js';
import { verifyMessage } from '../../crypto/index.js';
import { silentError } from '../errors.js';
import { prepareSigning } from '../signing.js';

/** Verifies a signature; an invalid one is KMSInvalidSignatureException without a message, as AWS sends it (LocalStack's AWS-validated recordings test_sign_verify). https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html */
export const Verify: Handler = (ctx, input) => {
  const { key, algorithm, messageType } = prepareSigning(ctx, input, 'Verify');
  ctx.dryRun(input);
  if (!verifyMessage(key.spec, onlyMaterial(key), algorithm, messageType, input.Message, input.Signature)) {
    throw silentError('KMSInvalidSignatureException', 'kmskit: the signature does not verify for this message, key and algorithm');
  }
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
};
