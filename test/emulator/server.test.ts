import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopbackHost, MAX_BODY_BYTES, startServer, type RunningServer } from '../../emulator/server.js';
import { fakeEmulator } from '../helpers/fake-emulator.js';
import { kmsCall, rawRequest } from '../helpers/http.js';

const fake = fakeEmulator({ AKIADENIED: { arn: 'arn:aws:iam::111122223333:role/Denied' } });
let server: RunningServer;
const logged: string[] = [];

beforeAll(async () => {
  server = await startServer({ emulator: fake, port: 0, log: (l) => logged.push(l) });
});
afterAll(() => server.close());
beforeEach(() => {
  fake.reset();
  fake.calls.length = 0;
});

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('AWS JSON 1.1 protocol', () => {
  it('dispatches X-Amz-Target TrentService.<Op> with the parsed body and answers in x-amz-json-1.1', async () => {
    const res = await kmsCall(server.url, 'CreateKey', { Description: 'd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(res.headers['x-amzn-requestid']).toMatch(uuid);
    const keyId = (res.json as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    expect(fake.keys.has(keyId)).toBe(true);
    expect(fake.calls[0]).toMatchObject({ operation: 'CreateKey', input: { Description: 'd' } });
  });

  it('accepts application/json and an empty body as {}', async () => {
    const res = await kmsCall(server.url, 'ListKeys', '', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(200);
    expect(fake.calls[0]).toMatchObject({ operation: 'ListKeys', input: {} });
  });

  it('serialises a KmsError as 400 {"__type","message"} with x-amzn-ErrorType', async () => {
    const res = await kmsCall(server.url, 'DescribeKey', { KeyId: 'alias/missing' });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('NotFoundException');
    expect(res.json).toEqual({ __type: 'NotFoundException', message: "Key 'alias/missing' does not exist" });
    expect(res.headers['x-amzn-requestid']).toMatch(uuid);
  });

  it('answers an internal fault with 500 and no stack trace or internal message, and logs it', async () => {
    const res = await kmsCall(server.url, 'Boom', {});
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ __type: 'KMSInternalException', message: expect.any(String) });
    expect(res.text).not.toMatch(/file\.ts|TypeError|at /);
    expect(logged.some((l) => l.includes(String(res.headers['x-amzn-requestid'])))).toBe(true);
  });

  it.each([
    ['an unknown operation', { 'X-Amz-Target': 'TrentService.MakeCoffee' }],
    ['another service prefix', { 'X-Amz-Target': 'DynamoDB_20120810.ListTables' }],
    ['no target at all', {}],
  ])('answers UnknownOperationException for %s', async (_name, headers) => {
    const res = await rawRequest(server.url, { headers: { 'Content-Type': 'application/x-amz-json-1.1', ...headers }, body: '{}' });
    expect(res.status).toBe(400);
    expect((res.json as { __type: string }).__type).toBe('UnknownOperationException');
    expect(fake.calls).toHaveLength(0);
  });

  it.each([
    ['malformed JSON', '{"KeyId":'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"x"'],
    ['invalid UTF-8 garbage', Buffer.from([0xff, 0xfe, 0x00, 0x7b])],
  ])('answers SerializationException for %s', async (_name, body) => {
    const res = await rawRequest(server.url, {
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.ListKeys' },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('SerializationException');
    expect(fake.calls).toHaveLength(0);
  });

  it('caps bodies at 1 MiB with a 413 and keeps serving', async () => {
    const atLimit = `{"Description":"${'a'.repeat(MAX_BODY_BYTES - 20)}"}`;
    expect(Buffer.byteLength(atLimit)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect((await kmsCall(server.url, 'CreateKey', atLimit)).status).toBe(200);
    const over = await kmsCall(server.url, 'CreateKey', `{"Description":"${'a'.repeat(MAX_BODY_BYTES)}"}`);
    expect(over.status).toBe(413);
    expect((over.json as { __type: string }).__type).toBe('RequestEntityTooLargeException');
    expect(over.headers['x-amzn-requestid']).toMatch(uuid);
    expect(fake.keys.size).toBe(1);
    expect((await kmsCall(server.url, 'ListKeys', {})).status).toBe(200);
  });

  it('rejects a declared Content-Length far over the cap without reading it', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Type: application/x-amz-json-1.1\r\n' +
            `Content-Length: ${100 * MAX_BODY_BYTES}\r\n\r\n{"a":`,
        );
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toMatch(/RequestEntityTooLargeException/);
  });

  it('dispatches nothing when the client disconnects mid-body', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.CreateKey\r\nContent-Type: application/x-amz-json-1.1\r\n' +
            'Content-Length: 100\r\n\r\n{"Description":',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls).toHaveLength(0);
    expect(fake.keys.size).toBe(0);
    expect((await kmsCall(server.url, 'ListKeys', {})).status).toBe(200);
  });

  it('answers a garbled HTTP request in AWS shape', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toMatch(/x-amzn-RequestId: /);
    expect(answer).toMatch(/"__type":"SerializationException"/);
  });

  it('answers oversized headers with 431 in AWS shape', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () =>
        socket.write(`POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n{}`),
      );
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large/);
    expect(answer).toMatch(/x-amzn-ErrorType: SerializationException/);
    expect((await kmsCall(server.url, 'ListKeys', {})).status).toBe(200);
  });

  it('answers other paths and methods with an AWS-shaped error', async () => {
    const get = await rawRequest(server.url, { method: 'GET', path: '/' });
    expect(get.status).toBe(405);
    expect((get.json as { __type: string }).__type).toBe('UnknownOperationException');
    const nowhere = await rawRequest(server.url, { method: 'GET', path: '/nowhere' });
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers['x-amzn-requestid']).toMatch(uuid);
  });
});

