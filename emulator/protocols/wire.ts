/**
 * What the HTTP layer needs from the emulator, as a structural type: the server, the REST routes and
 * the control routes are written against this rather than the concrete `Emulator`, so they stay
 * testable with a small fake and import nothing heavy at `kmskit serve` start-up.
 */
import { KmsError } from '../core/errors.js';
import type { VaultWire } from './vault/http.js';

/** Who is calling, as the server hands it to `send`. */
export interface WireCaller {
  accessKeyId?: string;
  /** ARN of the calling principal. */
  principal?: string;
  region?: string;
  sourceIp?: string;
  viaService?: string;
}

export interface WirePrincipal {
  arn: string;
  secretAccessKey?: string;
  /** IAM identity policy documents (STS AssumeRole checks them for sts:AssumeRole). */
  policies?: unknown[];
  /** Session credentials: the X-Amz-Security-Token they must be used with, and their expiry (wall-clock ms). */
  sessionToken?: string;
  expiresAt?: number;
}

/** Temporary credentials for an assumed-role session. */
export interface WireSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  arn: string;
  assumedRoleId: string;
  expiresAt: number;
}

export interface FaultSpec {
  operation: string;
  error?: string;
  latencyMs?: number;
  count?: number;
  probability?: number;
}

export interface WireEmulator {
  /** One AWS KMS operation, input and output in AWS JSON 1.1 wire form; errors thrown as KmsError. */
  send(operation: string, input: object, caller?: WireCaller): Promise<object>;
  /**
   * `send` answering with the response's JSON text, and without the promise when nothing has to
   * wait: it answers (or throws the KmsError) synchronously, and returns a promise only while a
   * fault is armed. Optional; the server uses it to spare every request an intermediate object, a
   * promise and a microtask.
   */
  sendNow?(operation: string, input: object, caller?: WireCaller): string | Promise<string>;
  principalForAccessKey(accessKeyId: string): WirePrincipal | undefined;
  /** STS AssumeRole: credentials for a role of the identities, undefined for any other ARN. Absent: no AssumeRole. */
  startSession?(roleArn: string, sessionName: string, durationSeconds: number): WireSession | undefined;
  readonly operations: readonly string[];
  readonly account: string;
  readonly region: string;
  readonly clock: { advance(by: { days?: number; seconds?: number }): unknown; now(): Date | number };
  readonly audit: { events(): readonly unknown[] };
  readonly faults: { inject(spec: FaultSpec): unknown; clear(): unknown };
  reset(): unknown;
  /** The Vault Transit face, served under `/v1/` when present. */
  readonly vault?: VaultWire;
}

/**
 * An answer from a route handler; the server adds the request id and serialises the body as JSON,
 * unless `contentType` is set: then `body` is a string sent as it is (STS's XML).
 */
export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  contentType?: string;
  /** The body already serialised as JSON (then `body` is ignored). */
  json?: string;
}

/** An AWS-shaped error body: the JSON protocols' `{"__type", "message"}`. */
export function awsError(status: number, code: string, message: string): RouteResult {
  return { status, body: { __type: code, message }, headers: { 'x-amzn-ErrorType': code } };
}

/** A KmsError thrown by the core, for protocols with their own error shape (its words, or kmskit's detail where AWS has none). */
export function asKmsError(e: unknown): { code: string; message: string; httpStatus: number } | undefined {
  return e instanceof KmsError ? { code: e.code, message: e.message || (e.detail ?? ''), httpStatus: e.httpStatus } : undefined;
}

/**
 * A KmsError thrown by the core, as the AWS JSON wire answers it: no `message` member where AWS sends none
 * (kmskit's explanation then rides in the x-kmskit-detail header); anything else is an internal fault.
 */
export function kmsErrorResult(e: unknown): (RouteResult & { code: string; httpStatus: number }) | undefined {
  return e instanceof KmsError ? { status: e.httpStatus, body: e.toJSON(), headers: e.headers(), code: e.code, httpStatus: e.httpStatus } : undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first value of a header node:http may have folded into an array. */
export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A client-supplied string cut short enough to quote in an error message. */
export function truncate(s: string, max = 100): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
