/**
 * The aws CLI against `kmskit serve`: list-keys, list-aliases, encrypt with an alias, and decrypt
 * of a ciphertext file (fileb://), as the KMS tutorials run them. Skipped, with the reason printed,
 * when no working `aws` is installed (`.ci/run` installs Debian's awscli when it can).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';

// A pyenv shim may exist without a working CLI behind it, so run it rather than look for it.
const probe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000 });
const noCli = probe.error ? `the aws CLI is not installed (${probe.error.message})` : probe.status !== 0 ? `\`aws --version\` failed: ${(probe.stderr || probe.stdout).trim().split('\n').pop()}` : undefined;
if (noCli) console.log(`skipping aws CLI tests: ${noCli}`);

let env: InProcessEmulator;
let dir: string;

async function aws(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('aws', ['kms', ...args, '--endpoint-url', env.url, '--region', 'us-east-1'], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIAAWSCLITEST000001',
      AWS_SECRET_ACCESS_KEY: 'aws-cli-test-secret',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

beforeAll(async () => {
  if (noCli) return;
  env = await startInProcessEmulator();
  dir = mkdtempSync(join(tmpdir(), 'kmskit-awscli-'));
  const created = await env.emulator.send('CreateKey', { Description: 'aws cli test' });
  const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
  await env.emulator.send('CreateAlias', { AliasName: 'alias/cli-test', TargetKeyId: keyId });
});
afterAll(async () => {
  await env?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(Boolean(noCli))(`aws CLI (${noCli ? 'absent' : probe.stdout.trim() || probe.stderr.trim()})`, { timeout: 90_000 }, () => {
  it('lists keys and aliases', async () => {
    const keys = await aws(['list-keys', '--output', 'json']);
    expect(keys.stderr).toBe('');
    expect(keys.code).toBe(0);
    const keyIds = (JSON.parse(keys.stdout) as { Keys: Array<{ KeyId: string }> }).Keys.map((k) => k.KeyId);
    const aliases = await aws(['list-aliases', '--output', 'json']);
    expect(aliases.code).toBe(0);
    const alias = (JSON.parse(aliases.stdout) as { Aliases: Array<{ AliasName: string; TargetKeyId: string }> }).Aliases.find((a) => a.AliasName === 'alias/cli-test');
    expect(alias).toBeDefined();
    expect(keyIds).toContain(alias!.TargetKeyId);
  });

  it('encrypts with --key-id alias/... and decrypts --ciphertext-blob fileb://', async () => {
    const plaintextFile = join(dir, 'secret.txt');
    writeFileSync(plaintextFile, 'the aws CLI secret');
    const enc = await aws(['encrypt', '--key-id', 'alias/cli-test', '--plaintext', `fileb://${plaintextFile}`, '--output', 'text', '--query', 'CiphertextBlob']);
    expect(enc.stderr).toBe('');
    expect(enc.code).toBe(0);
    const ciphertextFile = join(dir, 'secret.enc');
    writeFileSync(ciphertextFile, Buffer.from(enc.stdout.trim(), 'base64'));

    const dec = await aws(['decrypt', '--ciphertext-blob', `fileb://${ciphertextFile}`, '--output', 'text', '--query', 'Plaintext']);
    expect(dec.stderr).toBe('');
    expect(dec.code).toBe(0);
    expect(Buffer.from(dec.stdout.trim(), 'base64').toString()).toBe(readFileSync(plaintextFile, 'utf8'));
  });

  it('reports a KMS error the way the CLI prints it', async () => {
    const res = await aws(['describe-key', '--key-id', 'alias/missing']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/NotFoundException/);
  });
});
