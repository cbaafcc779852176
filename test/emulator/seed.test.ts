import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, ListGrantsCommand, ListKeyRotationsCommand } from '@aws-sdk/client-kms';
import { SeedFileError, type SeedDocument } from '../../emulator/emulator.js';
import { ACCOUNT, APP, allowAll, emulator, failure } from './helpers.js';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const seed: SeedDocument = {
  principals: [{ arn: APP, accessKeyId: 'AKIASEEDAPP', policies: [allowAll(['kms:Encrypt', 'kms:Decrypt'])] }],
  keys: [
    {
      id: KEY,
      description: 'seeded',
      material: '42'.repeat(32),
      aliases: ['alias/seeded'],
      tags: { team: 'core' },
      rotation: { enabled: true, periodInDays: 180, history: [{ date: '2025-01-01T00:00:00Z', type: 'ON_DEMAND', material: '43'.repeat(32) }] },
      grants: [{ grantee: `arn:aws:iam::${ACCOUNT}:role/Reader`, operations: ['Decrypt'] }],
    },
  ],
};

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('seed', () => {
  it('defines keys with fixed ids, aliases, grants, rotation history and principals', async () => {
    const kms = await emulator({ seed });
    const c = kms.client({ accessKeyId: 'AKIASEEDAPP' });
    expect((await kms.client().send(new DescribeKeyCommand({ KeyId: 'alias/seeded' }))).KeyMetadata).toMatchObject({ KeyId: KEY, Description: 'seeded' });
    expect((await kms.client().send(new ListKeyRotationsCommand({ KeyId: KEY }))).Rotations!.map((r) => r.RotationType)).toEqual(['ON_DEMAND']);
    expect((await kms.client().send(new ListGrantsCommand({ KeyId: KEY }))).Grants).toHaveLength(1);
    const blob = (await c.send(new EncryptCommand({ KeyId: KEY, Plaintext: Buffer.from('s') }))).CiphertextBlob!;
    expect(Buffer.from((await c.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString()).toBe('s');
  });

  it('loading it twice gives the same ids and material: ciphertext from one load decrypts in the other', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kmskit-seed-'));
    writeFileSync(join(dir, 'seed.json'), JSON.stringify(seed));
    const a = await emulator({ seed: join(dir, 'seed.json') });
    const b = await emulator({ seed: join(dir, 'seed.json') });
    const blob = (await a.client().send(new EncryptCommand({ KeyId: 'alias/seeded', Plaintext: Buffer.from('same') }))).CiphertextBlob!;
    expect(Buffer.from((await b.client().send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString()).toBe('same');
    const ga = (await a.client().send(new ListGrantsCommand({ KeyId: KEY }))).Grants![0]!.GrantId;
    const gb = (await b.client().send(new ListGrantsCommand({ KeyId: KEY }))).Grants![0]!.GrantId;
    expect(ga).toBe(gb);
  });

  it('reset() returns to the seeded state', async () => {
    const kms = await emulator({ seed });
    await kms.send('CreateKey', {});
    expect((await kms.send('ListKeys', {})).Keys).toHaveLength(2);
    await kms.reset();
    expect((await kms.send('ListKeys', {})).Keys).toEqual([{ KeyId: KEY, KeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY}` }]);
    expect(kms.audit.events()).toHaveLength(1);
  });

  it('a bad seed is a SeedFileError naming the entry', async () => {
    const e = await failure(emulator({ seed: { keys: [{ id: 'not-an-id' }] } }));
    expect(e).toBeInstanceOf(SeedFileError);
    expect(e.message).toContain('keys[0]');
    expect((await failure(emulator({ seed: { keys: [{ id: KEY, material: 'abcd' }] } }))).message).toContain('must be 32 bytes');
    expect((await failure(emulator({ seed: '/nonexistent/seed.json' }))).message).toContain('cannot be read');
  });
});
