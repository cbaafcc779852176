/** Sealing key material under the domain key (state at rest). */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { freshIv, IV_LEN, TAG_LEN } from './random.js';

/** AES-256-GCM under the domain key; the AAD names what is sealed so sealed values cannot be swapped. */
export function seal(domainKey: Buffer, label: string, plaintext: Buffer): string {
  const iv = freshIv();
  const c = createCipheriv('aes-256-gcm', domainKey, iv);
  c.setAAD(Buffer.from(label, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
}

export function unseal(domainKey: Buffer, label: string, sealed: string): Buffer {
  const b = Buffer.from(sealed, 'base64');
  const d = createDecipheriv('aes-256-gcm', domainKey, b.subarray(0, IV_LEN));
  d.setAAD(Buffer.from(label, 'utf8'));
  d.setAuthTag(b.subarray(IV_LEN, IV_LEN + TAG_LEN));
  return Buffer.concat([d.update(b.subarray(IV_LEN + TAG_LEN)), d.final()]);
}
