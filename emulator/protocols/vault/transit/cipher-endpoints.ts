/**
 * Encrypt, decrypt, rewrap and data keys, single or batched, as Vault's path_encrypt.go,
 * path_decrypt.go, path_rewrap.go and path_datakey.go answer (upsert on first encrypt included).
 */
import { randomBytes } from 'node:crypto';
import { KeyOpError, VaultError, internalError, userError } from '../errors.js';
import { struct, type LogicalResponse } from '../envelope.js';
import { NAME, type Endpoint, type HandlerContext } from '../endpoint.js';
import { decodeStdBase64 } from '../params.js';
import type { Mount } from '../state.js';
import { KEY_TYPES, aeadOpen, aeadSeal, convergentNonce, deriveBytes, rsaDecrypt, rsaEncrypt, supports } from './crypto.js';
import { encryptionVersion, newKey, prefixFor, splitVersioned, versionOf, type KeyVersion, type TransitKey } from './keys.js';
import { DERIVATION_MISSING, audited, b64, batchItems, batchStatus, contextsConsistent, itemInt, itemString, keyOf, mountOf, saveKey } from './request.js';

/** The AEAD key of a version for this request: the version's key, or derived from the context. */
function aeadKey(key: TransitKey, v: KeyVersion, context: Buffer | undefined, extraBytes = 0): Buffer {
  const encBytes = KEY_TYPES[key.type].keyBytes!;
  if (!key.derived) return v.key;
  if (!context || context.length === 0) throw new KeyOpError(DERIVATION_MISSING);
  return deriveBytes(v.key, context, encBytes + extraBytes);
}

/** keysutil EncryptWithFactory: a base64 plaintext in, `vault:vN:...` out. */
function encryptValue(key: TransitKey, requestedVersion: number, context: Buffer | undefined, plaintextB64: string, aad: Buffer | undefined): { ciphertext: string; version: number } {
  if (!supports.encryption(key.type)) throw new KeyOpError(`message encryption not supported for key type ${key.type}`);
  const plaintext = b64(plaintextB64);
  const version = encryptionVersion(key, requestedVersion, 'encryption');
  const v = versionOf(key, version);
  if (!v) throw new KeyOpError('no such key version');
  let raw: Buffer;
  if (KEY_TYPES[key.type].family === 'rsa') raw = rsaEncrypt(key.type, v.key, plaintext);
  else if (key.convergent) {
    const encBytes = KEY_TYPES[key.type].keyBytes!;
    const material = aeadKey(key, v, context, 32);
    raw = aeadSeal(key.type, material.subarray(0, encBytes), plaintext, aad, convergentNonce(material.subarray(encBytes), plaintext));
  } else raw = aeadSeal(key.type, aeadKey(key, v, context), plaintext, aad);
  return { ciphertext: prefixFor(version) + raw.toString('base64'), version };
}

/** keysutil DecryptWithFactory: `vault:vN:...` in, base64 plaintext out. */
function decryptValue(key: TransitKey, context: Buffer | undefined, value: string, aad: Buffer | undefined): string {
  if (!supports.encryption(key.type)) throw new KeyOpError(`message decryption not supported for key type ${key.type}`);
  const { version, body } = splitVersioned(key, value, 'ciphertext');
  const decoded = decodeStdBase64(body);
  if (typeof decoded === 'string') throw new KeyOpError('invalid ciphertext: could not decode base64');
  const v = versionOf(key, version);
  if (!v) throw new KeyOpError('no such key version');
  if (KEY_TYPES[key.type].family === 'rsa') return rsaDecrypt(key.type, v.key, decoded).toString('base64');
  const material = aeadKey(key, v, context);
  return aeadOpen(key.type, material.subarray(0, KEY_TYPES[key.type].keyBytes!), decoded, aad).toString('base64');
}

interface CipherItem {
  input: string;
  context: string;
  keyVersion: number;
  associatedData: string;
  reference: string;
  decodedContext?: Buffer;
  error?: string;
  internal?: boolean;
}

function cipherItems(ctx: HandlerContext, inputField: 'plaintext' | 'ciphertext', missing: string): { items: CipherItem[]; batch: boolean } {
  const d = ctx.data;
  if (d.has('batch_input')) {
    const items = batchItems(d.get('batch_input')).map((it) => ({
      input: itemString(it, inputField),
      context: itemString(it, 'context'),
      keyVersion: itemInt(it, 'key_version'),
      associatedData: itemString(it, 'associated_data'),
      reference: itemString(it, 'reference'),
    }));
    return { items, batch: true };
  }
  if (!d.has(inputField)) throw userError(missing);
  return {
    items: [{ input: d.string(inputField), context: d.string('context'), keyVersion: d.has('key_version') ? d.int('key_version') : 0, associatedData: d.has('associated_data') ? d.string('associated_data') : '', reference: '' }],
    batch: false,
  };
}

