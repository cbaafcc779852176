/** Signing and verification for RSA (PSS, PKCS#1 v1.5), ECDSA and Ed25519 keys, over RAW messages or DIGESTs. */
import { constants, createHash, createPublicKey, privateEncrypt, publicDecrypt, randomBytes, sign as nodeSign, timingSafeEqual, verify as nodeVerify } from 'node:crypto';
import { ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa-digest.js';
import { ed25519phSign, ed25519phVerify } from './ed25519ph.js';
import { HASH_LEN, KEY_SPECS, privateKeyOf, type KeySpecName } from './key-specs.js';

export const SIGNING_HASH: Record<string, string> = {
  RSASSA_PSS_SHA_256: 'sha256',
  RSASSA_PSS_SHA_384: 'sha384',
  RSASSA_PSS_SHA_512: 'sha512',
  RSASSA_PKCS1_V1_5_SHA_256: 'sha256',
  RSASSA_PKCS1_V1_5_SHA_384: 'sha384',
  RSASSA_PKCS1_V1_5_SHA_512: 'sha512',
  ECDSA_SHA_256: 'sha256',
  ECDSA_SHA_384: 'sha384',
  ECDSA_SHA_512: 'sha512',
  ED25519_SHA_512: 'sha512',
  ED25519_PH_SHA_512: 'sha512',
};

/**
 * The message type an algorithm requires, where it requires one: Ed25519 (PureEdDSA) signs the
 * message itself, Ed25519ph a SHA-512 digest (Sign's MessageType documentation in the API model).
 */
export const REQUIRED_MESSAGE_TYPE: Readonly<Record<string, 'RAW' | 'DIGEST'>> = { ED25519_SHA_512: 'RAW', ED25519_PH_SHA_512: 'DIGEST' };
export const digestLength = (algorithm: string): number => HASH_LEN[SIGNING_HASH[algorithm]!]!;

const DIGEST_INFO: Record<string, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const h = createHash(hash).update(seed).update(c).digest();
    out.push(h);
    total += h.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

function modulusBits(material: Buffer): number {
  return createPublicKey(privateKeyOf(material)).asymmetricKeyDetails!.modulusLength!;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) over a precomputed digest, salt length = hash length as AWS uses. */
function pssEncode(digest: Buffer, hash: string, modBits: number): Buffer {
  const hLen = digest.length;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - 2 * hLen - 2] = 0x01;
  salt.copy(db, emLen - 2 * hLen - 1);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const k = Math.ceil(modBits / 8);
  return em.length < k ? Buffer.concat([Buffer.alloc(k - em.length), em]) : em;
}

/** EMSA-PSS-VERIFY with salt length = hash length. */
function pssVerify(digest: Buffer, em0: Buffer, hash: string, modBits: number): boolean {
  const hLen = digest.length;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const em = em0.subarray(em0.length - emLen);
  if (em0.length > emLen && em0.subarray(0, em0.length - emLen).some((b) => b !== 0)) return false;
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const masked = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if ((masked[0]! & ~(0xff >> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const mask = mgf1(h, masked.length, hash);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i]!;
  masked[0]! &= 0xff >> (8 * emLen - emBits);
  const psLen = emLen - 2 * hLen - 2;
  for (let i = 0; i < psLen; i++) if (masked[i] !== 0) return false;
  if (masked[psLen] !== 0x01) return false;
  const salt = masked.subarray(masked.length - hLen);
  const h2 = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return timingSafeEqual(h, h2);
}

/**
 * Sign a message (RAW: hashed here) or a digest (DIGEST: the caller hashed). Node signs only what it
 * hashes itself, so DIGEST signing is done from the primitives: PKCS#1 v1.5 as a DigestInfo under
 * the private-key operation, PSS through EMSA-PSS encoding, ECDSA in ecdsa-digest below.
 */
export function signMessage(spec: KeySpecName, material: Buffer, algorithm: string, messageType: 'RAW' | 'DIGEST', message: Buffer): Buffer {
  const hash = SIGNING_HASH[algorithm]!;
  const key = privateKeyOf(material);
  const family = KEY_SPECS[spec].family;
  // ED25519_SHA_512 is RAW only and ED25519_PH_SHA_512 DIGEST only (checked before this).
  if (family === 'eddsa') return algorithm === 'ED25519_PH_SHA_512' ? ed25519phSign(key, message) : nodeSign(null, message, key);
  if (messageType === 'RAW') {
    if (family === 'ecc') return nodeSign(hash, message, { key, dsaEncoding: 'der' });
    const pss = algorithm.startsWith('RSASSA_PSS');
    return nodeSign(hash, message, pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LEN[hash]! } : { key, padding: constants.RSA_PKCS1_PADDING });
  }
  if (family === 'ecc') return ecdsaSignDigest(key, message);
  if (algorithm.startsWith('RSASSA_PSS')) {
    return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, pssEncode(message, hash, modulusBits(material)));
  }
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[hash]!, message]));
}

export function verifyMessage(spec: KeySpecName, material: Buffer, algorithm: string, messageType: 'RAW' | 'DIGEST', message: Buffer, signature: Buffer): boolean {
  const hash = SIGNING_HASH[algorithm]!;
  const pub = createPublicKey(privateKeyOf(material));
  const family = KEY_SPECS[spec].family;
  try {
    if (family === 'eddsa') return algorithm === 'ED25519_PH_SHA_512' ? ed25519phVerify(pub, message, signature) : nodeVerify(null, message, pub, signature);
    if (messageType === 'RAW') {
      if (family === 'ecc') return nodeVerify(hash, message, { key: pub, dsaEncoding: 'der' }, signature);
      const pss = algorithm.startsWith('RSASSA_PSS');
      return nodeVerify(hash, message, pss ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LEN[hash]! } : { key: pub, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    if (family === 'ecc') return ecdsaVerifyDigest(pub, message, signature);
    const modBits = modulusBits(material);
    if (signature.length !== Math.ceil(modBits / 8)) return false;
    if (algorithm.startsWith('RSASSA_PSS')) return pssVerify(message, publicDecrypt({ key: pub, padding: constants.RSA_NO_PADDING }, signature), hash, modBits);
    const expected = Buffer.concat([DIGEST_INFO[hash]!, message]);
    const got = publicDecrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, signature);
    return got.length === expected.length && timingSafeEqual(got, expected);
  } catch {
    return false;
  }
}
