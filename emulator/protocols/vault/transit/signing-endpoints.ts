/**
 * HMAC, sign and verify (signatures and HMACs), single or batched, as Vault's path_hmac.go and
 * path_sign_verify.go answer.
 */

import { KeyOpError, VaultError, multierror, userError } from '../errors.js';
import { struct, type LogicalResponse } from '../envelope.js';
import { NAME, type Endpoint, type HandlerContext } from '../endpoint.js';
import { decodeStdBase64, type Schema } from '../params.js';
import { HASHES, KEY_TYPES, constantTimeEqual, deriveEd25519, digest, ed25519PublicOf, hmac, signBytes, supports, verifyBytes, type SignOptions } from './crypto.js';
import { encryptionVersion, prefixFor, splitVersioned, versionOf, type KeyVersion, type TransitKey } from './keys.js';
import { DERIVATION_MISSING, audited, batchItems, hasField, itemString, keyOf } from './request.js';

interface SimpleItem {
  fields: Record<string, unknown>;
  error?: string;
  /** Vault's `response[i].err`: user errors answer 400, anything else 500 (single requests). */
  internal?: boolean;
}

function simpleItems(ctx: HandlerContext, single: () => Record<string, unknown>): { items: SimpleItem[]; batch: boolean } {
  if (ctx.data.has('batch_input')) return { items: batchItems(ctx.data.get('batch_input')).map((fields) => ({ fields })), batch: true };
  return { items: [{ fields: single() }], batch: false };
}

function hmacAlgorithm(ctx: HandlerContext, fallbackFields: string[]): string {
  let alg = ctx.data.string('urlalgorithm');
  for (const f of fallbackFields) if (!alg) alg = ctx.data.string(f);
  return alg || 'sha2-256';
}

function hmacKeyFor(key: TransitKey, version: number): Buffer {
  if (version < 0) throw new KeyOpError('key version does not exist (cannot be negative)');
  if (version > key.latestVersion) throw new KeyOpError(`key version does not exist; latest key version is ${key.latestVersion}`);
  const v = versionOf(key, version);
  if (!v || version < key.minDecryptionVersion) throw new KeyOpError('no such key version');
  return key.type === 'hmac' ? v.key : v.hmacKey;
}

function hmacGenerate(ctx: HandlerContext): LogicalResponse {
  const d = ctx.data;
  const key = keyOf(ctx);
  if (!key) throw userError('encryption key not found');
  let version = d.int('key_version');
  if (version === 0) version = key.latestVersion;
  else if (version !== key.latestVersion && key.minEncryptionVersion > 0 && version < key.minEncryptionVersion) throw userError('cannot generate HMAC: version is too old (disallowed by policy)');
  let hmacKey: Buffer;
  try {
    hmacKey = hmacKeyFor(key, version);
  } catch (e) {
    if (e instanceof KeyOpError) throw userError(e.message);
    throw e;
  }
  const algName = d.string('urlalgorithm') || d.string('algorithm') || 'sha2-256';
  const alg = HASHES[algName];
  if (!alg) throw userError(`unsupported algorithm ${JSON.stringify(algName)}`);
  const { items, batch } = simpleItems(ctx, () => {
    if (!d.has('input')) throw userError('missing input for HMAC');
    return { input: d.string('input') };
  });
  audited(ctx, key, { algorithm: algName, key_version: version, batch_size: batch ? items.length : undefined });
  const results = items.map((item) => {
    const raw = item.fields.input;
    if (raw === undefined || raw === null) item.error = 'missing input for HMAC';
    else {
      const input = decodeStdBase64(itemString(item.fields, 'input'));
      if (typeof input === 'string') item.error = `unable to decode input as base64: ${input}`;
      else return struct({ hmac: `vault:v${version}:${hmac(alg, hmacKey, input).toString('base64')}`, reference: itemString(item.fields, 'reference') });
    }
    return struct({ error: item.error, reference: itemString(item.fields, 'reference') });
  });
  if (!batch) {
    if (items[0]!.error) throw userError(items[0]!.error);
    return { data: { hmac: (results[0] as { hmac: string }).hmac } };
  }
  return { data: { batch_results: results } };
}

