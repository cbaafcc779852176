/**
 * The Vault face over HTTP on the real server: the envelope and headers, errors and statuses, the
 * LIST method (which node's parser refuses), 200 vs 204, token headers, and ACL denials — the
 * details real Vault clients depend on.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, kmsCall } from '../../helpers/http.js';
import { startInProcessEmulator, type InProcessEmulator } from '../../../testing/in-process.js';

let env: InProcessEmulator;
beforeAll(async () => {
  env = await startInProcessEmulator({ vault: { rootToken: 'root-token' } });
});
afterAll(() => env?.stop());

const vault = (method: string, path: string, body?: unknown, headers: Record<string, string> = { 'X-Vault-Token': 'root-token' }) =>
  rawRequest(env.url, { method, path: `/v1/${path}`, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });

/** Sends raw bytes on a fresh connection and returns everything the server wrote before closing. */
function rawExchange(bytes: string): Promise<string> {
  const url = new URL(env.url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(url.port), url.hostname, () => s.write(bytes));
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('error', reject);
    s.on('close', () => resolve(out));
  });
}

describe('Vault HTTP face', () => {
  it('answers 404 "no handler for route" before transit is enabled, then serves the hands-on flow', async () => {
    const before = await vault('POST', 'transit/encrypt/my-app-key', { plaintext: 'aGVsbG8=' });
    expect(before.status).toBe(404);
    expect(before.json).toEqual({ errors: ['no handler for route "transit/encrypt/my-app-key". route entry not found.'] });

    const mount = await vault('POST', 'sys/mounts/transit', { type: 'transit' });
    expect(mount.status).toBe(204);
    expect(mount.text).toBe('');
    expect((await vault('POST', 'sys/mounts/transit', { type: 'transit' })).json).toEqual({ errors: ['path is already in use at transit/'] });

    // The hands-on's curl sends the form Content-Type with a JSON body.
    const enc = await vault('POST', 'transit/encrypt/my-app-key', '{"plaintext": "aGVsbG8gd29ybGQ="}', { 'X-Vault-Token': 'root-token', 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(enc.status).toBe(200);
    expect(enc.headers['content-type']).toBe('application/json');
    expect(enc.headers['cache-control']).toBe('no-store');
    expect(enc.text.endsWith('}\n')).toBe(true);
    const body = enc.json as Record<string, any>;
    expect(Object.keys(body)).toEqual(['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth', 'mount_type']);
    expect(body).toMatchObject({ lease_id: '', renewable: false, lease_duration: 0, wrap_info: null, warnings: null, auth: null, mount_type: 'transit' });
    expect(body.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.data.ciphertext).toMatch(/^vault:v1:/);

    const dec = await vault('POST', 'transit/decrypt/my-app-key', { ciphertext: body.data.ciphertext });
    expect(Buffer.from((dec.json as any).data.plaintext, 'base64').toString()).toBe('hello world');
  });

  it('takes the token from Authorization: Bearer, and answers 403 with Vault’s wordings', async () => {
    expect((await vault('GET', 'sys/mounts', undefined, { Authorization: 'Bearer root-token' })).status).toBe(200);
    const none = await vault('GET', 'sys/mounts', undefined, {});
    expect(none.status).toBe(403);
    expect(none.json).toEqual({ errors: ['permission denied'] });
    const bad = await vault('GET', 'sys/mounts', undefined, { 'X-Vault-Token': 'hvs.nope' });
    expect(bad.status).toBe(403);
    expect(bad.json).toEqual({ errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'] });
  });

  it('serves the LIST method at the connection level, and GET ?list=true', async () => {
    await vault('POST', 'transit/keys/listed');
    const out = await rawExchange('LIST /v1/transit/keys HTTP/1.1\r\nHost: localhost\r\nX-Vault-Token: root-token\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(out).toContain('\r\nContent-Type: application/json\r\n');
    expect(out).toContain('\r\nConnection: close\r\n');
    const json = JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4));
    expect(json.data.keys).toContain('listed');
    for (const list of ['true', '1', 't']) expect(((await vault('GET', `transit/keys?list=${list}`)).json as any).data.keys).toContain('listed');
    const denied = await rawExchange('LIST /v1/transit/keys HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(denied).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    // A bad method outside /v1/ is still the AWS-shaped parse error.
    const other = await rawExchange('LIST / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(other).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(other).toContain('SerializationException');
  });

  it('answers 405 for a known path with the wrong method and 404 for an unknown path under a mount', async () => {
    const wrong = await vault('GET', 'transit/encrypt/my-app-key');
    expect(wrong.status).toBe(405);
    expect(wrong.json).toEqual({ errors: ['1 error occurred:\n\t* unsupported operation\n\n'] });
    const unknown = await vault('POST', 'transit/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ errors: ['1 error occurred:\n\t* unsupported path\n\n'] });
    expect((await vault('GET', 'transit/keys/absent')).text).toBe('{"errors":[]}\n');
  });

  it('warns about unknown parameters and parameters the path overrides', async () => {
    const r = await vault('POST', 'transit/keys/warned', { name: 'other', colour: 'blue' });
    expect((r.json as any).warnings).toEqual([
      'Endpoint ignored these unrecognized parameters: [colour]',
      "Endpoint replaced the value of these parameters with the values captured from the endpoint's path: [name]",
    ]);
    expect((r.json as any).data.name).toBe('warned');
    const bad = await vault('POST', 'transit/encrypt/warned', { plaintext: 'aGk=', key_version: 'first' });
    expect(bad.status).toBe(400);
    expect((bad.json as any).errors[0]).toMatch(/^Field validation failed: error converting input first for field "key_version"/);
    expect((await vault('POST', 'transit/keys/warned', '{not json')).status).toBe(400);
  });

  it('reports health without a token, as an active unsealed dev server', async () => {
    const h = await vault('GET', 'sys/health', undefined, {});
    expect(h.status).toBe(200);
    expect(h.json).toMatchObject({ initialized: true, sealed: false, standby: false });
    const head = await vault('HEAD', 'sys/health', undefined, {});
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('lists mounts with the data also at the top level (sys injection)', async () => {
    const m = (await vault('GET', 'sys/mounts')).json as any;
    expect(m.data['transit/']).toMatchObject({ type: 'transit', local: false, seal_wrap: false });
    expect(m['transit/']).toEqual(m.data['transit/']);
    expect((await vault('POST', 'sys/mounts/kv', { type: 'kv' })).json).toEqual({ errors: ['kmskit emulates only the transit secrets engine; cannot enable "kv" at kv/'] });
  });

  it('mounts transit at other paths, and disabling a mount drops its keys', async () => {
    expect((await vault('POST', 'sys/mounts/transit-app', { type: 'transit' })).status).toBe(204);
    expect((await vault('POST', 'transit-app/keys/app')).status).toBe(200);
    expect((await vault('GET', 'transit-app/keys/app')).status).toBe(200);
    expect((await vault('DELETE', 'sys/mounts/transit-app')).status).toBe(204);
    expect((await vault('GET', 'transit-app/keys/app')).status).toBe(404);
    await vault('POST', 'sys/mounts/transit-app', { type: 'transit' });
    expect((await vault('GET', 'transit-app/keys/app')).status).toBe(404);
  });

  it('enforces ACL policies: update-only tokens cannot upsert, read or touch other keys', async () => {
    await vault('POST', 'transit/keys/acl-key');
    const policy = 'path "transit/encrypt/acl-key" { capabilities = ["update"] }\npath "transit/decrypt/acl-key" { capabilities = ["update"] }';
    expect((await vault('PUT', 'sys/policy/acl-app', { policy })).status).toBe(204);
    const token = ((await vault('POST', 'auth/token/create', { policies: ['acl-app'], display_name: 'app' })).json as any).auth.client_token as string;
    const as = { 'X-Vault-Token': token };
    const enc = await vault('POST', 'transit/encrypt/acl-key', { plaintext: 'aGk=' }, as);
    expect(enc.status).toBe(200);
    const denied = { errors: ['1 error occurred:\n\t* permission denied\n\n'] };
    expect((await vault('GET', 'transit/keys/acl-key', undefined, as)).json).toEqual(denied);
    expect((await vault('POST', 'transit/encrypt/other-key', { plaintext: 'aGk=' }, as)).json).toEqual(denied);
    // Encrypt of a missing key is a create: a policy with update only may not make keys.
    await vault('PUT', 'sys/policy/glob', { policy: 'path "transit/encrypt/*" { capabilities = ["update"] }' });
    const globToken = ((await vault('POST', 'auth/token/create', { policies: ['glob'] })).json as any).auth.client_token as string;
    expect((await vault('POST', 'transit/encrypt/new-key', { plaintext: 'aGk=' }, { 'X-Vault-Token': globToken })).json).toEqual(denied);
    expect((await vault('GET', 'transit/keys/new-key')).status).toBe(404);
    expect((await vault('POST', 'transit/encrypt/acl-key', { plaintext: 'aGk=' }, { 'X-Vault-Token': globToken })).status).toBe(200);
    // The denial is in the audit log, with the token's name and policies.
    const events = (await rawRequest(env.url, { method: 'GET', path: '/_kmskit/audit' })).json as { events: any[] };
    const refused = events.events.filter((e) => e.eventSource === 'vault' && e.errorCode === 'PermissionDenied');
    expect(refused.some((e) => e.userIdentity.arn === 'vault:token-app' && e.userIdentity.policies.includes('acl-app') && e.eventName === 'transit/keys')).toBe(true);
    expect(JSON.stringify(events.events)).not.toContain('aGk=');
  });

  it('answers a too-large body in Vault’s shape, and leaves the AWS routes as they were', async () => {
    const big = await vault('POST', 'transit/encrypt/my-app-key', { plaintext: 'A'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.json).toEqual({ errors: ['http: request body too large'] });
    const kms = await kmsCall(env.url, 'ListKeys', {});
    expect(kms.status).toBe(200);
    expect(kms.headers['content-type']).toBe('application/x-amz-json-1.1');
  });
});
