/**
 * KEY_AGREEMENT keys and DeriveSharedSecret (API_DeriveSharedSecret; LocalStack's AWS-validated
 * recordings test_derive_shared_secret and test_derive_shared_secret_matches_openssl), and
 * ECC_NIST_EDWARDS25519 signing (API_Sign MessageType, RFC 8032).
 */
import { createHash, createPublicKey, diffieHellman, generateKeyPairSync, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CreateGrantCommand, CreateKeyCommand, DeriveSharedSecretCommand, DescribeKeyCommand, GenerateDataKeyPairCommand, GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand,
} from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';
import { ed25519phSignWithSeed, ed25519phVerify, ed25519phVerifyRaw, ed25519PublicFromSeed } from '../../emulator/crypto/ed25519ph.js';
import { APP, emulator, failure, keyPolicy, rootStatement } from './helpers.js';

let kms: Emulator;
let c: KMSClient;
beforeEach(async () => {
  kms = await emulator();
  c = kms.client();
});

const spkiOf = (k: Uint8Array): KeyObject => createPublicKey({ key: Buffer.from(k), format: 'der', type: 'spki' });
const CURVES = [
  ['ECC_NIST_P256', 'prime256v1', 32],
  ['ECC_NIST_P384', 'secp384r1', 48],
  ['ECC_NIST_P521', 'secp521r1', 66],
] as const;

describe('DeriveSharedSecret', () => {
  it.each(CURVES)('%s: the secret equals node crypto.diffieHellman with the peer private key and the KMS public key', async (spec, curve, bytes) => {
    const md = (await c.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'KEY_AGREEMENT' }))).KeyMetadata!;
    expect(md).toMatchObject({ KeyUsage: 'KEY_AGREEMENT', KeyAgreementAlgorithms: ['ECDH'] });
    expect(md.SigningAlgorithms).toBeUndefined();
    const peer = generateKeyPairSync('ec', { namedCurve: curve });
    const out = await c.send(new DeriveSharedSecretCommand({ KeyId: md.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ format: 'der', type: 'spki' }) }));
    expect(out).toMatchObject({ KeyId: md.Arn, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
    const pub = await c.send(new GetPublicKeyCommand({ KeyId: md.KeyId }));
    expect(pub).toMatchObject({ KeyUsage: 'KEY_AGREEMENT', KeyAgreementAlgorithms: ['ECDH'] });
    const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: spkiOf(pub.PublicKey!) });
    expect(Buffer.from(out.SharedSecret!).equals(expected)).toBe(true);
    expect(out.SharedSecret!.length).toBe(bytes);
  });

  it('two KMS keys derive the same secret from each other’s public keys (test_derive_shared_secret)', async () => {
    const a = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }))).KeyMetadata!;
    const b = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }))).KeyMetadata!;
    const pa = (await c.send(new GetPublicKeyCommand({ KeyId: a.KeyId }))).PublicKey!;
    const pb = (await c.send(new GetPublicKeyCommand({ KeyId: b.KeyId }))).PublicKey!;
    const s1 = (await c.send(new DeriveSharedSecretCommand({ KeyId: a.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: pb }))).SharedSecret!;
    const s2 = (await c.send(new DeriveSharedSecretCommand({ KeyId: b.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: pa }))).SharedSecret!;
    expect(Buffer.from(s1).equals(Buffer.from(s2))).toBe(true);
  });

  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  it.skipIf(openssl.status !== 0)('the secret equals `openssl pkeyutl -derive` (test_derive_shared_secret_matches_openssl)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmskit-ecdh-'));
    try {
      const md = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' }))).KeyMetadata!;
      const peer = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      writeFileSync(join(dir, 'peer.pem'), peer.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      writeFileSync(join(dir, 'kms.der'), (await c.send(new GetPublicKeyCommand({ KeyId: md.KeyId }))).PublicKey!);
      const r = spawnSync('openssl', ['pkeyutl', '-derive', '-inkey', join(dir, 'peer.pem'), '-peerkey', join(dir, 'kms.der'), '-peerform', 'DER', '-out', join(dir, 'secret.bin')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const out = await c.send(new DeriveSharedSecretCommand({ KeyId: md.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ format: 'der', type: 'spki' }) }));
      expect(Buffer.from(out.SharedSecret!).equals(readFileSync(join(dir, 'secret.bin')))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a peer key on another curve is ValidationException without a message; kms:DeriveSharedSecret is needed and grants can give it', async () => {
    const md = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT', Policy: keyPolicy(rootStatement()) }))).KeyMetadata!;
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'der', type: 'spki' });
    let raw: unknown;
    await kms.send('DeriveSharedSecret', { KeyId: md.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: other.toString('base64') }).catch((e: unknown) => (raw = e));
    expect(raw).toMatchObject({ code: 'ValidationException', message: '', detail: expect.stringMatching(/secp384r1.*prime256v1/) });
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' });
    const app = kms.client({ principal: APP });
    expect((await failure(app.send(new DeriveSharedSecretCommand({ KeyId: md.Arn, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer })))).name).toBe('AccessDeniedException');
    const g = await c.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: APP, Operations: ['DeriveSharedSecret'] }));
    const out = await app.send(new DeriveSharedSecretCommand({ KeyId: md.Arn, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer, GrantTokens: [g.GrantToken!] }));
    expect(out.SharedSecret!.length).toBe(32);
  });

  it('ECC_SECG_P256K1 and Ed25519 cannot be KEY_AGREEMENT keys (API_CreateKey KeyUsage)', async () => {
    for (const spec of ['ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'] as const) {
      const e = await failure(c.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'KEY_AGREEMENT' })));
      expect([e.name, e.message]).toEqual(['ValidationException', `KeyUsage KEY_AGREEMENT is not compatible with KeySpec ${spec}`]);
    }
  });
});

