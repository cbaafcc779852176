/**
 * A tiny stand-in for the emulator core, for testing the HTTP layer on its own: a handful of
 * operations over an in-memory map, a "ciphertext" that is plainly not encryption, and an operation
 * that fails with a non-KMS error so the 500 path can be seen.
 */
import { randomUUID } from 'node:crypto';
import { KmsError } from '../../emulator/core/errors.js';
import type { FaultSpec, WireCaller, WireEmulator, WirePrincipal } from '../../emulator/protocols/wire.js';

export interface FakeEmulator extends WireEmulator {
  calls: Array<{ operation: string; input: object; caller?: WireCaller }>;
  keys: Map<string, { state: string }>;
  aliases: Map<string, string>;
  injected: FaultSpec[];
  advancedSeconds: number;
  resets: number;
}

export function fakeEmulator(principals: Record<string, WirePrincipal> = {}): FakeEmulator {
  const account = '111122223333';
  const region = 'us-east-1';
  const keys = new Map<string, { state: string }>();
  const aliases = new Map<string, string>();
  let now = Date.UTC(2026, 0, 1);
  const resolve = (id: unknown): string => {
    if (typeof id !== 'string') throw new KmsError('ValidationException', 'KeyId is required');
    const keyId = id.startsWith('alias/') ? aliases.get(id) : id.replace(/^arn:.*:key\//, '');
    if (!keyId || !keys.has(keyId)) throw new KmsError('NotFoundException', `Key '${id}' does not exist`);
    return keyId;
  };
  const meta = (keyId: string) => ({
    KeyId: keyId,
    Arn: `arn:aws:kms:${region}:${account}:key/${keyId}`,
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyManager: 'CUSTOMER',
    KeyState: keys.get(keyId)?.state,
  });
  const handlers: Record<string, (input: Record<string, unknown>, caller?: WireCaller) => object> = {
    CreateKey: () => {
      const keyId = randomUUID();
      keys.set(keyId, { state: 'Enabled' });
      return { KeyMetadata: meta(keyId) };
    },
    DescribeKey: (i) => ({ KeyMetadata: meta(resolve(i.KeyId)) }),
    ListKeys: () => ({ Keys: [...keys.keys()].map((KeyId) => ({ KeyId })), Truncated: false }),
    ListAliases: () => ({ Aliases: [...aliases].map(([AliasName, TargetKeyId]) => ({ AliasName, TargetKeyId })), Truncated: false }),
    CreateAlias: (i) => {
      if (aliases.has(String(i.AliasName))) throw new KmsError('AlreadyExistsException', 'exists');
      aliases.set(String(i.AliasName), resolve(i.TargetKeyId));
      return {};
    },
    DeleteAlias: (i) => {
      aliases.delete(String(i.AliasName));
      return {};
    },
    ScheduleKeyDeletion: (i) => {
      const keyId = resolve(i.KeyId);
      keys.set(keyId, { state: 'PendingDeletion' });
      return { KeyId: keyId, DeletionDate: now / 1000 + 7 * 86400, KeyState: 'PendingDeletion' };
    },
    Encrypt: (i, caller) => {
      const keyId = resolve(i.KeyId);
      if (caller?.principal?.endsWith(':role/Denied')) throw new KmsError('AccessDeniedException', 'denied');
      if (typeof i.Plaintext !== 'string') throw new KmsError('ValidationException', 'Plaintext is required');
      return { KeyId: keyId, CiphertextBlob: Buffer.from(`${keyId}:${i.Plaintext}`).toString('base64') };
    },
    Decrypt: (i) => {
      const [keyId, plaintext] = Buffer.from(String(i.CiphertextBlob), 'base64').toString().split(':');
      if (!keyId || !keys.has(keyId)) throw new KmsError('InvalidCiphertextException', 'bad ciphertext');
      return { KeyId: keyId, Plaintext: plaintext };
    },
    WhoAmI: (_i, caller) => ({ caller: caller ?? null }),
    Boom: () => {
      throw new TypeError('secret internals at /home/x/file.ts:12');
    },
  };
  const fake: FakeEmulator = {
    calls: [],
    keys,
    aliases,
    injected: [],
    advancedSeconds: 0,
    resets: 0,
    account,
    region,
    operations: Object.keys(handlers),
    async send(operation, input, caller) {
      fake.calls.push({ operation, input, ...(caller ? { caller } : {}) });
      const h = handlers[operation];
      if (!h) throw new KmsError('UnknownOperationException', operation);
      return h(input as Record<string, unknown>, caller);
    },
    principalForAccessKey: (akid) => principals[akid],
    clock: {
      advance: ({ days = 0, seconds = 0 }) => {
        fake.advancedSeconds += days * 86400 + seconds;
        now += (days * 86400 + seconds) * 1000;
      },
      now: () => new Date(now),
    },
    audit: { events: () => fake.calls.map((c) => ({ eventName: c.operation })) },
    faults: {
      inject: (spec) => void fake.injected.push(spec),
      clear: () => void (fake.injected.length = 0),
    },
    reset: () => {
      keys.clear();
      aliases.clear();
      fake.resets++;
    },
  };
  return fake;
}
