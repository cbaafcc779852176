/**
 * Vault calls in the emulator's audit log: one CloudTrail-shaped event per call next to the KMS
 * ones, `eventSource: "vault"`, the event named after the endpoint (`transit/encrypt`), the caller
 * as its token's display name, accessor and policies, the key as the resource. Parameters are the
 * path, the operation and what the endpoint chose to note (key name, type, versions, batch size):
 * never a plaintext, ciphertext, input, signature, HMAC, context or token.
 */
import type { AuditRecord } from '../../core/audit.js';
import type { VaultAuditEntry } from './face.js';

const CODES: Record<number, string> = { 400: 'InvalidRequest', 403: 'PermissionDenied', 404: 'NotFound', 405: 'UnsupportedOperation', 409: 'Conflict', 413: 'RequestTooLarge' };

export function vaultAuditRecord(e: VaultAuditEntry, account: string, region: string): AuditRecord {
  const identity = e.caller
    ? { type: 'VaultToken', arn: `vault:${e.caller.displayName}`, accountId: account, principalId: e.caller.accessor, policies: e.caller.policies }
    : { type: 'Anonymous', arn: 'vault:anonymous', accountId: account };
  return {
    time: e.time,
    source: 'vault',
    eventName: e.event,
    region,
    identity,
    input: { path: e.path, operation: e.operation, ...e.params },
    resources: e.resource ? [e.resource] : [],
    readOnly: e.operation === 'read' || e.operation === 'list',
    ...(e.sourceIp ? { sourceIp: e.sourceIp } : {}),
    ...(e.error !== undefined ? { errorCode: CODES[e.status] ?? (e.status >= 500 ? 'InternalError' : `Http${e.status}`), errorMessage: e.error } : {}),
  };
}
