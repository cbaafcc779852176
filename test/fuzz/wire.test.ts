/**
 * Wire fuzz: 2,000 malformed requests against the real emulator behind the HTTP server — bad JSON,
 * wrong member types, bad base64, oversized bodies and values, unknown targets, bad headers. Every
 * one must get an AWS-shaped 4xx (`{"__type","message"}`, the same type in x-amzn-ErrorType, a
 * request id, no stack trace), and the server must keep answering. The generator is seeded, so a
 * failure names a request that can be replayed.
 */
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../emulator/server.js';
import { kmsCall, rawRequest, type RawRequest } from '../helpers/http.js';
import { startInProcessEmulator, type InProcessEmulator } from '../../testing/in-process.js';
import { prng } from '../helpers/prng.js';

const COUNT = 2_000;
const IN_FLIGHT = 16;


let env: InProcessEmulator;
let keyId: string;
let agent: Agent;

beforeAll(async () => {
  env = await startInProcessEmulator({ principals: [{ accessKeyId: 'AKIAFUZZSIGNED000001', secretAccessKey: 'fuzz-secret', arn: 'arn:aws:iam::111122223333:role/fuzz' }] });
  keyId = ((await env.emulator.send('CreateKey', {})).KeyMetadata as { KeyId: string }).KeyId;
  agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
});
afterAll(async () => {
  agent?.destroy();
  await env?.stop();
});

interface Case {
  kind: string;
  request: RawRequest;
}

