import type { Handler } from '../context.js';
import { hmac, macEquals } from '../../crypto/index.js';
import { KmsError } from '../errors.js';
import { prepareMac } from '../mac.js';

/** Verifies an HMAC in constant time; a mismatch is KMSInvalidMacException. https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html */
export const VerifyMac: Handler = (ctx, input) => {
  const key = prepareMac(ctx, input, 'VerifyMac');
  ctx.dryRun(input);
  if (!macEquals(hmac(key.spec, key.versions[0]!.material, input.Message), input.Mac)) throw new KmsError('KMSInvalidMacException', 'The MAC verification failed.');
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
};
