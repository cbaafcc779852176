/**
 * The AWS KMS API model (botocore's `kms/2014-11-01/service-2.json`, see NOTICE.md) and what the
 * emulator derives from it: input validation with AWS's ValidationException wording, and the AWS JSON
 * 1.1 wire codec (blobs are base64 strings on the wire and Buffers inside; timestamps are epoch
 * seconds on the wire and Dates inside). Driving both from the model keeps every operation's shapes,
 * limits and enums exactly as AWS publishes them instead of hand-copied per handler.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KmsError } from '../errors.js';
import { awsEnumOrder } from './enum-order.js';

export interface ShapeRef {
  shape: string;
}
export interface Shape {
  type: 'structure' | 'string' | 'list' | 'map' | 'blob' | 'boolean' | 'timestamp' | 'integer' | 'long';
  required?: string[];
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  enum?: string[];
  pattern?: string;
  sensitive?: boolean;
  exception?: boolean;
}
export interface OperationModel {
  name: string;
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
}
export interface ServiceModel {
  metadata: { apiVersion: string; targetPrefix: string; jsonVersion: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

function locateModel(): string {
  // From source (tsx/vitest) the JSON sits beside this file; from the compiled dist/ tree it does not
  // (tsc copies only imported JSON), so fall back to the source copy relative to the package root.
  const candidates = [new URL('./service-2.json', import.meta.url), new URL('../../../../emulator/core/model/service-2.json', import.meta.url)];
  for (const c of candidates) {
    const p = fileURLToPath(c);
    if (existsSync(p)) return p;
  }
  throw new Error(`kmskit: the KMS API model service-2.json was not found (looked in ${candidates.map((c) => fileURLToPath(c)).join(', ')})`);
}

let cached: ServiceModel | undefined;
export function kmsModel(): ServiceModel {
  if (!cached) cached = JSON.parse(readFileSync(locateModel(), 'utf8')) as ServiceModel;
  return cached;
}

/** Every KMS operation the model defines. */
export const allOperationNames = (): string[] => Object.keys(kmsModel().operations).sort();

/** The exception names the model lists for an operation. */
export const operationErrors = (op: string): string[] => (kmsModel().operations[op]?.errors ?? []).map((e) => e.shape);

const regexCache = new Map<string, RegExp>();
function patternOf(p: string): RegExp {
  let r = regexCache.get(p);
  if (!r) {
    // Java patterns match the whole value; anchor them the same way.
    r = new RegExp(`^(?:${p.replace(/^\^/, '').replace(/\$$/, '')})$`, 'u');
    regexCache.set(p, r);
  }
  return r;
}

const lowerFirst = (s: string): string => (s ? s[0]!.toLowerCase() + s.slice(1) : s);
function isStrictBase64(text: string, decodedLength: number): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  const pad = n === 0 ? 0 : text.charCodeAt(n - 1) === 61 ? (text.charCodeAt(n - 2) === 61 ? 2 : 1) : 0;
  if (decodedLength !== (n / 4) * 3 - pad) return false;
  // '-' and '_' (base64url) decode too; AWS's JSON protocol takes standard base64 only. '=' only as padding.
  const eq = text.indexOf('=');
  return text.indexOf('-') < 0 && text.indexOf('_') < 0 && (eq < 0 || eq >= n - pad);
}

function javaString(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(javaString).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}=${javaString(x)}`).join(', ')}}`;
  return String(v);
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

interface Walk {
  errors: string[];
}

type Decoder = (value: unknown, path: string, w: Walk) => unknown;

/**
 * Which form an input arrives in: `wire` is AWS JSON 1.1 (blobs as base64 text, timestamps as epoch
 * seconds); `sdk` is a command input as the AWS SDK for JavaScript takes it (blobs as Uint8Array, or
 * a string the SDK would send as UTF-8; timestamps as Date). Both are validated the same way.
 */
export type InputForm = 'wire' | 'sdk';
const decoders: Record<InputForm, Map<string, Decoder>> = { wire: new Map(), sdk: new Map() };

const join = (path: string, member: string): string => (path ? `${path}.${member}` : member);

/**
 * A validating decoder per shape, compiled once from the model: the request path runs on every
 * call, so member lists, limits and patterns are looked up here rather than per request. Type
 * mismatches are SerializationExceptions (as AWS's JSON parser raises them); constraint violations
 * accumulate into one ValidationException.
 */
function decoderFor(shapeName: string, form: InputForm): Decoder {
  const cache = decoders[form];
  const existing = cache.get(shapeName);
  if (existing) return existing;
  const shape = kmsModel().shapes[shapeName];
  if (!shape) throw new KmsError('KMSInternalException', `kmskit: shape ${shapeName} missing from the model`);
  // Recursive shapes resolve through this indirection until the real decoder is in place.
  let impl: Decoder = () => undefined;
  cache.set(shapeName, (v, p, w) => impl(v, p, w));
  impl = compile(shapeName, shape, form);
  cache.set(shapeName, impl);
  return impl;
}

function compile(shapeName: string, shape: Shape, form: InputForm): Decoder {
  const show = (value: unknown, path: string): string => (shape.sensitive || shape.type === 'blob' ? `Value at '${path}'` : `Value '${javaString(value)}' at '${path}'`);
  const fail = (w: Walk, value: unknown, path: string, constraint: string): void => {
    w.errors.push(`${show(value, path)} failed to satisfy constraint: Member must ${constraint}`);
  };
  const typeError = (value: unknown, path: string, expected: string): never => {
    throw new KmsError('SerializationException', `Value at '${path}' must be ${expected}, got ${describeType(value)}`);
  };
  const { min, max } = shape;
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, lower: lowerFirst(name), decode: decoderFor(ref.shape, form) }));
      const required = (shape.required ?? []).map((name) => ({ name, lower: lowerFirst(name) }));
      return (value, path, w) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return typeError(value, path, 'an object');
        const obj = value as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const r of required) {
          if (obj[r.name] === undefined || obj[r.name] === null) w.errors.push(`Value null at '${join(path, r.lower)}' failed to satisfy constraint: Member must not be null`);
        }
        for (const m of members) {
          const v = obj[m.name];
          if (v === undefined || v === null) continue;
          out[m.name] = m.decode(v, join(path, m.lower), w);
        }
        // Unknown members are ignored, as AWS's JSON protocol does.
        return out;
      };
    }
    case 'list': {
      const member = decoderFor(shape.member!.shape, form);
      return (value, path, w) => {
        if (!Array.isArray(value)) return typeError(value, path, 'an array');
        if (min !== undefined && value.length < min) fail(w, value, path, `have length greater than or equal to ${min}`);
        if (max !== undefined && value.length > max) fail(w, value, path, `have length less than or equal to ${max}`);
        return value.map((v, i) => member(v, `${path}.${i + 1}.member`, w));
      };
    }
    case 'map': {
      const key = decoderFor(shape.key!.shape, form);
      const val = decoderFor(shape.value!.shape, form);
      return (value, path, w) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return typeError(value, path, 'an object');
        const out: Record<string, unknown> = {};
        for (const k in value as Record<string, unknown>) {
          key(k, `${path}.${k}.key`, w);
          out[k] = val((value as Record<string, unknown>)[k], `${path}.${k}.value`, w);
        }
        return out;
      };
    }
    case 'string': {
      const allowed = shape.enum ? new Set(shape.enum) : undefined;
      // Listed in AWS's order, which is not the model's (see enum-order.ts).
      const enumText = shape.enum ? awsEnumOrder(shapeName, shape.enum).join(', ') : undefined;
      const pattern = shape.pattern ? patternOf(shape.pattern) : undefined;
      return (value, path, w) => {
        if (typeof value !== 'string') return typeError(value, path, 'a string');
        if (min !== undefined && value.length < min) fail(w, value, path, `have length greater than or equal to ${min}`);
        if (max !== undefined && value.length > max) fail(w, value, path, `have length less than or equal to ${max}`);
        if (allowed && !allowed.has(value)) fail(w, value, path, `satisfy enum value set: [${enumText}]`);
        else if (pattern && value.length > 0 && !pattern.test(value)) fail(w, value, path, `satisfy regular expression pattern: ${shape.pattern}`);
        return value;
      };
    }
    case 'blob':
      if (form === 'sdk') {
        return (value, path, w) => {
          // A copy: the handler may keep the bytes (imported material), and the caller may reuse its array.
          let buf: Buffer;
          if (value instanceof Uint8Array) buf = Buffer.from(value);
          else if (typeof value === 'string') buf = Buffer.from(value, 'utf8');
          else return typeError(value, path, 'a Uint8Array');
          if (min !== undefined && buf.length < min) fail(w, value, path, `have length greater than or equal to ${min}`);
          if (max !== undefined && buf.length > max) fail(w, value, path, `have length less than or equal to ${max}`);
          return buf;
        };
      }
      return (value, path, w) => {
        if (typeof value !== 'string') return typeError(value, path, 'a base64 string');
        const buf = Buffer.from(value, 'base64');
        // Node's decoder skips characters outside the alphabet, so a decoded length that differs from
        // what the text's length promises means the text was not strict base64 (cheaper than a regex).
        if (!isStrictBase64(value, buf.length)) throw new KmsError('SerializationException', `Value at '${path}' is not valid base64`);
        if (min !== undefined && buf.length < min) fail(w, value, path, `have length greater than or equal to ${min}`);
        if (max !== undefined && buf.length > max) fail(w, value, path, `have length less than or equal to ${max}`);
        return buf;
      };
    case 'boolean':
      return (value, path) => (typeof value === 'boolean' ? value : typeError(value, path, 'a boolean'));
    case 'integer':
    case 'long':
      return (value, path, w) => {
        if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(value, path, 'an integer');
        if (min !== undefined && value < min) fail(w, value, path, `have value greater than or equal to ${min}`);
        if (max !== undefined && value > max) fail(w, value, path, `have value less than or equal to ${max}`);
        return value;
      };
    case 'timestamp':
      if (form === 'sdk') return (value, path) => (value instanceof Date ? new Date(value.getTime()) : typeError(value, path, 'a Date'));
      return (value, path) => (typeof value === 'number' ? new Date(value * 1000) : typeError(value, path, 'a number of epoch seconds'));
  }
}

