/**
 * Imported key material: EXTERNAL keys, GetParametersForImport, ImportKeyMaterial,
 * DeleteImportedKeyMaterial, expiry on the emulator clock, and on-demand rotation of imported
 * material. Rows follow the API reference pages (API_GetParametersForImport, API_ImportKeyMaterial,
 * API_DeleteImportedKeyMaterial, API_RotateKeyOnDemand, API_ListKeyRotations) and LocalStack's
 * AWS-validated recordings (test_kms.snapshot.json; the test names are given per case).
 */
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, verify as nodeVerify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand, DecryptCommand, DeleteImportedKeyMaterialCommand, DescribeKeyCommand, EncryptCommand, GenerateMacCommand, GetParametersForImportCommand,
  GetPublicKeyCommand, ImportKeyMaterialCommand, KMSClient, ListKeyRotationsCommand, ReplicateKeyCommand, RotateKeyOnDemandCommand, SignCommand,
  type CreateKeyCommandInput, type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';
import { wrapKeyMaterial, WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS } from '../helpers/import-wrapping.js';
import { emulator, failure, keyPolicy, rootStatement } from './helpers.js';

let kms: Emulator;
let c: KMSClient;
beforeEach(async () => {
  kms = await emulator();
  c = kms.client();
});

const DOES_NOT_EXPIRE = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } as const;
const external = async (input: CreateKeyCommandInput = {}): Promise<KeyMetadata> => (await c.send(new CreateKeyCommand({ Origin: 'EXTERNAL', ...input }))).KeyMetadata!;
const describeKey = async (id: string): Promise<KeyMetadata> => (await c.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!;

/** GetParametersForImport, wrap, ImportKeyMaterial: the developer guide's three steps. */
async function importMaterial(keyId: string, material: Buffer, opts: { algorithm?: string; spec?: string; extra?: object; client?: KMSClient } = {}) {
  const client = opts.client ?? c;
  const algorithm = opts.algorithm ?? 'RSAES_OAEP_SHA_256';
  const params = await client.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm as never, WrappingKeySpec: (opts.spec ?? 'RSA_2048') as never }));
  return client.send(
    new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapKeyMaterial(params.PublicKey!, algorithm, material), ...DOES_NOT_EXPIRE, ...opts.extra }),
  );
}

const pkcs8 = (k: { privateKey: { export(o: object): Buffer | string } }): Buffer => k.privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer;

