/**
 * Audit: the CloudTrail-shaped trail of everything the demo did, summarised, and proof that no
 * plaintext the flows used (passwords, config secrets, data keys' plaintext) reached it.
 */
import type { Flow } from './types.js';

interface AuditEventLike {
  eventName?: string;
  errorCode?: string;
  userIdentity?: { arn?: string };
}

export const audit: Flow = async (ctx) => {
  const events = ctx.emulator.audit.events() as AuditEventLike[];
  const serialised = JSON.stringify(events);
  const leaked = ctx.secrets.filter((s) => serialised.includes(s) || serialised.includes(Buffer.from(s).toString('base64')));
  const counts = new Map<string, { principal: string; op: string; ok: number; denied: number; failed: number }>();
  for (const e of events) {
    const principal = e.userIdentity?.arn ?? '?';
    const op = e.eventName ?? '?';
    const k = `${principal}\u0000${op}`;
    const c = counts.get(k) ?? { principal, op, ok: 0, denied: 0, failed: 0 };
    if (!e.errorCode) c.ok++;
    // KMS's AccessDeniedException, Vault's permission denied.
    else if (e.errorCode === 'AccessDeniedException' || e.errorCode === 'PermissionDenied') c.denied++;
    else c.failed++;
    counts.set(k, c);
  }
  const rows = [...counts.values()]
    .sort((a, b) => a.principal.localeCompare(b.principal) || a.op.localeCompare(b.op))
    .map((c) => [c.principal.replace(/^arn:aws:(iam|sts)::\d{12}:/, ''), c.op, String(c.ok), String(c.denied), String(c.failed)]);
  return {
    name: 'Audit trail',
    checks: [
      { ok: events.length > 0, text: `${events.length} CloudTrail-shaped events recorded` },
      { ok: events.some((e) => e.errorCode === 'AccessDeniedException'), text: 'the denied call is in the trail' },
      { ok: leaked.length === 0, text: leaked.length ? `PLAINTEXT IN THE AUDIT LOG: ${leaked.length} secret(s)` : `no plaintext in the trail (${ctx.secrets.length} secrets checked)` },
    ],
    detailHeaders: ['principal', 'operation', 'ok', 'denied', 'failed'],
    details: rows,
  };
};
