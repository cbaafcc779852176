/** Shared by the data-key operations (GenerateDataKey*, GenerateDataKeyPair*). */
import { randomBytes } from 'node:crypto';
import type { RequestContext } from './context.js';
import { KmsError } from './errors.js';
import { sealPlaintext } from './seal-plaintext.js';
import { generatePair, isSupportedKeyPairSpec } from '../crypto/index.js';

/**
 * What every data-key operation does first: refuse what kmskit does not emulate, find the key, and
 * authorize the call with its encryption context, grant tokens and condition keys.
 */
function authorizedKey(ctx: RequestContext, input: Record<string, any>, action: string, conditionKeys: Record<string, string>): ReturnType<RequestContext['resolveKey']> {
  if (input.Recipient) throw new KmsError('ValidationException', 'Recipient (attested Nitro Enclaves requests) is not supported by kmskit.');
  const key = ctx.resolveKey(input.KeyId);
  ctx.authorize(`kms:${action}`, key, {
    grantOperation: action,
    encryptionContext: input.EncryptionContext,
    grantTokens: input.GrantTokens,
    context: { ...conditionKeys, 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT', ...ctx.requestAliasContext(input.KeyId) },
  });
  return key;
}

export function generateDataKey(ctx: RequestContext, input: Record<string, any>, action: string): { CiphertextBlob: Buffer; Plaintext: Buffer; KeyId: string; KeyMaterialId?: string } {
  const key = authorizedKey(ctx, input, action, {});
  if (input.KeySpec !== undefined && input.NumberOfBytes !== undefined) throw new KmsError('ValidationException', 'Specify either KeySpec or NumberOfBytes, not both.');
  if (input.KeySpec === undefined && input.NumberOfBytes === undefined) throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
  ctx.requireUsable(key);
  ctx.requireUsage(key, 'ENCRYPT_DECRYPT', action);
  ctx.requireSymmetric(key, action);
  const n: number = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
  const plaintext = randomBytes(n);
  const sealed = sealPlaintext(key, plaintext, 'SYMMETRIC_DEFAULT', input.EncryptionContext, action);
  ctx.dryRun(input);
  if (input.EncryptionContext) ctx.audit.encryptionContext = input.EncryptionContext;
  return { CiphertextBlob: sealed.blob, Plaintext: plaintext, KeyId: key.arn, ...(sealed.materialId ? { KeyMaterialId: sealed.materialId } : {}) };
}

export function generateDataKeyPair(ctx: RequestContext, input: Record<string, any>, action: string): { PrivateKeyCiphertextBlob: Buffer; PrivateKeyPlaintext: Buffer; PublicKey: Buffer; KeyId: string; KeyPairSpec: string; KeyMaterialId?: string } {
  const key = authorizedKey(ctx, input, action, { 'kms:DataKeyPairSpec': input.KeyPairSpec });
  const spec: string = input.KeyPairSpec;
  if (!isSupportedKeyPairSpec(spec)) throw new KmsError('UnsupportedOperationException', `KeyPairSpec ${spec} is not supported by kmskit.`);
  ctx.requireUsable(key);
  ctx.requireUsage(key, 'ENCRYPT_DECRYPT', action);
  ctx.requireSymmetric(key, action);
  ctx.dryRun(input);
  const pair = generatePair(spec);
  const sealed = sealPlaintext(key, pair.privateKey, 'SYMMETRIC_DEFAULT', input.EncryptionContext, action);
  if (input.EncryptionContext) ctx.audit.encryptionContext = input.EncryptionContext;
  return { PrivateKeyCiphertextBlob: sealed.blob, PrivateKeyPlaintext: pair.privateKey, PublicKey: pair.publicKey, KeyId: key.arn, KeyPairSpec: spec, ...(sealed.materialId ? { KeyMaterialId: sealed.materialId } : {}) };
}
