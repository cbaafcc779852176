import { onlyMaterial } from '../store.js';
import type { Handler } from '../context.js';
import { hmac, macEquals } from '../../crypto/index.js';
import { silentError } from '../errors.js';
import { prepareMac } from '../mac.js';

/** Verifies an HMAC in constant time; a mismatch is KMSInvalidMacException without a message (LocalStack's AWS-validated recordings test_invalid_verify_mac). https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html */
export const VerifyMac: Handler = (ctx, input) => {
  const key = prepareMac(ctx, input, 'VerifyMac');
  ctx.dryRun(input);
  if (!macEquals(hmac(key.spec, onlyMaterial(key), input.Message), input.Mac)) throw silentError('KMSInvalidMacException', 'kmskit: the MAC does not verify for this message, key and algorithm');
  return { KeyId: key.arn, MacValid: true, MacAlgorithm: input.MacAlgorithm };
};
