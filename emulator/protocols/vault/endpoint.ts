/**
 * What an endpoint of the Vault face is: a path pattern (relative to its mount), a field schema and
 * one handler per logical operation, like a `framework.Path` in Vault's SDK. Handlers get the
 * request's fields and the state, return a logical response (or `null` for 204) and never touch
 * HTTP; errors are thrown as VaultError.
 */
import type { Operation } from './acl.js';
import type { LogicalResponse } from './envelope.js';
import type { FieldData, Schema } from './params.js';
import type { Change, Mount, TokenRecord, VaultState } from './state.js';

/** The token a request carries, resolved. */
export interface Caller {
  /** Absent for the root token, which is not a stored record. */
  record?: TokenRecord;
  /** The token id as presented (lookup-self answers with it). */
  id: string;
  policies: string[];
  displayName: string;
  accessor: string;
  isRoot: boolean;
}

export interface HandlerContext {
  data: FieldData;
  captures: Record<string, string>;
  state: VaultState;
  /** Emulator time, ms. */
  now: number;
  caller: Caller;
  /** The mount the request is under (transit endpoints). */
  mount?: Mount;
  /** The request path relative to /v1/. */
  path: string;
  operation: Operation;
  /** Persists then applies changes; throws (nothing applied) when persisting fails. */
  commit(changes: Change[]): void;
  /** Whether the caller's ACL allows `op` on `path` (token create checks sudo this way). */
  hasSudo(path: string): boolean;
  /** What the audit event records beyond the path and operation (never secret values). */
  audit: { resource?: string; params: Record<string, unknown> };
}

export type Handler = (ctx: HandlerContext) => LogicalResponse | null;

export interface Endpoint {
  pattern: RegExp;
  fields: Schema;
  ops: Partial<Record<Operation, Handler>>;
  /**
   * A create-or-update endpoint with an existence check: POST/PUT is `create` when this says the
   * target does not exist (Vault's ACL then needs the `create` capability), else `update`.
   */
  exists?: (ctx: { state: VaultState; mount?: Mount; captures: Record<string, string> }) => boolean;
  /** The audit event name (e.g. `transit/encrypt`). */
  event: string;
}

/** Vault's GenericNameRegex: word characters at both ends, `-`, `.` and `@` inside. */
export const NAME = String.raw`\w(?:[\w\-.@]*\w)?`;
