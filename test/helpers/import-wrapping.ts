/**
 * Wrapping key material for ImportKeyMaterial the way the KMS developer guide's OpenSSL steps do,
 * with node:crypto only (an independent implementation of the client side, not the emulator's):
 * RSAES_OAEP_SHA_1/256 encrypt the material itself; RSA_AES_KEY_WRAP_SHA_1/256 encrypt an
 * ephemeral AES-256 key with RSA-OAEP and append the material under it with AES-KWP (RFC 5649).
 */
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';

export const WRAPPING_ALGORITHMS = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const;
export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;

export function wrapKeyMaterial(publicKeyDer: Uint8Array, algorithm: string, material: Buffer): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const rsa = (b: Buffer): Buffer => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, b);
  if (algorithm.startsWith('RSAES_OAEP')) return rsa(material);
  const aes = randomBytes(32);
  const kwp = createCipheriv('id-aes256-wrap-pad', aes, Buffer.from('a65959a6', 'hex'));
  return Buffer.concat([rsa(aes), kwp.update(material), kwp.final()]);
}
