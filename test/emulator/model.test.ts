import { describe, expect, it } from 'vitest';
import { KmsError } from '../../emulator/core/errors.js';
import { allOperationNames, operationErrors } from '../../emulator/core/model/index.js';
import { operations } from '../../emulator/core/operations/index.js';
import { emulator } from './helpers.js';

async function error(p: Promise<unknown>): Promise<KmsError> {
  try {
    await p;
  } catch (e) {
    return e as KmsError;
  }
  throw new Error('expected failure');
}

describe('validation driven by the API model', () => {
  it('names a single violation in AWS’s wording', async () => {
    const kms = await emulator();
    const e = await error(kms.send('DescribeKey', { KeyId: '' }));
    expect(e.code).toBe('ValidationException');
    expect(e.message).toBe("1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  it('counts several violations and joins them with "; "', async () => {
    const kms = await emulator();
    const e = await error(kms.send('GenerateDataKey', { KeySpec: 'AES_512', NumberOfBytes: 5000 }));
    expect(e.message).toBe(
      "3 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
        "Value '5000' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024; " +
        "Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]",
    );
  });

  it('checks patterns and nested list members', async () => {
    const kms = await emulator();
    const e = await error(kms.send('CreateKey', { Tags: [{ TagKey: '', TagValue: 'v' }] }));
    expect(e.message).toBe("1 validation error detected: Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const p = await error(kms.send('CreateAlias', { AliasName: 'alias/a b', TargetKeyId: 'x' }));
    expect(p.message).toContain("at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
  });

  it('a value of the wrong JSON type is SerializationException naming the member', async () => {
    const kms = await emulator();
    const e = await error(kms.send('DescribeKey', { KeyId: 42 }));
    expect(e.code).toBe('SerializationException');
    expect(e.message).toContain("'keyId'");
    expect((await error(kms.send('Encrypt', { KeyId: 'k', Plaintext: '***not base64***' }))).code).toBe('SerializationException');
  });

  it('an unknown operation is UnknownOperationException', async () => {
    const kms = await emulator();
    const e = await error(kms.send('MakeCoffee', {}));
    expect(e.code).toBe('UnknownOperationException');
  });

  it('no input makes send throw anything but a KmsError', async () => {
    const kms = await emulator();
    const inputs: unknown[] = [null, 'text', 5, [], { KeyId: null }, { KeyId: {} }, { Plaintext: [] }, { EncryptionContext: 'x' }, { GrantTokens: [1] }, { Limit: 1.5 }, { KeyId: 'alias/aws/../x' }, { KeyId: 'arn:aws:kms:us-east-1:1:key/x' }];
    for (const op of Object.keys(operations)) {
      for (const input of inputs) {
        const r = await kms.send(op, input as object).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (r !== undefined) expect(r, `${op} ${JSON.stringify(input)}`).toBeInstanceOf(KmsError);
      }
    }
  });

  it('every error an operation raises is one the model lists for it, or a protocol-wide one', async () => {
    const kms = await emulator();
    const key = ((await kms.send('CreateKey', {})) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    // Protocol-wide errors, plus the one the issue fixes: reserved alias/aws/ names (as moto and AWS answer).
    const common = new Set(['ValidationException', 'SerializationException', 'AccessDeniedException', 'UnknownOperationException']);
    const extra: Record<string, string[]> = { CreateAlias: ['NotAuthorizedException'] };
    const inputs: object[] = [
      {}, { KeyId: key }, { KeyId: 'alias/none' }, { KeyId: key, Plaintext: 'aGk=' }, { CiphertextBlob: 'aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=' },
      { KeyId: key, GrantId: 'x' }, { KeyId: key, GranteePrincipal: 'x', Operations: ['Sign'] },
      { KeyId: key, SigningAlgorithm: 'ECDSA_SHA_256', Message: 'aGk=', Signature: 'aGk=' }, { KeyId: key, MacAlgorithm: 'HMAC_SHA_256', Message: 'aGk=', Mac: 'aGk=' },
      { KeyId: key, KeyPairSpec: 'SM2' }, { KeyId: key, ReplicaRegion: 'eu-west-1' }, { AliasName: 'alias/aws/x', TargetKeyId: key },
      { KeyId: key, Tags: [{ TagKey: 'aws:x', TagValue: '' }] }, { GrantToken: 'abc' }, { KeyId: key, Marker: 'bad' }, { KeyId: key, Policy: '{}' },
      { KeyId: key, PendingWindowInDays: 3 }, { NumberOfBytes: 5, CustomKeyStoreId: 'cks-1' },
    ];
    const unexpected: string[] = [];
    let failures = 0;
    for (const op of Object.keys(operations)) {
      for (const input of inputs) {
        const e = await kms.send(op, input).then(() => undefined, (x: KmsError) => x);
        if (!e) continue;
        failures++;
        if (!common.has(e.code) && !operationErrors(op).includes(e.code) && !extra[op]?.includes(e.code)) unexpected.push(`${op}: ${e.code}`);
      }
    }
    expect(failures).toBeGreaterThan(300);
    expect(unexpected).toEqual([]);
  });

  it('every implemented operation exists in the model; the rest are listed as unsupported', () => {
    const model = allOperationNames();
    for (const op of Object.keys(operations)) expect(model).toContain(op);
    const unsupported = model.filter((op) => !(op in operations));
    expect(unsupported).toEqual(['ConnectCustomKeyStore', 'CreateCustomKeyStore', 'DeleteCustomKeyStore', 'DescribeCustomKeyStores', 'DisconnectCustomKeyStore', 'UpdateCustomKeyStore']);
    expect(Object.keys(operations).length).toBeGreaterThanOrEqual(48);
  });

  it('outputs are wire form: timestamps as epoch seconds, blobs as base64', async () => {
    const kms = await emulator();
    const out = (await kms.send('CreateKey', {})) as { KeyMetadata: { CreationDate: unknown; KeyId: string } };
    expect(typeof out.KeyMetadata.CreationDate).toBe('number');
    expect(Math.abs((out.KeyMetadata.CreationDate as number) - kms.clock.nowMs() / 1000)).toBeLessThan(5);
    const enc = (await kms.send('Encrypt', { KeyId: out.KeyMetadata.KeyId, Plaintext: Buffer.from('hi').toString('base64') })) as { CiphertextBlob: string };
    expect(enc.CiphertextBlob).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});

describe('the wire JSON written directly (the server’s response body)', () => {
  it('is exactly JSON.stringify of the wire output, for every kind of member', async () => {
    const kms = await emulator();
    const sym = (await kms.send('CreateKey', { Description: 'quote " backslash \\ newline \n unicode é \u2028', Tags: [{ TagKey: 't', TagValue: '"v"' }] })).KeyMetadata as { KeyId: string };
    const rsa = (await kms.send('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })).KeyMetadata as { KeyId: string };
    await kms.send('CreateAlias', { AliasName: 'alias/json', TargetKeyId: sym.KeyId });
    await kms.send('CreateGrant', { KeyId: sym.KeyId, GranteePrincipal: 'arn:aws:iam::111122223333:role/App', Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { k: 'v "q"' } } });
    await kms.send('EnableKeyRotation', { KeyId: sym.KeyId });
    await kms.send('RotateKeyOnDemand', { KeyId: sym.KeyId });
    const reads: Array<[string, object]> = [
      ['DescribeKey', { KeyId: sym.KeyId }],
      ['DescribeKey', { KeyId: rsa.KeyId }],
      ['ListAliases', {}],
      ['ListGrants', { KeyId: sym.KeyId }],
      ['ListResourceTags', { KeyId: sym.KeyId }],
      ['GetKeyPolicy', { KeyId: sym.KeyId }],
      ['GetKeyRotationStatus', { KeyId: sym.KeyId }],
      ['ListKeyRotations', { KeyId: sym.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }],
      ['GetPublicKey', { KeyId: rsa.KeyId }],
      ['ListKeys', { Limit: 1 }],
    ];
    for (const [op, input] of reads) {
      const text = kms.sendNow(op, input) as string;
      expect(text, op).toBe(JSON.stringify(await kms.send(op, input)));
    }
    // And for outputs that differ per call, the same shape and members.
    const enc = JSON.parse(kms.sendNow('Encrypt', { KeyId: sym.KeyId, Plaintext: 'aGk=' }) as string);
    expect(Object.keys(enc)).toEqual(['CiphertextBlob', 'KeyId', 'EncryptionAlgorithm']);
    expect(JSON.parse(kms.sendNow('Decrypt', { CiphertextBlob: enc.CiphertextBlob }) as string)).toEqual(await kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob }));
  });

  it('throws the KmsError synchronously, and answers with a promise while a fault is armed', async () => {
    const kms = await emulator();
    expect(() => kms.sendNow('DescribeKey', { KeyId: 'alias/missing' })).toThrow(KmsError);
    kms.faults.inject({ operation: 'ListKeys', error: 'ThrottlingException' });
    const pending = kms.sendNow('ListKeys', {});
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toMatchObject({ code: 'ThrottlingException' });
    expect(kms.audit.events().at(-1)).toMatchObject({ eventName: 'ListKeys', errorCode: 'ThrottlingException' });
  });
});
