/**
 * The simple REST routes of the small Go KMS server that KMS hands-on tutorials build, served from
 * the same store and audit log as the AWS protocol (every route is a sequence of ordinary KMS
 * operations through `send`, so policies apply and CloudTrail-shaped events are recorded):
 *
 *   POST   /keys     {"key_id"}                → 201 {"id","algorithm":"AES-256-GCM","key_id","arn"}
 *   GET    /keys                               → {"keys":[{"id","algorithm","key_id","arn","state"}]}
 *   DELETE /keys/{id}                          → {"id","status":"PendingDeletion","deletion_date"}
 *   POST   /encrypt  {"key_id","plaintext"}    → {"key_id","ciphertext"}
 *   POST   /decrypt  {"key_id"?,"ciphertext"}  → {"key_id","plaintext"}
 *   GET    /health                             → {"status":"ok"}
 *
 * A tutorial key name `id` is the alias `alias/<id>` of a symmetric KMS key; a KMS key id or ARN
 * works too. `plaintext` is text (UTF-8); `ciphertext` is the KMS ciphertext blob in base64.
 * DELETE does what KMS can: it schedules the key's deletion with the shortest window (7 days) and
 * removes the alias, so the name is free again at once, as it is in the Go server.
 * Errors are `{"error": message, "code": AWS exception name}` with 400/403/404/409.
 */
import { asKmsError, isPlainObject, type RouteResult, type WireCaller, type WireEmulator } from '../wire.js';

const ALGORITHM_BY_SPEC: Record<string, string> = { SYMMETRIC_DEFAULT: 'AES-256-GCM' };
const NAME_PATTERN = /^[a-zA-Z0-9/_-]{1,250}$/;
const KEY_ID_PATTERN = /^(arn:aws[a-z-]*:kms:|[0-9a-f]{8}-[0-9a-f]{4}-|mrk-[0-9a-f]{32}$)/;

export function isRestPath(path: string): boolean {
  return path === '/keys' || path.startsWith('/keys/') || path === '/encrypt' || path === '/decrypt' || path === '/health';
}

class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'ValidationException',
  ) {
    super(message);
  }
}

export async function handleRest(emulator: WireEmulator, method: string, path: string, body: Buffer, caller: WireCaller): Promise<RouteResult> {
  try {
    const send = (op: string, input: object) => emulator.send(op, input, caller) as Promise<Record<string, unknown>>;
    if (path === '/health' && method === 'GET') {
      return { status: 200, body: { status: 'ok', account: emulator.account, region: emulator.region } };
    }
    if (path === '/keys' && method === 'POST') return await createKey(send, parseBody(body));
    if (path === '/keys' && method === 'GET') return await listKeys(send);
    if (path.startsWith('/keys/') && method === 'DELETE') return await deleteKey(send, decodeSegment(path.slice('/keys/'.length)));
    if (path.startsWith('/keys/') && method === 'GET') return await getKey(send, decodeSegment(path.slice('/keys/'.length)));
    if (path === '/encrypt' && method === 'POST') return await encrypt(send, parseBody(body));
    if (path === '/decrypt' && method === 'POST') return await decrypt(send, parseBody(body));
    return restError(405, `${method} ${path} is not supported`, 'MethodNotAllowed');
  } catch (e) {
    if (e instanceof RestError) return restError(e.status, e.message, e.code);
    const kms = asKmsError(e);
    if (!kms) throw e;
    return restError(statusFor(kms.code, kms.httpStatus), kms.message, kms.code);
  }
}

type Send = (op: string, input: object) => Promise<Record<string, unknown>>;

