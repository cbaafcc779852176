import { describe, expect, it } from 'vitest';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, GenerateDataKeyPairCommand } from '@aws-sdk/client-kms';
import { emulator, failure } from './helpers.js';

describe('audit log', () => {
  it('records one CloudTrail-shaped event per call, never plaintext or data keys', async () => {
    const kms = await emulator();
    const c = kms.client({ accessKeyId: 'AKIAROOTISH' });
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const secret = 'top-secret-plaintext-value';
    const enc = await c.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from(secret), EncryptionContext: { order: '42' } }));
    await c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { order: '42' } }));
    const dk = await c.send(new GenerateDataKeyCommand({ KeyId: id, KeySpec: 'AES_256' }));
    const pair = await c.send(new GenerateDataKeyPairCommand({ KeyId: id, KeyPairSpec: 'ECC_NIST_P256' }));
    await failure(c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { order: '43' } })));
    const events = kms.audit.events();
    expect(events.map((e) => e.eventName)).toEqual(['CreateKey', 'Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'Decrypt']);
    const dec = events[2]!;
    expect(dec).toMatchObject({
      eventSource: 'kms.amazonaws.com',
      awsRegion: 'us-east-1',
      eventType: 'AwsApiCall',
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', accessKeyId: 'AKIAROOTISH' },
      resources: [{ ARN: `arn:aws:kms:us-east-1:111122223333:key/${id}`, type: 'AWS::KMS::Key' }],
      additionalEventData: { encryptionContext: { order: '42' } },
    });
    expect(new Date(dec.eventTime).getTime()).toBeLessThanOrEqual(kms.clock.nowMs());
    expect(events[5]).toMatchObject({ errorCode: 'InvalidCiphertextException' });
    const log = JSON.stringify(events);
    for (const forbidden of [
      secret,
      Buffer.from(secret).toString('base64'),
      Buffer.from(dk.Plaintext!).toString('base64'),
      Buffer.from(pair.PrivateKeyPlaintext!).toString('base64'),
      Buffer.from(enc.CiphertextBlob!).toString('base64'),
    ]) {
      expect(log.includes(forbidden)).toBe(false);
    }
  });
});

describe('fault injection', () => {
  it('fails the next N calls of an operation with the injected error, then recovers', async () => {
    const kms = await emulator();
    const c = kms.client();
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    kms.faults.inject({ operation: 'Encrypt', error: 'ThrottlingException', count: 2 });
    expect((await failure(c.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') })))).name).toBe('ThrottlingException');
    expect((await failure(c.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') })))).name).toBe('ThrottlingException');
    expect((await c.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') }))).CiphertextBlob).toBeDefined();
  });

  it('KMSInternalException and DependencyTimeoutException carry 5xx statuses', async () => {
    const kms = await emulator();
    const c = kms.client();
    kms.faults.inject({ operation: 'CreateKey', error: 'KMSInternalException' });
    const e = (await failure(c.send(new CreateKeyCommand({})))) as { name: string; $metadata?: { httpStatusCode?: number } };
    expect(e.name).toBe('KMSInternalException');
    expect(e.$metadata?.httpStatusCode).toBe(500);
    kms.faults.inject({ operation: '*', error: 'DependencyTimeoutException' });
    const t = (await failure(c.send(new CreateKeyCommand({})))) as { name: string; $metadata?: { httpStatusCode?: number } };
    expect(t.name).toBe('DependencyTimeoutException');
    expect(t.$metadata?.httpStatusCode).toBe(503);
    expect((await kms.send('ListKeys', {})).Keys).toEqual([]);
  });

  it('adds latency', async () => {
    const kms = await emulator();
    kms.faults.inject({ operation: 'ListKeys', latencyMs: 60 });
    const t0 = Date.now();
    await kms.send('ListKeys', {});
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it('applies with a probability, and clear() removes faults', async () => {
    let n = 0;
    const kms = await emulator();
    kms.faults.inject({ operation: 'GenerateRandom', error: 'ThrottlingException', probability: 0.5 });
    for (let i = 0; i < 200; i++) await kms.send('GenerateRandom', { NumberOfBytes: 1 }).catch(() => n++);
    expect(n).toBeGreaterThan(50);
    expect(n).toBeLessThan(150);
    kms.faults.clear();
    expect((await kms.send('GenerateRandom', { NumberOfBytes: 4 })).Plaintext).toBeDefined();
    expect(() => kms.faults.inject({ operation: 'X', error: 'Nope' as 'ThrottlingException' })).toThrow(/error must be one of/);
  });
});