function hmacVerify(ctx: HandlerContext, key: TransitKey, items: SimpleItem[], batch: boolean): LogicalResponse {
  const algName = hmacAlgorithm(ctx, ['hash_algorithm', 'algorithm']);
  const alg = HASHES[algName];
  if (!alg) throw userError(`invalid hash algorithm ${JSON.stringify(algName)}`);
  const results = items.map((item) => {
    const ref = itemString(item.fields, 'reference');
    const check = (): boolean => {
      if (!hasField(item.fields, 'input')) throw new KeyOpError('missing input');
      const input = decodeStdBase64(itemString(item.fields, 'input'));
      if (typeof input === 'string') throw new KeyOpError(`unable to decode input as base64: ${input}`);
      if (!hasField(item.fields, 'hmac')) throw new KeyOpError('missing hmac');
      const given = itemString(item.fields, 'hmac');
      if (!given.startsWith('vault:v')) throw new KeyOpError('invalid HMAC to verify: no prefix');
      const rest = given.slice('vault:v'.length);
      const colon = rest.indexOf(':');
      if (colon < 0) throw new KeyOpError('invalid HMAC: wrong number of fields');
      if (!/^[+-]?\d+$/.test(rest.slice(0, colon))) throw new KeyOpError('invalid HMAC: version number could not be decoded');
      const version = Number(rest.slice(0, colon));
      const mac = decodeStdBase64(rest.slice(colon + 1));
      if (typeof mac === 'string') throw new KeyOpError(`unable to decode verification HMAC as base64: ${mac}`);
      if (version > key.latestVersion) throw new KeyOpError('invalid HMAC: version is too new');
      if (key.minDecryptionVersion > 0 && version < key.minDecryptionVersion) throw new KeyOpError('cannot verify HMAC: version is too old (disallowed by policy)');
      return constantTimeEqual(hmac(alg, hmacKeyFor(key, version), input), mac);
    };
    try {
      return struct({ valid: check(), reference: ref });
    } catch (e) {
      if (!(e instanceof KeyOpError)) throw e;
      item.error = e.message;
      return struct({ error: e.message, reference: ref });
    }
  });
  if (!batch) {
    if (items[0]!.error) throw userError(items[0]!.error);
    return { data: { valid: (results[0] as { valid: boolean }).valid } };
  }
  return { data: { batch_results: results } };
}

function saltLength(ctx: HandlerContext): number {
  if (!ctx.data.has('salt_length')) return 0;
  const raw = ctx.data.string('salt_length');
  const s = raw.toLowerCase();
  if (s === 'auto') return 0;
  if (s === 'hash') return -1;
  if (!/^[+-]?\d+$/.test(s)) throw userError(`salt length neither 'auto', 'hash', nor an int: ${raw}`);
  const n = Number(s);
  if (n < -1) throw userError(`salt length is invalid: ${n}`);
  return n;
}

interface SignParams {
  hashName: string;
  opts: SignOptions;
}

function signParams(ctx: HandlerContext): SignParams {
  const d = ctx.data;
  const hashName = hmacAlgorithm(ctx, ['hash_algorithm', 'algorithm']);
  if (!(hashName in HASHES)) throw userError(`invalid hash algorithm ${JSON.stringify(hashName)}`);
  const marshaling = d.string('marshaling_algorithm');
  if (marshaling !== 'asn1' && marshaling !== 'jws') throw userError(`invalid marshaling type ${JSON.stringify(marshaling)}`);
  return { hashName, opts: { hash: HASHES[hashName]!, prehashed: d.bool('prehashed'), signatureAlgorithm: d.string('signature_algorithm') || 'pss', marshaling, saltLength: saltLength(ctx) } };
}

function checkSignable(key: TransitKey, p: SignParams, signatureAlgorithm: string): void {
  if (!supports.signing(key.type)) throw userError(`key type ${key.type} does not support signing`);
  if (p.hashName === 'none' && (!p.opts.prehashed || signatureAlgorithm !== 'pkcs1v15')) throw userError('hash_algorithm=none requires both prehashed=true and signature_algorithm=pkcs1v15');
}

function checkRsaOptions(key: TransitKey, p: SignParams): void {
  if (KEY_TYPES[key.type].family !== 'rsa') return;
  if (p.opts.signatureAlgorithm !== 'pss' && p.opts.signatureAlgorithm !== 'pkcs1v15') throw new KeyOpError(`unsupported rsa signature algorithm ${p.opts.signatureAlgorithm}`, true);
  if (p.opts.signatureAlgorithm === 'pss' && p.opts.hash) {
    const hLen = digest(p.opts.hash, Buffer.alloc(0)).length;
    const max = Math.floor((KEY_TYPES[key.type].rsaBits! - 1 + 7) / 8) - 2 - hLen;
    if (p.opts.saltLength < -1 || p.opts.saltLength > max) throw new KeyOpError(`requested salt length ${p.opts.saltLength} is invalid`);
  }
}

