import { openCiphertext } from '../ciphertext.js';
import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';

/**
 * Decrypts a ciphertext: the encryption context must match exactly (InvalidCiphertextException
 * otherwise), a KeyId that is not the ciphertext's key is IncorrectKeyException.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
 */
export const Decrypt: Handler = (ctx, input) => {
  if (input.Recipient) throw new KmsError('ValidationException', 'Recipient (attested Nitro Enclaves requests) is not supported by kmskit.');
  if (!input.CiphertextBlob) throw new KmsError('ValidationException', "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  const opened = openCiphertext(ctx, {
    blob: input.CiphertextBlob,
    encryptionContext: input.EncryptionContext,
    keyId: input.KeyId,
    algorithm: input.EncryptionAlgorithm,
    grantTokens: input.GrantTokens,
    action: 'kms:Decrypt',
    grantOperation: 'Decrypt',
  });
  ctx.dryRun(input);
  if (input.EncryptionContext) ctx.audit.encryptionContext = input.EncryptionContext;
  return { KeyId: opened.key.arn, Plaintext: opened.plaintext, EncryptionAlgorithm: opened.algorithm, ...(opened.materialId ? { KeyMaterialId: opened.materialId } : {}) };
};
