/** Fresh randomness for AEAD: the 96-bit IVs every AES-GCM seal in the emulator uses. */
import { randomBytes } from 'node:crypto';

export const IV_LEN = 12;
export const TAG_LEN = 16;

/**
 * 96-bit IVs drawn from a pool refilled from the CSPRNG: one randomBytes call per 341 IVs instead
 * of one per encryption (each IV is still fresh random output, never reused).
 */
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
export function freshIv(): Buffer {
  if (ivOffset + IV_LEN > ivPool.length) {
    ivPool = randomBytes(IV_LEN * 341);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_LEN);
  ivOffset += IV_LEN;
  return iv;
}
