/** RSA encryption (RSAES-OAEP) with AWS's plaintext limits. */
import { constants, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import { invalidCiphertext } from './blob.js';
import { HASH_LEN, KEY_SPECS, privateKeyOf, type KeySpecName } from './key-specs.js';

const OAEP_HASH: Record<string, string> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };

/** AWS's plaintext limit for RSA OAEP: k - 2·hLen - 2 (214/190, 342/318, 470/446 bytes). */
export function rsaPlaintextLimit(spec: KeySpecName, algorithm: string): number {
  const k = KEY_SPECS[spec].bits! / 8;
  return k - 2 * HASH_LEN[OAEP_HASH[algorithm]!]! - 2;
}

export function rsaEncrypt(material: Buffer, algorithm: string, plaintext: Buffer): Buffer {
  return publicEncrypt({ key: createPublicKey(privateKeyOf(material)), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm]! }, plaintext);
}

export function rsaDecrypt(material: Buffer, algorithm: string, ciphertext: Buffer): Buffer {
  try {
    return privateDecrypt({ key: privateKeyOf(material), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm]! }, ciphertext);
  } catch {
    throw invalidCiphertext(`RSA-OAEP decryption with ${algorithm} failed: the ciphertext was not made with this key and algorithm`);
  }
}

