import { randomUUID } from 'node:crypto';

/**
 * CloudTrail-shaped audit events, one per call (denied and failed calls included). Request
 * parameters are recorded without plaintext, key material, data keys, MACs or signatures: only
 * their presence is kept, so the log can be shown to anyone.
 */
export interface AuditEvent {
  eventVersion: '1.08';
  eventTime: string;
  /** `vault` for calls to the Vault Transit face. */
  eventSource: 'kms.amazonaws.com' | 'vault';
  eventName: string;
  awsRegion: string;
  eventID: string;
  eventType: 'AwsApiCall' | 'VaultApiCall';
  readOnly: boolean;
  /** For Vault calls: type `VaultToken`, arn `vault:<display name>`, the token's accessor and policies. */
  userIdentity: { type: string; arn: string; accountId: string; accessKeyId?: string; principalId?: string; policies?: string[] };
  sourceIPAddress?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  /** kmskit's explanation of an error AWS sends without a message (not a CloudTrail field). */
  kmskitDetail?: string;
  resources: Array<{ ARN: string; type: 'AWS::KMS::Key' | 'Vault::Transit::Key'; accountId: string }>;
  additionalEventData?: { grantId?: string; encryptionContext?: Record<string, string> };
  recipientAccountId: string;
}

/** Members never logged (secret values); replaced by nothing, as CloudTrail omits them. */
const SECRET_MEMBERS = new Set(['Plaintext', 'CiphertextBlob', 'PrivateKeyPlaintext', 'PrivateKeyCiphertextBlob', 'Message', 'Mac', 'Signature', 'PublicKey', 'GrantToken', 'GrantTokens', 'Recipient', 'CiphertextForRecipient', 'Policy', 'SharedSecret', 'ImportToken', 'EncryptedKeyMaterial']);

export function scrub(params: Record<string, unknown> | undefined | null): Record<string, unknown> | null {
  if (!params) return null;
  const out: Record<string, unknown> = {};
  // for-in, not Object.entries: this runs twice on every call and need not allocate the pairs.
  for (const k in params) {
    if (SECRET_MEMBERS.has(k)) continue;
    const v = params[k];
    if (Buffer.isBuffer(v)) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/**
 * An SDK-form input (Uint8Array blobs, Date timestamps) as the wire would have carried it, for the
 * log: secret members dropped, other top-level blobs as base64, timestamps as epoch seconds.
 */
export function auditInput(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const k in input as Record<string, unknown>) {
    if (SECRET_MEMBERS.has(k)) continue;
    const v = (input as Record<string, unknown>)[k];
    out[k] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v instanceof Date ? v.getTime() / 1000 : v;
  }
  return out;
}

/** A handler's output without its secret top-level members (what the log keeps of it). */
export function withoutSecrets(output: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!output || typeof output !== 'object') return out;
  for (const k in output as Record<string, unknown>) if (!SECRET_MEMBERS.has(k)) out[k] = (output as Record<string, unknown>)[k];
  return out;
}

/**
 * What a call leaves behind. Parameters are scrubbed when recorded (so no plaintext lingers in the
 * log's memory); the rest of the CloudTrail shape (event id, ISO time, resources) is built only when
 * someone reads the log, so calls do not pay for it.
 */
export interface AuditRecord {
  time: number;
  /** Default: a KMS call. */
  source?: 'vault';
  eventName: string;
  region: string;
  identity: AuditEvent['userIdentity'];
  sourceIp?: string;
  input: unknown;
  output?: Record<string, unknown>;
  /** `output` holds no secret, Buffer or Date already (skips scrubbing it again). */
  outputScrubbed?: boolean;
  responseElements?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
  errorDetail?: string;
  resources: string[];
  /** Set when something else must name this event (GetKeyLastUsage's CloudTrailEventId). */
  eventId?: string;
  grantId?: string;
  encryptionContext?: Record<string, string>;
  readOnly: boolean;
  event?: AuditEvent;
}

function materialize(r: AuditRecord): AuditEvent {
  if (r.event) return r.event;
  const accountOf = (arn: string): string => arn.split(':')[4] ?? r.identity.accountId;
  const e: AuditEvent = {
    eventVersion: '1.08',
    eventTime: new Date(r.time).toISOString(),
    eventSource: r.source ?? 'kms.amazonaws.com',
    eventName: r.eventName,
    awsRegion: r.region,
    eventID: r.eventId ?? randomUUID(),
    eventType: r.source ? 'VaultApiCall' : 'AwsApiCall',
    readOnly: r.readOnly,
    userIdentity: r.identity,
    ...(r.sourceIp ? { sourceIPAddress: r.sourceIp } : {}),
    requestParameters: (r.input as Record<string, unknown> | null) ?? null,
    responseElements: r.output ? (r.responseElements ?? r.output) : null,
    ...(r.errorCode ? { errorCode: r.errorCode, ...(r.errorMessage ? { errorMessage: r.errorMessage } : {}) } : {}),
    ...(r.errorDetail ? { kmskitDetail: r.errorDetail } : {}),
    resources: r.resources.map((arn) => ({ ARN: arn, type: r.source ? ('Vault::Transit::Key' as const) : ('AWS::KMS::Key' as const), accountId: accountOf(arn) })),
    ...(r.grantId || r.encryptionContext ? { additionalEventData: { ...(r.grantId ? { grantId: r.grantId } : {}), ...(r.encryptionContext ? { encryptionContext: r.encryptionContext } : {}) } } : {}),
    recipientAccountId: r.resources[0] ? accountOf(r.resources[0]) : r.identity.accountId,
  };
  r.event = e;
  return e;
}

export class AuditLog {
  private list: AuditRecord[] = [];
  /**
   * The newest 10,000 events are kept. Every retained event is heap the garbage collector must copy
   * and trace: under sustained load a 100,000-event log cost the server ~10% of its throughput, and
   * a test reads the events of its own few calls, not of the last hundred thousand.
   */
  constructor(private readonly max = 10_000) {}

  record(r: AuditRecord): void {
    r.input = scrub(r.input && typeof r.input === 'object' && !Array.isArray(r.input) ? (r.input as Record<string, unknown>) : null);
    if (r.output && !r.outputScrubbed) r.output = scrub(r.output) ?? undefined;
    this.list.push(r);
    // A bounded log: long benchmark runs must not grow memory without limit.
    if (this.list.length > this.max * 1.1) this.list = this.list.slice(this.list.length - this.max);
  }

  /** All events so far, oldest first (a copy). */
  events(): AuditEvent[] {
    const start = Math.max(0, this.list.length - this.max);
    return this.list.slice(start).map(materialize);
  }

  clear(): void {
    this.list = [];
  }
}
