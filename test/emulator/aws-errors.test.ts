/**
 * Errors exactly as AWS sends them: code and message, and no message at all where AWS sends none.
 * Each row names the recording it follows: LocalStack's AWS-validated snapshots
 * (tests/aws/services/kms/test_kms.snapshot.json in localstack/localstack, test name and snapshot
 * key), or the API reference / developer guide page.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { DecryptCommand, KMSClient, VerifyCommand } from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';
import { startServer, type RunningServer } from '../../emulator/server.js';
import { kmsCall } from '../helpers/http.js';
import { ACCOUNT, emulator } from './helpers.js';

type Wire = Record<string, any>;
const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

let kms: Emulator;
const keys: Record<string, { KeyId: string; Arn: string }> = {};
const create = async (name: string, input: object): Promise<void> => {
  keys[name] = ((await kms.send('CreateKey', input)) as Wire).KeyMetadata;
};

beforeAll(async () => {
  kms = await emulator();
  await create('sym', {});
  await create('rsa', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  await create('rsa3072', { KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' });
  await create('rsa4096', { KeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT' });
  await create('ecc', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  await create('hmac224', { KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' });
  await create('hmac256', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  await create('agree', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
  await create('external', { Origin: 'EXTERNAL' });
  await create('mrk', { MultiRegion: true });
  await kms.send('ReplicateKey', { KeyId: keys.mrk!.KeyId, ReplicaRegion: 'eu-west-1' });
  await kms.send('DescribeKey', { KeyId: keys.sym!.KeyId }); // the replica finishes Creating
});

interface Row {
  name: string;
  source: string;
  call: () => Promise<unknown>;
  code: string;
  /** AWS's exact words, or null where AWS sends no message. */
  message: string | null | ((k: typeof keys) => string);
}

const enc = (key: string, plaintext: Buffer | string, algorithm?: string): Promise<unknown> =>
  kms.send('Encrypt', { KeyId: keys[key]!.KeyId, Plaintext: b64(plaintext), ...(algorithm ? { EncryptionAlgorithm: algorithm } : {}) });