describe('EXTERNAL keys before import', () => {
  it('CreateKey Origin=EXTERNAL is PendingImport, not Enabled, without CurrentKeyMaterialId or ExpirationModel (test_import_key_symmetric "created-key")', async () => {
    const md = await external({ Description: 'imported' });
    expect(md).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false, KeySpec: 'SYMMETRIC_DEFAULT' });
    expect(Object.keys(md).sort()).toEqual(['AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'EncryptionAlgorithms', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin']);
  });

  it('asymmetric EXTERNAL keys list their algorithms before import (test_import_key_asymmetric "created-key")', async () => {
    const md = await external({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(md).toMatchObject({ KeyState: 'PendingImport', SigningAlgorithms: ['ECDSA_SHA_256'] });
  });

  it('EnableKey and DisableKey refuse a key pending import; CancelKeyDeletion brings it back PendingImport (Key states of KMS keys)', async () => {
    const md = await external();
    const { CancelKeyDeletionCommand, DisableKeyCommand, EnableKeyCommand, ScheduleKeyDeletionCommand } = await import('@aws-sdk/client-kms');
    for (const command of [new EnableKeyCommand({ KeyId: md.KeyId }), new DisableKeyCommand({ KeyId: md.KeyId })]) {
      const e = await failure(c.send(command as never));
      expect([e.name, e.message]).toEqual(['KMSInvalidStateException', `${md.Arn} is pending import.`]);
    }
    await c.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    await c.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }));
    expect((await describeKey(md.KeyId!)).KeyState).toBe('PendingImport');
  });

  it('GetParametersForImport answers the key ARN, an RSA SPKI public key of the spec and a token valid 24 hours (API_GetParametersForImport)', async () => {
    const md = await external();
    for (const spec of WRAPPING_KEY_SPECS) {
      // Bounds, not a point: generating an RSA-4096 wrapping pair takes seconds on a loaded machine.
      const before = kms.clock.nowMs();
      const p = await c.send(new GetParametersForImportCommand({ KeyId: md.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: spec }));
      const after = kms.clock.nowMs();
      expect(p.KeyId).toBe(md.Arn);
      expect(createPublicKey({ key: Buffer.from(p.PublicKey!), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).toBe(Number(spec.slice(4)));
      expect(p.ImportToken!.length).toBeGreaterThan(0);
      // The wire carries epoch seconds, so allow the second the token time was rounded within.
      expect(p.ParametersValidTo!.getTime()).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1_000);
      expect(p.ParametersValidTo!.getTime()).toBeLessThanOrEqual(after + 24 * 3_600_000 + 1_000);
    }
  });

  it.each([
    ['RSAES_PKCS1_V1_5', 'RSA_2048', /October 10, 2023/],
    ['SM2PKE', 'SM2', /China Regions/],
  ])('GetParametersForImport refuses %s with %s (API_GetParametersForImport: deprecated / China Regions only)', async (algorithm, spec, message) => {
    const md = await external();
    const e = await failure(c.send(new GetParametersForImportCommand({ KeyId: md.KeyId, WrappingAlgorithm: algorithm as never, WrappingKeySpec: spec as never })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(message);
  });
});

describe('import condition keys (KMS developer guide: kms:WrappingAlgorithm, kms:WrappingKeySpec, kms:ExpirationModel)', () => {
  it('a key policy can require a wrapping algorithm and key spec, and material that does not expire', async () => {
    const policy = keyPolicy(rootStatement(), {
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:GetParametersForImport',
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:WrappingAlgorithm': 'RSA_AES_KEY_WRAP_SHA_256', 'kms:WrappingKeySpec': 'RSA_4096' } },
    }, {
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:ImportKeyMaterial',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ExpirationModel': 'KEY_MATERIAL_EXPIRES' } },
    });
    const md = await external({ Policy: policy });
    // Denied when both differ (condition keys in one block are ANDed).
    const denied = await failure(c.send(new GetParametersForImportCommand({ KeyId: md.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })));
    expect(denied.name).toBe('AccessDeniedException');
    const expiring = await failure(importMaterial(md.KeyId!, randomBytes(32), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', spec: 'RSA_4096', extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(kms.clock.nowMs() + 86_400_000) } }));
    expect(expiring.name).toBe('AccessDeniedException');
    await importMaterial(md.KeyId!, randomBytes(32), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', spec: 'RSA_4096' });
    expect((await describeKey(md.KeyId!)).KeyState).toBe('Enabled');
  });
});

describe('ImportKeyMaterial: every wrapping key spec and algorithm (API_GetParametersForImport WrappingAlgorithm)', () => {
  const cases = WRAPPING_KEY_SPECS.flatMap((spec) => WRAPPING_ALGORITHMS.map((algorithm) => [spec, algorithm] as const));
  it.each(cases)('%s with %s imports symmetric material that then encrypts and decrypts', async (spec, algorithm) => {
    const md = await external();
    const imported = await importMaterial(md.KeyId!, randomBytes(32), { algorithm, spec });
    expect(imported.KeyId).toBe(md.Arn);
    expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const after = await describeKey(md.KeyId!);
    expect(after).toMatchObject({ KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', CurrentKeyMaterialId: imported.KeyMaterialId });
    const ct = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('hello') }));
    expect(Buffer.from((await c.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext!).toString()).toBe('hello');
  });
});

describe('ImportKeyMaterial: symmetric, HMAC, RSA and ECC material works as the material it is', () => {
  it('imported symmetric material: the DescribeKey members match the recording (test_rotate_key_on_demand_updates_current_key_material_for_external_keys)', async () => {
    const md = await external();
    await importMaterial(md.KeyId!, randomBytes(32));
    expect(Object.keys(await describeKey(md.KeyId!)).sort()).toEqual(
      ['AWSAccountId', 'Arn', 'CreationDate', 'CurrentKeyMaterialId', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'EncryptionAlgorithms', 'ExpirationModel', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin'],
    );
  });

  it.each(['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'] as const)('%s material computes the same MAC as node:crypto (test_import_key_hmac_keys)', async (spec) => {
    const bits = Number(spec.slice(5));
    const material = randomBytes(bits / 8);
    const md = await external({ KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' });
    const imported = await importMaterial(md.KeyId!, material);
    expect(imported.KeyMaterialId).toBeUndefined();
    const mac = await c.send(new GenerateMacCommand({ KeyId: md.KeyId, MacAlgorithm: `HMAC_SHA_${bits}` as never, Message: Buffer.from('m') }));
    expect(Buffer.from(mac.Mac!).equals(createHmac(`sha${bits}`, material).update('m').digest())).toBe(true);
  });

  it.each([
    ['ECC_NIST_P256', 'prime256v1', 'ECDSA_SHA_256', 'RSAES_OAEP_SHA_1', 'RSA_2048'],
    ['ECC_NIST_P384', 'secp384r1', 'ECDSA_SHA_384', 'RSAES_OAEP_SHA_1', 'RSA_2048'],
    ['ECC_NIST_P521', 'secp521r1', 'ECDSA_SHA_512', 'RSAES_OAEP_SHA_256', 'RSA_4096'],
    ['ECC_SECG_P256K1', 'secp256k1', 'ECDSA_SHA_256', 'RSAES_OAEP_SHA_1', 'RSA_2048'],
  ] as const)('%s private key: GetPublicKey is its public key and signatures verify with it (test_import_key_ecc_keys)', async (spec, curve, signing, algorithm, wrappingSpec) => {
    const pair = generateKeyPairSync('ec', { namedCurve: curve });
    const md = await external({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
    await importMaterial(md.KeyId!, pkcs8(pair), { algorithm, spec: wrappingSpec });
    const after = await describeKey(md.KeyId!);
    expect(Object.keys(after).sort()).toEqual(['AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'ExpirationModel', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin', 'SigningAlgorithms']);
    const pub = await c.send(new GetPublicKeyCommand({ KeyId: md.KeyId }));
    expect(Buffer.from(pub.PublicKey!).equals(pair.publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
    const sig = await c.send(new SignCommand({ KeyId: md.KeyId, SigningAlgorithm: signing, Message: Buffer.from('m') }));
    expect(nodeVerify(`sha${signing.slice(-3)}`, Buffer.from('m'), { key: pair.publicKey, dsaEncoding: 'der' }, Buffer.from(sig.Signature!))).toBe(true);
  });

  it('an RSA_4096 private key imports with RSA_AES_KEY_WRAP_SHA_256 and decrypts what its public key encrypts (test_import_key_rsa_aes_wrap_sha256)', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 4096 });
    const md = await external({ KeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT' });
    await importMaterial(md.KeyId!, pkcs8(pair), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256', spec: 'RSA_4096' });
    expect(await describeKey(md.KeyId!)).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] });
    const ct = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('rsa'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    const pt = await c.send(new DecryptCommand({ KeyId: md.KeyId, CiphertextBlob: ct.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    expect(Buffer.from(pt.Plaintext!).toString()).toBe('rsa');
  });

  it('an RSA private key cannot be wrapped directly with RSAES_OAEP (too long): the import is InvalidCiphertextException (API_GetParametersForImport)', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const md = await external({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    const params = await c.send(new GetParametersForImportCommand({ KeyId: md.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_4096' }));
    expect(() => wrapKeyMaterial(params.PublicKey!, 'RSAES_OAEP_SHA_256', pkcs8(pair))).toThrow();
  });
});

describe('ImportKeyMaterial errors', () => {
  const material = randomBytes(32);
  it('no ValidTo with the default ExpirationModel (test_import_key_symmetric "import-expiring-key-without-valid-to")', async () => {
    const md = await external();
    const p = await c.send(new GetParametersForImportCommand({ KeyId: md.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    const e = await failure(c.send(new ImportKeyMaterialCommand({ KeyId: md.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapKeyMaterial(p.PublicKey!, 'RSAES_OAEP_SHA_256', material) })));
    expect([e.name, e.message]).toEqual(['ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES']);
  });

  it('a token it never issued, or issued for another key, is InvalidImportTokenException', async () => {
    const a = await external();
    const b = await external();
    const p = await c.send(new GetParametersForImportCommand({ KeyId: a.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    const wrapped = wrapKeyMaterial(p.PublicKey!, 'RSAES_OAEP_SHA_256', material);
    expect((await failure(c.send(new ImportKeyMaterialCommand({ KeyId: a.KeyId, ImportToken: randomBytes(52), EncryptedKeyMaterial: wrapped, ...DOES_NOT_EXPIRE })))).name).toBe('InvalidImportTokenException');
    expect((await failure(c.send(new ImportKeyMaterialCommand({ KeyId: b.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapped, ...DOES_NOT_EXPIRE })))).name).toBe('InvalidImportTokenException');
  });

  it('a token older than 24 hours on the emulator clock is ExpiredImportTokenException', async () => {
    const md = await external();
    const p = await c.send(new GetParametersForImportCommand({ KeyId: md.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    kms.clock.advance({ hours: 25 });
    const e = await failure(c.send(new ImportKeyMaterialCommand({ KeyId: md.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapKeyMaterial(p.PublicKey!, 'RSAES_OAEP_SHA_256', material), ...DOES_NOT_EXPIRE })));
    expect(e.name).toBe('ExpiredImportTokenException');
  });

  it('material wrapped with another algorithm than the token names is InvalidCiphertextException without a message', async () => {
    const md = await external();
    const p = await c.send(new GetParametersForImportCommand({ KeyId: md.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    const e = await failure(c.send(new ImportKeyMaterialCommand({ KeyId: md.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapKeyMaterial(p.PublicKey!, 'RSAES_OAEP_SHA_1', material), ...DOES_NOT_EXPIRE })));
    expect(e.name).toBe('InvalidCiphertextException');
    // The SDK's placeholder for a body without a message, as it says for AWS's own answer.
    expect(e.message).toBe('UnknownError');
  });

  it.each([
    ['16 bytes for a symmetric key', {}, randomBytes(16)],
    ['31 bytes for HMAC_256', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, randomBytes(31)],
    ['a P-384 key for ECC_NIST_P256', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, pkcs8(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }))],
    ['bytes that are no PKCS#8 key for ECC_NIST_P256', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, randomBytes(100)],
  ] as const)('material of the wrong length or kind (%s) is IncorrectKeyMaterialException', async (_what, spec, wrong) => {
    const md = await external(spec as CreateKeyCommandInput);
    const e = await failure(importMaterial(md.KeyId!, wrong));
    expect(e.name).toBe('IncorrectKeyMaterialException');
    expect((await describeKey(md.KeyId!)).KeyState).toBe('PendingImport');
  });

  it('ImportKeyMaterial into an AWS_KMS key is UnsupportedOperationException in AWS words (test_get_parameters_for_import)', async () => {
    const md = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
    const e = await failure(c.send(new ImportKeyMaterialCommand({ KeyId: md.KeyId, ImportToken: randomBytes(10), EncryptedKeyMaterial: randomBytes(10), ...DOES_NOT_EXPIRE })));
    expect([e.name, e.message]).toEqual(['UnsupportedOperationException', `${md.Arn} origin is AWS_KMS which is not valid for this operation.`]);
  });

  it('ValidTo in the past or more than 365 days ahead is ValidationException (API_ImportKeyMaterial ValidTo)', async () => {
    const md = await external();
    for (const validTo of [new Date(kms.clock.nowMs() - 1000), new Date(kms.clock.nowMs() + 366 * 86_400_000)]) {
      const e = await failure(importMaterial(md.KeyId!, material, { extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo } }));
      expect(e.name).toBe('ValidationException');
    }
  });

  it('a second material while one is pending rotation is KMSInvalidStateException in AWS words (test_import_key_material_raises_if_there_is_already_key_material_pending)', async () => {
    const md = await external();
    await importMaterial(md.KeyId!, randomBytes(32));
    const pending = await importMaterial(md.KeyId!, randomBytes(32), { extra: { ImportType: 'NEW_KEY_MATERIAL' } });
    const e = await failure(importMaterial(md.KeyId!, randomBytes(32), { extra: { ImportType: 'NEW_KEY_MATERIAL' } }));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toMatch(new RegExp(`^New key material \\(id: [0-9a-f]{64}\\) cannot be imported into KMS key ${md.KeyId}, because another key material \\(id: ${pending.KeyMaterialId}\\) is pending rotation\\.$`));
  });

  it('different material than the key had is IncorrectKeyMaterialException, for symmetric and asymmetric keys (API_ImportKeyMaterial)', async () => {
    const sym = await external();
    await importMaterial(sym.KeyId!, randomBytes(32));
    expect((await failure(importMaterial(sym.KeyId!, randomBytes(32)))).name).toBe('IncorrectKeyMaterialException');
    const ecc = await external({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await importMaterial(ecc.KeyId!, pkcs8(generateKeyPairSync('ec', { namedCurve: 'prime256v1' })));
    expect((await failure(importMaterial(ecc.KeyId!, pkcs8(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }))))).name).toBe('IncorrectKeyMaterialException');
  });
});

describe('DeleteImportedKeyMaterial and expiry', () => {
  it('delete makes the key PendingImport and its ciphertexts fail until the same material is imported again (test_import_key_symmetric)', async () => {
    const material = randomBytes(32);
    const md = await external();
    const imported = await importMaterial(md.KeyId!, material);
    const ct = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('kept') }));
    const del = await c.send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId }));
    expect(del).toMatchObject({ KeyId: md.Arn, KeyMaterialId: imported.KeyMaterialId });
    const after = await describeKey(md.KeyId!);
    expect(after).toMatchObject({ KeyState: 'PendingImport', Enabled: false, CurrentKeyMaterialId: imported.KeyMaterialId });
    expect(after.ExpirationModel).toBeUndefined();
    const e = await failure(c.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob })));
    expect([e.name, e.message]).toEqual(['KMSInvalidStateException', `${md.Arn} is pending import.`]);
    expect((await failure(c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') })))).name).toBe('KMSInvalidStateException');
    await importMaterial(md.KeyId!, material);
    expect(Buffer.from((await c.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext!).toString()).toBe('kept');
  });

  it('asymmetric material deleted and re-imported signs again with the same public key (test_import_key_ecc_keys "describe-key-after-deleted-import")', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const md = await external({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await importMaterial(md.KeyId!, pkcs8(pair));
    await c.send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId }));
    expect(Object.keys(await describeKey(md.KeyId!)).sort()).toEqual(['AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin', 'SigningAlgorithms']);
    await importMaterial(md.KeyId!, pkcs8(pair));
    const sig = await c.send(new SignCommand({ KeyId: md.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: Buffer.from('m') }));
    expect(nodeVerify('sha256', Buffer.from('m'), { key: pair.publicKey, dsaEncoding: 'der' }, Buffer.from(sig.Signature!))).toBe(true);
  });

  it('material expires at ValidTo on the emulator clock: the key is PendingImport until re-imported (API_ImportKeyMaterial ValidTo)', async () => {
    const material = randomBytes(32);
    const md = await external();
    const validTo = new Date(kms.clock.nowMs() + 2 * 86_400_000);
    await importMaterial(md.KeyId!, material, { extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo } });
    expect(await describeKey(md.KeyId!)).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo });
    const ct = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('p') }));
    kms.clock.advance({ days: 3 });
    expect((await describeKey(md.KeyId!)).KeyState).toBe('PendingImport');
    expect((await failure(c.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob })))).name).toBe('KMSInvalidStateException');
    await importMaterial(md.KeyId!, material);
    expect(Buffer.from((await c.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext!).toString()).toBe('p');
  });

  it('DeleteImportedKeyMaterial of an AWS_KMS key is UnsupportedOperationException (API_DeleteImportedKeyMaterial)', async () => {
    const md = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
    expect((await failure(c.send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId })))).message).toBe(`${md.Arn} origin is AWS_KMS which is not valid for this operation.`);
  });
});

describe('on-demand rotation of imported material (API_RotateKeyOnDemand, API_ListKeyRotations)', () => {
  it('new material waits as PENDING_ROTATION; RotateKeyOnDemand makes it current; old ciphertexts still decrypt (test_rotate_key_on_demand_updates_current_key_material_for_external_keys)', async () => {
    const md = await external();
    const first = await importMaterial(md.KeyId!, randomBytes(32), { extra: { KeyMaterialDescription: 'first' } });
    const old = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('old') }));
    const second = await importMaterial(md.KeyId!, randomBytes(32), { extra: { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'second' } });
    expect(second.KeyMaterialId).not.toBe(first.KeyMaterialId);
    expect((await describeKey(md.KeyId!)).CurrentKeyMaterialId).toBe(first.KeyMaterialId);
    const before = (await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!;
    expect(before.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState, r.KeyMaterialDescription, r.RotationType])).toEqual([
      [first.KeyMaterialId, 'CURRENT', 'IMPORTED', 'first', undefined],
      [second.KeyMaterialId, 'PENDING_ROTATION', 'IMPORTED', 'second', undefined],
    ]);
    expect((await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId }))).Rotations).toEqual([]);
    expect((await c.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId }))).KeyId).toBe(md.Arn);
    expect((await describeKey(md.KeyId!)).CurrentKeyMaterialId).toBe(second.KeyMaterialId);
    const rotations = (await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId }))).Rotations!;
    expect(rotations).toHaveLength(1);
    expect(rotations[0]).toMatchObject({ KeyMaterialId: second.KeyMaterialId, KeyMaterialState: 'CURRENT', RotationType: 'ON_DEMAND', ImportState: 'IMPORTED', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    const fresh = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('new') }));
    expect((await c.send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }))).KeyMaterialId).toBe(second.KeyMaterialId);
    const back = await c.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
    expect([Buffer.from(back.Plaintext!).toString(), back.KeyMaterialId]).toEqual(['old', first.KeyMaterialId]);
  });

  it('RotateKeyOnDemand with no pending material is KMSInvalidStateException in AWS words (test_rotate_key_on_demand_raises_for_no_pending_key_material)', async () => {
    const md = await external();
    await importMaterial(md.KeyId!, randomBytes(32));
    const e = await failure(c.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId })));
    expect([e.name, e.message]).toEqual(['KMSInvalidStateException', `No available key material pending rotation for the key: ${md.Arn}.`]);
  });

  it('deleting the pending material drops it; deleting a rotated-out material makes the key PendingImport (API_DeleteImportedKeyMaterial KeyMaterialId)', async () => {
    const md = await external();
    const first = randomBytes(32);
    const a = await importMaterial(md.KeyId!, first);
    const b = await importMaterial(md.KeyId!, randomBytes(32), { extra: { ImportType: 'NEW_KEY_MATERIAL' } });
    await c.send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId, KeyMaterialId: b.KeyMaterialId }));
    expect((await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!.map((r) => r.KeyMaterialId)).toEqual([a.KeyMaterialId]);
    expect((await describeKey(md.KeyId!)).KeyState).toBe('Enabled');
    const c2 = await importMaterial(md.KeyId!, randomBytes(32), { extra: { ImportType: 'NEW_KEY_MATERIAL' } });
    await c.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId }));
    await c.send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId, KeyMaterialId: a.KeyMaterialId }));
    expect((await describeKey(md.KeyId!)).KeyState).toBe('PendingImport');
    const rows = (await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!;
    expect(rows.map((r) => [r.KeyMaterialId, r.ImportState])).toEqual([[a.KeyMaterialId, 'PENDING_IMPORT'], [c2.KeyMaterialId, 'IMPORTED']]);
    await importMaterial(md.KeyId!, first, { extra: { KeyMaterialId: a.KeyMaterialId } });
    expect((await describeKey(md.KeyId!)).KeyState).toBe('Enabled');
  });

  it('automatic rotation is refused for imported material (it cannot make new material)', async () => {
    const md = await external();
    await importMaterial(md.KeyId!, randomBytes(32));
    const { EnableKeyRotationCommand } = await import('@aws-sdk/client-kms');
    const e = await failure(c.send(new EnableKeyRotationCommand({ KeyId: md.KeyId })));
    expect([e.name, e.message]).toEqual(['UnsupportedOperationException', `${md.Arn} origin is EXTERNAL which is not valid for this operation.`]);
  });
});

