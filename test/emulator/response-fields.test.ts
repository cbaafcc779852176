/**
 * Response members exactly as AWS sends them: which members are present, and which AWS omits
 * when empty. The expected member sets are those of LocalStack's AWS-validated recordings
 * (test_kms.snapshot.json, test name and key given per row), plus members botocore's current
 * model documents that the recordings predate (KeyMaterialId on GenerateDataKey*,
 * SourceKeyMaterialId/DestinationKeyMaterialId on ReEncrypt). Also ReplicateKey's replica,
 * UpdatePrimaryRegion and GetKeyLastUsage.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/emulator.js';
import { allOperationNames, kmsModel } from '../../emulator/core/model/index.js';
import { operations } from '../../emulator/core/operations/index.js';
import { APP, emulator, failure, keyPolicy, rootStatement } from './helpers.js';

type Wire = Record<string, any>;
const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
const members = (o: object): string[] => Object.keys(o).sort();

let kms: Emulator;
const k: Record<string, Wire> = {};
beforeAll(async () => {
  kms = await emulator();
  const make = async (name: string, input: object) => (k[name] = ((await kms.send('CreateKey', input)) as Wire).KeyMetadata);
  await make('sym', { Description: 'test key 123' });
  await make('hmac', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'test key' });
  await make('ecc', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  await make('rsa', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  await make('agree', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
  await make('mrk', { MultiRegion: true, Description: 'test multi region key' });
});

const SYMMETRIC_METADATA = ['AWSAccountId', 'Arn', 'CreationDate', 'CurrentKeyMaterialId', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'EncryptionAlgorithms', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin'];

describe('members as the recordings show them', () => {
  const rows: Array<[string, string, () => Promise<Wire>, string[]]> = [
    ['CreateKey symmetric', 'test_create_key "describe-key"', async () => k.sym!, SYMMETRIC_METADATA],
    ['CreateKey HMAC: no CurrentKeyMaterialId', 'test_hmac_create_key "create-hmac-key"', async () => k.hmac!, ['AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MacAlgorithms', 'MultiRegion', 'Origin']],
    ['CreateKey multi-Region primary: empty ReplicaKeys is sent', 'test_create_multi_region_key', async () => k.mrk!, [...SYMMETRIC_METADATA, 'MultiRegionConfiguration'].sort()],
    ['a single-Region key has no MultiRegionConfiguration', 'test_non_multi_region_keys_should_not_have_multi_region_properties', async () => ((await kms.send('DescribeKey', { KeyId: k.sym!.KeyId })) as Wire).KeyMetadata, SYMMETRIC_METADATA],
    ['Encrypt', 'test_encrypt_decrypt_encryption_context "encrypt_response"', () => kms.send('Encrypt', { KeyId: k.sym!.KeyId, Plaintext: b64('p') }) as Promise<Wire>, ['CiphertextBlob', 'EncryptionAlgorithm', 'KeyId']],
    [
      'Decrypt',
      'test_encrypt_decrypt_encryption_context "decrypt_response_with_encryption_context"',
      async () => kms.send('Decrypt', { CiphertextBlob: ((await kms.send('Encrypt', { KeyId: k.sym!.KeyId, Plaintext: b64('p') })) as Wire).CiphertextBlob }) as Promise<Wire>,
      ['EncryptionAlgorithm', 'KeyId', 'KeyMaterialId', 'Plaintext'],
    ],
    ['GenerateDataKey (+ KeyMaterialId of the current model)', 'test_generate_data_key', () => kms.send('GenerateDataKey', { KeyId: k.sym!.KeyId, KeySpec: 'AES_256' }) as Promise<Wire>, ['CiphertextBlob', 'KeyId', 'KeyMaterialId', 'Plaintext']],
    ['GenerateDataKeyWithoutPlaintext (+ KeyMaterialId)', 'test_generate_data_key_without_plaintext', () => kms.send('GenerateDataKeyWithoutPlaintext', { KeyId: k.sym!.KeyId, KeySpec: 'AES_256' }) as Promise<Wire>, ['CiphertextBlob', 'KeyId', 'KeyMaterialId']],
    ['GenerateDataKeyPair (+ KeyMaterialId)', 'test_generate_data_key_pair', () => kms.send('GenerateDataKeyPair', { KeyId: k.sym!.KeyId, KeyPairSpec: 'ECC_NIST_P256' }) as Promise<Wire>, ['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PrivateKeyPlaintext', 'PublicKey']],
    ['GenerateDataKeyPairWithoutPlaintext (+ KeyMaterialId)', 'test_generate_data_key_pair_without_plaintext', () => kms.send('GenerateDataKeyPairWithoutPlaintext', { KeyId: k.sym!.KeyId, KeyPairSpec: 'ECC_NIST_P256' }) as Promise<Wire>, ['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PublicKey']],
    [
      'ReEncrypt symmetric (+ Source/DestinationKeyMaterialId)',
      'test_re_encrypt[SYMMETRIC_DEFAULT-SYMMETRIC_DEFAULT]',
      async () => kms.send('ReEncrypt', { CiphertextBlob: ((await kms.send('Encrypt', { KeyId: k.sym!.KeyId, Plaintext: b64('p') })) as Wire).CiphertextBlob, DestinationKeyId: k.sym!.KeyId }) as Promise<Wire>,
      ['CiphertextBlob', 'DestinationEncryptionAlgorithm', 'DestinationKeyMaterialId', 'KeyId', 'SourceEncryptionAlgorithm', 'SourceKeyId', 'SourceKeyMaterialId'],
    ],
    [
      'ReEncrypt RSA: no material ids',
      'test_re_encrypt[RSA_2048-RSAES_OAEP_SHA_256]',
      async () => {
        const ct = ((await kms.send('Encrypt', { KeyId: k.rsa!.KeyId, Plaintext: b64('p'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })) as Wire).CiphertextBlob;
        return kms.send('ReEncrypt', { CiphertextBlob: ct, SourceKeyId: k.rsa!.KeyId, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationKeyId: k.rsa!.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }) as Promise<Wire>;
      },
      ['CiphertextBlob', 'DestinationEncryptionAlgorithm', 'KeyId', 'SourceEncryptionAlgorithm', 'SourceKeyId'],
    ],
    ['Sign', 'test_sign_verify[ECC_NIST_P256-ECDSA_SHA_256] "signature"', () => kms.send('Sign', { KeyId: k.ecc!.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: b64('m') }) as Promise<Wire>, ['KeyId', 'Signature', 'SigningAlgorithm']],
    [
      'Verify',
      'test_sign_verify[ECC_NIST_P256-ECDSA_SHA_256] "verification"',
      async () => {
        const sig = ((await kms.send('Sign', { KeyId: k.ecc!.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: b64('m') })) as Wire).Signature;
        return kms.send('Verify', { KeyId: k.ecc!.KeyId, SigningAlgorithm: 'ECDSA_SHA_256', Message: b64('m'), Signature: sig }) as Promise<Wire>;
      },
      ['KeyId', 'SignatureValid', 'SigningAlgorithm'],
    ],
    ['GenerateMac', 'test_generate_and_verify_mac[HMAC_256-HMAC_SHA_256] "generate-mac"', () => kms.send('GenerateMac', { KeyId: k.hmac!.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('m') }) as Promise<Wire>, ['KeyId', 'Mac', 'MacAlgorithm']],
    [
      'VerifyMac',
      'test_generate_and_verify_mac[HMAC_256-HMAC_SHA_256] "verify-mac"',
      async () => {
        const mac = ((await kms.send('GenerateMac', { KeyId: k.hmac!.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('m') })) as Wire).Mac;
        return kms.send('VerifyMac', { KeyId: k.hmac!.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('m'), Mac: mac }) as Promise<Wire>;
      },
      ['KeyId', 'MacAlgorithm', 'MacValid'],
    ],
    [
      'DeriveSharedSecret',
      'test_derive_shared_secret "response"',
      async () => kms.send('DeriveSharedSecret', { KeyId: k.agree!.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: ((await kms.send('GetPublicKey', { KeyId: k.agree!.KeyId })) as Wire).PublicKey }) as Promise<Wire>,
      ['KeyAgreementAlgorithm', 'KeyId', 'KeyOrigin', 'SharedSecret'],
    ],
    ['RotateKeyOnDemand answers the key ARN', 'test_rotate_on_demand_returns_arn_for_key_id', () => kms.send('RotateKeyOnDemand', { KeyId: k.sym!.KeyId }) as Promise<Wire>, ['KeyId']],
    [
      'GetParametersForImport',
      'test_rotate_key_on_demand_updates_current_key_material_for_external_keys "get-import-parameters-response"',
      async () => {
        const ext = ((await kms.send('CreateKey', { Origin: 'EXTERNAL' })) as Wire).KeyMetadata;
        return kms.send('GetParametersForImport', { KeyId: ext.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }) as Promise<Wire>;
      },
      ['ImportToken', 'KeyId', 'ParametersValidTo', 'PublicKey'],
    ],
  ];
  it.each(rows.map(([name, source, call, expected]) => [`${name} (${source})`, call, expected] as const))('%s', async (_label, call, expected) => {
    expect(members(await call())).toEqual(expected);
  });

  it('ListResourceTags sends an empty Tags list, not none (test_tag_existing_key_and_untag "list-resource-tags-after-all-untagged")', async () => {
    expect(((await kms.send('ListResourceTags', { KeyId: k.sym!.KeyId })) as Wire).Tags).toEqual([]);
  });
});

describe('ReplicateKey answers as AWS did (test_replicate_key)', () => {
  it('the replica is Creating, not Enabled, with no CurrentKeyMaterialId, no copy of the description and no ReplicaTags; Enabled by the next request', async () => {
    const out = (await kms.send('ReplicateKey', { KeyId: k.mrk!.KeyId, ReplicaRegion: 'ap-southeast-1' })) as Wire;
    expect(members(out)).toEqual(['ReplicaKeyMetadata', 'ReplicaPolicy']);
    const md = out.ReplicaKeyMetadata;
    expect(md).toMatchObject({ KeyState: 'Creating', Enabled: false, Description: '', MultiRegion: true });
    expect(members(md)).toEqual(['AWSAccountId', 'Arn', 'CreationDate', 'CustomerMasterKeySpec', 'Description', 'Enabled', 'EncryptionAlgorithms', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'MultiRegionConfiguration', 'Origin']);
    expect(md.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Arn: k.mrk!.Arn, Region: 'us-east-1' },
      ReplicaKeys: [{ Arn: md.Arn, Region: 'ap-southeast-1' }],
    });
    expect(JSON.parse(out.ReplicaPolicy)).toMatchObject({ Id: 'key-default-1' });
    const primary = ((await kms.send('DescribeKey', { KeyId: k.mrk!.KeyId })) as Wire).KeyMetadata;
    expect(primary.MultiRegionConfiguration.ReplicaKeys).toEqual([{ Arn: md.Arn, Region: 'ap-southeast-1' }]);
    const replica = ((await kms.send('DescribeKey', { KeyId: k.mrk!.KeyId }, { region: 'ap-southeast-1' })) as Wire).KeyMetadata;
    expect(replica).toMatchObject({ KeyState: 'Enabled', Enabled: true, CurrentKeyMaterialId: primary.CurrentKeyMaterialId, Description: '' });
  });

  it('tags and a description passed to ReplicateKey come back', async () => {
    const out = (await kms.send('ReplicateKey', { KeyId: k.mrk!.KeyId, ReplicaRegion: 'eu-north-1', Description: 'eu copy', Tags: [{ TagKey: 'team', TagValue: 'x' }] })) as Wire;
    expect(out.ReplicaTags).toEqual([{ TagKey: 'team', TagValue: 'x' }]);
    expect(out.ReplicaKeyMetadata.Description).toBe('eu copy');
  });
});

describe('UpdatePrimaryRegion (API_UpdatePrimaryRegion)', () => {
  it('swaps primary and replica; ARNs stay; both decrypt each other’s ciphertexts; rotation settings move to the new primary', async () => {
    const md = ((await kms.send('CreateKey', { MultiRegion: true })) as Wire).KeyMetadata;
    await kms.send('EnableKeyRotation', { KeyId: md.KeyId, RotationPeriodInDays: 180 });
    const rep = ((await kms.send('ReplicateKey', { KeyId: md.KeyId, ReplicaRegion: 'eu-west-1' })) as Wire).ReplicaKeyMetadata;
    const ct = ((await kms.send('Encrypt', { KeyId: md.KeyId, Plaintext: b64('swap') })) as Wire).CiphertextBlob;
    expect(await kms.send('UpdatePrimaryRegion', { KeyId: md.KeyId, PrimaryRegion: 'eu-west-1' })).toEqual({});
    const east = ((await kms.send('DescribeKey', { KeyId: md.KeyId })) as Wire).KeyMetadata;
    const west = ((await kms.send('DescribeKey', { KeyId: md.KeyId }, { region: 'eu-west-1' })) as Wire).KeyMetadata;
    expect([east.Arn, west.Arn]).toEqual([md.Arn, rep.Arn]);
    expect(east.MultiRegionConfiguration).toEqual({ MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: rep.Arn, Region: 'eu-west-1' }, ReplicaKeys: [{ Arn: md.Arn, Region: 'us-east-1' }] });
    expect(west.MultiRegionConfiguration.MultiRegionKeyType).toBe('PRIMARY');
    expect(Buffer.from(((await kms.send('Decrypt', { CiphertextBlob: ct }, { region: 'eu-west-1' })) as Wire).Plaintext, 'base64').toString()).toBe('swap');
    expect(((await kms.send('GetKeyRotationStatus', { KeyId: md.KeyId }, { region: 'eu-west-1' })) as Wire).RotationPeriodInDays).toBe(180);
    // The old primary is a replica now: it cannot be replicated, and the new primary can.
    expect((await failure(kms.send('ReplicateKey', { KeyId: md.KeyId, ReplicaRegion: 'ap-south-1' }))).message).toBe(`${md.Arn} is not a multi-region primary key.`);
    await kms.send('ReplicateKey', { KeyId: md.KeyId, ReplicaRegion: 'ap-south-1' }, { region: 'eu-west-1' });
  });

  it('refuses a replica key, a region without a replica, and callers whose policy does not allow it on both keys', async () => {
    const md = ((await kms.send('CreateKey', { MultiRegion: true, Policy: keyPolicy(rootStatement(), { Effect: 'Allow', Principal: { AWS: APP }, Action: 'kms:UpdatePrimaryRegion', Resource: '*' }) })) as Wire).KeyMetadata;
    await kms.send('ReplicateKey', { KeyId: md.KeyId, ReplicaRegion: 'eu-west-1' });
    expect((await failure(kms.send('UpdatePrimaryRegion', { KeyId: md.KeyId, PrimaryRegion: 'us-east-1' }, { region: 'eu-west-1' }))).code).toBe('UnsupportedOperationException');
    expect((await failure(kms.send('UpdatePrimaryRegion', { KeyId: md.KeyId, PrimaryRegion: 'sa-east-1' }))).code).toBe('NotFoundException');
    // The replica got the default policy, which does not name APP: the swap needs both.
    const denied = await failure(kms.send('UpdatePrimaryRegion', { KeyId: md.KeyId, PrimaryRegion: 'eu-west-1' }, { principal: APP }));
    expect(denied.code).toBe('AccessDeniedException');
    expect(denied.message).toContain(`arn:aws:kms:eu-west-1:`);
    expect(((await kms.send('DescribeKey', { KeyId: md.KeyId })) as Wire).KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType).toBe('PRIMARY');
  });
});

describe('GetKeyLastUsage (API_GetKeyLastUsage)', () => {
  it('is empty until a cryptographic use, then names the operation, the time on the emulator clock and the audit event', async () => {
    const md = ((await kms.send('CreateKey', {})) as Wire).KeyMetadata;
    const before = (await kms.send('GetKeyLastUsage', { KeyId: md.KeyId })) as Wire;
    expect(before).toEqual({ KeyId: md.Arn, KeyLastUsage: {}, TrackingStartDate: md.CreationDate, KeyCreationDate: md.CreationDate });
    await kms.send('DescribeKey', { KeyId: md.KeyId });
    expect(((await kms.send('GetKeyLastUsage', { KeyId: md.KeyId })) as Wire).KeyLastUsage).toEqual({});
    kms.clock.advance({ days: 2 });
    await kms.send('GenerateDataKey', { KeyId: md.KeyId, NumberOfBytes: 32 });
    const used = ((await kms.send('GetKeyLastUsage', { KeyId: md.KeyId })) as Wire).KeyLastUsage;
    expect(used.Operation).toBe('GenerateDataKey');
    expect(used.Timestamp).toBeCloseTo(kms.clock.nowMs() / 1000, 0);
    const event = kms.audit.events().find((e) => e.eventID === used.CloudTrailEventId);
    expect(event?.eventName).toBe('GenerateDataKey');
    expect(used.KmsRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ReEncrypt counts for both keys; failed and DryRun calls do not count', async () => {
    const a = ((await kms.send('CreateKey', {})) as Wire).KeyMetadata;
    const b = ((await kms.send('CreateKey', {})) as Wire).KeyMetadata;
    const ct = ((await kms.send('Encrypt', { KeyId: a.KeyId, Plaintext: b64('p') })) as Wire).CiphertextBlob;
    await kms.send('ReEncrypt', { CiphertextBlob: ct, DestinationKeyId: b.KeyId });
    for (const key of [a, b]) expect(((await kms.send('GetKeyLastUsage', { KeyId: key.KeyId })) as Wire).KeyLastUsage.Operation).toBe('ReEncrypt');
    await kms.send('Encrypt', { KeyId: b.KeyId, Plaintext: b64('p'), DryRun: true }).catch(() => undefined);
    await kms.send('Decrypt', { CiphertextBlob: b64('garbage') }).catch(() => undefined);
    expect(((await kms.send('GetKeyLastUsage', { KeyId: b.KeyId })) as Wire).KeyLastUsage.Operation).toBe('ReEncrypt');
  });
});

describe('grant constraints match encryption-context key names case-insensitively (API_GrantConstraints)', () => {
  it('EncryptionContextSubset and Equals: key names in any case, values exactly', async () => {
    const md = ((await kms.send('CreateKey', {})) as Wire).KeyMetadata;
    const subset = (await kms.send('CreateGrant', { KeyId: md.KeyId, GranteePrincipal: APP, Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { Department: 'IT' } } })) as Wire;
    const app = (ec: Record<string, string>) => kms.send('Encrypt', { KeyId: md.Arn, Plaintext: b64('p'), EncryptionContext: ec, GrantTokens: [subset.GrantToken] }, { principal: APP });
    expect(((await app({ department: 'IT', other: 'x' })) as Wire).KeyId).toBe(md.Arn);
    expect((await failure(app({ department: 'it' }))).code).toBe('AccessDeniedException');
    const md2 = ((await kms.send('CreateKey', {})) as Wire).KeyMetadata;
    const equals = (await kms.send('CreateGrant', { KeyId: md2.KeyId, GranteePrincipal: APP, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { Department: 'IT' } } })) as Wire;
    const app2 = (ec: Record<string, string>) => kms.send('Encrypt', { KeyId: md2.Arn, Plaintext: b64('p'), EncryptionContext: ec, GrantTokens: [equals.GrantToken] }, { principal: APP });
    expect(((await app2({ DEPARTMENT: 'IT' })) as Wire).KeyId).toBe(md2.Arn);
    expect((await failure(app2({ DEPARTMENT: 'IT', extra: 'y' }))).code).toBe('AccessDeniedException');
  });
});

describe('every operation in the table has its output shape in the model', () => {
  it('each implemented operation names an output shape (or none) the model defines', () => {
    const model = kmsModel();
    for (const op of Object.keys(operations)) {
      expect(allOperationNames()).toContain(op);
      const out = model.operations[op]!.output?.shape;
      if (out) expect(model.shapes[out]?.type).toBe('structure');
    }
  });
});
