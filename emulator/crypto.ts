/**
 * Cryptography for the emulator, on node:crypto only.
 *
 * THE CIPHERTEXT BLOB FORMAT IS THIS PROJECT'S, NOT AWS'S. Real KMS ciphertexts are opaque and
 * undocumented; kmskit's blobs only have to round-trip through kmskit. Do not parse them elsewhere.
 *
 * Symmetric blob, version 1:
 *
 *   'K' 'K' | 0x01 | keyIdLen u8 | keyId (UTF-8) | backing version u32 BE | IV (12) | tag (16) | ciphertext
 *
 * AES-256-GCM with a random 96-bit IV per call. The AAD is the header (everything before the tag,
 * so the key id and version cannot be swapped) followed by the canonical encryption context: the
 * pair count, then each pair sorted by the UTF-8 bytes of its key, as u32-length-prefixed key and
 * value. Length prefixes make the encoding unambiguous — `{"a":"bc"}` and `{"ab":"c"}` encode
 * differently — unlike encodings that concatenate. The blob names neither account nor region, so
 * multi-Region related keys (same id, same material) decrypt each other's ciphertext.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  randomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { KmsError } from './errors.js';

export type EncryptionContext = Record<string, string>;

const MAGIC0 = 0x4b;
const MAGIC1 = 0x4b;
const FORMAT_VERSION = 1;
const IV_LEN = 12;
const TAG_LEN = 16;

/** Unambiguous canonical encoding of an encryption context (see module doc). */
export function canonicalContext(ec: EncryptionContext | undefined): Buffer {
  const keys = ec ? Object.keys(ec) : [];
  if (keys.length === 0) return EMPTY_CONTEXT;
  const pairs = keys.map((k) => [Buffer.from(k, 'utf8'), Buffer.from(ec![k]!, 'utf8')] as const);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  let size = 4;
  for (const [k, v] of pairs) size += 8 + k.length + v.length;
  const out = Buffer.allocUnsafe(size);
  out.writeUInt32BE(pairs.length, 0);
  let o = 4;
  for (const [k, v] of pairs) {
    out.writeUInt32BE(k.length, o);
    k.copy(out, o + 4);
    o += 4 + k.length;
    out.writeUInt32BE(v.length, o);
    v.copy(out, o + 4);
    o += 4 + v.length;
  }
  return out;
}
const EMPTY_CONTEXT = Buffer.alloc(4);

/**
 * 96-bit IVs drawn from a pool refilled from the CSPRNG: one randomBytes call per 341 IVs instead
 * of one per encryption (each IV is still fresh random output, never reused).
 */
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function freshIv(): Buffer {
  if (ivOffset + IV_LEN > ivPool.length) {
    ivPool = randomBytes(IV_LEN * 341);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_LEN);
  ivOffset += IV_LEN;
  return iv;
}

export interface ParsedBlob {
  keyId: string;
  version: number;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  header: Buffer;
}

/** Parse a symmetric blob; undefined when it is not one of ours. */
export function parseBlob(blob: Buffer): ParsedBlob | undefined {
  if (blob.length < 4 || blob[0] !== MAGIC0 || blob[1] !== MAGIC1 || blob[2] !== FORMAT_VERSION) return undefined;
  const idLen = blob[3]!;
  const headerLen = 4 + idLen + 4 + IV_LEN;
  if (blob.length < headerLen + TAG_LEN) return undefined;
  const keyId = blob.subarray(4, 4 + idLen).toString('utf8');
  const version = blob.readUInt32BE(4 + idLen);
  const iv = blob.subarray(4 + idLen + 4, headerLen);
  const tag = blob.subarray(headerLen, headerLen + TAG_LEN);
  return { keyId, version, iv, tag, ciphertext: blob.subarray(headerLen + TAG_LEN), header: blob.subarray(0, headerLen) };
}

const idBytes = new Map<string, Buffer>();
function keyIdBytes(keyId: string): Buffer {
  let b = idBytes.get(keyId);
  if (!b) {
    if (idBytes.size > 10_000) idBytes.clear();
    b = Buffer.from(keyId, 'utf8');
    idBytes.set(keyId, b);
  }
  return b;
}

