import type { Handler } from '../context.js';
import { generateDataKeyPair } from '../datakeys.js';

/** A key pair whose private key is returned only encrypted. https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html */
export const GenerateDataKeyPairWithoutPlaintext: Handler = (ctx, input) => {
  const { PrivateKeyPlaintext: _secret, ...rest } = generateDataKeyPair(ctx, input, 'GenerateDataKeyPairWithoutPlaintext');
  return rest;
};
