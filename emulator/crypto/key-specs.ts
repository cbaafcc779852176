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
  | 'ECC_NIST_EDWARDS25519'
  | 'HMAC_224'
  | 'HMAC_256'
  | 'HMAC_384'
  | 'HMAC_512';
export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';

export interface SpecInfo {
  /** `eddsa` is ECC_NIST_EDWARDS25519: an elliptic curve key, but Ed25519 rather than ECDSA. */
  family: 'symmetric' | 'rsa' | 'ecc' | 'eddsa' | 'hmac';
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
  // The NIST curves also derive shared secrets (KEY_AGREEMENT); secp256k1 and Ed25519 only sign.
  ECC_NIST_P256: { family: 'ecc', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'prime256v1', hash: 'sha256' },
  ECC_NIST_P384: { family: 'ecc', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'secp384r1', hash: 'sha384' },
  ECC_NIST_P521: { family: 'ecc', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'secp521r1', hash: 'sha512' },
  ECC_SECG_P256K1: { family: 'ecc', usages: ['SIGN_VERIFY'], curve: 'secp256k1', hash: 'sha256' },
  ECC_NIST_EDWARDS25519: { family: 'eddsa', usages: ['SIGN_VERIFY'], hash: 'sha512' },
  HMAC_224: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], bits: 224, hash: 'sha224' },
  HMAC_256: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], bits: 256, hash: 'sha256' },
  HMAC_384: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], bits: 384, hash: 'sha384' },
  HMAC_512: { family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], bits: 512, hash: 'sha512' },
};

export const isSupportedKeySpec = (s: string): s is KeySpecName => Object.prototype.hasOwnProperty.call(KEY_SPECS, s);

/**
 * Key specs of the API model that node:crypto on node 20 cannot serve, and why (README's
 * unsupported list says the same).
 */
export const UNSERVABLE_KEY_SPECS: Readonly<Record<string, string>> = {
  SM2: 'SM2 (China Regions only) signs with SM2DSA and encrypts with SM2PKE, which node:crypto does not expose',
  ML_DSA_44: 'ML-DSA needs a node:crypto with ML-DSA (OpenSSL 3.5, node 24), not node 20',
  ML_DSA_65: 'ML-DSA needs a node:crypto with ML-DSA (OpenSSL 3.5, node 24), not node 20',
  ML_DSA_87: 'ML-DSA needs a node:crypto with ML-DSA (OpenSSL 3.5, node 24), not node 20',
};

export interface KeyAlgorithms {
  EncryptionAlgorithms?: string[];
  SigningAlgorithms?: string[];
  MacAlgorithms?: string[];
  KeyAgreementAlgorithms?: string[];
}

/** The algorithms DescribeKey lists for a spec and usage. */
export function algorithmsFor(spec: KeySpecName, usage: KeyUsage): KeyAlgorithms {
  const info = KEY_SPECS[spec];
  if (info.family === 'symmetric') return { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] };
  if (info.family === 'hmac') return { MacAlgorithms: [`HMAC_SHA_${info.bits}`] };
  if (usage === 'KEY_AGREEMENT') return { KeyAgreementAlgorithms: ['ECDH'] };
  if (info.family === 'eddsa') return { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] };
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

export type KeyPairSpecName = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1' | 'ECC_NIST_EDWARDS25519';
export const isAsymmetricSpec = (s: KeySpecName): boolean => {
  const f = KEY_SPECS[s].family;
  return f === 'rsa' || f === 'ecc' || f === 'eddsa';
};
export const isSupportedKeyPairSpec = (s: string): s is KeyPairSpecName => isSupportedKeySpec(s) && isAsymmetricSpec(s);

/** A fresh asymmetric pair: PKCS#8 DER private key and SPKI DER public key. */
export function generatePair(spec: KeySpecName): { privateKey: Buffer; publicKey: Buffer } {
  const info = KEY_SPECS[spec];
  const pair =
    info.family === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: info.bits!, publicExponent: 65537 })
      : info.family === 'eddsa'
        ? generateKeyPairSync('ed25519')
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


/**
 * Why key material does not fit a key spec (undefined when it fits): 32 bytes for symmetric keys,
 * the HMAC key length, or a PKCS#8 DER private key of the spec's type, size or curve. Seed files
 * and ImportKeyMaterial both check material with it.
 */
export function materialProblem(spec: KeySpecName, m: Buffer): string | undefined {
  const info = KEY_SPECS[spec];
  if (info.family === 'symmetric') return m.length === 32 ? undefined : `symmetric key material must be 32 bytes, got ${m.length}`;
  if (info.family === 'hmac') return m.length === info.bits! / 8 ? undefined : `${spec} key material must be ${info.bits! / 8} bytes, got ${m.length}`;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: m, format: 'der', type: 'pkcs8' });
  } catch {
    return `${spec} key material must be a PKCS#8 DER private key`;
  }
  const d = key.asymmetricKeyDetails ?? {};
  const fits =
    info.family === 'rsa' ? key.asymmetricKeyType === 'rsa' && d.modulusLength === info.bits : info.family === 'eddsa' ? key.asymmetricKeyType === 'ed25519' : key.asymmetricKeyType === 'ec' && d.namedCurve === info.curve;
  return fits ? undefined : `${spec} key material must be a PKCS#8 DER ${info.family === 'rsa' ? `${info.bits}-bit RSA` : info.family === 'eddsa' ? 'Ed25519' : info.curve} private key, got ${key.asymmetricKeyType}${d.modulusLength ? ` ${d.modulusLength}-bit` : ''}${d.namedCurve ? ` ${d.namedCurve}` : ''}`;
}

/** Asymmetric material in the one form kmskit keeps: PKCS#8 DER as node:crypto exports it. */
export function normalizeMaterial(spec: KeySpecName, m: Buffer): Buffer {
  return isAsymmetricSpec(spec) ? createPrivateKey({ key: m, format: 'der', type: 'pkcs8' }).export({ format: 'der', type: 'pkcs8' }) : m;
}

/** Digest lengths in bytes, by node:crypto hash name. */
export const HASH_LEN: Record<string, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };
