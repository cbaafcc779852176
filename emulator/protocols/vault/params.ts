/**
 * Request parameters the way Vault's framework reads them: one schema of named, typed fields per
 * endpoint; values weakly typed (`"2"` is an int, `"true"` a bool, as mapstructure's WeakDecode
 * does); JSON `null` for a field means unset; fields the endpoint does not know are ignored with a
 * warning; a body field that repeats a path capture is overwritten by the capture, with a warning.
 * Also Go's strict standard base64 (with its error text) and Vault's duration strings.
 */
import { userError } from './errors.js';

export type FieldType = 'string' | 'bool' | 'int' | 'duration' | 'strings' | 'map' | 'raw';

export interface FieldSpec {
  type: FieldType;
  default?: unknown;
}

export type Schema = Record<string, FieldSpec | FieldType>;

/** A request's fields, read through its endpoint's schema. */
export class FieldData {
  readonly warnings: string[] = [];
  private readonly values = new Map<string, unknown>();

  constructor(
    private readonly schema: Schema,
    readonly raw: Record<string, unknown>,
    captures: Record<string, string> = {},
  ) {
    const ignored: string[] = [];
    const replaced: string[] = [];
    for (const [k, v] of Object.entries(raw)) {
      if (!(k in schema)) {
        ignored.push(k);
        continue;
      }
      if (k in captures) {
        replaced.push(k);
        continue;
      }
      if (v === null) continue;
      this.values.set(k, convert(k, this.spec(k).type, v));
    }
    for (const [k, v] of Object.entries(captures)) if (v !== undefined && v !== '') this.values.set(k, convert(k, this.spec(k).type, v));
    if (ignored.length) this.warnings.push(`Endpoint ignored these unrecognized parameters: [${ignored.sort().join(' ')}]`);
    if (replaced.length) this.warnings.push(`Endpoint replaced the value of these parameters with the values captured from the endpoint's path: [${replaced.sort().join(' ')}]`);
  }

  private spec(name: string): FieldSpec {
    const s = this.schema[name];
    if (s === undefined) throw new Error(`kmskit: field ${name} is not in the endpoint's schema`);
    return typeof s === 'string' ? { type: s } : s;
  }

  /** Set in the request (or captured from the path)? */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The value, or the field's default, or its type's zero value. */
  get<T = unknown>(name: string): T {
    if (this.values.has(name)) return this.values.get(name) as T;
    const spec = this.spec(name);
    if (spec.default !== undefined) return spec.default as T;
    return ZERO[spec.type]() as T;
  }

  string(name: string): string {
    return this.get<string>(name);
  }

  bool(name: string): boolean {
    return this.get<boolean>(name);
  }

  int(name: string): number {
    return this.get<number>(name);
  }
}

const ZERO: Record<FieldType, () => unknown> = {
  string: () => '',
  bool: () => false,
  int: () => 0,
  duration: () => 0,
  strings: () => [],
  map: () => ({}),
  raw: () => undefined,
};

function conversionError(name: string, raw: unknown, why: string): never {
  throw userError(`Field validation failed: error converting input ${typeof raw === 'string' ? raw : JSON.stringify(raw)} for field ${JSON.stringify(name)}: ${why}`);
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function convert(name: string, type: FieldType, v: unknown): unknown {
  switch (type) {
    case 'raw':
      return v;
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'number') return String(v);
      if (typeof v === 'boolean') return v ? '1' : '0';
      return conversionError(name, v, `'' expected type 'string', got unconvertible type '${goTypeName(v)}'`);
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      if (typeof v === 'string') {
        if (v === '' || FALSE.has(v)) return false;
        if (TRUE.has(v)) return true;
        return conversionError(name, v, `cannot parse '' as bool: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
      }
      return conversionError(name, v, `'' expected type 'bool', got unconvertible type '${goTypeName(v)}'`);
    case 'int':
      if (typeof v === 'number') {
        if (Number.isInteger(v)) return v;
        return conversionError(name, v, `cannot parse '' as int: strconv.ParseInt: parsing "${v}": invalid syntax`);
      }
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') {
        if (v === '') return 0;
        if (/^[+-]?\d+$/.test(v)) return Number(v);
        return conversionError(name, v, `cannot parse '' as int: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
      }
      return conversionError(name, v, `'' expected type 'int', got unconvertible type '${goTypeName(v)}'`);
    case 'duration': {
      const seconds = parseDurationSeconds(v);
      if (seconds === undefined) return conversionError(name, v, `time: invalid duration ${JSON.stringify(String(v))}`);
      return seconds;
    }
    case 'strings':
      if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      if (typeof v === 'string') return v === '' ? [] : v.split(',').map((s) => s.trim());
      return conversionError(name, v, `'' expected type '[]string', got unconvertible type '${goTypeName(v)}'`);
    case 'map':
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
      return conversionError(name, v, `'' expected a map, got '${goTypeName(v)}'`);
  }
}

function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null) return '<nil>';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return 'json.Number';
  return typeof v;
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Vault's TypeDurationSecond: an integer is seconds; a string is an integer of seconds or a Go
 * duration (`1h30m`, `768h`, `90s`; Vault also takes a `d` suffix). Fractions of a second are cut.
 */
export function parseDurationSeconds(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '') return 0;
  if (/^[+-]?\d+$/.test(s)) return Number(s);
  if (!/^([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h|d))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return Math.trunc(total);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int16Array(256).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/**
 * Go's `base64.StdEncoding.DecodeString`: padding required, `\r`/`\n` skipped, anything else
 * outside the alphabet is an error. Returns the bytes or the error text Go gives
 * (`illegal base64 data at input byte N`), which Vault passes on to clients.
 */
export function decodeStdBase64(s: string): Buffer | string {
  // The common case (clean, padded, length % 4 == 0) costs one regex test.
  if (s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s)) return Buffer.from(s, 'base64');
  const fail = (at: number) => `illegal base64 data at input byte ${at}`;
  const src = s;
  let si = 0;
  const out: number[] = [];
  for (;;) {
    const quantum: number[] = [];
    let dlen = 4;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        return fail(si - j);
      }
      const ch = src.charCodeAt(si);
      si++;
      const val = ch < 256 ? B64_VALUE[ch]! : -1;
      if (val >= 0) {
        quantum.push(val);
        continue;
      }
      if (ch === 10 || ch === 13) {
        j--;
        continue;
      }
      if (ch !== 61) return fail(si - 1);
      // Padding: only after two or three characters of a quantum.
      if (j === 0 || j === 1) return fail(si - 1);
      if (j === 2) {
        while (si < src.length && (src.charCodeAt(si) === 10 || src.charCodeAt(si) === 13)) si++;
        if (si === src.length) return fail(src.length);
        if (src.charCodeAt(si) !== 61) return fail(si - 1);
        si++;
      }
      while (si < src.length && (src.charCodeAt(si) === 10 || src.charCodeAt(si) === 13)) si++;
      if (si < src.length) return fail(si);
      dlen = j;
      break;
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (dlen >= 2) out.push((n >> 16) & 0xff);
    if (dlen >= 3) out.push((n >> 8) & 0xff);
    if (dlen === 4) out.push(n & 0xff);
    if (dlen < 4) return Buffer.from(out);
  }
}

/** Base64 that must decode, or the request fails with Go's error text. */
export function requireBase64(s: string): Buffer {
  const r = decodeStdBase64(s);
  if (typeof r === 'string') throw userError(r);
  return r;
}
