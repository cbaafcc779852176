/**
 * Password storage, as the KMS tutorials teach it: each user's password is encrypted under the app
 * key with the user name as encryption context, and login decrypts and compares in constant time.
 * The context binds a ciphertext to its user: copying Alice's ciphertext into Bob's record fails.
 */
import { timingSafeEqual } from 'node:crypto';
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Flow } from './types.js';

type UserRecord = { user: string; passwordBlob: Uint8Array };

async function register(kms: KMSClient, keyId: string, base: Readonly<Record<string, string>>, user: string, password: string): Promise<UserRecord> {
  const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(password), EncryptionContext: { ...base, user } }));
  return { user, passwordBlob: out.CiphertextBlob! };
}

async function login(kms: KMSClient, base: Readonly<Record<string, string>>, record: UserRecord, attempt: string): Promise<boolean> {
  try {
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: record.passwordBlob, EncryptionContext: { ...base, user: record.user } }));
    const stored = Buffer.from(out.Plaintext!);
    const given = Buffer.from(attempt);
    const equal = stored.length === given.length && timingSafeEqual(stored, given);
    stored.fill(0);
    return equal;
  } catch {
    return false;
  }
}

export const passwordStorage: Flow = async (ctx) => {
  const users = [
    { user: 'alice', password: 'correct horse battery staple' },
    { user: 'bob', password: 'Tr0ub4dor&3' },
  ];
  ctx.secrets.push(...users.map((u) => u.password));
  const records = await Promise.all(users.map((u) => register(ctx.app, ctx.dataKeyAlias, ctx.appContext, u.user, u.password)));
  const [alice, bob] = records as [UserRecord, UserRecord];
  const checks = [
    { ok: await login(ctx.app, ctx.appContext, alice, 'correct horse battery staple'), text: 'alice logs in with her password' },
    { ok: await login(ctx.app, ctx.appContext, bob, 'Tr0ub4dor&3'), text: 'bob logs in with his password' },
    { ok: !(await login(ctx.app, ctx.appContext, bob, 'tr0ub4dor&3')), text: 'bob with a wrong password is refused' },
    { ok: !(await login(ctx.app, ctx.appContext, { user: 'bob', passwordBlob: alice.passwordBlob }, 'correct horse battery staple')), text: "alice's ciphertext copied into bob's record does not decrypt (encryption context)" },
  ];
  return { name: 'Password storage', checks };
};
