/**
 * boto3 (the preinstalled Python) running the classic KMS tutorial flow against `kmskit serve`
 * over HTTP, signing as an identity whose signature the server verifies.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';
import { runCommand } from '../helpers/run-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const ACCOUNT = '111122223333';
const APP = {
  accessKeyId: 'AKIABOTO3APP00000001',
  secretAccessKey: 'boto3-app-secret',
  arn: `arn:aws:iam::${ACCOUNT}:role/boto3-app`,
  // What the tutorial's IAM user needs to create keys and aliases; using the key comes from its key policy.
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:CreateKey', 'kms:PutKeyPolicy', 'kms:CreateAlias', 'kms:ListAliases'], Resource: '*' }] }],
};

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const noBoto3 = probe.error ? `python3 is not runnable (${probe.error.message})` : probe.status !== 0 ? `boto3 is not importable: ${probe.stderr.trim().split('\n').pop()}` : undefined;
if (noBoto3) console.log(`skipping boto3 tests: ${noBoto3}`);
const fernetProbe = spawnSync('python3', ['-c', 'import cryptography.fernet'], { encoding: 'utf8' });
const noFernet = fernetProbe.status !== 0 ? 'python cryptography (Fernet) is not importable' : undefined;

let env: InProcessEmulator;
beforeAll(async () => {
  env = await startInProcessEmulator({ principals: [APP] });
});
afterAll(() => env?.stop());

describe.skipIf(Boolean(noBoto3))('boto3 against the emulator over HTTP', { timeout: 90_000 }, () => {
  it('runs the tutorial flow: create_key with a policy, create_alias, encrypt/decrypt, data key + Fernet', async () => {
    const { code, stdout, stderr } = await runCommand('python3', [join(here, 'boto3_flow.py'), env.url, APP.accessKeyId, APP.secretAccessKey, APP.arn, ACCOUNT]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;

    expect(result.key_arn).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/`));
    expect(result.creation_date_type).toBe('datetime');
    expect(result.aliases).toEqual(['alias/boto3-tutorial']);
    expect(result.ciphertext_is_bytes).toBe(true);
    expect(result.decrypted).toBe('hello from boto3');
    expect(result.not_found).toBe('NotFoundException');
    if (noFernet) {
      console.log(`skipped the Fernet part: ${noFernet}`);
      expect(result.fernet_skipped).toMatch(/cryptography/);
    } else {
      expect(result.fernet_secret).toBe('database password');
      expect(result.data_key_length).toBe(32);
    }
    // The calls were made as the signing identity, whose signatures the server verified.
    const events = env.emulator.audit.events().filter((e) => e.userIdentity.arn === APP.arn);
    expect(events.map((e) => e.eventName)).toEqual(expect.arrayContaining(['CreateKey', 'CreateAlias', 'Encrypt', 'Decrypt', 'GenerateDataKey']));
  });

  it('imports key material wrapped with `cryptography` and derives a shared secret equal to a local ECDH exchange', async (ctx) => {
    if (noFernet) {
      console.log(`skipped the import flow: ${noFernet}`);
      ctx.skip();
    }
    const { code, stdout, stderr } = await runCommand('python3', [join(here, 'boto3_import.py'), env.url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      state_before: 'PendingImport',
      state_after: 'Enabled',
      state_deleted: 'PendingImport',
      decrypt_deleted: 'KMSInvalidStateException',
      decrypted: 'imported with boto3',
      ecc_signature_verified: true,
      shared_secret_matches: true,
      key_origin: 'AWS_KMS',
    });
    expect(result.current_key_material_id).toBe(result.key_material_id);
  });

  it('finds the emulator through AWS_ENDPOINT_URL_KMS alone', async () => {
    const script = "import boto3, json; print(json.dumps([k['KeyId'] for k in boto3.client('kms', region_name='us-east-1').list_keys()['Keys']]))";
    const { code, stdout } = await runCommand('python3', ['-c', script], { AWS_ENDPOINT_URL_KMS: env.url, AWS_ACCESS_KEY_ID: 'AKIAENVONLY', AWS_SECRET_ACCESS_KEY: 'x' });
    expect(code).toBe(0);
    const listed = ((await env.emulator.send('ListKeys', {})).Keys as Array<{ KeyId: string }>).map((k) => k.KeyId);
    expect(JSON.parse(stdout)).toEqual(listed);
  });
});
