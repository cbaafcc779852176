/**
 * The cryptography of Vault's Transit engine, laid out byte for byte as Vault's keysutil does, so a
 * ciphertext, signature or HMAC made here verifies against Vault's layout with the exported key:
 *
 * - AEAD ciphertext: `nonce(12) ‖ ciphertext ‖ tag(16)` (AES-GCM, ChaCha20-Poly1305), random nonce
 *   per call; convergent keys take the nonce from HMAC-SHA256(the derived key's second half, plaintext).
 * - Derived keys: HKDF-SHA256(ikm = the version's key, no salt, info = context); Ed25519 derives the
 *   32-byte seed the same way.
 * - RSA encryption: OAEP with SHA-256, no label. Signatures: Ed25519 over the input; ECDSA and RSA
 *   (PSS or PKCS#1 v1.5) over the input hashed with `hash_algorithm` (or the input itself when it is
 *   prehashed). ECDSA `asn1` is DER, `jws` is the fixed-width `r ‖ s`.
 *
 * This lives with the Vault protocol rather than in emulator/crypto/ because it is Vault's wire
 * format, used by the Vault face only; emulator/crypto/ holds kmskit's own KMS blob formats. Only
 * the prehashed ECDSA primitive (which node:crypto lacks) is borrowed from there.
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
  hkdfSync,
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
import { ecdsaSignDigest, ecdsaVerifyDigest } from '../../../crypto/ecdsa-digest.js';
import { KeyOpError } from '../errors.js';
import { KEY_TYPES, type TransitKeyType } from './key-types.js';

export * from './key-types.js';

const NONCE = 12;
const TAG = 16;

/** New material for one key version: the key (see KeyVersion.key) and its own HMAC key. */
export function generateMaterial(type: TransitKeyType, keySize = 32): { key: Buffer; hmacKey: Buffer } {
  const info = KEY_TYPES[type];
  switch (info.family) {
    case 'aead':
      return { key: randomBytes(info.keyBytes!), hmacKey: randomBytes(32) };
    case 'hmac': {
      const key = randomBytes(keySize);
      return { key, hmacKey: key };
    }
    case 'ed25519': {
      const { privateKey } = generateKeyPairSync('ed25519');
      return { key: ed25519KeyFromSeed(ed25519Seed(privateKey)), hmacKey: randomBytes(32) };
    }
    case 'ecdsa': {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: info.curve! });
      return { key: privateKey.export({ format: 'der', type: 'pkcs8' }), hmacKey: randomBytes(32) };
    }
    case 'rsa': {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: info.rsaBits! });
      return { key: privateKey.export({ format: 'der', type: 'pkcs8' }), hmacKey: randomBytes(32) };
    }
  }
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function ed25519Seed(k: KeyObject): Buffer {
  return k.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
}

/** Go's ed25519.PrivateKey layout: seed ‖ public key. */
function ed25519KeyFromSeed(seed: Buffer): Buffer {
  const priv = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return Buffer.concat([seed, createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32)]);
}

const privateKeys = new WeakMap<Buffer, KeyObject>();

/** The node KeyObject of an asymmetric version key (cached: parsing PKCS#8 per call is slow). */
export function privateKeyObject(type: TransitKeyType, key: Buffer): KeyObject {
  let k = privateKeys.get(key);
  if (!k) {
    k = KEY_TYPES[type].family === 'ed25519'
      ? createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, key.subarray(0, 32)]), format: 'der', type: 'pkcs8' })
      : createPrivateKey({ key, format: 'der', type: 'pkcs8' });
    privateKeys.set(key, k);
  }
  return k;
}

/** HKDF-SHA256 as keysutil's DeriveKey: no salt, the context as info. */
export function deriveBytes(ikm: Buffer, context: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), context, length));
}

/** A derived Ed25519 key (seed ‖ public), for derived signing keys. */
export function deriveEd25519(key: Buffer, context: Buffer): Buffer {
  return ed25519KeyFromSeed(deriveBytes(key, context, 32));
}

const aeadName = (type: TransitKeyType, key: Buffer): string =>
  type === 'chacha20-poly1305' ? 'chacha20-poly1305' : key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm';

/** `nonce ‖ ciphertext ‖ tag`. */
export function aeadSeal(type: TransitKeyType, key: Buffer, plaintext: Buffer, aad: Buffer | undefined, nonce: Buffer = randomBytes(NONCE)): Buffer {
  const cipher = createCipheriv(aeadName(type, key) as 'aes-256-gcm', key, nonce, { authTagLength: TAG });
  if (aad && aad.length) cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([nonce, body, final, cipher.getAuthTag()]);
}

