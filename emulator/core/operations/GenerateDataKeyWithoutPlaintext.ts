import type { Handler } from '../context.js';
import { generateDataKey } from '../datakeys.js';

/** A data key, encrypted only. https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html */
export const GenerateDataKeyWithoutPlaintext: Handler = (ctx, input) => {
  const { Plaintext: _secret, ...rest } = generateDataKey(ctx, input, 'GenerateDataKeyWithoutPlaintext');
  return rest;
};
