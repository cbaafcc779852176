/** The key specs the emulator serves, their usages and algorithms, and new key material for each. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

export type KeySpecName =
  | 'SYMMETRIC_DEFAULT'
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_NIST_P521'
  | 'ECC_SECG_P256K1'
  | 'HMAC_224'
  | 'HMAC_256'
  | 'HMAC_384'
  | 'HMAC_512';
export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC';

export interface SpecInfo {
  family: 'symmetric' | 'rsa' | 'ecc' | 'hmac';
  usages: KeyUsage[];
  bits?: number;
  curve?: string;
  hash?: string;
}

export const KEY_SPECS: Record<KeySpecName, SpecInfo> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: ['ENCRYPT_DECRYPT'] },
  RSA_2048: { family: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], bits: 2048 },
  RSA_3072: { family: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], bits: 3072 },
  RSA_4096: { family: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], bits: 4096 },
  ECC_NIST_P256: { family: 'ecc', usages: ['SIGN_VERIFY'], curve: 'prime256v1', hash: 'sha256' },
  ECC_NIST_P384: { family: 'ecc', usages: ['SIGN_VERIFY'], curve: 'secp384r1', hash: 'sha384' },
  ECC_NIST_P521: { family: 'ecc', usages: ['SIGN_VERIFY'], curve: 'secp521r1', hash: 'sha512' },
  ECC_SECG_P256K1: { family: 'ecc', usages: ['SIGN_VERIFY'], curve: 'secp256k1', hash: 'sha256' },
  HMAC_224: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], bits: 224, hash: 'sha224' },
  HMAC_256: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], bits: 256, hash: 'sha256' },
  HMAC_384: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], bits: 384, hash: 'sha384' },
  HMAC_512: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], bits: 512, hash: 'sha512' },
};

export const isSupportedKeySpec = (s: string): s is KeySpecName => Object.prototype.hasOwnProperty.call(KEY_SPECS, s);

/** The algorithms DescribeKey lists for a spec and usage. */
export function algorithmsFor(spec: KeySpecName, usage: KeyUsage): { EncryptionAlgorithms?: string[]; SigningAlgorithms?: string[]; MacAlgorithms?: string[] } {
  const info = KEY_SPECS[spec];
  if (info.family === 'symmetric') return { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] };
  if (info.family === 'hmac') return { MacAlgorithms: [`HMAC_SHA_${info.bits}`] };
  if (info.family === 'rsa') {
    return usage === 'ENCRYPT_DECRYPT'
      ? { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }
      : { SigningAlgorithms: ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'] };
  }
  return { SigningAlgorithms: [`ECDSA_SHA_${info.hash!.slice(3)}`] };
}

/**
 * New key material: 32 random bytes for symmetric keys, bits/8 random bytes for HMAC keys, and the
 * PKCS#8 DER private key for RSA and ECC keys.
 */
export function generateMaterial(spec: KeySpecName): Buffer {
  const info = KEY_SPECS[spec];
  if (info.family === 'symmetric') return randomBytes(32);
  if (info.family === 'hmac') return randomBytes(info.bits! / 8);
  return generatePair(spec).privateKey;
}

export type KeyPairSpecName = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1';
export const isSupportedKeyPairSpec = (s: string): s is KeyPairSpecName => isSupportedKeySpec(s) && (KEY_SPECS[s].family === 'rsa' || KEY_SPECS[s].family === 'ecc');

/** A fresh asymmetric pair: PKCS#8 DER private key and SPKI DER public key. */
export function generatePair(spec: KeySpecName): { privateKey: Buffer; publicKey: Buffer } {
  const info = KEY_SPECS[spec];
  const pair =
    info.family === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: info.bits!, publicExponent: 65537 })
      : generateKeyPairSync('ec', { namedCurve: info.curve! });
  return {
    privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }),
    publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }),
  };
}

/** The node:crypto private key of PKCS#8 DER material, parsed once per material buffer. */
const privateKeyCache = new WeakMap<Buffer, KeyObject>();
export function privateKeyOf(material: Buffer): KeyObject {
  let k = privateKeyCache.get(material);
  if (!k) {
    k = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
    privateKeyCache.set(material, k);
  }
  return k;
}

export function publicKeyDer(material: Buffer): Buffer {
  return createPublicKey(privateKeyOf(material)).export({ format: 'der', type: 'spki' });
}


/** Digest lengths in bytes, by node:crypto hash name. */
export const HASH_LEN: Record<string, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };
