import { onlyMaterial } from '../store.js';
import type { Handler } from '../context.js';
import { signMessage } from '../../crypto/index.js';
import { prepareSigning } from '../signing.js';

/** Signs a message (RAW, ≤ 4096 bytes) or digest (DIGEST, exactly the hash length) with an asymmetric key. https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html */
export const Sign: Handler = (ctx, input) => {
  const { key, algorithm, messageType } = prepareSigning(ctx, input, 'Sign');
  ctx.dryRun(input);
  return { KeyId: key.arn, Signature: signMessage(key.spec, onlyMaterial(key), algorithm, messageType, input.Message), SigningAlgorithm: algorithm };
};