export function aeadOpen(type: TransitKeyType, key: Buffer, data: Buffer, aad: Buffer | undefined): Buffer {
  if (data.length < NONCE) throw new KeyOpError('invalid ciphertext length');
  // Go's AEAD.Open fails authentication on anything shorter than a tag; so does this.
  const authFailed = () => new KeyOpError(type === 'chacha20-poly1305' ? 'chacha20poly1305: message authentication failed' : 'cipher: message authentication failed');
  if (data.length < NONCE + TAG) throw authFailed();
  const nonce = data.subarray(0, NONCE);
  const tag = data.subarray(data.length - TAG);
  const decipher = createDecipheriv(aeadName(type, key) as 'aes-256-gcm', key, nonce, { authTagLength: TAG });
  decipher.setAuthTag(tag);
  if (aad && aad.length) decipher.setAAD(aad, { plaintextLength: data.length - NONCE - TAG });
  try {
    return Buffer.concat([decipher.update(data.subarray(NONCE, data.length - TAG)), decipher.final()]);
  } catch {
    throw authFailed();
  }
}

/** The convergent-encryption nonce (keysutil convergent version 3). */
export function convergentNonce(hmacKey: Buffer, plaintext: Buffer): Buffer {
  return createHmac('sha256', hmacKey).update(plaintext).digest().subarray(0, NONCE);
}

