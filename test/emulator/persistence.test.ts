import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateMacCommand,
  ListAliasesCommand, ListGrantsCommand, ListKeyRotationsCommand, RotateKeyOnDemandCommand, SignCommand, VerifyCommand, GetKeyRotationStatusCommand, EnableKeyRotationCommand,
} from '@aws-sdk/client-kms';
import { createEmulator, StateFileError } from '../../emulator/emulator.js';
import { Persistence } from '../../emulator/state/persistence.js';
import { Store } from '../../emulator/core/store.js';
import { APP, customerAliases, emulator, failure } from './helpers.js';

let dir: string;
let state: string;
const DOMAIN = 'ab'.repeat(32);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmskit-state-'));
  state = join(dir, 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every backing key's raw bytes, read from the live store (for the grep test). */
function materials(kms: unknown): Buffer[] {
  const store = (kms as { __store?: Store }).__store;
  return store ? [...store.allKeys()].flatMap((k) => k.versions.map((v) => v.material)) : [];
}

describe('state file', () => {
  it('a restart with the same state file keeps keys, aliases, grants and rotations', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    const c = a.client();
    const id = (await c.send(new CreateKeyCommand({ Description: 'persisted' }))).KeyMetadata!.KeyId!;
    await c.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: id }));
    const g = await c.send(new CreateGrantCommand({ KeyId: id, GranteePrincipal: APP, Operations: ['Decrypt'] }));
    const old = (await c.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('v1') }))).CiphertextBlob!;
    await c.send(new RotateKeyOnDemandCommand({ KeyId: id }));
    await c.send(new EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: 100 }));
    const sig = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
    const signature = (await c.send(new SignCommand({ KeyId: sig, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }))).Signature!;
    await a.close();

    const b = await emulator({ stateFile: state, domainKey: DOMAIN });
    const d = b.client();
    expect((await d.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata).toMatchObject({ KeyId: id, Description: 'persisted' });
    expect(customerAliases((await d.send(new ListAliasesCommand({}))).Aliases).map((x) => x.AliasName)).toEqual(['alias/kept']);
    expect((await d.send(new ListGrantsCommand({ KeyId: id }))).Grants!.map((x) => x.GrantId)).toEqual([g.GrantId]);
    expect((await d.send(new ListKeyRotationsCommand({ KeyId: id }))).Rotations!.map((r) => r.RotationType)).toEqual(['ON_DEMAND']);
    expect((await d.send(new GetKeyRotationStatusCommand({ KeyId: id }))).RotationPeriodInDays).toBe(100);
    expect(Buffer.from((await d.send(new DecryptCommand({ CiphertextBlob: old }))).Plaintext!).toString()).toBe('v1');
    expect((await d.send(new VerifyCommand({ KeyId: sig, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256', Signature: signature }))).SignatureValid).toBe(true);
    // The grant token survives too: retiring by token works after the restart.
    expect(await b.send('RetireGrant', { GrantToken: g.GrantToken })).toEqual({});
    await b.close();
  });

  it('after a restart a multi-Region primary and its replica still share material across rotations', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    const id = (await a.client().send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
    await a.send('ReplicateKey', { KeyId: id, ReplicaRegion: 'eu-west-1' });
    await a.close();
    const b = await emulator({ stateFile: state, domainKey: DOMAIN });
    await b.client().send(new RotateKeyOnDemandCommand({ KeyId: id }));
    const blob = (await b.client().send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('both') }))).CiphertextBlob!;
    expect(Buffer.from((await b.client({ region: 'eu-west-1' }).send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString()).toBe('both');
  });

  it('every change is durable before the call returns, without close()', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    const id = (await a.client().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    // No flush or close: a second emulator reading the same file sees the key (snapshot + journal).
    const b = await emulator({ stateFile: state, domainKey: DOMAIN });
    expect((await b.client().send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyId).toBe(id);
  });

  it('the state file and journal hold no plaintext key material (grep)', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    const c = a.client();
    for (const spec of ['SYMMETRIC_DEFAULT', 'HMAC_256', 'ECC_NIST_P256', 'RSA_2048'] as const) {
      const usage = spec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : spec === 'HMAC_256' ? 'GENERATE_VERIFY_MAC' : 'SIGN_VERIFY';
      await c.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }));
    }
    const secrets = materials(a);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    const journal = readFileSync(`${state}.journal`);
    await a.flush();
    const snapshot = readFileSync(state);
    for (const file of [journal, snapshot]) {
      for (const m of secrets) {
        for (const form of [m, Buffer.from(m.toString('hex')), Buffer.from(m.toString('base64')), Buffer.from(m.toString('base64url'))]) {
          expect(file.includes(form.subarray(0, 24))).toBe(false);
        }
      }
    }
  });

  it('a corrupt state file raises a StateFileError naming the file, not a crash or a reset', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    await a.client().send(new CreateKeyCommand({}));
    await a.close();
    const text = readFileSync(state, 'utf8');
    writeFileSync(state, text.slice(0, text.length / 2));
    const e = await failure(emulator({ stateFile: state, domainKey: DOMAIN }));
    expect(e).toBeInstanceOf(StateFileError);
    expect(e.message).toContain(state);
    expect(e.message).toContain('not valid JSON');
    // The broken file is left as it was for the user to inspect.
    expect(readFileSync(state, 'utf8')).toBe(text.slice(0, text.length / 2));
  });

  it('a state file that is JSON but not kmskit state, or has a damaged record, is a clear error', async () => {
    writeFileSync(state, '{"hello": 1}');
    expect((await failure(emulator({ stateFile: state, domainKey: DOMAIN }))).message).toContain('is not a kmskit state file');
    const a = await emulator({ stateFile: join(dir, 'b.json'), domainKey: DOMAIN });
    await a.client().send(new CreateKeyCommand({}));
    await a.close();
    const doc = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    delete doc.keys[0].arn;
    writeFileSync(join(dir, 'b.json'), JSON.stringify(doc));
    expect((await failure(emulator({ stateFile: join(dir, 'b.json'), domainKey: DOMAIN }))).message).toMatch(/keys\[0\]: missing or invalid "arn"/);
  });

  it('the wrong domain key is a clear error', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    await a.client().send(new CreateKeyCommand({}));
    await a.close();
    const e = await failure(emulator({ stateFile: state, domainKey: 'cd'.repeat(32) }));
    expect(e.message).toContain('different domain key');
  });

  it('a corrupt journal line is a clear error naming the journal and line', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    await a.client().send(new CreateKeyCommand({}));
    writeFileSync(`${state}.journal`, 'garbage\n', { flag: 'a' });
    const e = await failure(emulator({ stateFile: state, domainKey: DOMAIN }));
    expect(e.message).toContain(`${state}.journal`);
    expect(e.message).toContain('line 2');
  });

  it('a torn last journal line (a write that never returned) is dropped', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    const id = (await a.client().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    writeFileSync(`${state}.journal`, '{"changes":[{"kind":"ke', { flag: 'a' });
    const b = await emulator({ stateFile: state, domainKey: DOMAIN });
    expect((await b.client().send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyId).toBe(id);
    expect(readFileSync(`${state}.journal`, 'utf8').endsWith('\n')).toBe(true);
  });

  it('without a domain key option, a key file is created beside the state file with mode 0600', async () => {
    const saved = process.env.KMSKIT_DOMAIN_KEY;
    delete process.env.KMSKIT_DOMAIN_KEY;
    try {
      const a = await createEmulator({ stateFile: state });
      await a.client().send(new CreateKeyCommand({}));
      await a.close();
      expect(existsSync(`${state}.key`)).toBe(true);
      expect(statSync(`${state}.key`).mode & 0o777).toBe(0o600);
      const b = await createEmulator({ stateFile: state });
      expect((await b.send('ListKeys', {})).Keys).toHaveLength(1);
    } finally {
      if (saved !== undefined) process.env.KMSKIT_DOMAIN_KEY = saved;
    }
  });

  it('KMSKIT_DOMAIN_KEY in base64 is accepted; a malformed one is a clear error', async () => {
    const saved = process.env.KMSKIT_DOMAIN_KEY;
    try {
      process.env.KMSKIT_DOMAIN_KEY = Buffer.alloc(32, 7).toString('base64');
      const a = await createEmulator({ stateFile: state });
      await a.close();
      expect(existsSync(`${state}.key`)).toBe(false);
      process.env.KMSKIT_DOMAIN_KEY = 'short';
      expect((await failure(createEmulator({ stateFile: join(dir, 'x.json') }))).message).toContain('KMSKIT_DOMAIN_KEY');
    } finally {
      if (saved === undefined) delete process.env.KMSKIT_DOMAIN_KEY;
      else process.env.KMSKIT_DOMAIN_KEY = saved;
    }
  });

  it('a failure to persist rolls the call back: nothing half-written, the error is KMSInternalException', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    const c = a.client();
    await c.send(new CreateKeyCommand({}));
    await a.flush();
    chmodSync(`${state}.journal`, 0o400);
    // Reopen the journal read-only so the next append fails (root ignores file modes, so swap the fd).
    const p = (a as unknown as { __persistence?: Persistence }).__persistence!;
    (p as unknown as { journalFd: number | undefined }).journalFd = 999_999;
    const e = await failure(c.send(new CreateKeyCommand({ Description: 'lost' })));
    expect(e.name).toBe('KMSInternalException');
    expect(e.message).toContain('could not persist');
    expect((await a.send('ListKeys', {})).Keys).toHaveLength(1);
  });

  it('Encrypt and Decrypt write nothing', async () => {
    const a = await emulator({ stateFile: state, domainKey: DOMAIN });
    const c = a.client();
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const mac = (await c.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!.KeyId!;
    const before = readFileSync(`${state}.journal`, 'utf8');
    const blob = (await c.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') }))).CiphertextBlob!;
    await c.send(new DecryptCommand({ CiphertextBlob: blob }));
    await c.send(new GenerateMacCommand({ KeyId: mac, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }));
    expect(readFileSync(`${state}.journal`, 'utf8')).toBe(before);
  });
});

describe('state file lock', () => {
  it('refuses a state file another live process holds, naming the pid', async () => {
    const { spawn } = await import('node:child_process');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${state}.lock`, String(holder.pid));
      const err = await createEmulator({ stateFile: state, domainKey: DOMAIN }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateFileError);
      expect((err as Error).message).toContain(`in use by another kmskit process (pid ${holder.pid})`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that died (kill -9), and releases it on close', async () => {
    const { spawnSync } = await import('node:child_process');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${state}.lock`, gone.stdout);
    const kms = await createEmulator({ stateFile: state, domainKey: DOMAIN });
    expect(readFileSync(`${state}.lock`, 'utf8')).toBe(String(process.pid));
    await kms.close();
    expect(existsSync(`${state}.lock`)).toBe(false);
  });
});