const rows: Row[] = [
  { name: 'GenerateRandom without NumberOfBytes', source: 'test_generate_random_invalid_number_of_bytes[None]', call: () => kms.send('GenerateRandom', {}), code: 'ValidationException', message: 'NumberOfBytes is required.' },
  {
    name: 'GenerateRandom with 0 bytes',
    source: 'test_generate_random_invalid_number_of_bytes[0]',
    call: () => kms.send('GenerateRandom', { NumberOfBytes: 0 }),
    code: 'ValidationException',
    message: "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
  },
  {
    name: 'GenerateRandom with 1025 bytes',
    source: 'test_generate_random_invalid_number_of_bytes[1025]',
    call: () => kms.send('GenerateRandom', { NumberOfBytes: 1025 }),
    code: 'ValidationException',
    message: "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
  },
  ...(
    [
      ['rsa', 'RSAES_OAEP_SHA_1', 'RSA_2048', 214],
      ['rsa', 'RSAES_OAEP_SHA_256', 'RSA_2048', 190],
      ['rsa3072', 'RSAES_OAEP_SHA_1', 'RSA_3072', 342],
      ['rsa3072', 'RSAES_OAEP_SHA_256', 'RSA_3072', 318],
      ['rsa4096', 'RSAES_OAEP_SHA_1', 'RSA_4096', 470],
      ['rsa4096', 'RSAES_OAEP_SHA_256', 'RSA_4096', 446],
    ] as const
  ).map(([key, alg, spec, limit]): Row => ({
    name: `Encrypt ${limit + 1} bytes with ${spec} and ${alg}`,
    source: `test_encrypt_validate_plaintext_size_per_key_type[${spec}-${alg}]`,
    call: () => enc(key, Buffer.alloc(limit + 1), alg),
    code: 'ValidationException',
    message: `Algorithm ${alg} and key spec ${spec} cannot encrypt data larger than ${limit} bytes.`,
  })),
  {
    name: 'CreateAlias without the alias/ prefix',
    source: 'test_create_alias',
    call: () => kms.send('CreateAlias', { AliasName: 'orders', TargetKeyId: keys.sym!.KeyId }),
    code: 'ValidationException',
    message: 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
  },
  {
    name: 'CreateKey HMAC_256 without KeyUsage',
    source: 'test_hmac_create_key_invalid_operations "create-hmac-key-without-key-usage"',
    call: () => kms.send('CreateKey', { KeySpec: 'HMAC_256' }),
    code: 'ValidationException',
    message: 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
  },
  {
    name: 'CreateKey with a KeySpec outside the enum lists the specs in AWS order (recorded ones first)',
    source: 'test_hmac_create_key_invalid_operations "create-hmac-key-invalid-spec"',
    call: () => kms.send('CreateKey', { KeySpec: 'HMAC_random', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    code: 'ValidationException',
    message:
      "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, HMAC_384, RSA_3072, ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512, SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87, ECC_NIST_EDWARDS25519]",
  },
  {
    name: 'CreateKey with a KeyUsage outside the enum',
    source: 'test_hmac_create_key_invalid_operations "create-hmac-key-invalid-key-usage"',
    call: () => kms.send('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'RANDOM' }),
    code: 'ValidationException',
    message: "1 validation error detected: Value 'RANDOM' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT]",
  },
  {
    name: 'CreateKey RSA_2048 for KEY_AGREEMENT',
    source: 'test_derive_shared_secret "response-invalid-key-spec"',
    call: () => kms.send('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' }),
    code: 'ValidationException',
    message: 'KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048',
  },
  {
    name: 'GenerateMac with an algorithm of another HMAC spec',
    source: 'test_invalid_generate_mac[HMAC_224-HMAC_SHA_256]',
    call: () => kms.send('GenerateMac', { KeyId: keys.hmac224!.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('m') }),
    code: 'InvalidKeyUsageException',
    message: 'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.',
  },
  {
    name: 'GenerateMac with an algorithm outside the enum',
    source: 'test_invalid_generate_mac[HMAC_256-INVALID]',
    call: () => kms.send('GenerateMac', { KeyId: keys.hmac256!.KeyId, MacAlgorithm: 'INVALID', Message: b64('m') }),
    code: 'ValidationException',
    message: "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]",
  },
  {
    name: 'VerifyMac of a wrong MAC has no message',
    source: 'test_invalid_verify_mac[HMAC_256-HMAC_SHA_256-some different important message]',
    call: () => kms.send('VerifyMac', { KeyId: keys.hmac256!.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('m'), Mac: b64(Buffer.alloc(32)) }),
    code: 'KMSInvalidMacException',
    message: null,
  },
  {
    name: 'GenerateMac with an ENCRYPT_DECRYPT key',
    source: 'test_error_messaging_for_invalid_keys "generate-mac-invalid-key-id"',
    call: () => kms.send('GenerateMac', { KeyId: keys.sym!.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('m') }),
    code: 'InvalidKeyUsageException',
    message: (k) => `${k.sym!.Arn} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`,
  },
  {
    name: 'Sign with a GENERATE_VERIFY_MAC key',
    source: 'test_error_messaging_for_invalid_keys "sign-invalid-key-id"',
    call: () => kms.send('Sign', { KeyId: keys.hmac256!.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: b64('m') }),
    code: 'InvalidKeyUsageException',
    message: (k) => `${k.hmac256!.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Sign.`,
  },
  {
    name: 'Verify with an ENCRYPT_DECRYPT key',
    source: 'test_error_messaging_for_invalid_keys "verify-invalid-key-id"',
    call: () => kms.send('Verify', { KeyId: keys.sym!.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: b64('m'), Signature: b64('s') }),
    code: 'InvalidKeyUsageException',
    message: (k) => `${k.sym!.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Verify.`,
  },
  {
    name: 'Encrypt with a SIGN_VERIFY key',
    source: 'test_error_messaging_for_invalid_keys "encrypt-invalid-key-id"',
    call: () => enc('ecc', 'm'),
    code: 'InvalidKeyUsageException',
    message: (k) => `${k.ecc!.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
  },
  {
    name: 'DeriveSharedSecret with a SIGN_VERIFY key',
    source: 'test_derive_shared_secret "response-invalid-key-usage"',
    call: () => kms.send('DeriveSharedSecret', { KeyId: keys.ecc!.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64('x') }),
    code: 'InvalidKeyUsageException',
    message: (k) => `${k.ecc!.Arn} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`,
  },
  {
    name: 'DeriveSharedSecret with a symmetric key',
    source: 'test_derive_shared_secret "response-invalid-key"',
    call: () => kms.send('DeriveSharedSecret', { KeyId: keys.sym!.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64('x') }),
    code: 'InvalidKeyUsageException',
    message: (k) => `${k.sym!.Arn} key usage is ENCRYPT_DECRYPT which is not valid for DeriveSharedSecret.`,
  },
  {
    name: 'DeriveSharedSecret with an algorithm outside the enum',
    source: 'test_derive_shared_secret "response-invalid-key-agreement-algo"',
    call: () => kms.send('DeriveSharedSecret', { KeyId: keys.agree!.KeyId, KeyAgreementAlgorithm: 'INVALID', PublicKey: b64('x') }),
    code: 'ValidationException',
    message: "1 validation error detected: Value 'INVALID' at 'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ECDH]",
  },
  {
    name: 'DeriveSharedSecret with a public key that is not one has no message',
    source: 'test_derive_shared_secret "response-invalid-public-key"',
    call: () => kms.send('DeriveSharedSecret', { KeyId: keys.agree!.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64('InvalidPublicKey') }),
    code: 'ValidationException',
    message: null,
  },
  {
    name: 'Sign a DIGEST of the wrong length',
    source: 'test_sign_verify[ECC_NIST_P256-ECDSA_SHA_256] "bad-digest"',
    call: () => kms.send('Sign', { KeyId: keys.ecc!.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'DIGEST', Message: b64(Buffer.alloc(20)) }),
    code: 'ValidationException',
    message: 'Digest is invalid length for algorithm ECDSA_SHA_256.',
  },
  {
    name: 'Verify a wrong signature has no message',
    source: 'test_sign_verify[ECC_NIST_P256-ECDSA_SHA_256] "bad-signature"',
    call: () => kms.send('Verify', { KeyId: keys.ecc!.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: b64('m'), Signature: b64(Buffer.alloc(70)) }),
    code: 'KMSInvalidSignatureException',
    message: null,
  },
  {
    name: 'Decrypt garbage has no message',
    source: 'test_encrypt_decrypt_encryption_context "decrypt_response_with_invalid_ciphertext"',
    call: () => kms.send('Decrypt', { CiphertextBlob: b64('definitely not a ciphertext') }),
    code: 'InvalidCiphertextException',
    message: null,
  },
  {
    name: 'Decrypt without the encryption context has no message',
    source: 'test_encrypt_decrypt_encryption_context "decrypt_response_without_encryption_context"',
    call: async () => {
      const ct = (await kms.send('Encrypt', { KeyId: keys.sym!.KeyId, Plaintext: b64('p'), EncryptionContext: { a: 'b' } })) as Wire;
      return kms.send('Decrypt', { CiphertextBlob: ct.CiphertextBlob });
    },
    code: 'InvalidCiphertextException',
    message: null,
  },
  {
    name: 'Decrypt a tampered ciphertext has no message',
    source: 'test_key_rotations_encryption_decryption "bad-ciphertext"',
    call: async () => {
      const ct = Buffer.from(((await enc('sym', 'p')) as Wire).CiphertextBlob, 'base64');
      ct[ct.length - 1]! ^= 1;
      return kms.send('Decrypt', { CiphertextBlob: ct.toString('base64') });
    },
    code: 'InvalidCiphertextException',
    message: null,
  },
  {
    name: 'Decrypt with the KeyId of another key',
    source: 'test_error_messaging_for_invalid_keys "decrypt-invalid-key-id"',
    call: async () => kms.send('Decrypt', { CiphertextBlob: ((await enc('sym', 'p')) as Wire).CiphertextBlob, KeyId: keys.ecc!.KeyId }),
    code: 'IncorrectKeyException',
    message: 'The key ID in the request does not identify a CMK that can perform this operation.',
  },
  {
    name: 'ReEncrypt naming an HMAC key as the source',
    source: 'test_re_encrypt_incorrect_source_key',
    call: async () => kms.send('ReEncrypt', { CiphertextBlob: ((await enc('sym', 'p')) as Wire).CiphertextBlob, SourceKeyId: keys.hmac224!.KeyId, DestinationKeyId: keys.hmac224!.KeyId }),
    code: 'IncorrectKeyException',
    message: 'The key ID in the request does not identify a CMK that can perform this operation.',
  },
  {
    name: 'RotateKeyOnDemand of a non-symmetric key has no message',
    source: 'test_rotate_key_on_demand_raises_error_given_non_symmetric_key',
    call: () => kms.send('RotateKeyOnDemand', { KeyId: keys.rsa!.KeyId }),
    code: 'UnsupportedOperationException',
    message: null,
  },
  {
    name: 'EnableKeyRotation of a non-symmetric key has no message (as RotateKeyOnDemand)',
    source: 'test_rotate_key_on_demand_raises_error_given_non_symmetric_key',
    call: () => kms.send('EnableKeyRotation', { KeyId: keys.hmac256!.KeyId }),
    code: 'UnsupportedOperationException',
    message: null,
  },
  {
    name: 'DescribeKey of a key ARN of another region',
    source: 'test_get_key_in_different_region "describe-key-diff-region-with-arn"',
    call: () => kms.send('DescribeKey', { KeyId: keys.sym!.Arn }, { region: 'eu-central-1' }),
    code: 'NotFoundException',
    message: 'Invalid arn us-east-1',
  },
  {
    name: 'DescribeKey of a key id of another region',
    source: 'test_get_key_in_different_region "describe-key-diff-region-with-id"',
    call: () => kms.send('DescribeKey', { KeyId: keys.sym!.KeyId }, { region: 'eu-central-1' }),
    code: 'NotFoundException',
    message: (k) => `Key 'arn:aws:kms:eu-central-1:${ACCOUNT}:key/${k.sym!.KeyId}' does not exist`,
  },
  {
    name: 'DescribeKey of an id that is no key id',
    source: 'test_get_key_invalid_uuid "describe-key-with-invalid-uuid"',
    call: () => kms.send('DescribeKey', { KeyId: 'fake-key-id' }),
    code: 'NotFoundException',
    message: "Invalid keyId 'fake-key-id'",
  },
  {
    name: 'ReplicateKey of a replica',
    source: 'test_replicate_replica_key_should_fail',
    call: () => kms.send('ReplicateKey', { KeyId: keys.mrk!.KeyId, ReplicaRegion: 'ap-southeast-1' }, { region: 'eu-west-1' }),
    code: 'UnsupportedOperationException',
    message: (k) => `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${k.mrk!.KeyId} is not a multi-region primary key.`,
  },
  {
    name: 'TagResource with the same key twice',
    source: 'test_tag_key_with_duplicate_tag_keys_raises_error',
    call: () => kms.send('TagResource', { KeyId: keys.sym!.KeyId, Tags: [{ TagKey: 'tag1', TagValue: 'value1' }, { TagKey: 'tag1', TagValue: 'another-value1' }] }),
    code: 'TagException',
    message: 'Duplicate tag keys',
  },
  {
    name: 'CreateKey with 51 tags',
    source: 'test_create_key_with_too_many_tags_raises_error',
    call: () => kms.send('CreateKey', { Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `key${i}`, TagValue: `value${i}` })) }),
    code: 'TagException',
    message: 'Too many tags',
  },
  {
    name: 'TagResource with an aws: tag key',
    source: 'test_tag_existing_key_with_invalid_tag_key',
    call: () => kms.send('TagResource', { KeyId: keys.sym!.KeyId, Tags: [{ TagKey: 'aws:tag', TagValue: 'v' }] }),
    code: 'TagException',
    message: 'Tags beginning with aws: are reserved',
  },
  {
    name: 'CreateKey with an AWS: tag key (upper case)',
    source: 'test_create_key_with_invalid_tag_key[uppercase_prefix]',
    call: () => kms.send('CreateKey', { Tags: [{ TagKey: 'AWS:tag', TagValue: 'v' }] }),
    code: 'TagException',
    message: 'Tags beginning with aws: are reserved',
  },
  {
    name: 'CreateKey with a 129-character tag key',
    source: 'test_create_key_with_invalid_tag_key[too_long_key]',
    call: () => kms.send('CreateKey', { Tags: [{ TagKey: 'a'.repeat(129), TagValue: 'v' }] }),
    code: 'ValidationException',
    message: `1 validation error detected: Value '${'a'.repeat(129)}' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
  },
  {
    name: 'Encrypt with a key pending import',
    source: 'test_import_key_symmetric "encrypt-before-import-error"',
    call: () => enc('external', 'p'),
    code: 'KMSInvalidStateException',
    message: (k) => `${k.external!.Arn} is pending import.`,
  },
  {
    name: 'RotateKeyOnDemand of an EXTERNAL key without material',
    source: 'test_rotate_key_on_demand_on_external_key_with_no_key_material[SYMMETRIC_DEFAULT]',
    call: () => kms.send('RotateKeyOnDemand', { KeyId: keys.external!.KeyId }),
    code: 'KMSInvalidStateException',
    message: (k) => `${k.external!.Arn} is pending import.`,
  },
  {
    name: 'GetParametersForImport of an AWS_KMS key',
    source: 'test_get_parameters_for_import_raises_for_non_external_kms_keys',
    call: () => kms.send('GetParametersForImport', { KeyId: keys.sym!.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
    code: 'UnsupportedOperationException',
    message: (k) => `${k.sym!.Arn} origin is AWS_KMS which is not valid for this operation.`,
  },
  {
    name: 'GenerateDataKeyPair with DryRun',
    source: 'test_generate_data_key_pair_dry_run',
    call: () => kms.send('GenerateDataKeyPair', { KeyId: keys.sym!.KeyId, KeyPairSpec: 'RSA_2048', DryRun: true }),
    code: 'DryRunOperationException',
    message: 'The request would have succeeded, but the DryRun option is set.',
  },
  {
    name: 'a custom key store operation',
    source: 'API_CreateCustomKeyStore (kmskit emulates no custom key stores)',
    call: () => kms.send('CreateCustomKeyStore', { CustomKeyStoreName: 'store' }),
    code: 'UnsupportedOperationException',
    message: 'CreateCustomKeyStore is not supported: kmskit does not emulate custom key stores (AWS CloudHSM or external key stores).',
  },
];

describe('errors as AWS sends them (kms.send)', () => {
  it.each(rows.map((r) => [`${r.name} (${r.source})`, r] as const))('%s', async (_label, row) => {
    let error: { code?: string; message?: string; detail?: string } | undefined;
    try {
      await row.call();
    } catch (e) {
      error = e as typeof error;
    }
    expect(error, 'the call must fail').toBeDefined();
    expect(error!.code).toBe(row.code);
    if (row.message === null) {
      expect(error!.message).toBe('');
      // kmskit's own explanation is kept where a user finds it, not in the AWS body.
      expect(error!.detail).toMatch(/^kmskit: /);
    } else {
      expect(error!.message).toBe(typeof row.message === 'function' ? row.message(keys) : row.message);
    }
  });

  it('a message-less error leaves its explanation in the audit event and no errorMessage', async () => {
    await kms.send('Decrypt', { CiphertextBlob: b64('nope') }).catch(() => undefined);
    const event = kms.audit.events().at(-1)!;
    expect(event).toMatchObject({ eventName: 'Decrypt', errorCode: 'InvalidCiphertextException', kmskitDetail: expect.stringMatching(/not one kmskit made/) });
    expect(event).not.toHaveProperty('errorMessage');
  });
});

describe('errors on the wire', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ emulator: kms, port: 0 });
  });
  afterAll(() => server.close());

  it('sends no message member where AWS sends none, and the explanation in x-kmskit-detail', async () => {
    const res = await kmsCall(server.url, 'Decrypt', { CiphertextBlob: b64('definitely not a ciphertext') });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'InvalidCiphertextException' });
    expect(res.headers['x-amzn-errortype']).toBe('InvalidCiphertextException');
    expect(res.headers['x-kmskit-detail']).toMatch(/^kmskit: /);
  });

  it('keeps the message member where AWS sends one', async () => {
    const res = await kmsCall(server.url, 'GenerateRandom', {});
    expect(res.json).toEqual({ __type: 'ValidationException', message: 'NumberOfBytes is required.' });
    expect(res.headers['x-kmskit-detail']).toBeUndefined();
  });

  it('the JS SDK raises the typed exception with no message, over HTTP and in-process', async () => {
    const http = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' } });
    for (const client of [http, kms.client()]) {
      const e = (await client.send(new DecryptCommand({ CiphertextBlob: Buffer.from('nope') })).catch((x: unknown) => x)) as { name: string; message: string; $response?: { headers: Record<string, string> } };
      expect(e.name).toBe('InvalidCiphertextException');
      expect(e.message ?? '').not.toMatch(/kmskit/);
      const v = (await client.send(new VerifyCommand({ KeyId: keys.ecc!.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: Buffer.from('m'), Signature: Buffer.alloc(70) })).catch((x: unknown) => x)) as { name: string };
      expect(v.name).toBe('KMSInvalidSignatureException');
    }
  });
});
