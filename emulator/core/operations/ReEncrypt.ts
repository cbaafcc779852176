import { openCiphertext } from '../ciphertext.js';
import type { Handler } from '../context.js';
import { parseBlob } from '../../crypto/index.js';
import { KmsError } from '../errors.js';
import { sealPlaintext } from '../seal-plaintext.js';

/**
 * Decrypts under the source key and encrypts under the destination key's newest material — the
 * same key after a rotation, or another key — without exposing the plaintext.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html
 */
export const ReEncrypt: Handler = (ctx, input) => {
  if (!input.CiphertextBlob) throw new KmsError('ValidationException', "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  const dest = ctx.resolveKey(input.DestinationKeyId);
  const destAlgorithm: string = input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  const sourceId = parseBlob(input.CiphertextBlob)?.keyId ?? (input.SourceKeyId !== undefined ? ctx.resolveKey(input.SourceKeyId).id : undefined);
  const sameKey = sourceId === dest.id;
  const opened = openCiphertext(ctx, {
    blob: input.CiphertextBlob,
    encryptionContext: input.SourceEncryptionContext,
    keyId: input.SourceKeyId,
    algorithm: input.SourceEncryptionAlgorithm,
    grantTokens: input.GrantTokens,
    action: 'kms:ReEncryptFrom',
    grantOperation: 'ReEncryptFrom',
    context: { 'kms:ReEncryptOnSameKey': String(sameKey) },
  });
  ctx.authorize('kms:ReEncryptTo', dest, {
    grantOperation: 'ReEncryptTo',
    encryptionContext: input.DestinationEncryptionContext,
    grantTokens: input.GrantTokens,
    context: { 'kms:EncryptionAlgorithm': destAlgorithm, 'kms:ReEncryptOnSameKey': String(sameKey), ...ctx.requestAliasContext(input.DestinationKeyId) },
  });
  ctx.requireUsable(dest);
  const sealed = sealPlaintext(dest, opened.plaintext, destAlgorithm, input.DestinationEncryptionContext, 'ReEncrypt');
  ctx.dryRun(input);
  return {
    CiphertextBlob: sealed.blob,
    SourceKeyId: opened.key.arn,
    KeyId: dest.arn,
    SourceEncryptionAlgorithm: opened.algorithm,
    DestinationEncryptionAlgorithm: destAlgorithm,
    ...(opened.materialId ? { SourceKeyMaterialId: opened.materialId } : {}),
    ...(sealed.materialId ? { DestinationKeyMaterialId: sealed.materialId } : {}),
  };
};
