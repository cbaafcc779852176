/**
 * Transit key management: create, read, list, delete, configure (versions, archiving, deletion,
 * export, automatic rotation), rotate, trim and export, as Vault's path_keys*.go, path_rotate.go,
 * path_trim.go and path_export.go answer.
 */

import { internalError, userError } from '../errors.js';
import type { LogicalResponse } from '../envelope.js';
import { NAME, type Endpoint, type HandlerContext } from '../endpoint.js';
import { decodeStdBase64 } from '../params.js';
import { HMAC_MAX_KEY_SIZE, HMAC_MIN_KEY_SIZE, KEY_TYPES, deriveEd25519, ed25519PublicOf, exportPrivate, formattedPublicKey, hmac, supports, type TransitKeyType } from './crypto.js';
import { describeKey, newKey, rotated, type KeyVersion, type TransitKey } from './keys.js';
import { audited, keyOf, mountOf, saveKey } from './request.js';

const KEY_CREATE_TYPES = new Set<string>(Object.keys(KEY_TYPES));

function createKey(ctx: HandlerContext): LogicalResponse {
  const d = ctx.data;
  const name = d.string('name');
  const derived = d.bool('derived');
  const convergent = d.bool('convergent_encryption');
  const type = d.string('type');
  const keySize = d.int('key_size');
  const autoRotatePeriod = d.int('auto_rotate_period');
  if (autoRotatePeriod !== 0 && autoRotatePeriod < 3600) throw userError('auto rotate period must be 0 to disable or at least an hour');
  if (!derived && convergent) throw userError('convergent encryption requires derivation to be enabled');
  if (!KEY_CREATE_TYPES.has(type)) throw userError(`unknown key type ${type}`);
  const keyType = type as TransitKeyType;
  if (keySize !== 0) {
    if (keyType !== 'hmac') throw userError(`key_size is not valid for algorithm ${keyType}`);
    if (keySize < HMAC_MIN_KEY_SIZE || keySize > HMAC_MAX_KEY_SIZE) throw userError(`invalid key_size ${keySize}`);
  }
  const existing = keyOf(ctx);
  if (existing) {
    audited(ctx, existing);
    return { data: describeKey(existing), warnings: [`key ${name} already existed`] };
  }
  checkDerivable(keyType, derived, convergent);
  const key = newKey(name, { type: keyType, derived, convergent, exportable: d.bool('exportable'), allowPlaintextBackup: d.bool('allow_plaintext_backup'), autoRotatePeriod, ...(keyType === 'hmac' ? { keySize: keySize || 32 } : {}) }, ctx.now);
  saveKey(ctx, key);
  audited(ctx, key, { derived, exportable: key.exportable });
  return { data: describeKey(key) };
}

/** lock_manager's per-type checks on a new key (plain Go errors: 500). */
function checkDerivable(type: TransitKeyType, derived: boolean, convergent: boolean): void {
  const family = KEY_TYPES[type].family;
  if (family === 'ed25519' && convergent) throw internalError(`convergent encryption not supported for keys of type ${type}`);
  if ((family === 'ecdsa' || family === 'rsa' || family === 'hmac') && (derived || convergent)) throw internalError(`key derivation and convergent encryption not supported for keys of type ${type}`);
}

function readKey(ctx: HandlerContext): LogicalResponse | null {
  const key = keyOf(ctx);
  if (!key) return null;
  audited(ctx, key);
  let context: Buffer | undefined;
  const raw = ctx.data.string('context');
  if (raw) {
    const r = decodeStdBase64(raw);
    if (typeof r === 'string') throw userError('failed to base64-decode context');
    context = r;
  }
  return { data: describeKey(key, context ? (v) => ed25519PublicOf(deriveEd25519(v.key, context!)).toString('base64') : undefined) };
}

function listKeys(ctx: HandlerContext): LogicalResponse | null {
  const names = [...mountOf(ctx).keys.keys()].sort();
  return names.length ? { data: { keys: names } } : null;
}

function deleteKey(ctx: HandlerContext): null {
  const name = ctx.data.string('name');
  const key = keyOf(ctx);
  if (!key) throw userError(`error deleting policy ${name}: could not delete key; not found`);
  audited(ctx, key);
  if (!key.deletionAllowed) throw userError(`error deleting policy ${name}: deletion is not allowed for this key`);
  ctx.commit([{ kind: 'delete-transit-key', mount: mountOf(ctx).record.path, name }]);
  return null;
}