export function rsaEncrypt(type: TransitKeyType, key: Buffer, plaintext: Buffer): Buffer {
  try {
    return publicEncrypt({ key: createPublicKey(privateKeyObject(type, key)), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, plaintext);
  } catch {
    throw new KeyOpError('failed to RSA encrypt the plaintext: crypto/rsa: message too long for RSA key size', true);
  }
}

export function rsaDecrypt(type: TransitKeyType, key: Buffer, ciphertext: Buffer): Buffer {
  try {
    return privateDecrypt({ key: privateKeyObject(type, key), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ciphertext);
  } catch {
    throw new KeyOpError('failed to RSA decrypt the ciphertext: crypto/rsa: decryption error', true);
  }
}

/** Vault's hash names → node's; `none` has none. */
export const HASHES: Record<string, string | null> = {
  none: null,
  sha1: 'sha1',
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
};

export function digest(hash: string, input: Buffer): Buffer {
  return createHash(hash).update(input).digest();
}

export function hmac(hash: string, key: Buffer, input: Buffer): Buffer {
  return createHmac(hash, key).update(input).digest();
}

export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface SignOptions {
  /** node hash name, or null for `none`. */
  hash: string | null;
  prehashed: boolean;
  /** RSA: `pss` (default) or `pkcs1v15`. */
  signatureAlgorithm: string;
  /** ECDSA: `asn1` (DER) or `jws` (r ‖ s). */
  marshaling: 'asn1' | 'jws';
  /** RSA-PSS: Go's convention, 0 = auto, -1 = hash length, else bytes. */
  saltLength: number;
}

const DIGEST_INFO: Record<string, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha224: '302d300d06096086480165030402040500041c',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

function pssSalt(saltLength: number, verifying: boolean): number {
  if (saltLength === 0) return verifying ? constants.RSA_PSS_SALTLEN_AUTO : constants.RSA_PSS_SALTLEN_MAX_SIGN;
  if (saltLength === -1) return constants.RSA_PSS_SALTLEN_DIGEST;
  return saltLength;
}

/** The raw signature bytes of `input` (already hashed by the caller when the type hashes input). */
export function signBytes(type: TransitKeyType, key: Buffer, message: Buffer, opts: SignOptions): Buffer {
  const family = KEY_TYPES[type].family;
  const priv = privateKeyObject(type, key);
  if (family === 'ed25519') return nodeSign(null, message, priv);
  if (family === 'ecdsa') {
    if (opts.prehashed || !opts.hash) {
      const der = ecdsaSignDigest(priv, message);
      return opts.marshaling === 'jws' ? derToJose(der, type) : der;
    }
    return nodeSign(opts.hash, message, { key: priv, dsaEncoding: opts.marshaling === 'jws' ? 'ieee-p1363' : 'der' });
  }
  // RSA
  if (opts.signatureAlgorithm === 'pkcs1v15') {
    if (opts.prehashed || !opts.hash) {
      const prefix = opts.hash ? DIGEST_INFO[opts.hash] : '';
      if (prefix === undefined) throw new KeyOpError(`kmskit does not emulate prehashed PKCS#1 v1.5 signatures with ${opts.hash}`);
      return privateEncrypt({ key: priv, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(prefix, 'hex'), message]));
    }
    return nodeSign(opts.hash, message, { key: priv, padding: constants.RSA_PKCS1_PADDING });
  }
  if (opts.prehashed) throw new KeyOpError('kmskit does not emulate prehashed RSA-PSS signatures; use signature_algorithm=pkcs1v15 or send the message unhashed');
  return nodeSign(opts.hash!, message, { key: priv, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSalt(opts.saltLength, false) });
}

export function verifyBytes(type: TransitKeyType, key: Buffer, message: Buffer, signature: Buffer, opts: SignOptions): boolean {
  const family = KEY_TYPES[type].family;
  const pub = createPublicKey(privateKeyObject(type, key));
  try {
    if (family === 'ed25519') return nodeVerify(null, message, pub, signature);
    if (family === 'ecdsa') {
      if (opts.prehashed || !opts.hash) return ecdsaVerifyDigest(pub, message, opts.marshaling === 'jws' ? joseToDer(signature) : signature);
      return nodeVerify(opts.hash, message, { key: pub, dsaEncoding: opts.marshaling === 'jws' ? 'ieee-p1363' : 'der' }, signature);
    }
    if (opts.signatureAlgorithm === 'pkcs1v15') {
      if (opts.prehashed || !opts.hash) {
        const prefix = opts.hash ? DIGEST_INFO[opts.hash] : '';
        if (prefix === undefined) return false;
        const recovered = publicDecrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, signature);
        return constantTimeEqual(recovered, Buffer.concat([Buffer.from(prefix, 'hex'), message]));
      }
      return nodeVerify(opts.hash, message, { key: pub, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    if (opts.prehashed) return false;
    return nodeVerify(opts.hash!, message, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSalt(opts.saltLength, true) }, signature);
  } catch {
    return false;
  }
}

function curveBytes(type: TransitKeyType): number {
  return { 'P-256': 32, 'P-384': 48, 'P-521': 66 }[KEY_TYPES[type].curve!];
}

function derToJose(der: Buffer, type: TransitKeyType): Buffer {
  const n = curveBytes(type);
  let i = 2;
  if (der[1]! & 0x80) i += der[1]! & 0x7f;
  const read = (): Buffer => {
    const len = der[i + 1]!;
    const v = der.subarray(i + 2, i + 2 + len);
    i += 2 + len;
    return v;
  };
  const fixed = (v: Buffer) => {
    const t = v.subarray(Math.max(0, v.length - n));
    return Buffer.concat([Buffer.alloc(n - t.length), t]);
  };
  return Buffer.concat([fixed(read()), fixed(read())]);
}

function joseToDer(sig: Buffer): Buffer {
  const half = sig.length >> 1;
  const int = (v: Buffer) => {
    let s = v;
    while (s.length > 1 && s[0] === 0) s = s.subarray(1);
    if (s[0]! & 0x80) s = Buffer.concat([Buffer.from([0]), s]);
    return Buffer.concat([Buffer.from([0x02, s.length]), s]);
  };
  const body = Buffer.concat([int(sig.subarray(0, half)), int(sig.subarray(half))]);
  const len = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), len, body]);
}

/** The public key as Vault shows it: Ed25519 raw in base64; ECDSA and RSA as a PEM "PUBLIC KEY". */
export function formattedPublicKey(type: TransitKeyType, key: Buffer): string {
  if (KEY_TYPES[type].family === 'ed25519') return key.subarray(32).toString('base64');
  return createPublicKey(privateKeyObject(type, key)).export({ format: 'pem', type: 'spki' }) as string;
}

/** The public key of a derived Ed25519 key, as raw bytes. */
export function ed25519PublicOf(key: Buffer): Buffer {
  return key.subarray(32);
}

/** Private key export as Vault's export endpoint formats it. */
export function exportPrivate(type: TransitKeyType, key: Buffer): string {
  const family = KEY_TYPES[type].family;
  if (family === 'aead' || family === 'hmac' || family === 'ed25519') return key.toString('base64');
  const k = privateKeyObject(type, key);
  return k.export(family === 'rsa' ? { format: 'pem', type: 'pkcs1' } : { format: 'pem', type: 'sec1' }) as string;
}