describe('REST routes', () => {
  const json = (path: string, method: string, body?: unknown, headers: Record<string, string> = {}) =>
    rawRequest(server.url, {
      method,
      path,
      headers: { 'Content-Type': 'application/json', ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('creates a named AES-256-GCM key, encrypts and decrypts with it', async () => {
    const created = await json('/keys', 'POST', { key_id: 'tutorial' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'tutorial', algorithm: 'AES-256-GCM' });
    expect(fake.aliases.has('alias/tutorial')).toBe(true);

    const enc = await json('/encrypt', 'POST', { key_id: 'tutorial', plaintext: 'hello, world' });
    expect(enc.status).toBe(200);
    const { ciphertext } = enc.json as { ciphertext: string; key_id: string };
    expect(enc.json).toMatchObject({ key_id: 'tutorial' });
    expect(ciphertext).not.toContain('hello');

    const dec = await json('/decrypt', 'POST', { key_id: 'tutorial', ciphertext });
    expect(dec.json).toEqual({ key_id: 'tutorial', plaintext: 'hello, world' });
    expect(fake.calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['CreateKey', 'CreateAlias', 'Encrypt', 'Decrypt']));
  });

  it('lists keys by name, and refuses a duplicate name with 409', async () => {
    await json('/keys', 'POST', { key_id: 'one' });
    expect((await json('/keys', 'POST', { key_id: 'one' })).status).toBe(409);
    expect(fake.keys.size).toBe(1);
    const list = await json('/keys', 'GET');
    expect((list.json as { keys: Array<{ id: string; algorithm: string }> }).keys).toEqual([
      expect.objectContaining({ id: 'one', algorithm: 'AES-256-GCM', state: 'Enabled' }),
    ]);
  });

  it('DELETE schedules deletion and frees the name', async () => {
    const { key_id } = (await json('/keys', 'POST', { key_id: 'gone' })).json as { key_id: string };
    const del = await json('/keys/gone', 'DELETE');
    expect(del.status).toBe(200);
    expect(del.json).toMatchObject({ id: 'gone', key_id, status: 'PendingDeletion' });
    expect(fake.keys.get(key_id)?.state).toBe('PendingDeletion');
    expect(fake.aliases.has('alias/gone')).toBe(false);
    expect((await json('/keys/gone', 'DELETE')).status).toBe(404);
  });

  it('maps errors to HTTP statuses with the AWS exception name', async () => {
    const missing = await json('/encrypt', 'POST', { key_id: 'nope', plaintext: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: 'NotFoundException' });
    const bad = await json('/encrypt', 'POST', { key_id: 'nope' });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: string }).error).toMatch(/plaintext/);
    expect((await json('/keys', 'POST', { key_id: 'bad name!' })).status).toBe(400);
    expect((await json('/decrypt', 'POST', { ciphertext: 'not base64!' })).status).toBe(400);
    const notJson = await rawRequest(server.url, { path: '/keys', body: '{' });
    expect(notJson.status).toBe(400);
    expect((notJson.json as { code: string }).code).toBe('SerializationException');
  });

  it('runs as the signed caller, so policies apply', async () => {
    await json('/keys', 'POST', { key_id: 'guarded' });
    const auth = 'AWS4-HMAC-SHA256 Credential=AKIADENIED/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00';
    const denied = await json('/encrypt', 'POST', { key_id: 'guarded', plaintext: 'x' }, { Authorization: auth });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ code: 'AccessDeniedException' });
  });

  it('reports health', async () => {
    const res = await rawRequest(server.url, { method: 'GET', path: '/health' });
    expect(res.json).toMatchObject({ status: 'ok', account: fake.account });
  });
});