function configKey(ctx: HandlerContext): LogicalResponse {
  const d = ctx.data;
  const name = d.string('name');
  const key = keyOf(ctx);
  if (!key) throw userError(`no existing key named ${name} could be found`);
  audited(ctx, key);
  const next: TransitKey = { ...key };
  const warnings: string[] = [];
  if (d.has('min_decryption_version')) {
    let min = d.int('min_decryption_version');
    if (min < 0) throw userError('min decryption version cannot be negative');
    if (min === 0) {
      min = 1;
      warnings.push('since Vault 0.3, transit key numbering starts at 1; forcing minimum to 1');
    }
    if (min !== next.minDecryptionVersion) {
      if (min > next.latestVersion) throw userError(`cannot set min decryption version of ${min}, latest key version is ${next.latestVersion}`);
      next.minDecryptionVersion = min;
    }
  }
  if (d.has('min_encryption_version')) {
    const min = d.int('min_encryption_version');
    if (min < 0) throw userError('min encryption version cannot be negative');
    if (min !== next.minEncryptionVersion) {
      if (min > next.latestVersion) throw userError(`cannot set min encryption version of ${min}, latest key version is ${next.latestVersion}`);
      next.minEncryptionVersion = min;
    }
  }
  if (next.minEncryptionVersion > 0 && next.minEncryptionVersion < next.minDecryptionVersion) {
    throw userError(`cannot set min encryption/decryption values; min encryption version of ${next.minEncryptionVersion} must be greater than or equal to min decryption version of ${next.minDecryptionVersion}`);
  }
  if (d.has('deletion_allowed')) next.deletionAllowed = d.bool('deletion_allowed');
  // exportable and allow_plaintext_backup can only be switched on.
  if (d.has('exportable') && d.bool('exportable')) next.exportable = true;
  if (d.has('allow_plaintext_backup') && d.bool('allow_plaintext_backup')) next.allowPlaintextBackup = true;
  if (d.has('auto_rotate_period')) {
    const period = d.int('auto_rotate_period');
    if (period !== 0 && period < 3600) throw userError('auto rotate period must be 0 to disable or at least an hour');
    next.autoRotatePeriod = period;
  }
  const changed = (Object.keys(next) as Array<keyof TransitKey>).some((k) => next[k] !== key[k]);
  if (changed) {
    if (next.minAvailableVersion > next.minEncryptionVersion) throw userError('min encryption version should not be less than min available version');
    if (next.minAvailableVersion > next.minDecryptionVersion) throw userError('min decryption version should not be less then min available version');
    saveKey(ctx, next);
  }
  Object.assign(ctx.audit.params, { min_decryption_version: next.minDecryptionVersion, min_encryption_version: next.minEncryptionVersion, deletion_allowed: next.deletionAllowed });
  return { data: describeKey(next), ...(warnings.length ? { warnings } : {}) };
}

function rotateKey(ctx: HandlerContext): LogicalResponse {
  const key = keyOf(ctx);
  if (!key) throw userError('key not found');
  const next = rotated(key, ctx.now);
  saveKey(ctx, next);
  audited(ctx, next, { latest_version: next.latestVersion });
  return { data: describeKey(next) };
}

function trimKey(ctx: HandlerContext): LogicalResponse {
  const key = keyOf(ctx);
  if (!key) throw userError('invalid key name');
  audited(ctx, key);
  if (!ctx.data.has('min_available_version')) throw userError('missing min_available_version');
  const min = ctx.data.int('min_available_version');
  if (min < key.minAvailableVersion) throw userError('minimum available version cannot be decremented');
  if (key.minEncryptionVersion === 0) throw userError('minimum available version cannot be set when minimum encryption version is not set');
  if (key.minDecryptionVersion === 0) throw userError('minimum available version cannot be set when minimum decryption version is not set');
  if (min > key.minEncryptionVersion) throw userError('minimum available version cannot be greater than minmum encryption version');
  if (min > key.minDecryptionVersion) throw userError('minimum available version cannot be greater than minimum decryption version');
  if (min < 0) throw userError('minimum available version cannot be negative');
  if (min === 0) throw userError('minimum available version should be positive');
  const next: TransitKey = { ...key, minAvailableVersion: min, versions: key.versions.filter((v) => v.version >= min) };
  if (min !== key.minAvailableVersion) saveKey(ctx, next);
  return { data: describeKey(next) };
}