describe('multi-Region keys with imported material (API_ImportKeyMaterial, API_ReplicateKey)', () => {
  it('a replica starts without material and takes the primary’s material only', async () => {
    const material = randomBytes(32);
    const md = await external({ MultiRegion: true });
    await importMaterial(md.KeyId!, material);
    const ct = await c.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('mr') }));
    const replica = await c.send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'eu-west-1' }));
    expect(replica.ReplicaKeyMetadata).toMatchObject({ KeyState: 'Creating', Origin: 'EXTERNAL' });
    const eu = kms.client({ region: 'eu-west-1' });
    expect((await eu.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState).toBe('PendingImport');
    expect((await failure(importMaterial(md.KeyId!, randomBytes(32), { client: eu }))).name).toBe('IncorrectKeyMaterialException');
    await importMaterial(md.KeyId!, material, { client: eu });
    expect((await eu.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState).toBe('Enabled');
    expect(Buffer.from((await eu.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext!).toString()).toBe('mr');
  });

  it('new material goes through the primary: rotation waits until every replica imported it', async () => {
    const first = randomBytes(32);
    const second = randomBytes(32);
    const md = await external({ MultiRegion: true });
    await importMaterial(md.KeyId!, first);
    await c.send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'eu-west-1' }));
    const eu = kms.client({ region: 'eu-west-1' });
    await importMaterial(md.KeyId!, first, { client: eu });
    expect((await failure(importMaterial(md.KeyId!, second, { client: eu, extra: { ImportType: 'NEW_KEY_MATERIAL' } }))).name).toBe('UnsupportedOperationException');
    const pending = await importMaterial(md.KeyId!, second, { extra: { ImportType: 'NEW_KEY_MATERIAL' } });
    const states = async () => (await c.send(new ListKeyRotationsCommand({ KeyId: md.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!.map((r) => r.KeyMaterialState);
    expect(await states()).toEqual(['CURRENT', 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION']);
    expect((await failure(c.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId })))).name).toBe('KMSInvalidStateException');
    await importMaterial(md.KeyId!, second, { client: eu });
    expect(await states()).toEqual(['CURRENT', 'PENDING_ROTATION']);
    await c.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId }));
    expect((await eu.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.CurrentKeyMaterialId).toBe(pending.KeyMaterialId);
  });
});

