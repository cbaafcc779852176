import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalRequest,
  computeSignature,
  parseAuthorization,
  SIGNATURE_MISMATCH_MESSAGE,
  SignatureError,
  verifySignature,
} from '../../emulator/protocols/sigv4.js';
import { startServer, type RunningServer } from '../../emulator/server.js';
import { fakeEmulator } from '../helpers/fake-emulator.js';
import { kmsCall, rawRequest, signedHeaders, signedKmsCall } from '../helpers/http.js';

const APP = { accessKeyId: 'AKIAAPPEXAMPLE000001', secretAccessKey: 'app-secret-key' };
const OPEN = { accessKeyId: 'AKIAOPENEXAMPLE00002', secretAccessKey: 'whatever-the-client-has' };
const APP_ARN = 'arn:aws:iam::111122223333:role/App';
const OPEN_ARN = 'arn:aws:iam::111122223333:role/NoSecret';

describe('parseAuthorization', () => {
  it('reads access key, date, region and service from the credential scope', () => {
    const auth = parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef0123',
    );
    // toMatchObject reads each field (scope and signedHeaders are computed on demand).
    expect(auth).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20260101',
      region: 'eu-west-1',
      service: 'kms',
      scope: '20260101/eu-west-1/kms/aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abcdef0123',
    });
  });

  it('treats a missing header as no credentials', () => {
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('  ')).toBeUndefined();
  });

  it.each([
    ['Bearer abc', /AWS4-HMAC-SHA256/],
    ['AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab', /'Credential' parameter/],
    ['AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/kms, SignedHeaders=host, Signature=ab', /aws4_request/],
    ['AWS4-HMAC-SHA256 Credential=AK/2026-01-01/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=ab', /yyyyMMdd/],
    ['AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=zz', /hexadecimal/],
  ])('rejects %j as IncompleteSignatureException', (header, message) => {
    let error: unknown;
    try {
      parseAuthorization(header);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SignatureError);
    expect((error as SignatureError).code).toBe('IncompleteSignatureException');
    expect((error as SignatureError).message).toMatch(message);
  });
});