/** Encrypt under one backing-key version of a symmetric KMS key. */
export function symmetricEncrypt(material: Buffer, keyId: string, version: number, plaintext: Buffer, ec: EncryptionContext | undefined): Buffer {
  const id = keyIdBytes(keyId);
  const iv = freshIv();
  const headerLen = 4 + id.length + 4 + IV_LEN;
  // One buffer for the whole blob; the ciphertext is written in place after the header and tag.
  const blob = Buffer.allocUnsafe(headerLen + TAG_LEN + plaintext.length);
  blob[0] = MAGIC0;
  blob[1] = MAGIC1;
  blob[2] = FORMAT_VERSION;
  blob[3] = id.length;
  id.copy(blob, 4);
  blob.writeUInt32BE(version, 4 + id.length);
  iv.copy(blob, 4 + id.length + 4);
  const header = blob.subarray(0, headerLen);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  // GCM takes the AAD in pieces: header, then the canonical context.
  cipher.setAAD(header);
  cipher.setAAD(canonicalContext(ec));
  const ct = cipher.update(plaintext);
  ct.copy(blob, headerLen + TAG_LEN);
  cipher.final();
  cipher.getAuthTag().copy(blob, headerLen);
  return blob;
}

/** Decrypt a parsed blob; InvalidCiphertextException when the context or bytes do not match. */
export function symmetricDecrypt(material: Buffer, blob: ParsedBlob, ec: EncryptionContext | undefined): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', material, blob.iv);
    d.setAAD(blob.header);
    d.setAAD(canonicalContext(ec));
    d.setAuthTag(blob.tag);
    const pt = d.update(blob.ciphertext);
    d.final();
    return pt;
  } catch {
    throw invalidCiphertext();
  }
}

export const invalidCiphertext = (): KmsError =>
  new KmsError('InvalidCiphertextException', 'The ciphertext is invalid, or the encryption context or key does not match the one it was encrypted with.');

// ---------------------------------------------------------------------------------------------
// Key specs
// ---------------------------------------------------------------------------------------------

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

const privateKeyCache = new WeakMap<Buffer, KeyObject>();
function privateKeyOf(material: Buffer): KeyObject {
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

// ---------------------------------------------------------------------------------------------
// RSA encryption
// ---------------------------------------------------------------------------------------------

const OAEP_HASH: Record<string, string> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };
const HASH_LEN: Record<string, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

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
    throw invalidCiphertext();
  }
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

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
};
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

// ---------------------------------------------------------------------------------------------
// ECDSA over a precomputed digest (node:crypto has no raw-digest ECDSA), in BigInt
// ---------------------------------------------------------------------------------------------

interface Curve {
  p: bigint;
  a: bigint;
  n: bigint;
  bits: number;
}
const CURVES: Record<string, Curve> = {
  'P-256': { p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn, a: -3n, n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bits: 256 },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: -3n,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bits: 384,
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    a: -3n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    bits: 521,
  },
  secp256k1: { p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn, a: 0n, n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n, bits: 256 },
};

type Point = { x: bigint; y: bigint } | null;
const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;
function inv(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}
function add(c: Curve, P: Point, Q: Point): Point {
  if (!P) return Q;
  if (!Q) return P;
  if (P.x === Q.x && mod(P.y + Q.y, c.p) === 0n) return null;
  const l = P.x === Q.x && P.y === Q.y ? mod((3n * P.x * P.x + c.a) * inv(2n * P.y, c.p), c.p) : mod((Q.y - P.y) * inv(Q.x - P.x, c.p), c.p);
  const x = mod(l * l - P.x - Q.x, c.p);
  return { x, y: mod(l * (P.x - x) - P.y, c.p) };
}
function mul(c: Curve, k: bigint, P: Point): Point {
  let R: Point = null;
  let A = P;
  while (k > 0n) {
    if (k & 1n) R = add(c, R, A);
    A = add(c, A, A);
    k >>= 1n;
  }
  return R;
}
const b64uInt = (s: string): bigint => BigInt(`0x${Buffer.from(s, 'base64url').toString('hex') || '0'}`);
function digestToInt(c: Curve, digest: Buffer): bigint {
  let z = BigInt(`0x${digest.toString('hex') || '0'}`);
  const dBits = digest.length * 8;
  if (dBits > c.bits) z >>= BigInt(dBits - c.bits);
  return z;
}
function derInt(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02]), derLen(b.length), b]);
}
function derLen(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}
function parseDerSig(sig: Buffer): { r: bigint; s: bigint } | undefined {
  let i = 0;
  const readLen = (): number => {
    const b = sig[i++]!;
    if (b < 0x80) return b;
    const n = b & 0x7f;
    let len = 0;
    for (let j = 0; j < n; j++) len = (len << 8) | sig[i++]!;
    return len;
  };
  if (sig[i++] !== 0x30) return undefined;
  const total = readLen();
  if (i + total !== sig.length) return undefined;
  const ints: bigint[] = [];
  for (let k = 0; k < 2; k++) {
    if (sig[i++] !== 0x02) return undefined;
    const len = readLen();
    if (len === 0 || i + len > sig.length) return undefined;
    ints.push(BigInt(`0x${sig.subarray(i, i + len).toString('hex')}`));
    i += len;
  }
  return i === sig.length ? { r: ints[0]!, s: ints[1]! } : undefined;
}