const EXPORT_TYPES = new Set(['encryption-key', 'signing-key', 'hmac-key', 'public-key', 'certificate-chain']);

function exportKey(ctx: HandlerContext): LogicalResponse | null {
  const d = ctx.data;
  const exportType = d.string('type');
  if (!EXPORT_TYPES.has(exportType)) throw userError(`invalid export type: ${exportType}`);
  const key = keyOf(ctx);
  if (!key) return null;
  audited(ctx, key, { export_type: exportType });
  if (!key.exportable && exportType !== 'public-key' && exportType !== 'certificate-chain') throw userError('private key material is not exportable');
  const family = KEY_TYPES[key.type].family;
  if (exportType === 'encryption-key' && !supports.encryption(key.type)) throw userError('encryption not supported for the key');
  if (exportType === 'signing-key' && !supports.signing(key.type)) throw userError('signing not supported for the key');
  if (exportType === 'certificate-chain') {
    if (!supports.signing(key.type)) throw userError('certificate chain not supported for keys that do not support signing');
    throw internalError('selected key version does not have a certificate chain imported');
  }
  const one = (v: KeyVersion): string => {
    if (exportType === 'hmac-key') return v.hmacKey.toString('base64');
    if (exportType === 'public-key') {
      if (family !== 'ed25519' && family !== 'ecdsa' && family !== 'rsa') throw internalError(`unknown key type ${key.type} for export type ${exportType}`);
      return formattedPublicKey(key.type, v.key);
    }
    return exportPrivate(key.type, v.key);
  };
  const live = key.versions.filter((v) => v.version >= key.minDecryptionVersion);
  const keys: Record<string, string> = {};
  const version = d.string('version');
  if (version === '') for (const v of live) keys[String(v.version)] = one(v);
  else {
    let n: number;
    if (version === 'latest') n = key.latestVersion;
    else {
      const t = version.replace(/^v/, '');
      if (!/^[+-]?\d+$/.test(t)) throw userError('invalid key version');
      n = Number(t);
    }
    if (n < key.minDecryptionVersion) throw userError('version for export is below minimum decryption version');
    const v = live.find((x) => x.version === n);
    if (!v) throw userError('version does not exist or cannot be found');
    keys[String(n)] = one(v);
  }
  return { data: { name: key.name, type: key.type, keys } };
}

const name = `(?<name>${NAME})`;

export const KEY_ENDPOINTS: Endpoint[] = [
  { event: 'transit/keys', pattern: /^keys\/?$/, fields: { after: 'string', limit: 'int' }, ops: { list: listKeys } },
  {
    event: 'transit/keys',
    pattern: new RegExp(`^keys/${name}$`),
    fields: {
      name: 'string',
      type: { type: 'string', default: 'aes256-gcm96' },
      derived: 'bool',
      convergent_encryption: 'bool',
      exportable: 'bool',
      allow_plaintext_backup: 'bool',
      auto_rotate_period: 'duration',
      key_size: 'int',
      context: 'string',
      managed_key_name: 'string',
      managed_key_id: 'string',
    },
    ops: { update: createKey, read: readKey, delete: deleteKey },
  },
  {
    event: 'transit/keys/config',
    pattern: new RegExp(`^keys/${name}/config$`),
    fields: { name: 'string', min_decryption_version: 'int', min_encryption_version: 'int', deletion_allowed: 'bool', exportable: 'bool', allow_plaintext_backup: 'bool', auto_rotate_period: 'duration' },
    ops: { update: configKey },
  },
  { event: 'transit/keys/rotate', pattern: new RegExp(`^keys/${name}/rotate$`), fields: { name: 'string', managed_key_name: 'string', managed_key_id: 'string' }, ops: { update: rotateKey } },
  { event: 'transit/keys/trim', pattern: new RegExp(`^keys/${name}/trim$`), fields: { name: 'string', min_available_version: 'int' }, ops: { update: trimKey } },
  {
    event: 'transit/export',
    pattern: new RegExp(`^export/(?<type>[^/]+)/${name}(?:/(?<version>[^/]+))?$`),
    fields: { type: 'string', name: 'string', version: 'string' },
    ops: { read: exportKey },
  },
];
