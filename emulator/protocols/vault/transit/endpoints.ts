/**
 * The Transit secrets engine's endpoints, relative to its mount (`transit/` by default), each as
 * Vault's `builtin/logical/transit/path_*.go` answers: the same fields, defaults, checks, error
 * strings and statuses, batch semantics and `vault:v<N>:` formats. What kmskit does not emulate
 * (BYOK import, backup/restore, CSRs, managed keys, cache-config) is absent, so those paths get
 * Vault's `unsupported path`.
 */
import type { Endpoint } from '../endpoint.js';
import type { Mount } from '../state.js';
import { CIPHER_ENDPOINTS } from './cipher-endpoints.js';
import { KEY_ENDPOINTS } from './key-endpoints.js';
import { rotated, versionOf, type TransitKey } from './keys.js';
import { SIGNING_ENDPOINTS } from './signing-endpoints.js';
import { UTILITY_ENDPOINTS } from './utility-endpoints.js';

// Encrypt and decrypt first: the table is tried in order, and they are most of the traffic.
export const TRANSIT_ENDPOINTS: Endpoint[] = [...CIPHER_ENDPOINTS, ...KEY_ENDPOINTS, ...SIGNING_ENDPOINTS, ...UTILITY_ENDPOINTS];

/** Keys whose automatic rotation is due at `now` (Vault's periodic function, on the emulator clock). */
export function dueRotations(mount: Mount, now: number): TransitKey[] {
  const out: TransitKey[] = [];
  for (const k of mount.keys.values()) {
    if (k.autoRotatePeriod <= 0) continue;
    const latest = versionOf(k, k.latestVersion);
    if (latest && now > latest.createdAt + k.autoRotatePeriod * 1000) out.push(rotated(k, now));
  }
  return out;
}
