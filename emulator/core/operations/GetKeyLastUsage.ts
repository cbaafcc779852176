import type { Handler } from '../context.js';

/**
 * The key's last successful cryptographic use, from the emulator's own record (kept in memory and
 * in state snapshots, on the emulator clock): the operation, when, and the audit event of that
 * call (CloudTrailEventId is the event's eventID in `kms.audit.events()`). Tracking starts when the
 * key is created. https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyLastUsage.html
 */
export const GetKeyLastUsage: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  ctx.authorize('kms:GetKeyLastUsage', key);
  const u = key.lastUsage;
  return {
    KeyId: key.arn,
    // Unused since tracking began: KeyLastUsage is there but empty (its members' documentation: "Absent if the key has not been used").
    KeyLastUsage: u ? { Operation: u.operation, Timestamp: new Date(u.at), CloudTrailEventId: u.eventId, KmsRequestId: u.requestId } : {},
    TrackingStartDate: new Date(key.createdAt),
    KeyCreationDate: new Date(key.createdAt),
  };
};