describe('ECC_NIST_EDWARDS25519 signing', () => {
  it('Ed25519ph reproduces the RFC 8032 §7.3 test vector (TEST abc)', () => {
    const seed = Buffer.from('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42', 'hex');
    const publicKey = ed25519PublicFromSeed(seed);
    expect(publicKey.toString('hex')).toBe('ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf');
    const sig = ed25519phSignWithSeed(seed, Buffer.from('abc'));
    expect(sig.toString('hex')).toBe('98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406');
    expect(ed25519phVerifyRaw(publicKey, Buffer.from('abc'), sig)).toBe(true);
    expect(ed25519phVerifyRaw(publicKey, Buffer.from('abd'), sig)).toBe(false);
  });

  it('describes ED25519_SHA_512 and ED25519_PH_SHA_512; RAW signatures verify with node:crypto Ed25519', async () => {
    const md = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    expect(md.SigningAlgorithms).toEqual(['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
    const pub = spkiOf((await c.send(new GetPublicKeyCommand({ KeyId: md.KeyId }))).PublicKey!);
    expect(pub.asymmetricKeyType).toBe('ed25519');
    const sig = await c.send(new SignCommand({ KeyId: md.KeyId, SigningAlgorithm: 'ED25519_SHA_512', Message: Buffer.from('message') }));
    expect(nodeVerify(null, Buffer.from('message'), pub, Buffer.from(sig.Signature!))).toBe(true);
    expect((await c.send(new VerifyCommand({ KeyId: md.KeyId, SigningAlgorithm: 'ED25519_SHA_512', Message: Buffer.from('message'), Signature: sig.Signature! }))).SignatureValid).toBe(true);
  });

  it('ED25519_PH_SHA_512 signs a 64-byte DIGEST as Ed25519ph over it (KMS hashes it again, as API_Sign says)', async () => {
    const md = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const pub = spkiOf((await c.send(new GetPublicKeyCommand({ KeyId: md.KeyId }))).PublicKey!);
    const digest = createHash('sha512').update('document').digest();
    const sig = await c.send(new SignCommand({ KeyId: md.KeyId, SigningAlgorithm: 'ED25519_PH_SHA_512', MessageType: 'DIGEST', Message: digest }));
    expect(ed25519phVerify(pub, digest, Buffer.from(sig.Signature!))).toBe(true);
    expect((await c.send(new VerifyCommand({ KeyId: md.KeyId, SigningAlgorithm: 'ED25519_PH_SHA_512', MessageType: 'DIGEST', Message: digest, Signature: sig.Signature! }))).SignatureValid).toBe(true);
    expect((await failure(c.send(new VerifyCommand({ KeyId: md.KeyId, SigningAlgorithm: 'ED25519_PH_SHA_512', MessageType: 'DIGEST', Message: Buffer.alloc(64), Signature: sig.Signature! })))).name).toBe('KMSInvalidSignatureException');
  });

  it.each([
    ['ED25519_SHA_512', 'DIGEST', Buffer.alloc(64)],
    ['ED25519_PH_SHA_512', 'RAW', Buffer.from('raw')],
  ] as const)('%s with MessageType %s is refused: the message types cannot be swapped (API_CreateKey KeySpec note)', async (alg, type, message) => {
    const md = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    expect((await failure(c.send(new SignCommand({ KeyId: md.KeyId, SigningAlgorithm: alg, MessageType: type, Message: message })))).name).toBe('ValidationException');
  });

  it('an ECDSA algorithm is incompatible with the Ed25519 key spec', async () => {
    const md = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const e = await failure(c.send(new SignCommand({ KeyId: md.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: Buffer.from('m') })));
    expect([e.name, e.message]).toEqual(['InvalidKeyUsageException', 'Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_EDWARDS25519.']);
  });

  it('GenerateDataKeyPair makes Ed25519 pairs (DataKeyPairSpec ECC_NIST_EDWARDS25519)', async () => {
    const sym = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
    const pair = await c.send(new GenerateDataKeyPairCommand({ KeyId: sym.KeyId, KeyPairSpec: 'ECC_NIST_EDWARDS25519' }));
    expect(spkiOf(pair.PublicKey!).asymmetricKeyType).toBe('ed25519');
    expect((await c.send(new DescribeKeyCommand({ KeyId: sym.KeyId }))).KeyMetadata!.KeyState).toBe('Enabled');
  });

  it('SM2 and ML-DSA key specs say node 20 cannot serve them (README unsupported list)', async () => {
    for (const spec of ['SM2', 'ML_DSA_65'] as const) {
      const e = await failure(c.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' })));
      expect(e.name).toBe('UnsupportedOperationException');
      expect(e.message).toMatch(/node/);
    }
  });
});