describe('imported keys persist and seed', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmskit-import-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a restart keeps imported, deleted and pending material, sealed in the state file', async () => {
    const stateFile = join(dir, 'state.json');
    const domainKey = randomBytes(32);
    const a = await emulator({ stateFile, domainKey });
    const ac = a.client();
    const material = randomBytes(32);
    const md = (await ac.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    const deleted = (await ac.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    const first = await importMaterial(md.KeyId!, material, { client: ac });
    await importMaterial(deleted.KeyId!, randomBytes(32), { client: ac });
    await ac.send(new DeleteImportedKeyMaterialCommand({ KeyId: deleted.KeyId }));
    const pending = await importMaterial(md.KeyId!, randomBytes(32), { client: ac, extra: { ImportType: 'NEW_KEY_MATERIAL' } });
    const ct = await ac.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('persisted') }));
    await a.close();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(stateFile, 'utf8')).not.toContain(material.toString('base64'));
    const b = await emulator({ stateFile, domainKey });
    const bc = b.client();
    expect(Buffer.from((await bc.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext!).toString()).toBe('persisted');
    expect((await bc.send(new DescribeKeyCommand({ KeyId: deleted.KeyId }))).KeyMetadata!.KeyState).toBe('PendingImport');
    const rows = (await bc.send(new ListKeyRotationsCommand({ KeyId: md.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations!;
    expect(rows.map((r) => [r.KeyMaterialId, r.KeyMaterialState])).toEqual([[first.KeyMaterialId, 'CURRENT'], [pending.KeyMaterialId, 'PENDING_ROTATION']]);
    await b.close();
  });

  it('seed files create EXTERNAL keys: with material (imported, re-importable) or without (PendingImport)', async () => {
    const material = randomBytes(32);
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const seeded = await emulator({
      seed: {
        keys: [
          { id: '11111111-2222-3333-4444-555555555555', origin: 'EXTERNAL', material: material.toString('hex') },
          { id: '11111111-2222-3333-4444-666666666666', origin: 'EXTERNAL' },
          { id: '11111111-2222-3333-4444-777777777777', origin: 'EXTERNAL', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', material: pkcs8(pair).toString('base64'), expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: '2099-01-01T00:00:00Z' },
        ],
      },
    });
    const sc = seeded.client();
    const withMaterial = (await sc.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }))).KeyMetadata!;
    expect(withMaterial).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    expect((await sc.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-666666666666' }))).KeyMetadata!.KeyState).toBe('PendingImport');
    expect((await sc.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-777777777777' }))).KeyMetadata).toMatchObject({ ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date('2099-01-01T00:00:00Z') });
    const pub = await sc.send(new GetPublicKeyCommand({ KeyId: '11111111-2222-3333-4444-777777777777' }));
    expect(Buffer.from(pub.PublicKey!).equals(pair.publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
    // The seeded material id is the one ImportKeyMaterial derives: re-importing it matches.
    const again = await importMaterial('11111111-2222-3333-4444-555555555555', material, { client: sc });
    expect(again.KeyMaterialId).toBe(withMaterial.CurrentKeyMaterialId);
  });
});
