import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { captureIo } from '../../cli/io.js';
import { ADDRESS_TAG, applyStacks } from '../../apply/apply.js';
import { createEmulator, type Emulator } from '../../emulator/emulator.js';
import { startServer } from '../../emulator/server.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const FIXTURE = join(here, '..', 'fixtures', 'apply', 'cdktf.out');
const FIXTURE_STACK = join(FIXTURE, 'stacks', 'kmskit-keyring', 'cdk.tf.json');
const fixture = JSON.parse(readFileSync(FIXTURE_STACK, 'utf8')) as { resource: Record<string, Record<string, Record<string, unknown>>> };
const dir = mkdtempSync(join(tmpdir(), 'kmskit-apply-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('applyStacks on the fixture stack', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator();
  });
  afterAll(() => emulator.close());

  const keyFor = async (alias: string, region = 'us-east-1') =>
    (await emulator.send('DescribeKey', { KeyId: alias }, { region })).KeyMetadata as Record<string, unknown> & { Arn: string; KeyId: string };

  it('creates every KMS resource with its attributes, and skips the rest', async () => {
    const result = await applyStacks({ paths: [FIXTURE], emulator });
    const declared = ['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_key_policy', 'aws_kms_alias', 'aws_kms_grant'].flatMap((t) =>
      Object.keys(fixture.resource[t] ?? {}).map((n) => `${t}.${n}`),
    );
    expect(result.resources.map((r) => r.address).sort()).toEqual(declared.sort());
    expect(result.skipped).toEqual({ aws_s3_bucket: 1 });
    expect(result.account).toBe(emulator.account);

    const dataConfig = fixture.resource.aws_kms_key!.data_Resource_1A2B3C4D!;
    const data = await keyFor('alias/kmskit/data');
    expect(data).toMatchObject({ Description: dataConfig.description, KeySpec: dataConfig.customer_master_key_spec, KeyUsage: dataConfig.key_usage, MultiRegion: false });
    expect(await emulator.send('GetKeyRotationStatus', { KeyId: data.KeyId })).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: dataConfig.rotation_period_in_days });
    const tags = ((await emulator.send('ListResourceTags', { KeyId: data.KeyId })).Tags as Array<{ TagKey: string; TagValue: string }>).map((t) => [t.TagKey, t.TagValue]);
    expect(Object.fromEntries(tags)).toEqual({ project: 'kmskit', 'managed-by': 'cdktf', purpose: 'data', [ADDRESS_TAG]: 'kmskit-keyring/aws_kms_key.data_Resource_1A2B3C4D' });
    // The account reference in the policy became the emulator's account.
    const policy = (await emulator.send('GetKeyPolicy', { KeyId: data.KeyId, PolicyName: 'default' })).Policy as string;
    expect(policy).toContain(`arn:aws:iam::${emulator.account}:root`);
    expect(policy).not.toContain('${');

    const signing = await keyFor('alias/kmskit/signing');
    expect(signing).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    // aws_kms_key_policy replaced the default policy, and `$${...}` reached KMS as the policy variable.
    const signingPolicy = (await emulator.send('GetKeyPolicy', { KeyId: signing.KeyId, PolicyName: 'default' })).Policy as string;
    expect(signingPolicy).toContain('role/${aws:username}-admin');

    const primary = (await emulator.send('DescribeKey', { KeyId: result.resources.find((r) => r.address.startsWith('aws_kms_key.mr_'))!.id })).KeyMetadata as Record<string, unknown>;
    expect(primary.MultiRegion).toBe(true);
    const replica = await keyFor('alias/kmskit/multi-region', 'us-west-2');
    expect(replica.Arn).toBe(String(primary.Arn).replace('us-east-1', 'us-west-2'));
    expect(replica.Description).toBe('kmskit multi-Region key (replica in us-west-2)');

    const grants = (await emulator.send('ListGrants', { KeyId: data.KeyId })).Grants as Array<Record<string, unknown>>;
    expect(grants).toEqual([
      expect.objectContaining({ Name: 'kmskit-app-data', GranteePrincipal: 'arn:aws:iam::111122223333:role/kmskit-grantee', Constraints: { EncryptionContextSubset: { app: 'kmskit' } } }),
    ]);
  });

  it('creates nothing the second time', async () => {
    const keysBefore = ((await emulator.send('ListKeys', {})).Keys as unknown[]).length;
    const again = await applyStacks({ paths: [FIXTURE], emulator });
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.unchanged).toHaveLength(again.resources.length);
    expect(((await emulator.send('ListKeys', {})).Keys as unknown[]).length).toBe(keysBefore);
  });

  it('puts a changed description, rotation and tags back to what the stack declares', async () => {
    const data = await keyFor('alias/kmskit/data');
    await emulator.send('UpdateKeyDescription', { KeyId: data.KeyId, Description: 'changed by hand' });
    await emulator.send('DisableKeyRotation', { KeyId: data.KeyId });
    await emulator.send('TagResource', { KeyId: data.KeyId, Tags: [{ TagKey: 'purpose', TagValue: 'edited' }, { TagKey: 'added-by-hand', TagValue: 'x' }] });
    const result = await applyStacks({ paths: [FIXTURE], emulator });
    expect(result.updated.map((e) => e.address)).toEqual(['aws_kms_key.data_Resource_1A2B3C4D']);
    expect((await keyFor('alias/kmskit/data')).Description).toBe(fixture.resource.aws_kms_key!.data_Resource_1A2B3C4D!.description);
    expect((await emulator.send('GetKeyRotationStatus', { KeyId: data.KeyId })).KeyRotationEnabled).toBe(true);
    const tags = (await emulator.send('ListResourceTags', { KeyId: data.KeyId })).Tags as Array<{ TagKey: string; TagValue: string }>;
    expect(Object.fromEntries(tags.map((t) => [t.TagKey, t.TagValue]))).toEqual({
      ...fixture.resource.aws_kms_key!.data_Resource_1A2B3C4D!.tags as Record<string, string>,
      project: 'kmskit',
      'managed-by': 'cdktf',
      [ADDRESS_TAG]: 'kmskit-keyring/aws_kms_key.data_Resource_1A2B3C4D',
    });
  });

  it('lets the app role the policy grants use the key, and denies others', async () => {
    const app = { principal: 'arn:aws:iam::111122223333:role/kmskit-app' };
    const ctx = { app: 'kmskit' };
    const out = await emulator.send('Encrypt', { KeyId: 'alias/kmskit/data', Plaintext: b64('granted'), EncryptionContext: ctx }, app);
    const back = await emulator.send('Decrypt', { CiphertextBlob: out.CiphertextBlob, EncryptionContext: ctx }, app);
    expect(Buffer.from(String(back.Plaintext), 'base64').toString()).toBe('granted');
    await expect(
      emulator.send('Encrypt', { KeyId: 'alias/kmskit/data', Plaintext: b64('x'), EncryptionContext: ctx }, { principal: 'arn:aws:iam::111122223333:role/intruder' }),
    ).rejects.toMatchObject({ code: 'AccessDeniedException' });
  });
});