function aadOf(key: TransitKey, item: CipherItem, index: number): Buffer | undefined {
  if (!item.associatedData) return undefined;
  if (!supports.associatedData(key.type)) throw new KeyOpError(`'[${index}].associated_data' provided for non-AEAD cipher suite ${key.type}`);
  const r = decodeStdBase64(item.associatedData);
  if (typeof r === 'string') throw new KeyOpError(`unable to decode associated_data as base64: ${r}`);
  return r;
}

function fail(item: CipherItem, e: unknown): void {
  if (!(e instanceof KeyOpError)) throw e;
  item.error = e.message;
  item.internal = e.internal;
}

/** A single (non-batch) item's error as Vault answers it. */
function singleError(item: CipherItem): VaultError {
  return item.internal ? internalError(item.error!) : userError(item.error!);
}

/**
 * Runs one operation per batch item that has not failed yet, collecting what Vault's status rules
 * need. keysutil leaves a non-AEAD associated_data item out of the status decision; so does this.
 */
function runItems<T extends object>(items: CipherItem[], op: (item: CipherItem, index: number) => T, failed: (item: CipherItem) => object): { results: Array<T | object>; successes: boolean; userErr: boolean; internalErr: boolean } {
  let successes = false;
  let userErr = false;
  let internalErr = false;
  const results = items.map((item, i) => {
    if (!item.error) {
      try {
        const r = op(item, i);
        successes = true;
        return r;
      } catch (e) {
        fail(item, e);
        if (item.internal) internalErr = true;
        else if (!item.error!.includes('associated_data')) userErr = true;
      }
    }
    return failed(item);
  });
  return { results, successes, userErr, internalErr };
}

/**
 * Decodes each item's context (an item that already failed keeps its error); true when any item
 * has failed so far, which makes a batch a user error.
 */
function decodeContexts(items: CipherItem[]): boolean {
  let failed = false;
  for (const item of items) {
    if (!item.error && item.context) {
      const c = decodeStdBase64(item.context);
      if (typeof c === 'string') item.error = c;
      else item.decodedContext = c;
    }
    if (item.error) failed = true;
  }
  return failed;
}

function encrypt(ctx: HandlerContext): LogicalResponse {
  const { items, batch } = cipherItems(ctx, 'plaintext', 'missing plaintext to encrypt');
  if (!contextsConsistent(items)) throw userError('context should be set either in all the request blocks or in none');
  for (const item of items) {
    const p = decodeStdBase64(item.input);
    if (typeof p === 'string') item.error = p;
  }
  const userErr = decodeContexts(items);
  const contextSet = items[0]!.context.length !== 0;
  let key = keyOf(ctx);
  if (ctx.operation === 'create') {
    // Upsert: the existence check made this a create (the ACL needed `create`).
    const convergent = ctx.data.bool('convergent_encryption');
    if (convergent && !contextSet) throw userError('convergent encryption requires derivation to be enabled, so context is required');
    const type = ctx.data.string('type');
    if (type === 'ecdsa-p256' || type === 'ecdsa-p384' || type === 'ecdsa-p521') throw userError(`key type ${type} not supported for this operation`);
    if (type !== 'aes128-gcm96' && type !== 'aes256-gcm96' && type !== 'chacha20-poly1305') throw userError(`unknown key type ${type}`);
    if (!key && !mountOf(ctx).disableUpsert) {
      key = newKey(ctx.data.string('name'), { type, derived: contextSet, convergent }, ctx.now);
      saveKey(ctx, key);
      ctx.audit.params.upserted = true;
    }
  }
  if (!key) throw userError('encryption key not found');
  audited(ctx, key, { batch_size: batch ? items.length : undefined });
  const run = runItems(
    items,
    (item, i) => {
      const out = encryptValue(key, item.keyVersion, item.decodedContext, item.input, aadOf(key, item, i));
      return struct({ ciphertext: out.ciphertext, key_version: out.version, reference: item.reference });
    },
    (item) => struct({ error: item.error, reference: item.reference }),
  );
  const results = run.results;
  if (!batch) {
    const item = items[0]!;
    if (item.error) throw singleError(item);
    const r = results[0] as { ciphertext: string; key_version: number };
    return { data: { ciphertext: r.ciphertext, key_version: r.key_version } };
  }
  return batchStatus(ctx, { data: { batch_results: results } }, run.successes, userErr || run.userErr, run.internalErr);
}

function decrypt(ctx: HandlerContext): LogicalResponse {
  const { items, batch } = cipherItems(ctx, 'ciphertext', 'missing ciphertext to decrypt');
  if (!contextsConsistent(items)) throw userError('context should be set either in all the request blocks or in none');
  for (const item of items) if (!item.input) item.error = 'missing ciphertext to decrypt';
  const userErr = decodeContexts(items);
  const key = keyOf(ctx);
  if (!key) throw userError('encryption key not found');
  audited(ctx, key, { batch_size: batch ? items.length : undefined });
  const run = runItems(
    items,
    (item, i) => struct({ plaintext: decryptValue(key, item.decodedContext, item.input, aadOf(key, item, i)), reference: item.reference }),
    (item) => struct({ plaintext: '', error: item.error, reference: item.reference }),
  );
  const results = run.results;
  if (!batch) {
    const item = items[0]!;
    if (item.error) throw singleError(item);
    return { data: { plaintext: (results[0] as { plaintext: string }).plaintext } };
  }
  return batchStatus(ctx, { data: { batch_results: results } }, run.successes, userErr || run.userErr, run.internalErr);
}

