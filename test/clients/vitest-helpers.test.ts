/**
 * The two vitest helpers a user's test suite can use: the global setup that runs `kmskit serve`
 * and exports AWS_ENDPOINT_URL_KMS, and the in-process emulator. An SDK client built with no
 * endpoint option must reach the emulator through the environment alone.
 */
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { setup, teardown } from '../helpers/global-setup.js';
import { startInProcessEmulator } from '../helpers/in-process.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['AWS_ENDPOINT_URL_KMS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_DEFAULT_REGION']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function roundTrip(): Promise<string> {
  // No endpoint, region or credentials here: all from the environment the helper set.
  const client = new KMSClient({ maxAttempts: 1 });
  try {
    const key = await client.send(new CreateKeyCommand({}));
    const out = await client.send(new EncryptCommand({ KeyId: key.KeyMetadata!.KeyId!, Plaintext: new Uint8Array([1, 2, 3]) }));
    return out.KeyId!;
  } finally {
    client.destroy();
  }
}

describe('vitest helpers', { timeout: 90_000 }, () => {
  it('global setup starts kmskit serve and exports AWS_ENDPOINT_URL_KMS; teardown stops it', async () => {
    delete process.env.AWS_ENDPOINT_URL_KMS;
    await setup();
    const url = process.env.AWS_ENDPOINT_URL_KMS;
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await roundTrip()).toMatch(/^arn:aws:kms:/);
    } finally {
      await teardown();
    }
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('the in-process emulator serves HTTP and can set the environment too', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAINPROCESS';
    process.env.AWS_SECRET_ACCESS_KEY = 'x';
    process.env.AWS_REGION = 'us-east-1';
    const kms = await startInProcessEmulator({ setEnv: true });
    try {
      expect(process.env.AWS_ENDPOINT_URL_KMS).toBe(kms.url);
      const keyArn = await roundTrip();
      expect(kms.emulator.audit.events().map((e) => e.eventName)).toEqual(['CreateKey', 'Encrypt']);
      expect(keyArn.startsWith(`arn:aws:kms:us-east-1:${kms.emulator.account}:key/`)).toBe(true);
    } finally {
      await kms.stop();
    }
    expect(process.env.AWS_ENDPOINT_URL_KMS).toBe(saved.AWS_ENDPOINT_URL_KMS);
  });
});
