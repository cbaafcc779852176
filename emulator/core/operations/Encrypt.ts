import type { Handler } from '../context.js';
import { sealPlaintext } from '../seal-plaintext.js';

/**
 * Encrypts up to 4096 bytes under a symmetric key's newest material (AES-256-GCM, context bound as
 * AAD), or with an RSA key's public key (OAEP).
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html
 */
export const Encrypt: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId);
  const algorithm: string = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  ctx.authorize('kms:Encrypt', key, {
    grantOperation: 'Encrypt',
    encryptionContext: input.EncryptionContext,
    grantTokens: input.GrantTokens,
    context: { 'kms:EncryptionAlgorithm': algorithm, ...ctx.requestAliasContext(input.KeyId) },
  });
  ctx.requireUsable(key);
  const { blob } = sealPlaintext(key, input.Plaintext, algorithm, input.EncryptionContext, 'Encrypt');
  ctx.dryRun(input);
  if (input.EncryptionContext) ctx.audit.encryptionContext = input.EncryptionContext;
  return { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: algorithm };
};