/** Validate and decode an operation's input (wire form by default). Throws ValidationException / SerializationException. */
export function decodeInput(operation: string, input: unknown, form: InputForm = 'wire'): Record<string, unknown> {
  const op = kmsModel().operations[operation];
  if (!op) throw new KmsError('UnknownOperationException', `Unknown operation ${operation}`);
  if (!op.input) return {};
  const w: Walk = { errors: [] };
  const out = decoderFor(op.input.shape, form)(input ?? {}, '', w) as Record<string, unknown>;
  if (w.errors.length === 1) throw new KmsError('ValidationException', `1 validation error detected: ${w.errors[0]}`);
  if (w.errors.length > 1) throw new KmsError('ValidationException', `${w.errors.length} validation errors detected: ${w.errors.join('; ')}`);
  return out;
}

/** A single-constraint ValidationException in AWS's wording, for checks the model cannot express. */
export function validationError(member: string, value: unknown, constraint: string): KmsError {
  return new KmsError('ValidationException', `1 validation error detected: Value '${javaString(value)}' at '${lowerFirst(member)}' failed to satisfy constraint: Member must ${constraint}`);
}

type Encoder = (value: unknown) => unknown;
const encoders: Record<InputForm, Map<string, Encoder>> = { wire: new Map(), sdk: new Map() };
const identity: Encoder = (v) => v;

/**
 * An output encoder per shape and form, compiled once (see decoderFor). `wire`: blobs to base64,
 * Dates to epoch seconds. `sdk`: what the AWS SDK for JavaScript returns after deserialising the
 * wire form — blobs as fresh Uint8Arrays (not Buffers, not views: a view of a pooled Buffer would
 * expose the pool's other bytes through .buffer), Dates copied, and every list and map a copy, so
 * nothing the caller holds aliases the emulator's state.
 */
function encoderFor(shapeName: string, form: InputForm): Encoder {
  const cache = encoders[form];
  const existing = cache.get(shapeName);
  if (existing) return existing;
  const shape = kmsModel().shapes[shapeName];
  if (!shape) return identity;
  let impl: Encoder = identity;
  cache.set(shapeName, (v) => impl(v));
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, encode: encoderFor(ref.shape, form) }));
      impl = (value) => {
        const out: Record<string, unknown> = {};
        const obj = value as Record<string, unknown>;
        for (const m of members) {
          const v = obj[m.name];
          if (v === undefined || v === null) continue;
          out[m.name] = m.encode(v);
        }
        return out;
      };
      break;
    }
    case 'list': {
      const member = encoderFor(shape.member!.shape, form);
      impl = member === identity && form === 'wire' ? identity : (value) => (value as unknown[]).map((v) => member(v));
      break;
    }
    case 'map': {
      const val = encoderFor(shape.value!.shape, form);
      impl =
        val === identity && form === 'wire'
          ? identity
          : (value) => {
              const out: Record<string, unknown> = {};
              for (const k in value as Record<string, unknown>) out[k] = val((value as Record<string, unknown>)[k]);
              return out;
            };
      break;
    }
    case 'blob':
      impl =
        form === 'sdk'
          ? (value) => (value instanceof Uint8Array ? new Uint8Array(value) : value)
          : (value) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : value);
      break;
    case 'timestamp':
      impl = form === 'sdk' ? (value) => (value instanceof Date ? new Date(value.getTime()) : value) : (value) => (value instanceof Date ? value.getTime() / 1000 : value);
      break;
    default:
      impl = identity;
  }
  cache.set(shapeName, impl);
  return impl;
}