describe('applyStacks: bad input', () => {
  const writeStack = (name: string, resource: unknown) => {
    const file = join(dir, name, 'cdk.tf.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ provider: { aws: [{ region: 'us-east-1' }] }, resource }));
    return file;
  };

  it.each([
    ['an unknown reference', { aws_kms_alias: { a: { name: 'alias/a', target_key_id: '${aws_kms_key.missing.key_id}' } } }, /aws_kms_alias\.a: cannot resolve \$\{aws_kms_key\.missing\.key_id\} in target_key_id .*aws_kms_key\.missing is not declared/],
    ['a variable without a default', { aws_kms_key: { k: { description: '${var.d}' } } }, /aws_kms_key\.k: cannot resolve \$\{var\.d\} in description .*known only at deploy time/],
    ['a function call', { aws_kms_key: { k: { policy: '${lookup(var.m, "p")}' } } }, /aws_kms_key\.k: cannot resolve \$\{lookup\(var\.m, "p"\)\} in policy/],
    ['a bad deletion window', { aws_kms_key: { k: { deletion_window_in_days: 3 } } }, /aws_kms_key\.k: deletion_window_in_days must be 7-30, got 3/],
    ['a policy that is not JSON', { aws_kms_key: { k: { policy: '{"Statement": [' } } }, /aws_kms_key\.k: policy is not valid JSON/],
    ['a KMS rejection', { aws_kms_key: { k: { customer_master_key_spec: 'AES_512' } } }, /aws_kms_key\.k: ValidationException/],
    ['a reference cycle', { aws_kms_alias: { a: { name: 'alias/a', target_key_id: '${aws_kms_alias.b.target_key_id}' }, b: { name: 'alias/b', target_key_id: '${aws_kms_alias.a.target_key_id}' } } }, /reference cycle/],
  ])('names the file and the resource for %s', async (name, resource, message) => {
    const file = writeStack(name.replace(/\W/g, '-'), resource);
    const emulator = await createEmulator();
    try {
      const error = await applyStacks({ paths: [file], emulator }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain(file);
    } finally {
      await emulator.close();
    }
  });
});

describe('kmskit apply (CLI)', () => {
  it('applies to a state file, prints the table, and is idempotent', async () => {
    const state = join(dir, 'apply-state.json');
    const first = captureIo();
    expect(await run(['node', 'kmskit', 'apply', FIXTURE, '--state', state], first)).toBe(0);
    expect(first.stdout()).toMatch(/^ACTION\s+ADDRESS\s+KEY ARN \/ ALIAS/);
    expect(first.stdout()).toMatch(/created\s+kmskit-keyring\/aws_kms_key\.data_Resource_1A2B3C4D\s+arn:aws:kms:us-east-1:111122223333:key\//);
    expect(first.stdout()).toMatch(/created\s+kmskit-keyring\/aws_kms_alias\.data_alias_7E8F9A0B\s+alias\/kmskit\/data/);
    const second = captureIo();
    expect(await run(['node', 'kmskit', 'apply', FIXTURE, '--state', state], second)).toBe(0);
    expect(second.stdout()).toMatch(/\n0 created, 0 updated, 9 unchanged/);
    // The keys are really in the state file.
    const emulator = await createEmulator({ stateFile: state });
    try {
      expect((await emulator.send('DescribeKey', { KeyId: 'alias/kmskit/data' })).KeyMetadata).toBeDefined();
    } finally {
      await emulator.close();
    }
  });

  it('applies over HTTP with --endpoint, as JSON with --format json', async () => {
    const emulator = await createEmulator();
    const server = await startServer({ emulator, port: 0 });
    try {
      const io = captureIo();
      expect(await run(['node', 'kmskit', 'apply', FIXTURE, '--endpoint', server.url, '--format', 'json'], io)).toBe(0);
      const result = JSON.parse(io.stdout()) as { created: unknown[]; updated: Array<{ address: string }>; resources: unknown[]; account: string };
      expect(result.resources).toHaveLength(9);
      // Everything is new except the key policy, which replaces the policy its key was created with.
      expect(result.updated.map((e) => e.address)).toEqual(['aws_kms_key_policy.signing_policy_9E0F1A2B']);
      expect(result.created).toHaveLength(8);
      expect(result.account).toBe(emulator.account);
      expect((await emulator.send('DescribeKey', { KeyId: 'alias/kmskit/signing' })).KeyMetadata).toMatchObject({ KeyUsage: 'SIGN_VERIFY' });
    } finally {
      await server.close();
      await emulator.close();
    }
  });

  it.each([
    [['apply', FIXTURE], /exactly one of --endpoint URL .* or --state FILE/],
    [['apply', FIXTURE, '--endpoint', 'http://127.0.0.1:1', '--state', 'x'], /exactly one of/],
    [['apply', FIXTURE, '--endpoint', 'ftp://x'], /--endpoint must be an http\(s\) URL/],
    [['apply', join(dir, 'missing'), '--state', join(dir, 's.json')], /missing: no such file or directory/],
    [['apply', FIXTURE, '--endpoint', 'http://127.0.0.1:1'], /cannot reach the emulator at http:\/\/127\.0\.0\.1:1/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const io = captureIo();
    expect(await run(['node', 'kmskit', ...args], io)).toBe(2);
    expect(io.stderr()).toMatch(message);
  });
});

describe("kmskit apply on this repository's stacks", { timeout: 90_000 }, () => {
  let out: string | undefined;
  let why: string | undefined;
  beforeAll(async () => {
    // Synthesize the stacks as they are now, so the test never reads a stale cdktf.out.
    const outdir = join(dir, 'cdktf.out');
    try {
      const { buildApp } = await import('../../stacks/app.js');
      buildApp({ outdir, env: {} }).app.synth();
      out = outdir;
    } catch (e) {
      const existing = join(ROOT, 'cdktf.out');
      why = `synthesizing the stacks failed (${(e as Error).message.split('\n')[0]})`;
      if (existsSync(join(existing, 'manifest.json'))) {
        console.log(`${why}; applying the existing ${existing} instead`);
        out = existing;
      }
    }
  }, 120_000);

  it("creates the stacks' keys over HTTP; the app role they grant can encrypt and decrypt, others cannot", async (ctx) => {
    if (!out) {
      console.log(`skipped: ${why}`);
      ctx.skip();
    }
    const { DEFAULT_CONFIG, APP_ENCRYPTION_CONTEXT, KEY_ALIASES } = await import('../../stacks/config.js');
    const { KMSClient, EncryptCommand, DecryptCommand } = await import('@aws-sdk/client-kms');
    const app = { accessKeyId: 'AKIASTACKAPPROLE0001', secretAccessKey: 'app-role-secret', arn: DEFAULT_CONFIG.appRoleArn };
    const stranger = { accessKeyId: 'AKIASTRANGER00000002', secretAccessKey: 'stranger-secret', arn: `arn:aws:iam::${DEFAULT_CONFIG.account}:role/not-granted-by-the-stacks` };
    const emulator = await createEmulator({ account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.primaryRegion, principals: [app, stranger] });
    const server = await startServer({ emulator, port: 0 });
    const clients: InstanceType<typeof KMSClient>[] = [];
    const clientAs = (p: { accessKeyId: string; secretAccessKey: string }) => {
      const c = new KMSClient({ endpoint: server.url, region: DEFAULT_CONFIG.primaryRegion, credentials: p, maxAttempts: 1 });
      clients.push(c);
      return c;
    };
    try {
      const io = captureIo();
      expect(await run(['node', 'kmskit', 'apply', out!, '--endpoint', server.url], io)).toBe(0);
      for (const alias of Object.values(KEY_ALIASES)) expect(io.stdout()).toContain(alias);
      expect(io.stdout()).toMatch(/\n\d+ created, 0 updated, 0 unchanged/);

      const context = { ...APP_ENCRYPTION_CONTEXT };
      const plaintext = new TextEncoder().encode('stack-granted');
      const asApp = clientAs(app);
      const enc = await asApp.send(new EncryptCommand({ KeyId: KEY_ALIASES.data, Plaintext: plaintext, EncryptionContext: context }));
      expect((await asApp.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context }))).Plaintext).toEqual(plaintext);
      // The grant requires the encryption context the stacks declare.
      await expect(asApp.send(new EncryptCommand({ KeyId: KEY_ALIASES.data, Plaintext: plaintext }))).rejects.toMatchObject({ name: 'AccessDeniedException' });

      const asStranger = clientAs(stranger);
      await expect(asStranger.send(new EncryptCommand({ KeyId: KEY_ALIASES.data, Plaintext: plaintext, EncryptionContext: context }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
      await expect(asStranger.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });

      const again = captureIo();
      expect(await run(['node', 'kmskit', 'apply', out!, '--endpoint', server.url], again)).toBe(0);
      expect(again.stdout()).toMatch(/\n0 created, 0 updated, \d+ unchanged/);
    } finally {
      for (const c of clients) c.destroy();
      await server.close();
      await emulator.close();
    }
  });
});