describe('verifySignature', () => {
  const base = 'http://127.0.0.1:4599';
  const body = JSON.stringify({ KeyId: 'alias/app', Plaintext: 'aGVsbG8=' });
  const sign = (path = '/') =>
    signedHeaders(base, APP, {
      path,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
      body,
    });
  const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

  it('accepts what the AWS SDK signer produced', async () => {
    const headers = lower(await sign());
    const auth = parseAuthorization(headers.authorization)!;
    expect(() => verifySignature({ method: 'POST', url: '/', headers, body: Buffer.from(body) }, auth, APP.secretAccessKey)).not.toThrow();
  });

  it('accepts a signed path with a query string and characters that need escaping', async () => {
    const path = "/keys/a b(1)?z=2&a=x y&b=1*";
    const headers = lower(await sign(path));
    const auth = parseAuthorization(headers.authorization)!;
    const url = new URL(path, base);
    const wire = url.pathname + url.search;
    expect(() => verifySignature({ method: 'POST', url: wire, headers, body: Buffer.from(body) }, auth, APP.secretAccessKey)).not.toThrow();
  });

  it('rejects a body changed after signing, with the message AWS sends', async () => {
    const headers = lower(await sign());
    const auth = parseAuthorization(headers.authorization)!;
    const tampered = Buffer.from(body.replace('alias/app', 'alias/other'));
    expect(() => verifySignature({ method: 'POST', url: '/', headers, body: tampered }, auth, APP.secretAccessKey)).toThrow(
      SIGNATURE_MISMATCH_MESSAGE,
    );
  });

  it('rejects the wrong secret and a scope for another service', async () => {
    const headers = lower(await sign());
    const auth = parseAuthorization(headers.authorization)!;
    const req = { method: 'POST', url: '/', headers, body: Buffer.from(body) };
    expect(() => verifySignature(req, auth, 'not-the-secret')).toThrow(SIGNATURE_MISMATCH_MESSAGE);
    expect(() => verifySignature(req, { ...auth, service: 's3' }, APP.secretAccessKey)).toThrow(/correct service: 'kms'/);
  });

  it('rejects a signature more than 15 minutes old or ahead, as AWS does', async () => {
    for (const [offsetMin, message] of [
      [-20, /^Signature expired: \d{8}T\d{6}Z is now earlier than/],
      [20, /^Signature not yet current/],
    ] as const) {
      const signingDate = new Date(Date.now() + offsetMin * 60_000);
      const headers = lower(
        await signedHeaders(base, APP, { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' }, body, signingDate }),
      );
      const auth = parseAuthorization(headers.authorization)!;
      expect(() => verifySignature({ method: 'POST', url: '/', headers, body: Buffer.from(body) }, auth, APP.secretAccessKey)).toThrow(message);
    }
    const recent = lower(
      await signedHeaders(base, APP, { headers: { 'x-amz-target': 'TrentService.Encrypt' }, body, signingDate: new Date(Date.now() - 10 * 60_000) }),
    );
    expect(() => verifySignature({ method: 'POST', url: '/', headers: recent, body: Buffer.from(body) }, parseAuthorization(recent.authorization)!, APP.secretAccessKey)).not.toThrow();
  });

  it('computes the AWS test-suite signature for get-vanilla', () => {
    // The request and expected signature of the "get-vanilla" case of the AWS SigV4 test suite.
    const request = {
      method: 'GET',
      url: '/',
      headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
      body: Buffer.alloc(0),
    };
    const auth = parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
    )!;
    expect(canonicalRequest(request, auth.signedHeaders)).toBe(
      'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(computeSignature(request, auth, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830T123600Z')).toBe(
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});

describe('SigV4 over HTTP', () => {
  const fake = fakeEmulator({
    [APP.accessKeyId]: { arn: APP_ARN, secretAccessKey: APP.secretAccessKey },
    [OPEN.accessKeyId]: { arn: OPEN_ARN },
  });
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ emulator: fake, port: 0 });
  });
  afterAll(() => server.close());

  it('passes the principal, access key, region and source address of a verified caller to the emulator', async () => {
    const res = await signedKmsCall(server.url, APP, 'WhoAmI', {}, 'eu-central-1');
    expect(res.status).toBe(200);
    expect((res.json as { caller: unknown }).caller).toEqual({
      accessKeyId: APP.accessKeyId,
      principal: APP_ARN,
      region: 'eu-central-1',
      sourceIp: '127.0.0.1',
    });
  });

  it('answers InvalidSignatureException (400) when the secret is wrong', async () => {
    const res = await signedKmsCall(server.url, { ...APP, secretAccessKey: 'guess' }, 'WhoAmI', {});
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    expect(res.json).toEqual({ __type: 'InvalidSignatureException', message: SIGNATURE_MISMATCH_MESSAGE });
    expect(fake.calls.some((c) => c.caller?.accessKeyId === APP.accessKeyId && c.caller.principal === undefined)).toBe(false);
  });

  it('does not verify the signature of a principal without a secret', async () => {
    const res = await signedKmsCall(server.url, OPEN, 'WhoAmI', {});
    expect(res.status).toBe(200);
    expect((res.json as { caller: { principal: string } }).caller.principal).toBe(OPEN_ARN);
  });

  it('treats an unknown access key and an unsigned request as the account root (no principal)', async () => {
    const unknown = await signedKmsCall(server.url, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }, 'WhoAmI', {});
    expect((unknown.json as { caller: Record<string, unknown> }).caller.principal).toBeUndefined();
    const unsigned = await kmsCall(server.url, 'WhoAmI', {});
    expect(unsigned.json).toEqual({ caller: { sourceIp: '127.0.0.1' } });
  });

  it('answers IncompleteSignatureException for a malformed Authorization header', async () => {
    const res = await kmsCall(server.url, 'WhoAmI', {}, { Authorization: 'AWS4-HMAC-SHA256 Credential=x' });
    expect(res.status).toBe(400);
    expect((res.json as { __type: string }).__type).toBe('IncompleteSignatureException');
  });

  it('verifies signatures on the REST routes too', async () => {
    const headers = await signedHeaders(server.url, { ...APP, secretAccessKey: 'guess' }, { method: 'GET', path: '/health' });
    const res = await rawRequest(server.url, { method: 'GET', path: '/health', headers });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    const good = await signedHeaders(server.url, APP, { method: 'GET', path: '/health' });
    expect((await rawRequest(server.url, { method: 'GET', path: '/health', headers: good })).status).toBe(200);
  });
});
