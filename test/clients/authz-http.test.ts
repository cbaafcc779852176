/**
 * Authorization over HTTP: the caller is whoever signed the request (SigV4 Credential scope →
 * identities), so two SDK clients with different access keys get different answers on one key.
 */
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, ListKeysCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';

const ACCOUNT = '111122223333';
const APP = { accessKeyId: 'AKIAAPPROLE000000001', secretAccessKey: 'app-secret', arn: `arn:aws:iam::${ACCOUNT}:role/App` };
const OTHER = { accessKeyId: 'AKIAOTHERROLE0000002', secretAccessKey: 'other-secret', arn: `arn:aws:iam::${ACCOUNT}:role/Other` };
const READER = { accessKeyId: 'AKIAREADER0000000003', secretAccessKey: 'reader-secret', arn: `arn:aws:iam::${ACCOUNT}:user/reader` };

let env: InProcessEmulator;
let keyArn: string;
const clients: KMSClient[] = [];
const clientFor = (creds: { accessKeyId: string; secretAccessKey: string }) => {
  const c = new KMSClient({ endpoint: env.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  env = await startInProcessEmulator({
    principals: [
      APP,
      OTHER,
      {
        ...READER,
        // An identity policy: the key policy's root statement delegates to IAM, so this grants Decrypt.
        policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] }],
      },
    ],
  });
  const admin = clientFor(env.credentials);
  const created = await admin.send(new CreateKeyCommand({ Description: 'authz over HTTP' }));
  keyArn = created.KeyMetadata!.Arn!;
  await admin.send(
    new PutKeyPolicyCommand({
      KeyId: keyArn,
      PolicyName: 'default',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
          { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP.arn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
        ],
      }),
    }),
  );
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await env?.stop();
});

describe('authorization over HTTP', () => {
  it('allows the principal the key policy names and denies one it does not', async () => {
    const app = clientFor(APP);
    const other = clientFor(OTHER);
    const plaintext = new TextEncoder().encode('for the app only');
    const { CiphertextBlob } = await app.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    expect((await app.send(new DecryptCommand({ CiphertextBlob }))).Plaintext).toEqual(plaintext);

    const denied = other.send(new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext }));
    await expect(denied).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    await expect(other.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(denied).rejects.toThrow(OTHER.arn);
  });

  it('applies the identity policies of the signing principal', async () => {
    const app = clientFor(APP);
    const reader = clientFor(READER);
    const { CiphertextBlob } = await app.send(new EncryptCommand({ KeyId: keyArn, Plaintext: new TextEncoder().encode('readable') }));
    expect(new TextDecoder().decode((await reader.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('readable');
    await expect(reader.send(new EncryptCommand({ KeyId: keyArn, Plaintext: new Uint8Array([1]) }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('records who called in the audit log', async () => {
    await clientFor(OTHER).send(new EncryptCommand({ KeyId: keyArn, Plaintext: new Uint8Array([1]) })).catch(() => undefined);
    const last = env.emulator.audit.events().at(-1)!;
    expect(last).toMatchObject({ eventName: 'Encrypt', errorCode: 'AccessDeniedException', userIdentity: { arn: OTHER.arn, accessKeyId: OTHER.accessKeyId } });
    expect(last.sourceIPAddress).toBe('127.0.0.1');
  });

  it('rejects a request signed with the wrong secret before any authorization', async () => {
    const before = env.emulator.audit.events().length;
    const forged = clientFor({ accessKeyId: APP.accessKeyId, secretAccessKey: 'not-the-app-secret' });
    await expect(forged.send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    expect(env.emulator.audit.events().length).toBe(before);
  });
});
