/**
 * The record GetKeyLastUsage reads: each successful cryptographic call notes itself on the keys it
 * used (ReEncrypt on both). It is written straight onto the key, outside the transaction and the
 * journal — cryptographic calls write nothing to the state file — and reaches disk with the next
 * snapshot (flush, close, compaction).
 */
import { randomUUID } from 'node:crypto';
import type { Store } from './store.js';

/** The operations AWS tracks (the model's KeyLastUsageTrackingOperation). */
export const TRACKED_OPERATIONS: ReadonlySet<string> = new Set([
  'Decrypt', 'DeriveSharedSecret', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'ReEncrypt', 'Sign', 'Verify', 'VerifyMac',
]);

/**
 * UUID-shaped ids from a random per-process prefix and a counter: unique, and cheap enough for
 * every Encrypt and Decrypt (two randomUUID calls cost the hot path about 3%).
 */
const EVENT_PREFIX = randomUUID().slice(0, 24);
const REQUEST_PREFIX = randomUUID().slice(0, 24);
let sequence = 0;

/** Note a successful call's use of its keys; returns the audit event id it was given. */
export function noteKeyUsage(store: Store, operation: string, keyArns: readonly string[], at: number): string {
  const n = (++sequence).toString(16).padStart(12, '0');
  const eventId = EVENT_PREFIX + n;
  const usage = { operation, at, eventId, requestId: REQUEST_PREFIX + n };
  for (const arn of keyArns) {
    const key = store.byArn.get(arn);
    if (key) key.lastUsage = usage;
  }
  return eventId;
}
