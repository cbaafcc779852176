/**
 * The two in-process clients answer alike: the fast client (command input in at the top of the SDK
 * stack) returns exactly what the full-wire client (the SDK's whole stack, serialisation and all)
 * returns — same members, Uint8Array blobs, Date timestamps, the SDK's exception classes with the
 * same fields — and both leave the same audit events, hit the same faults and enforce the same policies.
 */
import { describe, expect, it } from 'vitest';
import {
  CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, DisableKeyCommand, EncryptCommand, GenerateMacCommand,
  GetKeyPolicyCommand, GetKeyRotationStatusCommand, GetPublicKeyCommand, KMSClient, KMSServiceException, ListAliasesCommand, ListGrantsCommand, ListKeysCommand,
  ListKeyRotationsCommand, ListResourceTagsCommand, NotFoundException, SignCommand, TagResourceCommand, VerifyCommand,
} from '@aws-sdk/client-kms';
import type { Emulator } from '../../emulator/emulator.js';
import { parseAuthorization, verifySignature } from '../../emulator/protocols/sigv4.js';
import { APP, allowAll, emulator, failure } from './helpers.js';

// Any command of the client; sent with a cast, as send's overloads do not take a union.
type Sendable = object;

/** An output or error with the fields that differ per call (request ids) taken out. */
function comparable(v: unknown): unknown {
  if (v instanceof Error) {
    const e = v as Error & Record<string, unknown>;
    const { requestId: _r, ...meta } = e.$metadata as Record<string, unknown>;
    const response = e.$response as { statusCode: number; headers: Record<string, string> };
    return {
      class: e.constructor.name,
      keys: Object.keys(e).sort(),
      name: e.name,
      message: e.message,
      fault: e.$fault,
      retryable: e.$retryable,
      type: e.__type,
      meta,
      status: response.statusCode,
      errorType: Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1],
      detail: Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'x-kmskit-detail')?.[1],
      isServiceException: e instanceof KMSServiceException,
    };
  }
  const { $metadata, ...rest } = v as { $metadata: Record<string, unknown> };
  const { requestId: _r, ...meta } = $metadata;
  return { ...rest, $metadata: meta };
}

async function both(kms: Emulator, command: () => Sendable, options: Parameters<Emulator['client']>[0] = {}): Promise<[unknown, unknown]> {
  const run = (client: KMSClient) => client.send(command() as never).then((o) => comparable(o), (e: unknown) => comparable(e));
  return [await run(kms.client(options)), await run(kms.client({ ...options, wire: true }))];
}