async function createKey(send: Send, body: Record<string, unknown>): Promise<RouteResult> {
  const name = body.key_id;
  if (name !== undefined && (typeof name !== 'string' || !NAME_PATTERN.test(name) || name.startsWith('aws/'))) {
    throw new RestError(400, 'key_id must be 1-250 characters of letters, digits, "/", "_" or "-", not starting with "aws/"');
  }
  if (typeof name === 'string' && (await resolvesTo(send, `alias/${name}`))) {
    throw new RestError(409, `key ${name} already exists`, 'AlreadyExistsException');
  }
  const created = await send('CreateKey', {
    Description: typeof name === 'string' ? `kmskit REST key ${name}` : 'kmskit REST key',
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyUsage: 'ENCRYPT_DECRYPT',
  });
  const meta = created.KeyMetadata as Record<string, unknown>;
  const keyId = String(meta.KeyId);
  if (typeof name === 'string') {
    try {
      await send('CreateAlias', { AliasName: `alias/${name}`, TargetKeyId: keyId });
    } catch (e) {
      // Undo the key so a failed create leaves nothing behind.
      await send('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }).catch(() => undefined);
      throw e;
    }
  }
  return { status: 201, body: { id: name ?? keyId, algorithm: 'AES-256-GCM', key_id: keyId, arn: meta.Arn } };
}

async function listKeys(send: Send): Promise<RouteResult> {
  const names = new Map<string, string>();
  for (const alias of await paginate(send, 'ListAliases', 'Aliases')) {
    const name = String(alias.AliasName ?? '');
    const target = alias.TargetKeyId;
    if (typeof target === 'string' && !name.startsWith('alias/aws/') && !names.has(target)) names.set(target, name.slice('alias/'.length));
  }
  const keys = [];
  for (const entry of await paginate(send, 'ListKeys', 'Keys')) {
    const keyId = String(entry.KeyId);
    const meta = (await send('DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>;
    if (meta.KeyManager === 'AWS') continue;
    const spec = String(meta.KeySpec ?? meta.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT');
    keys.push({ id: names.get(keyId) ?? keyId, algorithm: ALGORITHM_BY_SPEC[spec] ?? spec, key_id: keyId, arn: meta.Arn, state: meta.KeyState });
  }
  return { status: 200, body: { keys } };
}

async function getKey(send: Send, id: string): Promise<RouteResult> {
  const meta = (await send('DescribeKey', { KeyId: kmsKeyId(id) })).KeyMetadata as Record<string, unknown>;
  const spec = String(meta.KeySpec ?? 'SYMMETRIC_DEFAULT');
  return { status: 200, body: { id, algorithm: ALGORITHM_BY_SPEC[spec] ?? spec, key_id: meta.KeyId, arn: meta.Arn, state: meta.KeyState } };
}

async function deleteKey(send: Send, id: string): Promise<RouteResult> {
  const keyId = kmsKeyId(id);
  // ScheduleKeyDeletion takes no alias, as in KMS: resolve the name first.
  const meta = (await send('DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>;
  const scheduled = await send('ScheduleKeyDeletion', { KeyId: String(meta.Arn), PendingWindowInDays: 7 });
  if (keyId.startsWith('alias/')) await send('DeleteAlias', { AliasName: keyId }).catch(() => undefined);
  const when = scheduled.DeletionDate;
  return {
    status: 200,
    body: {
      id,
      key_id: meta.KeyId,
      status: 'PendingDeletion',
      deletion_date: typeof when === 'number' ? new Date(when * 1000).toISOString() : when,
    },
  };
}

async function encrypt(send: Send, body: Record<string, unknown>): Promise<RouteResult> {
  const id = requireString(body, 'key_id');
  const plaintext = requireString(body, 'plaintext');
  const out = await send('Encrypt', { KeyId: kmsKeyId(id), Plaintext: Buffer.from(plaintext, 'utf8').toString('base64') });
  return { status: 200, body: { key_id: id, ciphertext: out.CiphertextBlob } };
}

async function decrypt(send: Send, body: Record<string, unknown>): Promise<RouteResult> {
  const ciphertext = requireString(body, 'ciphertext');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(ciphertext) || ciphertext.length % 4 !== 0) {
    throw new RestError(400, 'ciphertext must be base64');
  }
  const id = body.key_id;
  if (id !== undefined && typeof id !== 'string') throw new RestError(400, 'key_id must be a string');
  const out = await send('Decrypt', { CiphertextBlob: ciphertext, ...(typeof id === 'string' ? { KeyId: kmsKeyId(id) } : {}) });
  // Without a name in the request, answer with the KMS key id (KMS itself answers with the ARN).
  const keyId = id ?? String(out.KeyId).split('/').pop();
  return { status: 200, body: { key_id: keyId, plaintext: Buffer.from(String(out.Plaintext), 'base64').toString('utf8') } };
}

async function resolvesTo(send: Send, keyId: string): Promise<boolean> {
  try {
    await send('DescribeKey', { KeyId: keyId });
    return true;
  } catch (e) {
    if (asKmsError(e)?.code === 'NotFoundException') return false;
    throw e;
  }
}

async function paginate(send: Send, op: string, field: string): Promise<Array<Record<string, unknown>>> {
  const all: Array<Record<string, unknown>> = [];
  let marker: unknown;
  for (let page = 0; page < 10_000; page++) {
    const out = await send(op, { Limit: 1000, ...(typeof marker === 'string' ? { Marker: marker } : {}) });
    const items = out[field];
    if (Array.isArray(items)) all.push(...(items as Array<Record<string, unknown>>));
    if (out.Truncated !== true || typeof out.NextMarker !== 'string') break;
    marker = out.NextMarker;
  }
  return all;
}

/** A tutorial name becomes its alias; KMS key ids, ARNs and `alias/...` pass through. */
function kmsKeyId(id: string): string {
  if (id.startsWith('alias/') || KEY_ID_PATTERN.test(id)) return id;
  return `alias/${id}`;
}

function parseBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new RestError(400, 'request body is not valid JSON', 'SerializationException');
  }
  if (!isPlainObject(parsed)) throw new RestError(400, 'request body must be a JSON object', 'SerializationException');
  return parsed;
}

function requireString(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new RestError(400, `${field} is required and must be a non-empty string`);
  return v;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new RestError(400, 'key id in the path is not valid percent-encoding');
  }
}

function statusFor(code: string, httpStatus: number): number {
  if (httpStatus >= 500) return httpStatus;
  if (code === 'NotFoundException') return 404;
  if (code === 'AccessDeniedException') return 403;
  if (code === 'AlreadyExistsException' || code === 'KMSInvalidStateException' || code === 'DisabledException') return 409;
  return 400;
}

function restError(status: number, message: string, code: string): RouteResult {
  return { status, body: { error: message, code }, headers: { 'x-amzn-ErrorType': code } };
}
