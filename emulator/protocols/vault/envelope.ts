/**
 * The Vault HTTP envelope and Vault's JSON encoding.
 *
 * Every logical answer is `{"request_id","lease_id","renewable","lease_duration","data","wrap_info",
 * "warnings","auth","mount_type"}`; a handler that returns nothing is a bare 204; errors are
 * `{"errors":[...]}`. Responses are always `Content-Type: application/json` exactly (hvac only reads
 * `errors` when the header equals that string) and `Cache-Control: no-store`.
 *
 * Vault writes JSON with Go's encoder: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, a
 * trailing newline. Go structs keep their declared field order; objects built with `struct()` here
 * keep theirs, every other object is a Go map and is written with sorted keys.
 */
import { randomUUID } from 'node:crypto';
import type { VaultError } from './errors.js';

export interface VaultHttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Exactly the bytes of the body ('' for 204 and HEAD). */
  body: string;
}

const STRUCT = Symbol('go-struct');

/** Marks an object whose key order is a Go struct's field order (kept as written). */
export function struct<T extends object>(o: T): T {
  // A symbol-keyed property: invisible to JSON and Object.keys, and cheap to set.
  (o as { [STRUCT]?: boolean })[STRUCT] = true;
  return o;
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const HAS_HTML_UNSAFE = /[<>&\u2028\u2029]/;
const escapeHtml = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
// Printable ASCII without `"`, `\\`, `<`, `>`, `&`: written as is (ciphertexts, names, most values).
const PLAIN = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;
const quote = (s: string): string => {
  if (PLAIN.test(s)) return `"${s}"`;
  const q = JSON.stringify(s);
  return HAS_HTML_UNSAFE.test(q) ? q.replace(HTML_UNSAFE, escapeHtml) : q;
};

/** One value as Go's encoder writes it (no trailing newline); `undefined` members are left out. */
function encode(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(encode).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (!(o as { [STRUCT]?: boolean })[STRUCT]) keys.sort();
    let out = '';
    for (const k of keys) {
      const x = o[k];
      if (x === undefined) continue;
      out += `${out ? ',' : ''}${quote(k)}:${encode(x)}`;
    }
    return `{${out}}`;
  }
  return 'null';
}

/** JSON text as Go's json.Encoder writes it. */
export function goJson(value: unknown): string {
  return `${encode(value)}\n`;
}

const HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } as const;

/** A logical response in Vault's envelope. */
export interface LogicalResponse {
  data?: Record<string, unknown> | null;
  auth?: Record<string, unknown> | null;
  warnings?: string[];
  /** Status other than 200 for a body-carrying answer (batch partial failures). */
  status?: number;
}

export function envelope(r: LogicalResponse, mountType: string, requestId: string = randomUUID()): VaultHttpResponse {
  const body = struct({
    request_id: requestId,
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: r.data ?? null,
    wrap_info: null,
    warnings: r.warnings && r.warnings.length ? r.warnings : null,
    auth: r.auth ?? null,
    mount_type: mountType,
  });
  return { status: r.status ?? 200, headers: { ...HEADERS }, body: goJson(body) };
}

/** `sys/*` answers also carry their data keys at the top level (Vault's HTTPSysInjector, for old clients). */
export function sysEnvelope(r: LogicalResponse, requestId: string = randomUUID()): VaultHttpResponse {
  const res = envelope(r, 'system', requestId);
  if (!r.data) return res;
  const body = JSON.parse(res.body) as Record<string, unknown>;
  // The injector builds one Go map, so every key, the envelope's included, comes out sorted.
  return { ...res, body: goJson({ ...r.data, ...body }) };
}

/** A raw JSON answer outside the envelope (sys/health). */
export function rawJson(status: number, value: unknown): VaultHttpResponse {
  return { status, headers: { ...HEADERS }, body: goJson(value) };
}

export function noContent(): VaultHttpResponse {
  return { status: 204, headers: { 'Cache-Control': 'no-store' }, body: '' };
}

export function errorResponse(e: VaultError): VaultHttpResponse {
  return { status: e.status, headers: { ...HEADERS }, body: goJson(struct({ errors: e.errors })) };
}
