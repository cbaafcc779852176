/**
 * Wrapping keys for imported key material (GetParametersForImport / ImportKeyMaterial): RSA key
 * pairs per wrapping key spec, and unwrapping with every algorithm AWS accepts outside China:
 *
 * - RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256: the material itself under RSA-OAEP (SHA-1 or SHA-256
 *   for both the OAEP hash and MGF1);
 * - RSA_AES_KEY_WRAP_SHA_1 / RSA_AES_KEY_WRAP_SHA_256: an ephemeral AES-256 key under RSA-OAEP
 *   (same hashes), followed by the material under that key with AES key wrap with padding
 *   (RFC 5649, PKCS#11's CKM_RSA_AES_KEY_WRAP), as the developer guide's OpenSSL steps build it.
 *
 * RSAES_PKCS1_V1_5 is refused (AWS stopped accepting it on 10 October 2023), and the SM2 wrapping
 * key spec and SM2PKE algorithm exist only in China Regions.
 */
import { constants, createDecipheriv, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';

export const WRAPPING_KEY_BITS: Readonly<Record<string, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const OAEP_HASH: Readonly<Record<string, string>> = {
  RSAES_OAEP_SHA_1: 'sha1',
  RSAES_OAEP_SHA_256: 'sha256',
  RSA_AES_KEY_WRAP_SHA_1: 'sha1',
  RSA_AES_KEY_WRAP_SHA_256: 'sha256',
};
export const isWrappingAlgorithm = (a: string): boolean => Object.prototype.hasOwnProperty.call(OAEP_HASH, a);

export interface WrappingKey {
  privateKey: KeyObject;
  /** SPKI DER, what GetParametersForImport returns as PublicKey. */
  publicKey: Buffer;
}

/**
 * A fresh RSA wrapping key pair. Generating RSA_4096 takes a noticeable fraction of a second, so the
 * import state keeps one pair per wrapping key spec and reuses it (AWS's wrapping public key is
 * likewise unique to the account, not to the request); each import token still binds its own
 * KMS key, algorithm and expiry.
 */
export function newWrappingKey(spec: string): WrappingKey {
  const pair = generateKeyPairSync('rsa', { modulusLength: WRAPPING_KEY_BITS[spec]!, publicExponent: 65537 });
  return { privateKey: pair.privateKey, publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }) };
}

/** AES-KWP's alternative initial value (RFC 5649 §3), which node's id-aes256-wrap-pad wants as its IV. */
const KWP_IV = Buffer.from('a65959a6', 'hex');

/** Unwrap imported key material; undefined when it does not decrypt under this key and algorithm. */
export function unwrapKeyMaterial(key: WrappingKey, algorithm: string, wrapped: Buffer): Buffer | undefined {
  const oaepHash = OAEP_HASH[algorithm];
  if (!oaepHash) return undefined;
  const rsa = (ct: Buffer): Buffer => privateDecrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ct);
  try {
    if (algorithm.startsWith('RSAES_OAEP')) return rsa(wrapped);
    const k = key.privateKey.asymmetricKeyDetails!.modulusLength! / 8;
    if (wrapped.length <= k) return undefined;
    const aesKey = rsa(wrapped.subarray(0, k));
    if (aesKey.length !== 32) return undefined;
    const d = createDecipheriv('id-aes256-wrap-pad', aesKey, KWP_IV);
    return Buffer.concat([d.update(wrapped.subarray(k)), d.final()]);
  } catch {
    return undefined;
  }
}
