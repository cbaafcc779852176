/**
 * Encrypted config values: the sensitive values of a config file are replaced by `kms:<base64>`
 * ciphertexts so the file is safe to commit; loading it decrypts them. The field path is the
 * encryption context, so a value moved to another field will not decrypt.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import type { Flow } from './types.js';

const PREFIX = 'kms:';

export const configFile: Flow = async (ctx) => {
  const plain = {
    service: 'billing',
    database: { host: 'db.internal', user: 'billing', password: 's3cr3t-db-password' },
    stripe: { apiKey: 'sk_live_kmskit_demo_0123456789' },
  };
  const sensitive: Array<[string, string]> = [
    ['database.password', plain.database.password],
    ['stripe.apiKey', plain.stripe.apiKey],
  ];
  ctx.secrets.push(...sensitive.map(([, v]) => v));

  const committed = structuredClone(plain) as Record<string, Record<string, string> | string>;
  for (const [path, value] of sensitive) {
    const [section, field] = path.split('.') as [string, string];
    const out = await ctx.app.send(new EncryptCommand({ KeyId: ctx.dataKeyAlias, Plaintext: Buffer.from(value), EncryptionContext: { ...ctx.appContext, config: 'billing', field: path } }));
    (committed[section] as Record<string, string>)[field] = PREFIX + Buffer.from(out.CiphertextBlob!).toString('base64');
  }
  const file = join(ctx.workDir, 'billing.config.json');
  writeFileSync(file, JSON.stringify(committed, null, 2));
  const onDisk = readFileSync(file, 'utf8');

  // Load: decrypt every `kms:` value, with the field path as context.
  const loaded = JSON.parse(onDisk) as typeof committed;
  for (const [section, fields] of Object.entries(loaded)) {
    if (typeof fields !== 'object') continue;
    for (const [field, value] of Object.entries(fields)) {
      if (!value.startsWith(PREFIX)) continue;
      const out = await ctx.app.send(new DecryptCommand({ CiphertextBlob: Buffer.from(value.slice(PREFIX.length), 'base64'), EncryptionContext: { ...ctx.appContext, config: 'billing', field: `${section}.${field}` } }));
      fields[field] = Buffer.from(out.Plaintext!).toString('utf8');
    }
  }
  let movedFails = false;
  try {
    const blob = (JSON.parse(onDisk) as { stripe: { apiKey: string } }).stripe.apiKey.slice(PREFIX.length);
    await ctx.app.send(new DecryptCommand({ CiphertextBlob: Buffer.from(blob, 'base64'), EncryptionContext: { ...ctx.appContext, config: 'billing', field: 'database.password' } }));
  } catch (e) {
    movedFails = (e as Error).name === 'InvalidCiphertextException';
  }
  return {
    name: 'Config file',
    checks: [
      { ok: sensitive.every(([, v]) => !onDisk.includes(v)), text: `${relative(process.cwd(), file)} holds no plaintext secret (safe to commit)` },
      { ok: JSON.stringify(loaded) === JSON.stringify(plain), text: 'loading decrypts every value back' },
      { ok: movedFails, text: 'a ciphertext moved to another field fails with InvalidCiphertextException' },
    ],
  };
};
