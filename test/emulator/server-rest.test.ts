/**
 * The tutorial REST routes on the real emulator: they share its store and audit log with the AWS
 * protocol, so a key made over REST is a KMS key, and ciphertexts cross between the two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsCall, rawRequest, signedHeaders } from '../helpers/http.js';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';

const OUTSIDER = { accessKeyId: 'AKIAOUTSIDER00000001', secretAccessKey: 'outsider-secret', arn: 'arn:aws:iam::111122223333:role/outsider' };
let env: InProcessEmulator;

beforeAll(async () => {
  env = await startInProcessEmulator({ principals: [OUTSIDER] });
});
afterAll(() => env?.stop());

const rest = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  rawRequest(env.url, { method, path, headers: { 'Content-Type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

describe('REST routes on the real emulator', () => {
  it('runs the tutorial: create a key, encrypt, decrypt, list, delete', async () => {
    const created = await rest('POST', '/keys', { key_id: 'payments' });
    expect(created.status).toBe(201);
    const { key_id: kmsKeyId, arn } = created.json as { key_id: string; arn: string };
    expect(arn).toBe(`arn:aws:kms:us-east-1:${env.emulator.account}:key/${kmsKeyId}`);
    expect(created.json).toMatchObject({ id: 'payments', algorithm: 'AES-256-GCM' });

    const enc = await rest('POST', '/encrypt', { key_id: 'payments', plaintext: 'card 4111' });
    const { ciphertext } = enc.json as { ciphertext: string };
    const dec = await rest('POST', '/decrypt', { ciphertext });
    expect(dec.json).toEqual({ key_id: kmsKeyId, plaintext: 'card 4111' });

    const one = await rest('GET', '/keys/payments');
    expect(one.json).toMatchObject({ id: 'payments', key_id: kmsKeyId, state: 'Enabled', algorithm: 'AES-256-GCM' });
    const list = await rest('GET', '/keys');
    expect((list.json as { keys: Array<{ id: string }> }).keys.map((k) => k.id)).toContain('payments');

    const del = await rest('DELETE', '/keys/payments');
    expect(del.json).toMatchObject({ id: 'payments', key_id: kmsKeyId, status: 'PendingDeletion' });
    // deletion_date is the emulator clock + 7 days.
    const expected = env.emulator.clock.now().getTime() + 7 * 86_400_000;
    expect(Math.abs(Date.parse((del.json as { deletion_date: string }).deletion_date) - expected)).toBeLessThan(60_000);
    expect((await rest('POST', '/encrypt', { key_id: 'payments', plaintext: 'x' })).status).toBe(404);
    expect((await rest('POST', '/keys', { key_id: 'payments' })).status).toBe(201);
  });

  it('shares keys and ciphertexts with the AWS protocol, and records REST calls in the audit log', async () => {
    const { key_id } = (await rest('POST', '/keys', { key_id: 'shared' })).json as { key_id: string };
    const described = await kmsCall(env.url, 'DescribeKey', { KeyId: 'alias/shared' });
    expect((described.json as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId).toBe(key_id);

    const { ciphertext } = (await rest('POST', '/encrypt', { key_id: 'shared', plaintext: 'both ways' })).json as { ciphertext: string };
    const viaAws = await kmsCall(env.url, 'Decrypt', { CiphertextBlob: ciphertext });
    expect(Buffer.from((viaAws.json as { Plaintext: string }).Plaintext, 'base64').toString()).toBe('both ways');

    const awsBlob = ((await kmsCall(env.url, 'Encrypt', { KeyId: 'alias/shared', Plaintext: Buffer.from('the other way').toString('base64') })).json as { CiphertextBlob: string })
      .CiphertextBlob;
    expect((await rest('POST', '/decrypt', { key_id: 'shared', ciphertext: awsBlob })).json).toMatchObject({ plaintext: 'the other way' });

    const names = env.emulator.audit.events().map((e) => e.eventName);
    expect(names).toEqual(expect.arrayContaining(['CreateKey', 'CreateAlias', 'Encrypt', 'Decrypt']));
    expect(JSON.stringify(env.emulator.audit.events())).not.toContain('both ways');
  });

  it('runs as the signed caller, so a principal the key policy does not name is refused with 403', async () => {
    await rest('POST', '/keys', { key_id: 'guarded' });
    const body = JSON.stringify({ key_id: 'guarded', plaintext: 'x' });
    const headers = await signedHeaders(env.url, OUTSIDER, { path: '/encrypt', headers: { 'content-type': 'application/json' }, body });
    const denied = await rawRequest(env.url, { path: '/encrypt', headers, body });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ code: 'AccessDeniedException' });
    expect((denied.json as { error: string }).error).toContain(OUTSIDER.arn);
  });
});
