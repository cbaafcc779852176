import type { Handler } from '../context.js';
import { isWrappingAlgorithm, WRAPPING_KEY_BITS } from '../../crypto/index.js';
import { KmsError } from '../errors.js';
import { IMPORT_TOKEN_TTL_MS, issueImportToken, requireExternal, wrappingKeyFor } from '../imported.js';

/**
 * The RSA wrapping public key and an import token (valid 24 hours on the emulator clock) for
 * importing key material into an EXTERNAL key, with any wrapping key spec (RSA_2048/3072/4096) and
 * algorithm (RSAES_OAEP_SHA_1/256, RSA_AES_KEY_WRAP_SHA_1/256) AWS accepts outside China.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html
 */
export const GetParametersForImport: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:GetParametersForImport', key, { context: { 'kms:WrappingAlgorithm': input.WrappingAlgorithm, 'kms:WrappingKeySpec': input.WrappingKeySpec } });
  requireExternal(key);
  ctx.requireNotPendingDeletion(key);
  const algorithm: string = input.WrappingAlgorithm;
  const spec: string = input.WrappingKeySpec;
  if (algorithm === 'RSAES_PKCS1_V1_5') throw new KmsError('ValidationException', 'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported (AWS KMS stopped accepting it on October 10, 2023); use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.');
  if (spec === 'SM2' || algorithm === 'SM2PKE') throw new KmsError('ValidationException', 'The SM2 wrapping key spec and the SM2PKE wrapping algorithm are available only in China Regions.');
  if (!isWrappingAlgorithm(algorithm) || !WRAPPING_KEY_BITS[spec]) throw new KmsError('ValidationException', `Wrapping algorithm ${algorithm} cannot be used with wrapping key spec ${spec}.`);
  const wrapping = wrappingKeyFor(ctx, spec);
  const validTo = ctx.now + IMPORT_TOKEN_TTL_MS;
  const token = issueImportToken(ctx, { keyArn: key.arn, wrappingAlgorithm: algorithm, wrappingKeySpec: spec, validTo });
  return { KeyId: key.arn, ImportToken: token, PublicKey: wrapping.publicKey, ParametersValidTo: new Date(validTo) };
};
