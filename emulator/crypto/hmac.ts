/** HMAC keys: MAC generation and constant-time comparison. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KEY_SPECS, type KeySpecName } from './key-specs.js';

export function hmac(spec: KeySpecName, material: Buffer, message: Buffer): Buffer {
  return createHmac(KEY_SPECS[spec].hash!, material).update(message).digest();
}

/** Constant-time MAC comparison (the lengths are public). */
export function macEquals(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

