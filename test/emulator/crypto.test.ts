import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalContext, generateMaterial, parseBlob, rsaPlaintextLimit, seal, signMessage, symmetricDecrypt, symmetricEncrypt, unseal, verifyMessage, publicKeyDer } from '../../emulator/crypto/index.js';

describe('ciphertext blob (kmskit format)', () => {
  it('carries format version, key id, backing-key version and a fresh 96-bit IV', () => {
    const m = generateMaterial('SYMMETRIC_DEFAULT');
    const a = symmetricEncrypt(m, 'mrk-0123456789abcdef0123456789abcdef', 7, Buffer.from('x'), undefined);
    const b = symmetricEncrypt(m, 'mrk-0123456789abcdef0123456789abcdef', 7, Buffer.from('x'), undefined);
    const pa = parseBlob(a)!;
    expect(a[2]).toBe(1);
    expect(pa.keyId).toBe('mrk-0123456789abcdef0123456789abcdef');
    expect(pa.version).toBe(7);
    expect(pa.iv).toHaveLength(12);
    expect(pa.iv.equals(parseBlob(b)!.iv)).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('binds the header: changing the version or key id in the blob breaks decryption', () => {
    const m = generateMaterial('SYMMETRIC_DEFAULT');
    const blob = symmetricEncrypt(m, 'k1', 1, Buffer.from('secret'), { a: 'b' });
    const forged = Buffer.from(blob);
    forged.writeUInt32BE(2, 4 + 2);
    // InvalidCiphertextException carries no message, as AWS sends it; kmskit's reason is its detail.
    let caught: unknown;
    try {
      symmetricDecrypt(m, parseBlob(forged)!, { a: 'b' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'InvalidCiphertextException', message: '', detail: expect.stringMatching(/authentication failed/) });
    expect(symmetricDecrypt(m, parseBlob(blob)!, { a: 'b' }).toString()).toBe('secret');
  });

  it('rejects what is not a kmskit blob', () => {
    expect(parseBlob(Buffer.from('hello'))).toBeUndefined();
    expect(parseBlob(Buffer.alloc(0))).toBeUndefined();
  });

  it('canonical context: length-prefixed, sorted by UTF-8 bytes, empty and absent alike', () => {
    expect(canonicalContext({}).equals(canonicalContext(undefined))).toBe(true);
    expect(canonicalContext({ b: '1', a: '2' }).equals(canonicalContext({ a: '2', b: '1' }))).toBe(true);
    expect(canonicalContext({ a: 'bc' }).equals(canonicalContext({ ab: 'c' }))).toBe(false);
    const enc = canonicalContext({ a: 'bc' });
    expect(enc.readUInt32BE(0)).toBe(1);
    expect(enc.readUInt32BE(4)).toBe(1);
  });
});

describe('RSA plaintext limits match AWS’s published figures', () => {
  // From the Encrypt API reference: 214/190, 342/318, 470/446 bytes.
  const published: Array<[string, string, number]> = [
    ['RSA_2048', 'RSAES_OAEP_SHA_1', 214],
    ['RSA_2048', 'RSAES_OAEP_SHA_256', 190],
    ['RSA_3072', 'RSAES_OAEP_SHA_1', 342],
    ['RSA_3072', 'RSAES_OAEP_SHA_256', 318],
    ['RSA_4096', 'RSAES_OAEP_SHA_1', 470],
    ['RSA_4096', 'RSAES_OAEP_SHA_256', 446],
  ];
  it.each(published)('%s %s: %i bytes', (spec, alg, limit) => {
    expect(rsaPlaintextLimit(spec as 'RSA_2048', alg)).toBe(limit);
  });
});

describe('signatures over digests', () => {
  it.each([
    ['ECC_NIST_P521', 'ECDSA_SHA_512', 'sha512'],
    ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384'],
    ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256'],
    ['RSA_2048', 'RSASSA_PSS_SHA_384', 'sha384'],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 'sha256'],
  ] as const)('%s %s: a DIGEST signature verifies as a RAW one with node:crypto', (spec, alg, hash) => {
    const m = generateMaterial(spec);
    const msg = Buffer.from('the message');
    const sig = signMessage(spec, m, alg, 'DIGEST', createHash(hash).update(msg).digest());
    const pub = createPublicKey({ key: publicKeyDer(m), format: 'der', type: 'spki' });
    const opts = alg.startsWith('RSASSA_PSS') ? { key: pub, padding: 6, saltLength: createHash(hash).digest().length } : pub;
    expect(verify(hash, msg, opts, sig)).toBe(true);
    expect(verifyMessage(spec, m, alg, 'DIGEST', createHash(hash).update(msg).digest(), sig)).toBe(true);
    expect(verifyMessage(spec, m, alg, 'DIGEST', createHash(hash).update('other').digest(), sig)).toBe(false);
    expect(verifyMessage(spec, m, alg, 'RAW', msg, Buffer.from('garbage'))).toBe(false);
  });
});

describe('sealing under the domain key', () => {
  it('round-trips, and fails under another key or label', () => {
    const dk = Buffer.alloc(32, 1);
    const s = seal(dk, 'key/v1', Buffer.from('material'));
    expect(unseal(dk, 'key/v1', s).toString()).toBe('material');
    expect(() => unseal(Buffer.alloc(32, 2), 'key/v1', s)).toThrow();
    expect(() => unseal(dk, 'key/v2', s)).toThrow();
    expect(s.includes(Buffer.from('material').toString('base64'))).toBe(false);
  });
});