function generate(rand: () => number): Case[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const ops = env.emulator.operations;
  const json = { 'Content-Type': 'application/x-amz-json-1.1' };
  const target = (op: string) => ({ ...json, 'X-Amz-Target': `TrentService.${op}` });
  // Member, the operations that take it, and values of the wrong JSON type for it.
  const wrongTypes: Array<[string, string[], unknown[]]> = [
    ['KeyId', ['Encrypt', 'DescribeKey', 'DisableKey', 'GetKeyPolicy', 'ListGrants', 'TagResource'], [123, true, [], {}, [1, 'a'], 1.5]],
    ['Plaintext', ['Encrypt'], [123, true, [], { a: 1 }]],
    ['EncryptionContext', ['Encrypt', 'GenerateDataKey'], ['x', 123, [1], true]],
    ['GrantTokens', ['Encrypt', 'Decrypt'], ['x', 5, { a: 'b' }]],
    ['Limit', ['ListKeys', 'ListAliases'], ['ten', true, {}, [], 1.5]],
    ['Tags', ['CreateKey', 'TagResource'], ['x', 5, { TagKey: 'a' }]],
    ['Description', ['CreateKey', 'UpdateKeyDescription'], [5, false, ['d']]],
    ['MultiRegion', ['CreateKey'], ['yes', 1, {}]],
    ['NumberOfBytes', ['GenerateRandom', 'GenerateDataKey'], ['32', true, [32]]],
  ];
  const badBase64 = ['!!!!', 'abc', '====', 'a=b=', 'Zm9v\n', '😀', 'Zm9vYmFy%%', ' '];
  const makers: Array<[string, () => RawRequest]> = [
    ['truncated JSON', () => ({ headers: target(pick(ops)), body: JSON.stringify({ KeyId: keyId, Plaintext: 'aGk=' }).slice(0, 1 + Math.floor(rand() * 30)) })],
    ['not JSON', () => ({ headers: target(pick(ops)), body: pick(['<xml/>', 'KeyId=1', '{,}', '{"a":}', "{'KeyId':'x'}", 'nul', '\u0000\u0001', '{"KeyId":"x",}', '[', '}']) })],
    ['JSON that is not an object', () => ({ headers: target(pick(ops)), body: pick(['[]', '[{}]', '"KeyId"', '42', 'true', 'null']) })],
    [
      'wrong member type',
      () => {
        const [member, memberOps, values] = pick(wrongTypes);
        const valid = { KeyId: keyId, Plaintext: 'aGk=', KeySpec: 'AES_256', PolicyName: 'default', Tags: [{ TagKey: 'a', TagValue: 'b' }], Description: 'd' };
        return { headers: target(pick(memberOps)), body: JSON.stringify({ ...valid, [member]: pick(values) }) };
      },
    ],
    ['bad base64 blob', () => ({ headers: target(pick(['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateMac', 'VerifyMac', 'Sign', 'Verify'])), body: JSON.stringify({ KeyId: keyId, Plaintext: pick(badBase64), CiphertextBlob: pick(badBase64), Message: pick(badBase64), Mac: pick(badBase64), Signature: pick(badBase64), MacAlgorithm: 'HMAC_SHA_256', SigningAlgorithm: 'ECDSA_SHA_256' }) })],
    ['plaintext over 4096 bytes', () => ({ headers: target('Encrypt'), body: JSON.stringify({ KeyId: keyId, Plaintext: Buffer.alloc(4097 + Math.floor(rand() * 5000)).toString('base64') }) })],
    ['missing required members', () => ({ headers: target(pick(ops.filter((o) => !o.startsWith('List') && o !== 'CreateKey' && o !== 'GenerateRandom'))), body: '{}' })],
    ['unknown target', () => ({ headers: { ...json, 'X-Amz-Target': pick([`TrentService.${pick(ops)}X`, 'TrentService.', 'TrentService', `trentservice.${pick(ops)}`, `DynamoDB_20120810.${pick(ops)}`, `TrentService.${'A'.repeat(500)}`, '', ' ']) }, body: '{}' })],
    ['no target', () => ({ headers: json, body: JSON.stringify({ KeyId: keyId }) })],
    ['bad content type', () => ({ headers: { 'Content-Type': pick(['text/plain', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded']), 'X-Amz-Target': `TrentService.${pick(ops)}` }, body: '{}' })],
    ['bad authorization header', () => ({ headers: { ...target('ListKeys'), Authorization: pick(['AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 Credential=', 'Basic dXNlcjpwYXNz', 'AWS4-HMAC-SHA256 Credential=AK/1/2/3/4, SignedHeaders=host, Signature=zz', 'AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0g']) }, body: '{}' })],
    [
      'forged signature',
      () => {
        const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
        const signature = Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
        return {
          headers: {
            ...target(pick(ops)),
            'X-Amz-Date': date,
            Authorization: `AWS4-HMAC-SHA256 Credential=AKIAFUZZSIGNED000001/${date.slice(0, 8)}/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
          },
          body: JSON.stringify({ KeyId: keyId }),
        };
      },
    ],
    ['unknown region in scope', () => ({ headers: { ...target('ListKeys'), Authorization: `AWS4-HMAC-SHA256 Credential=AKIAX/20260101/${pick(['mars', 'US-EAST-1', 'x-y', '1-2-3'])}/kms/aws4_request, SignedHeaders=host, Signature=00` }, body: '{}' })],
    ['huge body', () => ({ headers: target(pick(ops)), body: Buffer.alloc(MAX_BODY_BYTES + 1 + Math.floor(rand() * MAX_BODY_BYTES), 0x61) })],
    ['bad enum value', () => ({ headers: target(pick(['CreateKey', 'GenerateDataKey', 'Encrypt', 'GenerateDataKeyPair'])), body: JSON.stringify({ KeyId: keyId, KeySpec: pick(['AES_512', 'rsa_2048', '']), KeyUsage: 'WRAP', EncryptionAlgorithm: 'ROT13', KeyPairSpec: 'DSA' }) })],
    ['out-of-range number', () => ({ headers: target(pick(['GenerateRandom', 'ListKeys', 'GenerateDataKey', 'ScheduleKeyDeletion'])), body: JSON.stringify({ KeyId: keyId, NumberOfBytes: pick([0, -5, 1e9, 1025]), Limit: pick([0, 1001, -1]), PendingWindowInDays: pick([0, 6, 31, 1e12]) }) })],
    ['nonexistent key', () => ({ headers: target(pick(['Encrypt', 'DescribeKey', 'DisableKey', 'GetKeyPolicy'])), body: JSON.stringify({ KeyId: pick(['alias/none', '00000000-0000-0000-0000-000000000000', 'arn:aws:kms:us-east-1:111122223333:key/nope', 'garbage key id']), Plaintext: 'aGk=', PolicyName: 'default' }) })],
    [
      'REST route with a bad body',
      () => {
        const [path, bodies] = pick([
          ['/keys', ['{', '[]', '{"key_id": 5}', '{"key_id":"bad name!"}', '{"key_id":"aws/reserved"}']],
          ['/encrypt', ['{', '{"key_id":"x","plaintext":{}}', '{"key_id":5,"plaintext":"a"}', '{"plaintext":"a"}', '{"key_id":"missing","plaintext":"a"}']],
          ['/decrypt', ['{"ciphertext":"!!"}', '{}', '[]', '{"ciphertext":"AAAA"}']],
        ] as const);
        return { path, headers: { 'Content-Type': 'application/json' }, body: pick(bodies) };
      },
    ],
    ['control route with bad input', () => ({ path: pick(['/_kmskit/clock', '/_kmskit/faults', '/_kmskit/nothing']), body: pick(['{"advanceSeconds":-1}', '{"advanceSeconds":"x"}', '{"operation":5}', '{"operation":"Encrypt","error":"Nope"}', '{"operation":"Encrypt","probability":7}', '{']) })],
  ];
  const cases: Case[] = [];
  for (let i = 0; i < COUNT; i++) {
    const [kind, make] = makers[i % makers.length]!;
    cases.push({ kind, request: { method: 'POST', ...make() } });
  }
  return cases;
}

describe('wire fuzz', () => {
  it(`answers ${COUNT} malformed requests with AWS-shaped 4xx errors and keeps serving`, async () => {
    const cases = generate(prng(0x6b6d73));
    expect(cases).toHaveLength(COUNT);
    const failures: string[] = [];
    const kinds = new Map<string, Set<string>>();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < cases.length) {
          const i = next++;
          const c = cases[i]!;
          let res;
          try {
            res = await rawRequest(env.url, { ...c.request, agent });
          } catch (e) {
            failures.push(`#${i} ${c.kind}: transport error ${(e as Error).message}`);
            continue;
          }
          const body = res.json as { __type?: unknown; message?: unknown; code?: unknown; error?: unknown } | undefined;
          const type = body?.__type ?? body?.code;
          const problem =
            res.status < 400 || res.status >= 500
              ? `status ${res.status}`
              : !body || typeof type !== 'string' || !/^[A-Za-z]+$/.test(type)
                ? 'no error type in the body'
                : typeof (body.message ?? body.error) !== 'string'
                  ? 'no message'
                  : res.headers['x-amzn-errortype'] !== type
                    ? `x-amzn-ErrorType ${String(res.headers['x-amzn-errortype'])} != ${type}`
                    : typeof res.headers['x-amzn-requestid'] !== 'string'
                      ? 'no request id'
                      : /\n\s+at |\.ts:\d+|node:internal/.test(res.text)
                        ? 'stack trace in the body'
                        : undefined;
          if (problem) failures.push(`#${i} ${c.kind}: ${problem}: ${res.text.slice(0, 200)}`);
          else kinds.set(c.kind, (kinds.get(c.kind) ?? new Set()).add(String(type)));
        }
      }),
    );
    expect(failures.slice(0, 20)).toEqual([]);
    // Each family got the answer AWS gives for it.
    expect([...kinds.get('not JSON')!]).toEqual(['SerializationException']);
    expect([...kinds.get('huge body')!]).toEqual(['RequestEntityTooLargeException']);
    expect([...kinds.get('unknown target')!]).toEqual(['UnknownOperationException']);
    expect([...kinds.get('forged signature')!]).toEqual(['InvalidSignatureException']);
    expect(kinds.get('wrong member type')).toBeDefined();
    // The server still answers, and the malformed requests created nothing.
    const keys = await kmsCall(env.url, 'ListKeys', {});
    expect(keys.status).toBe(200);
    expect((keys.json as { Keys: unknown[] }).Keys).toHaveLength(1);
  });
});