function encode(operation: string, output: unknown, form: InputForm): Record<string, unknown> {
  const op = kmsModel().operations[operation];
  if (!op?.output) return {};
  return (encoderFor(op.output.shape, form)(output ?? {}) as Record<string, unknown>) ?? {};
}

/** Encode a handler's output (Buffers, Dates) to wire form, keeping only members the model defines. */
export const encodeOutput = (operation: string, output: unknown): Record<string, unknown> => encode(operation, output, 'wire');

/** A handler's output as the AWS SDK for JavaScript returns it (see encoderFor), only members the model defines. */
export const sdkOutput = (operation: string, output: unknown): Record<string, unknown> => encode(operation, output, 'sdk');

type JsonWriter = (value: unknown) => string | undefined;
const jsonWriters = new Map<string, JsonWriter>();
const anyJson: JsonWriter = (v) => JSON.stringify(v);
/**
 * A string member's JSON text, remembered: responses repeat the same few strings (key ARNs, enum
 * values) call after call, and a lookup of a string already hashed is cheaper than escaping it again.
 */
const stringJsonCache = new Map<string, string>();
const stringJson: JsonWriter = (v) => {
  if (typeof v !== 'string' || v.length > 256) return JSON.stringify(v);
  let text = stringJsonCache.get(v);
  if (text === undefined) {
    if (stringJsonCache.size >= 10_000) stringJsonCache.clear();
    text = JSON.stringify(v);
    stringJsonCache.set(v, text);
  }
  return text;
};
const numberJson = (v: unknown): string => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : JSON.stringify(v));

/**
 * The wire form's JSON text written directly, member by member (the server's response body):
 * exactly `JSON.stringify(encodeOutput(op, output))`, without the intermediate object, and without
 * escaping-scanning base64 text, which never needs escaping. Undefined (like JSON.stringify) skips
 * the member.
 */
function jsonWriterFor(shapeName: string): JsonWriter {
  const existing = jsonWriters.get(shapeName);
  if (existing) return existing;
  const shape = kmsModel().shapes[shapeName];
  if (!shape) return anyJson;
  let impl: JsonWriter = anyJson;
  jsonWriters.set(shapeName, (v) => impl(v));
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, key: `${JSON.stringify(name)}:`, write: jsonWriterFor(ref.shape) }));
      impl = (value) => {
        const obj = value as Record<string, unknown>;
        let out = '{';
        for (const m of members) {
          const v = obj[m.name];
          if (v === undefined || v === null) continue;
          const text = m.write(v);
          if (text === undefined) continue;
          out += out.length === 1 ? m.key + text : `,${m.key}${text}`;
        }
        return `${out}}`;
      };
      break;
    }
    case 'list': {
      const member = jsonWriterFor(shape.member!.shape);
      impl = (value) => `[${(value as unknown[]).map((v) => (v === undefined || v === null ? 'null' : (member(v) ?? 'null'))).join(',')}]`;
      break;
    }
    case 'map': {
      const val = jsonWriterFor(shape.value!.shape);
      impl = (value) => {
        let out = '{';
        for (const k in value as Record<string, unknown>) {
          const v = (value as Record<string, unknown>)[k];
          const text = v === undefined ? undefined : v === null ? 'null' : val(v);
          if (text === undefined) continue;
          out += `${out.length === 1 ? '' : ','}${JSON.stringify(k)}:${text}`;
        }
        return `${out}}`;
      };
      break;
    }
    case 'blob':
      impl = (value) => (value instanceof Uint8Array ? `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"` : JSON.stringify(value));
      break;
    case 'timestamp':
      impl = (value) => (value instanceof Date ? numberJson(value.getTime() / 1000) : JSON.stringify(value));
      break;
    case 'integer':
    case 'long':
      impl = numberJson;
      break;
    case 'boolean':
      impl = (value) => (value === true ? 'true' : value === false ? 'false' : JSON.stringify(value));
      break;
    case 'string':
      impl = stringJson;
      break;
    default:
      impl = anyJson;
  }
  jsonWriters.set(shapeName, impl);
  return impl;
}

/** A handler's output as the wire's JSON text: `JSON.stringify(encodeOutput(operation, output))`. */
export function encodeOutputJson(operation: string, output: unknown): string {
  const op = kmsModel().operations[operation];
  if (!op?.output) return '{}';
  return jsonWriterFor(op.output.shape)(output ?? {}) ?? '{}';
}
