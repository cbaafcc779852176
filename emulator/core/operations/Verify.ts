import type { Handler } from '../context.js';
import { verifyMessage } from '../../crypto/index.js';
import { KmsError } from '../errors.js';
import { prepareSigning } from '../signing.js';

/** Verifies a signature; an invalid one is KMSInvalidSignatureException, as in AWS. https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html */
export const Verify: Handler = (ctx, input) => {
  const { key, algorithm, messageType } = prepareSigning(ctx, input, 'Verify');
  ctx.dryRun(input);
  if (!verifyMessage(key.spec, key.versions[0]!.material, algorithm, messageType, input.Message, input.Signature)) {
    throw new KmsError('KMSInvalidSignatureException', 'The signature verification failed.');
  }
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
};
