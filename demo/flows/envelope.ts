/**
 * Envelope encryption of a large file: GenerateDataKey gives a plaintext data key and the same key
 * encrypted under the KMS key; the file is encrypted locally with AES-256-GCM under a random 96-bit
 * nonce, the *encrypted* data key is stored beside the data, and the plaintext key is zeroed at once.
 * Decryption asks KMS to decrypt the stored data key, then decrypts locally.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { Flow } from './types.js';

export const FILE_BYTES = 10 * 1024 * 1024;

/** Envelope layout (this demo's): "KMSKITENV1" | u32 keyLen | encryptedKey | nonce(12) | tag(16) | ciphertext. */
const MAGIC = Buffer.from('KMSKITENV1');

export async function sealFile(kms: KMSClient, keyId: string, data: Buffer, context: Record<string, string>): Promise<Buffer> {
  const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }));
  const key = Buffer.from(dk.Plaintext!);
  try {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    const encryptedKey = Buffer.from(dk.CiphertextBlob!);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(encryptedKey.length);
    return Buffer.concat([MAGIC, len, encryptedKey, nonce, cipher.getAuthTag(), body]);
  } finally {
    key.fill(0);
    dk.Plaintext!.fill(0);
  }
}

export function readEnvelope(envelope: Buffer): { encryptedKey: Buffer; nonce: Buffer; tag: Buffer; body: Buffer } {
  if (!envelope.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a kmskit envelope');
  const keyLen = envelope.readUInt32BE(MAGIC.length);
  let at = MAGIC.length + 4;
  const encryptedKey = envelope.subarray(at, (at += keyLen));
  const nonce = envelope.subarray(at, (at += 12));
  const tag = envelope.subarray(at, (at += 16));
  return { encryptedKey, nonce, tag, body: envelope.subarray(at) };
}

export function withEncryptedKey(envelope: Buffer, encryptedKey: Uint8Array): Buffer {
  const parts = readEnvelope(envelope);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(encryptedKey.length);
  return Buffer.concat([MAGIC, len, Buffer.from(encryptedKey), parts.nonce, parts.tag, parts.body]);
}

export async function openFile(kms: KMSClient, envelope: Buffer, context: Record<string, string>): Promise<Buffer> {
  const { encryptedKey, nonce, tag, body } = readEnvelope(envelope);
  const dk = await kms.send(new DecryptCommand({ CiphertextBlob: encryptedKey, EncryptionContext: context }));
  const key = Buffer.from(dk.Plaintext!);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } finally {
    key.fill(0);
    dk.Plaintext!.fill(0);
  }
}

/** The envelope's own context; the app's required pairs are added to it. */
export const envelopeContext = (app: Readonly<Record<string, string>>) => ({ ...app, purpose: 'backup', file: 'ledger.bin' });

export const envelope: Flow = async (ctx) => {
  const data = randomBytes(FILE_BYTES);
  const digest = createHash('sha256').update(data).digest('hex');
  const sealed = await sealFile(ctx.app, ctx.dataKeyAlias, data, envelopeContext(ctx.appContext));
  const file = join(ctx.workDir, 'ledger.bin.kmsenv');
  writeFileSync(file, sealed);
  ctx.envelopeFile = file;
  const opened = await openFile(ctx.app, readFileSync(file), envelopeContext(ctx.appContext));
  const parts = readEnvelope(sealed);
  return {
    name: 'Envelope encryption (10 MiB file)',
    checks: [
      { ok: sealed.length > FILE_BYTES && !sealed.includes(data.subarray(0, 64)), text: `sealed ${(FILE_BYTES / 2 ** 20).toFixed(0)} MiB with a data key; the file holds only the encrypted key (${parts.encryptedKey.length} B)` },
      { ok: createHash('sha256').update(opened).digest('hex') === digest, text: 'decrypted back, SHA-256 matches' },
    ],
  };
};
