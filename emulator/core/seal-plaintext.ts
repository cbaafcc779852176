/** Encrypt for Encrypt, ReEncrypt and the data-key operations. */
import { currentVersion, type KeyRecord } from './store.js';
import { rsaEncrypt, rsaPlaintextLimit, symmetricEncrypt, type EncryptionContext } from '../crypto/index.js';
import { KmsError } from './errors.js';

export function sealPlaintext(key: KeyRecord, plaintext: Buffer, algorithm: string, ec: EncryptionContext | undefined): { blob: Buffer; materialId?: string } {
  if (key.usage !== 'ENCRYPT_DECRYPT') throw new KmsError('InvalidKeyUsageException', `${key.arn} key usage is ${key.usage} which is not valid for encryption.`);
  if (key.spec === 'SYMMETRIC_DEFAULT') {
    if (algorithm !== 'SYMMETRIC_DEFAULT') throw new KmsError('InvalidKeyUsageException', `The encryption algorithm ${algorithm} is not valid for ${key.arn}, a symmetric encryption key.`);
    const v = currentVersion(key);
    return { blob: symmetricEncrypt(v.material, key.id, v.version, plaintext, ec), materialId: v.materialId };
  }
  if (!algorithm.startsWith('RSAES_OAEP')) throw new KmsError('InvalidKeyUsageException', `The encryption algorithm ${algorithm} is not valid for ${key.arn} (${key.spec}); use RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256.`);
  if (ec && Object.keys(ec).length) throw new KmsError('ValidationException', 'EncryptionContext is supported only with symmetric encryption KMS keys.');
  const limit = rsaPlaintextLimit(key.spec, algorithm);
  if (plaintext.length > limit) throw new KmsError('ValidationException', `Plaintext is ${plaintext.length} bytes; ${key.spec} with ${algorithm} encrypts at most ${limit} bytes.`);
  return { blob: rsaEncrypt(key.versions[0]!.material, algorithm, plaintext) };
}
