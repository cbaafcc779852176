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

/** Note a successful call's use of its keys; returns the audit event id it was given. */
export function noteKeyUsage(store: Store, operation: string, keyArns: readonly string[], at: number): string {
  const eventId = randomUUID();
  const usage = { operation, at, eventId, requestId: randomUUID() };
  for (const arn of keyArns) {
    const key = store.byArn.get(arn);
    if (key) key.lastUsage = usage;
  }
  return eventId;
}
