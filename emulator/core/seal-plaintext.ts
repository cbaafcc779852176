/** Encrypt for Encrypt, ReEncrypt and the data-key operations. */
import { currentVersion, onlyMaterial, type KeyRecord } from './store.js';
import { rsaEncrypt, rsaPlaintextLimit, symmetricEncrypt, type EncryptionContext } from '../crypto/index.js';
import { KmsError } from './errors.js';

/**
 * An algorithm the key spec does not support, in AWS's words (LocalStack's AWS-validated recording
 * test_invalid_generate_mac: "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.";
 * kmskit uses the same sentence for encryption and signing algorithms).
 */
export const incompatibleAlgorithm = (algorithm: string, spec: string): KmsError => new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${spec}.`);

/** `op` is the operation named in the wrong-usage message ("... which is not valid for Encrypt."). */
export function sealPlaintext(key: KeyRecord, plaintext: Buffer, algorithm: string, ec: EncryptionContext | undefined, op: string): { blob: Buffer; materialId?: string } {
  if (key.usage !== 'ENCRYPT_DECRYPT') throw new KmsError('InvalidKeyUsageException', `${key.arn} key usage is ${key.usage} which is not valid for ${op}.`);
  if (key.spec === 'SYMMETRIC_DEFAULT') {
    if (algorithm !== 'SYMMETRIC_DEFAULT') throw incompatibleAlgorithm(algorithm, key.spec);
    const v = currentVersion(key);
    return { blob: symmetricEncrypt(v.material, key.id, v.version, plaintext, ec), materialId: v.materialId };
  }
  if (!algorithm.startsWith('RSAES_OAEP')) throw incompatibleAlgorithm(algorithm, key.spec);
  if (ec && Object.keys(ec).length) throw new KmsError('ValidationException', 'EncryptionContext is supported only with symmetric encryption KMS keys.');
  const limit = rsaPlaintextLimit(key.spec, algorithm);
  // AWS's words (LocalStack's AWS-validated recordings test_encrypt_validate_plaintext_size_per_key_type).
  if (plaintext.length > limit) throw new KmsError('ValidationException', `Algorithm ${algorithm} and key spec ${key.spec} cannot encrypt data larger than ${limit} bytes.`);
  return { blob: rsaEncrypt(onlyMaterial(key), algorithm, plaintext) };
}