function ecdsaSignDigest(key: KeyObject, digest: Buffer): Buffer {
  const jwk = key.export({ format: 'jwk' });
  const c = CURVES[jwk.crv!]!;
  const G = generatorOf(jwk.crv!);
  const d = b64uInt(jwk.d!);
  const z = digestToInt(c, digest);
  for (;;) {
    const k = mod(BigInt(`0x${randomBytes(Math.ceil(c.bits / 8) + 8).toString('hex')}`), c.n - 1n) + 1n;
    const R = mul(c, k, G);
    if (!R) continue;
    const r = mod(R.x, c.n);
    if (r === 0n) continue;
    let s = mod(inv(k, c.n) * (z + r * d), c.n);
    if (s === 0n) continue;
    if (s > c.n / 2n) s = c.n - s; // low-S, as most verifiers prefer
    const body = Buffer.concat([derInt(r), derInt(s)]);
    return Buffer.concat([Buffer.from([0x30]), derLen(body.length), body]);
  }
}

function ecdsaVerifyDigest(pub: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const jwk = pub.export({ format: 'jwk' });
  const c = CURVES[jwk.crv!]!;
  const sig = parseDerSig(signature);
  if (!sig || sig.r <= 0n || sig.r >= c.n || sig.s <= 0n || sig.s >= c.n) return false;
  const Q = { x: b64uInt(jwk.x!), y: b64uInt(jwk.y!) };
  const w = inv(sig.s, c.n);
  const z = digestToInt(c, digest);
  const X = add(c, mul(c, mod(z * w, c.n), generatorOf(jwk.crv!)), mul(c, mod(sig.r * w, c.n), Q));
  return X !== null && mod(X.x, c.n) === sig.r;
}

const generators = new Map<string, Point>();
/** The curve generator, read from node:crypto (the public key of private scalar 1) rather than hard-coded. */
function generatorOf(crv: string): Point {
  let g = generators.get(crv);
  if (!g) {
    const c = CURVES[crv]!;
    const len = Math.ceil(c.bits / 8);
    const one = Buffer.alloc(len);
    one[len - 1] = 1;
    const curveName = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', secp256k1: 'secp256k1' }[crv]!;
    const pub = createPublicKey(createPrivateKey({ key: ecPrivateDer(curveName, one), format: 'der', type: 'sec1' })).export({ format: 'jwk' });
    g = { x: b64uInt(pub.x!), y: b64uInt(pub.y!) };
    generators.set(crv, g);
  }
  return g;
}

const CURVE_OID: Record<string, string> = {
  prime256v1: '06082a8648ce3d030107',
  secp384r1: '06052b81040022',
  secp521r1: '06052b81040023',
  secp256k1: '06052b8104000a',
};
/** A SEC1 ECPrivateKey DER without the public key: SEQUENCE { 1, OCTET STRING d, [0] curve OID }. */
function ecPrivateDer(curve: string, d: Buffer): Buffer {
  const oid = Buffer.from(CURVE_OID[curve]!, 'hex');
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x04]), derLen(d.length), d, Buffer.from([0xa0]), derLen(oid.length), oid]);
  return Buffer.concat([Buffer.from([0x30]), derLen(body.length), body]);
}

// ---------------------------------------------------------------------------------------------
// HMAC
// ---------------------------------------------------------------------------------------------

export function hmac(spec: KeySpecName, material: Buffer, message: Buffer): Buffer {
  return createHmac(KEY_SPECS[spec].hash!, material).update(message).digest();
}

/** Constant-time MAC comparison (the lengths are public). */
export function macEquals(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---------------------------------------------------------------------------------------------
// Sealing key material under the domain key (state at rest)
// ---------------------------------------------------------------------------------------------

/** AES-256-GCM under the domain key; the AAD names what is sealed so sealed values cannot be swapped. */
export function seal(domainKey: Buffer, label: string, plaintext: Buffer): string {
  const iv = freshIv();
  const c = createCipheriv('aes-256-gcm', domainKey, iv);
  c.setAAD(Buffer.from(label, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
}

export function unseal(domainKey: Buffer, label: string, sealed: string): Buffer {
  const b = Buffer.from(sealed, 'base64');
  const d = createDecipheriv('aes-256-gcm', domainKey, b.subarray(0, IV_LEN));
  d.setAAD(Buffer.from(label, 'utf8'));
  d.setAuthTag(b.subarray(IV_LEN, IV_LEN + TAG_LEN));
  return Buffer.concat([d.update(b.subarray(IV_LEN + TAG_LEN)), d.final()]);
}