describe('fast and full-wire clients answer alike', () => {
  it('outputs: same members, blobs as plain Uint8Array, timestamps as Date', async () => {
    const kms = await emulator();
    const c = kms.client();
    const sym = (await c.send(new CreateKeyCommand({ Description: 'parity', Tags: [{ TagKey: 't', TagValue: 'v' }] }))).KeyMetadata!;
    const rsa = (await c.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const hmac = (await c.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    await c.send(new CreateAliasCommand({ AliasName: 'alias/parity', TargetKeyId: sym.KeyId }));
    await c.send(new CreateGrantCommand({ KeyId: sym.KeyId, GranteePrincipal: APP, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { a: 'b' } } }));
    const blob = (await c.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: new TextEncoder().encode('same'), EncryptionContext: { a: 'b' } }))).CiphertextBlob!;
    const message = new TextEncoder().encode('message');
    const signature = (await c.send(new SignCommand({ KeyId: rsa.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }))).Signature!;
    const commands: Array<() => Sendable> = [
      () => new DescribeKeyCommand({ KeyId: 'alias/parity' }),
      () => new DescribeKeyCommand({ KeyId: rsa.Arn }),
      () => new ListKeysCommand({}),
      () => new ListAliasesCommand({}),
      () => new GetKeyPolicyCommand({ KeyId: sym.KeyId }),
      () => new GetKeyRotationStatusCommand({ KeyId: hmac.KeyId }),
      () => new ListResourceTagsCommand({ KeyId: sym.KeyId }),
      () => new ListGrantsCommand({ KeyId: sym.KeyId }),
      () => new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { a: 'b' } }),
      () => new GetPublicKeyCommand({ KeyId: rsa.KeyId }),
      () => new SignCommand({ KeyId: rsa.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
      () => new VerifyCommand({ KeyId: rsa.KeyId, Message: message, Signature: signature, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
      () => new GenerateMacCommand({ KeyId: hmac.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
    ];
    for (const command of commands) {
      const [fast, wire] = await both(kms, command);
      expect(fast, command().constructor.name).toEqual(wire);
    }
    const out = await c.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { a: 'b' } }));
    expect(Object.getPrototypeOf(out.Plaintext)).toBe(Uint8Array.prototype);
    expect(new TextDecoder().decode(out.Plaintext)).toBe('same');
    expect((await c.send(new DescribeKeyCommand({ KeyId: sym.KeyId }))).KeyMetadata!.CreationDate).toBeInstanceOf(Date);
  });

  it('errors: the same exception classes, names, messages, $fault and $metadata', async () => {
    const kms = await emulator({ principals: [{ arn: APP, policies: [allowAll('kms:DescribeKey')] }] });
    const c = kms.client();
    const key = (await c.send(new CreateKeyCommand({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: { AWS: APP }, Action: 'kms:Encrypt', Resource: '*' }] }) }))).KeyMetadata!;
    const disabled = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
    await c.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    const rsa = (await c.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const cases: Array<{ command: () => Sendable; name: string; options?: Parameters<Emulator['client']>[0]; fault?: 'ThrottlingException' | 'KMSInternalException' | 'DependencyTimeoutException' }> = [
      { command: () => new DescribeKeyCommand({ KeyId: 'alias/missing' }), name: 'NotFoundException' },
      { command: () => new DescribeKeyCommand({ KeyId: 'x'.repeat(2049) }), name: 'ValidationException' },
      { command: () => new EncryptCommand({ KeyId: key.KeyId, Plaintext: new Uint8Array(0) }), name: 'ValidationException' },
      { command: () => new EncryptCommand({ KeyId: disabled.KeyId, Plaintext: new Uint8Array(1) }), name: 'DisabledException' },
      { command: () => new EncryptCommand({ KeyId: key.KeyId, Plaintext: new Uint8Array(1) }), name: 'AccessDeniedException', options: { principal: APP } },
      { command: () => new DecryptCommand({ CiphertextBlob: new Uint8Array(64) }), name: 'InvalidCiphertextException' },
      { command: () => new TagResourceCommand({ KeyId: key.KeyId, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] }), name: 'TagException' },
      // One AWS answers without a message (the SDK then says UnknownError; kmskit's x-kmskit-detail says why).
      { command: () => new ListKeyRotationsCommand({ KeyId: rsa.KeyId }), name: 'UnsupportedOperationException' },
      { command: () => new DescribeKeyCommand({ KeyId: key.KeyId }), name: 'ThrottlingException', fault: 'ThrottlingException' },
      { command: () => new DescribeKeyCommand({ KeyId: key.KeyId }), name: 'KMSInternalException', fault: 'KMSInternalException' },
      { command: () => new DescribeKeyCommand({ KeyId: key.KeyId }), name: 'DependencyTimeoutException', fault: 'DependencyTimeoutException' },
    ];
    for (const { command, name, options, fault } of cases) {
      const run = async (client: KMSClient) => {
        if (fault) kms.faults.inject({ operation: 'DescribeKey', error: fault });
        return comparable(await failure(client.send(command() as never)));
      };
      const fast = await run(kms.client(options ?? {}));
      const wire = await run(kms.client({ ...(options ?? {}), wire: true }));
      expect(fast, name).toEqual(wire);
      expect((fast as { name: string }).name).toBe(name);
    }
    const missing = await failure(c.send(new DescribeKeyCommand({ KeyId: 'alias/missing' })));
    expect(missing).toBeInstanceOf(NotFoundException);
  });

  it('leaves the same audit events', async () => {
    const kms = await emulator();
    const key = (await kms.client().send(new CreateKeyCommand({}))).KeyMetadata!;
    const events = async (client: KMSClient) => {
      kms.audit.clear();
      await client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: new Uint8Array([1, 2, 3]), EncryptionContext: { k: 'v' } }));
      await failure(client.send(new DescribeKeyCommand({ KeyId: 'alias/missing' })));
      return kms.audit.events().map(({ eventID: _id, eventTime: _t, ...rest }) => rest);
    };
    const fast = await events(kms.client());
    const wire = await events(kms.client({ wire: true }));
    expect(fast).toEqual(wire);
    expect(fast[0]!.requestParameters).toEqual({ KeyId: key.KeyId, EncryptionContext: { k: 'v' } });
    expect(JSON.stringify(fast)).not.toContain('AQID');
  });

  it("the caller cannot change the emulator's state through an output it holds", async () => {
    const kms = await emulator();
    const c = kms.client();
    const id = (await c.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'a' }] }))).KeyMetadata!.KeyId!;
    const tags = (await c.send(new ListResourceTagsCommand({ KeyId: id }))).Tags!;
    tags[0]!.TagValue = 'changed';
    tags.push({ TagKey: 'extra', TagValue: 'x' });
    const md = (await c.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!;
    md.EncryptionAlgorithms!.push('RSAES_OAEP_SHA_1');
    expect((await c.send(new ListResourceTagsCommand({ KeyId: id }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'a' }]);
    expect((await c.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.EncryptionAlgorithms).toEqual(['SYMMETRIC_DEFAULT']);
  });

  it('injected latency applies to the fast client too', async () => {
    const kms = await emulator();
    kms.faults.inject({ operation: 'ListKeys', latencyMs: 50 });
    const t = performance.now();
    await kms.client().send(new ListKeysCommand({}));
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);
  });

  it('a string Plaintext is sent as its UTF-8 bytes, as the SDK does', async () => {
    const kms = await emulator();
    const c = kms.client();
    const id = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (const client of [c, kms.client({ wire: true })]) {
      const blob = (await client.send(new EncryptCommand({ KeyId: id, Plaintext: 'héllo' as never }))).CiphertextBlob!;
      expect(new TextDecoder().decode((await c.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext)).toBe('héllo');
    }
  });

  it('the full-wire client signs every request with SigV4, the signature valid for its secret (one signer reused)', async () => {
    const kms = await emulator();
    const client = kms.client({ wire: true });
    const seen: Array<{ method: string; path: string; headers: Record<string, string>; body: unknown }> = [];
    // Right after the SDK's signing step: what a socket would have been given.
    client.middlewareStack.addRelativeTo(
      ((next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
        seen.push(args.request as (typeof seen)[number]);
        return next(args);
      }) as never,
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'capture' },
    );
    const id = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new EncryptCommand({ KeyId: id, Plaintext: new Uint8Array([1, 2, 3]) }));
    expect(seen).toHaveLength(2);
    for (const r of seen) {
      const auth = parseAuthorization(r.headers.authorization)!;
      expect(auth.accessKeyId).toBe('AKIAKMSKITINPROCESS0');
      expect(auth.service).toBe('kms');
      // TextDecoder reads the SDK's body wrapper without the string methods it warns about.
      const body = Buffer.from(typeof r.body === 'string' ? r.body : new TextDecoder().decode(r.body as Uint8Array));
      const signed = { method: r.method, url: r.path, headers: r.headers, body };
      expect(() => verifySignature(signed, auth, 'kmskit-in-process')).not.toThrow();
      expect(() => verifySignature(signed, auth, 'another-secret')).toThrow(/signature/i);
    }
  });
});