/** The message that is signed: the input, hashed first for ECDSA and RSA unless prehashed. */
function messageOf(key: TransitKey, p: SignParams, input: Buffer): Buffer {
  return supports.hashesSignatureInput(key.type) && !p.opts.prehashed && p.opts.hash ? digest(p.opts.hash, input) : input;
}

/** node's sign hashes internally; it must then get the input, not the digest. */
function nodeSignInput(key: TransitKey, p: SignParams, input: Buffer): { message: Buffer; opts: SignOptions } {
  if (supports.hashesSignatureInput(key.type) && !p.opts.prehashed && p.opts.hash) return { message: input, opts: p.opts };
  return { message: messageOf(key, p, input), opts: { ...p.opts, prehashed: supports.hashesSignatureInput(key.type) ? true : p.opts.prehashed } };
}

function signingKeyFor(key: TransitKey, v: KeyVersion, context: Buffer | undefined): { material: Buffer; publicKey?: Buffer } {
  if (key.type === 'ed25519' && key.derived) {
    if (!context || context.length === 0) throw new KeyOpError(`error deriving key: ${DERIVATION_MISSING}`, true);
    const derived = deriveEd25519(v.key, context);
    return { material: derived, publicKey: ed25519PublicOf(derived) };
  }
  return { material: v.key };
}

/** A sign/verify item's input and (derived ed25519) context, decoded as Vault reports failures. */
function inputAndContext(item: SimpleItem): { input: Buffer; context: Buffer | undefined } {
  if (!hasField(item.fields, 'input')) throw new KeyOpError('missing input');
  const input = decodeStdBase64(itemString(item.fields, 'input'));
  if (typeof input === 'string') throw new KeyOpError(`unable to decode input as base64: ${input}`);
  const rawContext = itemString(item.fields, 'context');
  if (!rawContext) return { input, context: undefined };
  const context = decodeStdBase64(rawContext);
  if (typeof context === 'string') throw new KeyOpError('failed to base64-decode context');
  return { input, context };
}

function sign(ctx: HandlerContext): LogicalResponse {
  const d = ctx.data;
  const p = signParams(ctx);
  const key = keyOf(ctx);
  if (!key) throw userError('signing key not found');
  checkSignable(key, p, d.string('signature_algorithm'));
  const { items, batch } = simpleItems(ctx, () => ({ input: d.string('input'), context: d.string('context') }));
  audited(ctx, key, { hash_algorithm: p.hashName, batch_size: batch ? items.length : undefined });
  const requested = d.int('key_version');
  const results = items.map((item) => {
    const ref = itemString(item.fields, 'reference');
    try {
      const { input, context } = inputAndContext(item);
      // Errors from here on are keysutil's, returned as Go errors (not error responses) by Vault.
      try {
        const version = encryptionVersion(key, requested, 'signing');
        const v = versionOf(key, version)!;
        checkRsaOptions(key, p);
        const { material, publicKey } = signingKeyFor(key, v, context);
        const { message, opts } = nodeSignInput(key, p, input);
        const sig = signBytes(key.type, material, message, opts);
        const encoded = opts.marshaling === 'jws' && KEY_TYPES[key.type].family === 'ecdsa' ? sig.toString('base64url') : sig.toString('base64');
        return struct({ signature: prefixFor(version) + encoded, key_version: version, ...(publicKey ? { publickey: publicKey.toString('base64') } : {}), reference: ref });
      } catch (e) {
        if (e instanceof KeyOpError) {
          item.internal = true;
          item.error = e.message;
          return struct({ key_version: 0, error: e.message, reference: ref });
        }
        throw e;
      }
    } catch (e) {
      if (!(e instanceof KeyOpError)) throw e;
      item.error = e.message;
      return struct({ key_version: 0, error: e.message, reference: ref });
    }
  });
  if (!batch) {
    const item = items[0]!;
    if (item.error) throw item.internal ? new VaultError(500, [multierror(item.error)]) : userError(item.error);
    const r = results[0] as { signature: string; key_version: number; publickey?: string };
    return { data: { signature: r.signature, key_version: r.key_version, ...(r.publickey ? { public_key: r.publickey } : {}) } };
  }
  return { data: { batch_results: results } };
}

