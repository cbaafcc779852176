/**
 * Ed25519ph (HashEdDSA, RFC 8032 §5.1 with phflag 1 and an empty context), in BigInt: node:crypto
 * signs only PureEdDSA Ed25519, and KMS's ED25519_PH_SHA_512 algorithm is the prehashed variant.
 * The private key is the 32-byte seed node keeps in its PKCS#8 Ed25519 keys.
 *
 * Not constant-time: this is an emulator's test key, never a production signer.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

const P = (1n << 255n) - 19n;
/** The group order L. */
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const mod = (a: bigint, m = P): bigint => ((a % m) + m) % m;

function pow(b: bigint, e: bigint, m = P): bigint {
  let r = 1n;
  b = mod(b, m);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}
const inv = (x: bigint): bigint => pow(x, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** Extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, xy = T/Z. */
type Point = readonly [bigint, bigint, bigint, bigint];
const IDENTITY: Point = [0n, 1n, 1n, 0n];

function add(p: Point, q: Point): Point {
  const a = mod((p[1] - p[0]) * (q[1] - q[0]));
  const b = mod((p[1] + p[0]) * (q[1] + q[0]));
  const c = mod(2n * p[3] * q[3] * D);
  const d = mod(2n * p[2] * q[2]);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

function mul(s: bigint, p: Point): Point {
  let q = IDENTITY;
  let r = p;
  while (s > 0n) {
    if (s & 1n) q = add(q, r);
    r = add(r, r);
    s >>= 1n;
  }
  return q;
}

function recoverX(y: bigint, sign: number): bigint | undefined {
  if (y >= P) return undefined;
  const x2 = mod((y * y - 1n) * inv(D * y * y + 1n));
  if (x2 === 0n) return sign ? undefined : 0n;
  let x = pow(x2, (P + 3n) / 8n);
  if (mod(x * x - x2) !== 0n) x = mod(x * SQRT_M1);
  if (mod(x * x - x2) !== 0n) return undefined;
  if (Number(x & 1n) !== sign) x = P - x;
  return x;
}

const GY = mod(4n * inv(5n));
const BASE: Point = [recoverX(GY, 0)!, GY, 1n, mod(recoverX(GY, 0)! * GY)];

const leToInt = (b: Buffer): bigint => BigInt(`0x${Buffer.from(b).reverse().toString('hex') || '0'}`);
function intToLe(n: bigint, len: number): Buffer {
  const hex = n.toString(16).padStart(len * 2, '0');
  return Buffer.from(hex, 'hex').reverse();
}

function encode(p: Point): Buffer {
  const zi = inv(p[2]);
  const x = mod(p[0] * zi);
  const y = mod(p[1] * zi);
  const out = intToLe(y, 32);
  out[31]! |= Number(x & 1n) << 7;
  return out;
}

function decode(b: Buffer): Point | undefined {
  if (b.length !== 32) return undefined;
  const bytes = Buffer.from(b);
  const sign = bytes[31]! >> 7;
  bytes[31]! &= 0x7f;
  const y = leToInt(bytes);
  const x = recoverX(y, sign);
  return x === undefined ? undefined : [x, y, 1n, mod(x * y)];
}

const sameAffine = (p: Point, q: Point): boolean => mod(p[0] * q[2] - q[0] * p[2]) === 0n && mod(p[1] * q[2] - q[1] * p[2]) === 0n;

/** dom2(phflag = 1, context = ""): what separates Ed25519ph from Ed25519 in every hash. */
const DOM2 = Buffer.concat([Buffer.from('SigEd25519 no Ed25519 collisions', 'ascii'), Buffer.from([1, 0])]);
const sha512 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
};

function seedOf(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(String(jwk.d), 'base64url');
}

function rawPublic(key: KeyObject): Buffer {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  return Buffer.from(String(pub.export({ format: 'jwk' }).x), 'base64url');
}

/** Ed25519ph signature of `message` (KMS hashes it with SHA-512 first, as RFC 8032's PH does). */
export function ed25519phSign(privateKey: KeyObject, message: Buffer): Buffer {
  return ed25519phSignWithSeed(seedOf(privateKey), message);
}

/** The same from a raw 32-byte seed (RFC 8032's "secret key"); exported for the RFC's test vector. */
export function ed25519phSignWithSeed(seed: Buffer, message: Buffer): Buffer {
  const h = sha512(seed);
  const a = Buffer.from(h.subarray(0, 32));
  a[0]! &= 248;
  a[31]! &= 127;
  a[31]! |= 64;
  const scalar = leToInt(a);
  const publicKey = encode(mul(scalar, BASE));
  const ph = sha512(message);
  const r = mod(leToInt(sha512(DOM2, h.subarray(32), ph)), L);
  const R = encode(mul(r, BASE));
  const k = mod(leToInt(sha512(DOM2, R, publicKey, ph)), L);
  const S = mod(r + k * scalar, L);
  return Buffer.concat([R, intToLe(S, 32)]);
}

export function ed25519phVerify(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  return ed25519phVerifyRaw(rawPublic(publicKey), message, signature);
}

/** Verification against a raw 32-byte public key: [S]B = R + [k]A. */
export function ed25519phVerifyRaw(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  const A = decode(publicKey);
  const R = decode(signature.subarray(0, 32));
  if (!A || !R) return false;
  const S = leToInt(signature.subarray(32));
  if (S >= L) return false;
  const k = mod(leToInt(sha512(DOM2, signature.subarray(0, 32), publicKey, sha512(message))), L);
  return sameAffine(mul(S, BASE), add(R, mul(k, A)));
}

/** The public key of a seed (RFC 8032 §5.1.5), for tests against published vectors. */
export function ed25519PublicFromSeed(seed: Buffer): Buffer {
  const a = Buffer.from(sha512(seed).subarray(0, 32));
  a[0]! &= 248;
  a[31]! &= 127;
  a[31]! |= 64;
  return encode(mul(leToInt(a), BASE));
}
