/**
 * kmskit/vitest, as a user's suite meets it: the global setup starts an emulator and exports
 * AWS_ENDPOINT_URL_KMS (plus credentials and region where unset) so an SDK client built with no
 * options reaches it, and its teardown stops it and restores the environment; the in-process
 * starter does the same for one test file. (The consumer test runs both under a real vitest.)
 */
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AWS_ENV_NAMES, kmskitGlobalSetup, setup, startInProcessEmulator } from '../../testing/vitest.js';

let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(AWS_ENV_NAMES.map((k) => [k, process.env[k]]));
  for (const k of AWS_ENV_NAMES) delete process.env[k];
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
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

describe('kmskit/vitest', () => {
  it('global setup serves an emulator, exports the AWS environment and provides its URL; teardown undoes both', async () => {
    const provided: Record<string, unknown> = {};
    const teardown = await setup({ provide: (key: string, value: unknown) => void (provided[key] = value) } as never);
    const url = process.env.AWS_ENDPOINT_URL_KMS;
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(provided).toEqual({ kmskitEndpoint: url });
      expect([process.env.AWS_ACCESS_KEY_ID, process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION]).toEqual(['AKIAKMSKITEXAMPLE', 'us-east-1', 'us-east-1']);
      expect(await roundTrip()).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
    } finally {
      await teardown();
    }
    for (const k of AWS_ENV_NAMES) expect(process.env[k]).toBeUndefined();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('keeps credentials and region the environment already has', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAMINE';
    process.env.AWS_SECRET_ACCESS_KEY = 'mine';
    process.env.AWS_REGION = 'eu-west-1';
    const teardown = await kmskitGlobalSetup({ region: 'eu-west-1' })();
    try {
      expect([process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_REGION]).toEqual(['AKIAMINE', 'mine', 'eu-west-1']);
      expect(await roundTrip()).toMatch(/^arn:aws:kms:eu-west-1:/);
    } finally {
      await teardown();
    }
    expect([process.env.AWS_ACCESS_KEY_ID, process.env.AWS_ENDPOINT_URL_KMS]).toEqual(['AKIAMINE', undefined]);
  });

  it('the in-process starter serves HTTP, can set the environment, and gives the emulator object', async () => {
    const kms = await startInProcessEmulator({ setEnv: true });
    try {
      expect(process.env.AWS_ENDPOINT_URL_KMS).toBe(kms.url);
      const keyArn = await roundTrip();
      expect(kms.emulator.audit.events().map((e) => e.eventName)).toEqual(['CreateKey', 'Encrypt']);
      expect(keyArn.startsWith(`arn:aws:kms:us-east-1:${kms.emulator.account}:key/`)).toBe(true);
    } finally {
      await kms.stop();
    }
    expect(process.env.AWS_ENDPOINT_URL_KMS).toBeUndefined();
  });
});