describe('control routes', () => {
  it('advance the clock', async () => {
    const before = fake.advancedSeconds;
    const res = await rawRequest(server.url, { path: '/_kmskit/clock', body: JSON.stringify({ advanceSeconds: 3600 }) });
    expect(res.status).toBe(200);
    expect(fake.advancedSeconds - before).toBe(3600);
    expect((res.json as { epochSeconds: number }).epochSeconds).toBe(Math.floor((fake.clock.now() as Date).getTime() / 1000));
    const bad = await rawRequest(server.url, { path: '/_kmskit/clock', body: JSON.stringify({ advanceSeconds: 'soon' }) });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ __type: 'ValidationException' });
  });

  it('return the audit events', async () => {
    await kmsCall(server.url, 'ListKeys', {});
    const res = await rawRequest(server.url, { method: 'GET', path: '/_kmskit/audit' });
    expect((res.json as { events: unknown[] }).events).toEqual([{ eventName: 'ListKeys' }]);
  });

  it('inject and clear faults', async () => {
    const res = await rawRequest(server.url, {
      path: '/_kmskit/faults',
      body: JSON.stringify({ operation: 'Encrypt', error: 'ThrottlingException', count: 2 }),
    });
    expect(res.status).toBe(200);
    expect(fake.injected).toEqual([{ operation: 'Encrypt', error: 'ThrottlingException', count: 2 }]);
    expect((await rawRequest(server.url, { path: '/_kmskit/faults', body: '{"probability":2,"operation":"x"}' })).status).toBe(400);
    await rawRequest(server.url, { method: 'DELETE', path: '/_kmskit/faults' });
    expect(fake.injected).toEqual([]);
  });

  it('reset the emulator', async () => {
    await kmsCall(server.url, 'CreateKey', {});
    const resets = fake.resets;
    expect((await rawRequest(server.url, { path: '/_kmskit/reset' })).status).toBe(200);
    expect(fake.resets).toBe(resets + 1);
    expect(fake.keys.size).toBe(0);
  });

  it('are off when the server is not on loopback unless asked for', async () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    const off = await startServer({ emulator: fake, port: 0, control: false });
    try {
      const resets = fake.resets;
      const res = await rawRequest(off.url, { path: '/_kmskit/reset' });
      expect(res.status).toBe(404);
      expect(fake.resets).toBe(resets);
    } finally {
      await off.close();
    }
  });
});
