import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { captureIo } from '../../cli/io.js';
import { kmsCall, rawRequest } from '../helpers/http.js';
import { kmskitCommand, REPO_ROOT as ROOT, startServeProcess } from '../helpers/serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'kmskit-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// These spawn real `kmskit serve` processes; on a loaded machine (or from source via tsx) that is slow.
describe('kmskit serve', { timeout: 90_000 }, () => {
  it('prints the actual URL with --port 0, answers, and stops on SIGTERM with exit 0', async () => {
    const serving = await startServeProcess();
    try {
      expect(serving.stdout()).toMatch(/^kmskit emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
      expect(serving.url).not.toMatch(/:0$/);
      const res = await kmsCall(serving.url, 'ListKeys', {});
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ Keys: [] });
    } finally {
      expect(await serving.stop('SIGTERM')).toBe(0);
    }
    expect(serving.stderr()).toMatch(/stopped \(SIGTERM\)/);
  });

  it('flushes state on SIGINT so keys survive a restart', async () => {
    const state = join(dir, 'state.json');
    const first = await startServeProcess(['--state', state]);
    const created = await kmsCall(first.url, 'CreateKey', { Description: 'survives' });
    const keyId = (created.json as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    const ciphertext = ((await kmsCall(first.url, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from('kept').toString('base64') })).json as { CiphertextBlob: string })
      .CiphertextBlob;
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await startServeProcess(['--state', state]);
    try {
      const described = await kmsCall(second.url, 'DescribeKey', { KeyId: keyId });
      expect(described.json).toMatchObject({ KeyMetadata: { KeyId: keyId, Description: 'survives' } });
      const decrypted = await kmsCall(second.url, 'Decrypt', { CiphertextBlob: ciphertext });
      expect(Buffer.from((decrypted.json as { Plaintext: string }).Plaintext, 'base64').toString()).toBe('kept');
    } finally {
      await second.stop();
    }
  });

  it('uses --account and --region for new keys', async () => {
    const serving = await startServeProcess(['--account', '444455556666', '--region', 'eu-west-1']);
    try {
      const created = await kmsCall(serving.url, 'CreateKey', {});
      expect((created.json as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn).toMatch(/^arn:aws:kms:eu-west-1:444455556666:key\//);
      const health = await rawRequest(serving.url, { method: 'GET', path: '/health' });
      expect(health.json).toMatchObject({ status: 'ok', account: '444455556666', region: 'eu-west-1' });
    } finally {
      await serving.stop();
    }
  });

  it('starts and answers its first request quickly', async () => {
    // The contract is ≤ 300 ms on an idle machine with the compiled CLI; bench/server.bench.ts records
    // it against that target. Here, on a shared machine and possibly from source through tsx, the test
    // prints the figure and only guards against a gross regression.
    const { compiled } = kmskitCommand([]);
    const started = performance.now();
    const serving = await startServeProcess();
    const elapsed = performance.now() - started;
    await serving.stop();
    console.log(`kmskit serve (${compiled ? 'compiled dist/' : 'from source via tsx'}): listening and answered after ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(compiled ? 5_000 : 15_000);
  });
});

describe('kmskit serve: start-up', { timeout: 90_000 }, () => {
  it('serves control routes on loopback by default, and not with --no-control', async () => {
    const { startServing } = await import('../../cli/serve.js');
    const on = await startServing({ port: 0 });
    const off = await startServing({ port: 0, control: false });
    try {
      expect((await rawRequest(on.url, { path: '/_kmskit/reset' })).status).toBe(200);
      const refused = await rawRequest(off.url, { path: '/_kmskit/reset' });
      expect(refused.status).toBe(404);
      expect(refused.json).toMatchObject({ __type: 'UnknownOperationException' });
    } finally {
      await on.stop();
      await off.stop();
    }
  });

  it('logs an internal fault with its request id, never the plaintext', async () => {
    const { startServing } = await import('../../cli/serve.js');
    const lines: string[] = [];
    const serving = await startServing({ port: 0 }, (l) => lines.push(l));
    try {
      const keyId = ((await kmsCall(serving.url, 'CreateKey', {})).json as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
      await rawRequest(serving.url, { path: '/_kmskit/faults', body: JSON.stringify({ operation: 'Encrypt', error: 'KMSInternalException' }) });
      const secret = 'the-plaintext-nobody-may-log';
      const res = await kmsCall(serving.url, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from(secret).toString('base64') });
      expect(res.status).toBe(500);
      expect(res.headers['x-amzn-errortype']).toBe('KMSInternalException');
      expect(lines).toEqual([`kmskit: request ${String(res.headers['x-amzn-requestid'])} Encrypt: KMSInternalException (500)`]);
      expect(lines.join('\n')).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(Buffer.from(secret).toString('base64'));
    } finally {
      await serving.stop();
    }
  });

  it('does not load cdktf or the AWS SDK for the server path itself', async () => {
    // What `kmskit serve` imports, in a fresh process, then which CommonJS packages got loaded.
    const { spawnSync } = await import('node:child_process');
    const script = [
      "import { createRequire } from 'node:module';",
      "await import('./cli/program.ts'); await import('./cli/serve.ts'); await import('./emulator/server.ts');",
      "const cache = Object.keys(createRequire(import.meta.url).cache);",
      "console.log(JSON.stringify({ cdktf: cache.some((f) => f.includes('/node_modules/cdktf/')), sdk: cache.some((f) => f.includes('/@aws-sdk/client-kms/')) }));",
    ].join('\n');
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout.trim().split('\n').pop()!)).toEqual({ cdktf: false, sdk: false });
    const withCore = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "import { createRequire } from 'node:module'; await import('./emulator/index.ts'); console.log(Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/@aws-sdk/client-kms/')));"],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (withCore.stdout.trim().endsWith('true')) console.log('note: emulator/index.ts loads @aws-sdk/client-kms at import time (for emulator.client()); that costs kmskit serve ~100 ms of start-up');
  });
});

describe('kmskit serve: bad input', { timeout: 90_000 }, () => {
  const serveArgs = (...args: string[]) => ['node', 'kmskit', 'serve', '--port', '0', ...args];

  it.each([
    ['missing', undefined, /identities file .*missing\.json: cannot read it \(ENOENT\)/],
    ['not JSON', '{"principals": [', /identities file .*not JSON\.json: not valid JSON/],
    ['no principals list', '{"users": []}', /identities file .*: expected \{"principals": \[ \.\.\. \]\}/],
    ['a bad ARN', '{"principals":[{"accessKeyId":"AKIAX1","arn":"role/App"}]}', /principals\[0\]\.arn must be an IAM or STS ARN/],
    ['a duplicate key', '{"principals":[{"accessKeyId":"AKIAX1","arn":"arn:aws:iam::111122223333:role/A"},{"accessKeyId":"AKIAX1","arn":"arn:aws:iam::111122223333:role/B"}]}', /AKIAX1 appears twice/],
    [
      'a policy that does not parse',
      '{"principals":[{"accessKeyId":"AKIAX1","arn":"arn:aws:iam::111122223333:role/A","policies":[{"Statement":"nope"}]}]}',
      /principals\[0\]\.policies\[0\]/,
    ],
  ])('exits 2 naming the identities file when it is %s', async (name, content, message) => {
    const file = join(dir, `${name}.json`);
    if (content !== undefined) writeFileSync(file, content);
    const io = captureIo();
    expect(await run(serveArgs('--identities', file), io)).toBe(2);
    expect(io.stderr()).toMatch(message);
    expect(io.stderr()).toContain(file);
    expect(io.stdout()).toBe('');
  });

  it('exits 2 naming the seed or state file when it cannot be used', async () => {
    const seed = join(dir, 'bad-seed.json');
    writeFileSync(seed, '{"keys": [{"spec": 5}]}');
    const state = join(dir, 'bad-state.json');
    writeFileSync(state, 'not a state file');
    for (const [flag, file] of [['--seed', seed], ['--state', state], ['--seed', join(dir, 'no-seed.json')]] as const) {
      const io = captureIo();
      expect(await run(serveArgs(flag, file), io)).toBe(2);
      expect(io.stderr()).toContain(file);
      expect(io.stderr().trim().split('\n')).toHaveLength(1);
      expect(io.stderr()).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 2 for a bad port, account or region', async () => {
    for (const args of [['--port', '99999'], ['--account', '12'], ['--region', 'mars']]) {
      const io = captureIo();
      expect(await run(serveArgs(...args), io)).toBe(2);
      expect(io.stderr()).toMatch(new RegExp(args[0]!.replace('--', '')));
    }
  });

  it('exits 2 when the port is taken', async () => {
    const serving = await startServeProcess();
    try {
      const port = new URL(serving.url).port;
      const io = captureIo();
      expect(await run(['node', 'kmskit', 'serve', '--port', port], io)).toBe(2);
      expect(io.stderr()).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE`));
    } finally {
      await serving.stop();
    }
  });
});
