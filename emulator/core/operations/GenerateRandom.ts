import { randomBytes } from 'node:crypto';
import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';

/** 1–1024 random bytes. https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html */
export const GenerateRandom: Handler = (ctx, input) => {
  if (input.CustomKeyStoreId) throw new KmsError('CustomKeyStoreNotFoundException', `Custom key store ${input.CustomKeyStoreId} does not exist (kmskit does not emulate custom key stores).`);
  if (input.Recipient) throw new KmsError('UnsupportedOperationException', 'Recipient (attested Nitro Enclaves requests) is not supported by kmskit.');
  // AWS's words (LocalStack's AWS-validated recording test_generate_random_invalid_number_of_bytes[None]).
  if (input.NumberOfBytes === undefined) throw new KmsError('ValidationException', 'NumberOfBytes is required.');
  ctx.authorize('kms:GenerateRandom', undefined, { resource: '*' });
  return { Plaintext: randomBytes(input.NumberOfBytes) };
};
