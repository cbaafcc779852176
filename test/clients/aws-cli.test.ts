/**
 * The aws CLI against `kmskit serve`: list-keys, list-aliases, encrypt with an alias, and decrypt
 * of a ciphertext file (fileb://), as the KMS tutorials run them; importing key material as the
 * developer guide does (get-parameters-for-import, openssl pkeyutl, import-key-material); and
 * derive-shared-secret. Skipped, with the reason printed, when no working `aws` is installed
 * (`.ci/run` installs Debian's awscli when it can), and per case when the CLI is older than the
 * command (Debian's 2.9 has no derive-shared-secret) or openssl is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';
import { runCommand } from '../helpers/run-command.js';

// A pyenv shim may exist without a working CLI behind it, so run it rather than look for it.
const probe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000 });
const noCli = probe.error ? `the aws CLI is not installed (${probe.error.message})` : probe.status !== 0 ? `\`aws --version\` failed: ${(probe.stderr || probe.stdout).trim().split('\n').pop()}` : undefined;
if (noCli) console.log(`skipping aws CLI tests: ${noCli}`);
/** A CLI older than a command (Debian's 2.9 predates derive-shared-secret) skips that case, saying so. */
const lacks = (command: string): string | undefined => {
  if (noCli) return noCli;
  const help = spawnSync('aws', ['kms', command, 'help'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, AWS_PAGER: '', PAGER: 'cat' } });
  return help.status === 0 ? undefined : `this aws CLI (${probe.stdout.trim() || probe.stderr.trim()}) has no \`aws kms ${command}\``;
};
const noDerive = lacks('derive-shared-secret');
if (noDerive) console.log(`skipping the aws kms derive-shared-secret case: ${noDerive}`);
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const noOpenssl = openssl.status === 0 ? undefined : 'openssl is not installed (the developer guide wraps key material with openssl pkeyutl)';
if (noOpenssl) console.log(`skipping the aws kms import-key-material case: ${noOpenssl}`);

let env: InProcessEmulator;
let dir: string;

async function aws(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCommand('aws', ['kms', ...args, '--endpoint-url', env.url, '--region', 'us-east-1'], { AWS_ACCESS_KEY_ID: 'AKIAAWSCLITEST000001', AWS_SECRET_ACCESS_KEY: 'aws-cli-test-secret' });
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

  it.skipIf(Boolean(noOpenssl))('imports key material as the developer guide does: get-parameters-for-import, openssl pkeyutl, import-key-material', async () => {
    const keyId = (JSON.parse((await aws(['create-key', '--origin', 'EXTERNAL', '--output', 'json'])).stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    const params = await aws(['get-parameters-for-import', '--key-id', keyId, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', '--wrapping-key-spec', 'RSA_2048', '--output', 'json']);
    expect(params.stderr).toBe('');
    const { PublicKey, ImportToken } = JSON.parse(params.stdout) as { PublicKey: string; ImportToken: string };
    writeFileSync(join(dir, 'WrappingPublicKey.bin'), Buffer.from(PublicKey, 'base64'));
    writeFileSync(join(dir, 'ImportToken.bin'), Buffer.from(ImportToken, 'base64'));
    writeFileSync(join(dir, 'PlaintextKeyMaterial.bin'), randomBytes(32));
    const wrap = spawnSync('openssl', ['pkeyutl', '-encrypt', '-in', join(dir, 'PlaintextKeyMaterial.bin'), '-out', join(dir, 'EncryptedKeyMaterial.bin'), '-inkey', join(dir, 'WrappingPublicKey.bin'), '-keyform', 'DER', '-pubin', '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256'], { encoding: 'utf8' });
    expect(wrap.status, wrap.stderr).toBe(0);
    const imported = await aws(['import-key-material', '--key-id', keyId, '--encrypted-key-material', `fileb://${join(dir, 'EncryptedKeyMaterial.bin')}`, '--import-token', `fileb://${join(dir, 'ImportToken.bin')}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE', '--output', 'json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const described = JSON.parse((await aws(['describe-key', '--key-id', keyId, '--output', 'json'])).stdout) as { KeyMetadata: { KeyState: string; Origin: string } };
    expect(described.KeyMetadata).toMatchObject({ KeyState: 'Enabled', Origin: 'EXTERNAL' });
    writeFileSync(join(dir, 'imported.txt'), 'under imported material');
    const enc = await aws(['encrypt', '--key-id', keyId, '--plaintext', `fileb://${join(dir, 'imported.txt')}`, '--output', 'text', '--query', 'CiphertextBlob']);
    expect(enc.stderr).toBe('');
    writeFileSync(join(dir, 'imported.enc'), Buffer.from(enc.stdout.trim(), 'base64'));
    const dec = await aws(['decrypt', '--ciphertext-blob', `fileb://${join(dir, 'imported.enc')}`, '--output', 'text', '--query', 'Plaintext']);
    expect(Buffer.from(dec.stdout.trim(), 'base64').toString()).toBe('under imported material');
    await aws(['delete-imported-key-material', '--key-id', keyId]);
    expect((JSON.parse((await aws(['describe-key', '--key-id', keyId, '--output', 'json'])).stdout) as { KeyMetadata: { KeyState: string } }).KeyMetadata.KeyState).toBe('PendingImport');
  });

  it.skipIf(Boolean(noDerive))('derive-shared-secret gives the secret node crypto.diffieHellman computes', async () => {
    const keyId = (JSON.parse((await aws(['create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'KEY_AGREEMENT', '--output', 'json'])).stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(join(dir, 'peer.der'), peer.publicKey.export({ format: 'der', type: 'spki' }));
    const out = await aws(['derive-shared-secret', '--key-id', keyId, '--key-agreement-algorithm', 'ECDH', '--public-key', `fileb://${join(dir, 'peer.der')}`, '--output', 'json']);
    expect(out.stderr).toBe('');
    const secret = Buffer.from((JSON.parse(out.stdout) as { SharedSecret: string }).SharedSecret, 'base64');
    const pub = Buffer.from((JSON.parse((await aws(['get-public-key', '--key-id', keyId, '--output', 'json'])).stdout) as { PublicKey: string }).PublicKey, 'base64');
    expect(secret.equals(diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey({ key: pub, format: 'der', type: 'spki' }) }))).toBe(true);
  });

  it('reports a KMS error the way the CLI prints it', async () => {
    const res = await aws(['describe-key', '--key-id', 'alias/missing']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/NotFoundException/);
  });
});
