/** ECDSA over a precomputed digest (node:crypto has no raw-digest ECDSA), in BigInt. */
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';

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

export function ecdsaSignDigest(key: KeyObject, digest: Buffer): Buffer {
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

export function ecdsaVerifyDigest(pub: KeyObject, digest: Buffer, signature: Buffer): boolean {
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