function rewrap(ctx: HandlerContext): LogicalResponse {
  const { items, batch } = cipherItems(ctx, 'ciphertext', 'missing ciphertext to decrypt');
  if (!contextsConsistent(items)) throw userError('context should be set either in all the request blocks or in none');
  decodeContexts(items);
  const key = keyOf(ctx);
  if (!key) throw userError('encryption key not found');
  audited(ctx, key, { batch_size: batch ? items.length : undefined });
  const results = items.map((item) => {
    if (!item.error) {
      try {
        if (!item.input) throw new KeyOpError('missing ciphertext to decrypt');
        const plaintext = decryptValue(key, item.decodedContext, item.input, undefined);
        const out = encryptValue(key, item.keyVersion, item.decodedContext, plaintext, undefined);
        return struct({ ciphertext: out.ciphertext, key_version: out.version, reference: item.reference });
      } catch (e) {
        fail(item, e);
      }
    }
    return struct({ error: item.error, reference: item.reference });
  });
  if (!batch) {
    const item = items[0]!;
    if (item.error) throw singleError(item);
    const r = results[0] as { ciphertext: string; key_version: number };
    return { data: { ciphertext: r.ciphertext, key_version: r.key_version } };
  }
  return { data: { batch_results: results } };
}

function datakey(ctx: HandlerContext): LogicalResponse {
  const d = ctx.data;
  const kind = d.string('plaintext');
  if (kind !== 'plaintext' && kind !== 'wrapped') throw userError("Invalid path, must be 'plaintext' or 'wrapped'");
  let context: Buffer | undefined;
  if (d.string('context')) {
    const c = decodeStdBase64(d.string('context'));
    if (typeof c === 'string') throw userError('failed to base64-decode context');
    context = c;
  }
  const key = keyOf(ctx);
  if (!key) throw userError('encryption key not found');
  const bits = d.int('bits');
  audited(ctx, key, { bits, datakey: kind });
  if (bits !== 128 && bits !== 256 && bits !== 512) throw userError('invalid bit length');
  let aad: Buffer | undefined;
  if (d.string('associated_data')) {
    if (!supports.associatedData(key.type)) throw userError(`'associated_data' provided for non-AEAD cipher suite ${key.type}`);
    const a = decodeStdBase64(d.string('associated_data'));
    if (typeof a === 'string') throw userError(a);
    aad = a;
  }
  const dataKey = randomBytes(bits / 8);
  let out;
  try {
    out = encryptValue(key, d.int('key_version'), context, dataKey.toString('base64'), aad);
  } catch (e) {
    if (!(e instanceof KeyOpError)) throw e;
    throw e.internal ? internalError(e.message) : userError(e.message);
  }
  return { data: { ciphertext: out.ciphertext, key_version: out.version, ...(kind === 'plaintext' ? { plaintext: dataKey.toString('base64') } : {}) } };
}

const name = `(?<name>${NAME})`;
/** Encrypt's existence check: a missing key makes the request a `create` (upsert). */
const keyExists = ({ mount, captures }: { mount?: Mount; captures: Record<string, string> }): boolean => Boolean(mount?.keys.has(captures.name ?? ''));

export const CIPHER_ENDPOINTS: Endpoint[] = [
  {
    event: 'transit/encrypt',
    pattern: new RegExp(`^encrypt/${name}$`),
    fields: {
      name: 'string',
      plaintext: 'string',
      context: 'string',
      nonce: 'string',
      type: { type: 'string', default: 'aes256-gcm96' },
      convergent_encryption: 'bool',
      key_version: 'int',
      associated_data: 'string',
      batch_input: 'raw',
      partial_failure_response_code: 'int',
    },
    ops: { create: encrypt, update: encrypt },
    exists: keyExists,
  },
  {
    event: 'transit/decrypt',
    pattern: new RegExp(`^decrypt/${name}$`),
    fields: { name: 'string', ciphertext: 'string', context: 'string', nonce: 'string', associated_data: 'string', batch_input: 'raw', partial_failure_response_code: 'int' },
    ops: { update: decrypt },
  },
  {
    event: 'transit/rewrap',
    pattern: new RegExp(`^rewrap/${name}$`),
    fields: { name: 'string', ciphertext: 'string', context: 'string', nonce: 'string', key_version: 'int', batch_input: 'raw' },
    ops: { update: rewrap },
  },
  {
    event: 'transit/datakey',
    pattern: new RegExp(`^datakey/(?<plaintext>[^/]+)/${name}$`),
    fields: { name: 'string', plaintext: 'string', context: 'string', nonce: 'string', bits: { type: 'int', default: 256 }, key_version: 'int', associated_data: 'string' },
    ops: { update: datakey },
  },
];
