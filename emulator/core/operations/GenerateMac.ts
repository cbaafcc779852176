import { onlyMaterial } from '../store.js';
import type { Handler } from '../context.js';
import { hmac } from '../../crypto/index.js';
import { prepareMac } from '../mac.js';

/** HMAC of a message with an HMAC key. https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html */
export const GenerateMac: Handler = (ctx, input) => {
  const key = prepareMac(ctx, input, 'GenerateMac');
  ctx.dryRun(input);
  return { Mac: hmac(key.spec, onlyMaterial(key), input.Message), MacAlgorithm: input.MacAlgorithm, KeyId: key.arn };
};