function verify(ctx: HandlerContext): LogicalResponse {
  const d = ctx.data;
  const { items, batch } = simpleItems(ctx, () => ({
    input: d.string('input'),
    ...(d.has('signature') ? { signature: d.string('signature') } : {}),
    ...(d.has('hmac') ? { hmac: d.string('hmac') } : {}),
    context: d.string('context'),
  }));
  let sigFound = false;
  let hmacFound = false;
  let missing = false;
  for (const it of items) {
    if (hasField(it.fields, 'signature')) sigFound = true;
    else if (hasField(it.fields, 'hmac')) hmacFound = true;
    else missing = true;
  }
  if (!batch && sigFound && hmacFound) throw userError("provide one of 'signature' or 'hmac'");
  if (!batch && !sigFound && !hmacFound) throw userError("neither a 'signature' nor an 'hmac' were given to verify");
  if (sigFound && hmacFound) throw userError("elements of batch_input must all provide 'signature' or all provide 'hmac'");
  if (missing && sigFound) throw userError("some elements of batch_input are missing 'signature'");
  if (missing && hmacFound) throw userError("some elements of batch_input are missing 'hmac'");
  if (missing) throw userError("no batch_input elements have 'signature' or 'hmac'");
  if (hmacFound) {
    const key = keyOf(ctx);
    if (!key) throw userError('encryption key not found');
    audited(ctx, key, { verify: 'hmac', batch_size: batch ? items.length : undefined });
    return hmacVerify(ctx, key, items, batch);
  }
  const p = signParams(ctx);
  const key = keyOf(ctx);
  if (!key) throw userError('signature verification key not found');
  checkSignable(key, p, d.string('signature_algorithm'));
  audited(ctx, key, { verify: 'signature', hash_algorithm: p.hashName, batch_size: batch ? items.length : undefined });
  const results = items.map((item) => {
    const ref = itemString(item.fields, 'reference');
    try {
      const { input, context } = inputAndContext(item);
      const given = itemString(item.fields, 'signature');
      if (!given.startsWith('vault:v')) throw new KeyOpError('invalid signature: no prefix');
      const { version, body } = splitVersioned(key, given, 'signature');
      const jws = p.opts.marshaling === 'jws';
      const sigBytes = jws ? (/^[A-Za-z0-9_-]*$/.test(body) ? Buffer.from(body, 'base64url') : undefined) : decodeStdBase64(body);
      if (sigBytes === undefined || typeof sigBytes === 'string') throw new KeyOpError('invalid base64 signature value');
      checkRsaOptions(key, p);
      const v = versionOf(key, version);
      if (!v) throw new KeyOpError('no such key version');
      const { material } = signingKeyFor(key, v, context);
      const { message, opts } = nodeSignInput(key, p, input);
      return struct({ valid: verifyBytes(key.type, material, message, sigBytes, opts), reference: ref });
    } catch (e) {
      if (!(e instanceof KeyOpError)) throw e;
      item.error = e.message;
      item.internal = e.internal;
      return struct({ valid: false, error: e.message, reference: ref });
    }
  });
  if (!batch) {
    const item = items[0]!;
    if (item.error) throw item.internal ? new VaultError(500, [multierror(item.error)]) : userError(item.error);
    return { data: { valid: (results[0] as { valid: boolean }).valid } };
  }
  return { data: { batch_results: results } };
}

const name = `(?<name>${NAME})`;
/** What sign and verify both take. */
const SIGNATURE_FIELDS: Schema = {
  name: 'string',
  input: 'string',
  context: 'string',
  hash_algorithm: { type: 'string', default: 'sha2-256' },
  algorithm: 'string',
  urlalgorithm: 'string',
  prehashed: 'bool',
  signature_algorithm: 'string',
  marshaling_algorithm: { type: 'string', default: 'asn1' },
  salt_length: { type: 'string', default: 'auto' },
  batch_input: 'raw',
};

export const SIGNING_ENDPOINTS: Endpoint[] = [
  {
    event: 'transit/hmac',
    pattern: new RegExp(`^hmac/${name}(?:/(?<urlalgorithm>[^/]+))?$`),
    fields: { name: 'string', input: 'string', algorithm: { type: 'string', default: 'sha2-256' }, urlalgorithm: 'string', key_version: 'int', batch_input: 'raw' },
    ops: { update: hmacGenerate },
  },
  {
    event: 'transit/sign',
    pattern: new RegExp(`^sign/${name}(?:/(?<urlalgorithm>[^/]+))?$`),
    fields: { ...SIGNATURE_FIELDS, key_version: 'int' },
    ops: { update: sign },
  },
  {
    event: 'transit/verify',
    pattern: new RegExp(`^verify/${name}(?:/(?<urlalgorithm>[^/]+))?$`),
    fields: { ...SIGNATURE_FIELDS, signature: 'string', hmac: 'string' },
    ops: { update: verify },
  },
];
