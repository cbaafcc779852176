/**
 * What every Transit endpoint shares: finding the request's key under its mount, saving a
 * changed key, noting the key in the audit event, reading batch items as Vault's decoder does, and
 * the status rules of batch answers.
 */

import { KeyOpError, internalError, userError } from '../errors.js';
import type { LogicalResponse } from '../envelope.js';
import type { HandlerContext } from '../endpoint.js';
import { decodeStdBase64 } from '../params.js';
import type { Mount } from '../state.js';
import type { TransitKey } from './keys.js';

export const DERIVATION_MISSING =
  "missing 'context' for key derivation; the key was created using a derived key, which means additional, per-request information must be included in order to perform operations with the key";

export function mountOf(ctx: HandlerContext): Mount {
  if (!ctx.mount) throw internalError('transit endpoint without a mount');
  return ctx.mount;
}

export function keyOf(ctx: HandlerContext): TransitKey | undefined {
  return mountOf(ctx).keys.get(ctx.data.string('name'));
}

export function saveKey(ctx: HandlerContext, key: TransitKey): void {
  ctx.commit([{ kind: 'transit-key', mount: mountOf(ctx).record.path, key }]);
}

export function audited(ctx: HandlerContext, key: TransitKey, extra: Record<string, unknown> = {}): void {
  ctx.audit.resource = `${mountOf(ctx).record.path}keys/${key.name}`;
  Object.assign(ctx.audit.params, { name: key.name, type: key.type }, extra);
}

/** Base64 that must decode; the error text is Go's. */
export function b64(s: string): Buffer {
  const r = decodeStdBase64(s);
  if (typeof r === 'string') throw new KeyOpError(r);
  return r;
}

/** The batch_input list as objects, or Vault's 500 for a malformed one. */
export function batchItems(raw: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(raw) || raw.some((x) => x === null || typeof x !== 'object' || Array.isArray(x))) {
    throw internalError(`failed to parse batch input: 1 error(s) decoding:\n\n* '' source data must be an array or slice of maps, got ${Array.isArray(raw) ? 'a list with non-objects' : typeof raw}`);
  }
  if (raw.length === 0) throw userError('missing batch input to process');
  return raw as Array<Record<string, unknown>>;
}

/** An item field as mapstructure's weak decode would give a Go string ('' when absent). */
export function itemString(item: Record<string, unknown>, field: string): string {
  const v = item[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

export function itemInt(item: Record<string, unknown>, field: string): number {
  const v = item[field];
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number(v);
  return 0;
}

export const hasField = (item: Record<string, unknown>, field: string): boolean => item[field] !== undefined && item[field] !== null;

/** Vault's batchRequestResponse: 400 on any user error (500 on internal only), unless overridden. */
export function batchStatus(ctx: HandlerContext, resp: LogicalResponse, successes: boolean, userErr: boolean, internalErr: boolean): LogicalResponse {
  if (!userErr && !internalErr) return resp;
  let code = userErr ? 400 : 500;
  if (ctx.data.has('partial_failure_response_code') && successes) {
    const n = ctx.data.int('partial_failure_response_code');
    if (n < 1 || n > 599) (resp.warnings ??= []).push(`invalid HTTP response code override from partial_failure_response_code, reverting to ${code}`);
    else code = n;
  }
  return { ...resp, status: code };
}

export function contextsConsistent(items: Array<{ context: string }>): boolean {
  const set = items[0]!.context.length !== 0;
  return items.every((i) => (i.context.length !== 0) === set);
}
