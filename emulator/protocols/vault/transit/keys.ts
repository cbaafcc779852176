/**
 * Transit keys ("policies" in Vault's keysutil): a named key with numbered versions and the
 * settings that govern them. Records are immutable: every change builds a new record, so a change
 * can be persisted before it is applied and nothing is half-done when persisting fails.
 *
 * Versions start at 1. Versions below `min_decryption_version` are archived: they stay stored,
 * read-key and export stop showing them and decrypt/verify refuse them; lowering the minimum brings
 * them back. Only `trim` (min_available_version) destroys versions.
 */
import { KeyOpError } from '../errors.js';
import { formattedPublicKey, generateMaterial, KEY_TYPES, supports, type TransitKeyType } from './crypto.js';

export interface KeyVersion {
  version: number;
  /** Emulator time of creation, ms. */
  createdAt: number;
  /** AES/ChaCha/HMAC: the raw key; Ed25519: seed ‖ public key (Go's layout); ECDSA/RSA: PKCS#8 DER. */
  key: Buffer;
  /** The version's own HMAC key (32 bytes), used by the hmac endpoint; the key itself for `hmac` keys. */
  hmacKey: Buffer;
}

export interface TransitKey {
  name: string;
  type: TransitKeyType;
  derived: boolean;
  convergent: boolean;
  exportable: boolean;
  allowPlaintextBackup: boolean;
  deletionAllowed: boolean;
  minDecryptionVersion: number;
  minEncryptionVersion: number;
  minAvailableVersion: number;
  latestVersion: number;
  /** Seconds; 0 = no automatic rotation. */
  autoRotatePeriod: number;
  /** HMAC keys only: bytes. */
  keySize?: number;
  /** Every stored version (archived ones included), ascending. */
  versions: KeyVersion[];
}

export interface NewKeyOptions {
  type: TransitKeyType;
  derived?: boolean;
  convergent?: boolean;
  exportable?: boolean;
  allowPlaintextBackup?: boolean;
  autoRotatePeriod?: number;
  keySize?: number;
}

export function newKey(name: string, o: NewKeyOptions, now: number): TransitKey {
  const material = generateMaterial(o.type, o.keySize);
  return {
    name,
    type: o.type,
    derived: o.derived ?? false,
    convergent: o.convergent ?? false,
    exportable: o.exportable ?? false,
    allowPlaintextBackup: o.allowPlaintextBackup ?? false,
    deletionAllowed: false,
    minDecryptionVersion: 1,
    minEncryptionVersion: 0,
    minAvailableVersion: 0,
    latestVersion: 1,
    autoRotatePeriod: o.autoRotatePeriod ?? 0,
    ...(o.type === 'hmac' ? { keySize: o.keySize ?? 32 } : {}),
    versions: [{ version: 1, createdAt: now, ...material }],
  };
}

export function rotated(k: TransitKey, now: number): TransitKey {
  const version = k.latestVersion + 1;
  return { ...k, latestVersion: version, versions: [...k.versions, { version, createdAt: now, ...generateMaterial(k.type, k.keySize) }] };
}

export function versionOf(k: TransitKey, version: number): KeyVersion | undefined {
  // Versions are dense from min_available_version (or 1) up to latest.
  const first = k.versions[0]?.version ?? 1;
  const v = k.versions[version - first];
  return v && v.version === version ? v : k.versions.find((x) => x.version === version);
}

/** When the key's automatic rotation falls due (ms), or undefined. */
export function rotationDueAt(k: TransitKey): number | undefined {
  if (k.autoRotatePeriod <= 0) return undefined;
  const latest = versionOf(k, k.latestVersion);
  return latest ? latest.createdAt + k.autoRotatePeriod * 1000 : undefined;
}

/** The version an encrypt/sign/hmac uses, checked as keysutil checks it. */
export function encryptionVersion(k: TransitKey, requested: number, what: 'encryption' | 'signing'): number {
  if (requested === 0) return k.latestVersion;
  if (requested < 0) throw new KeyOpError(`requested version for ${what} is negative`);
  if (requested > k.latestVersion) throw new KeyOpError(`requested version for ${what} is higher than the latest key version`);
  if (k.minEncryptionVersion > 0 && requested < k.minEncryptionVersion) throw new KeyOpError(`requested version for ${what} is less than the minimum encryption key version`);
  return requested;
}

export const ERR_TOO_OLD = 'ciphertext or signature version is disallowed by policy (too old)';

/**
 * Splits `vault:v<N>:<body>` as keysutil does (the prefix is fixed; the version ends at the next `:`).
 * `noun` is `ciphertext` or `signature`, as in Vault's messages.
 */
export function splitVersioned(k: TransitKey, value: string, noun: 'ciphertext' | 'signature'): { version: number; body: string } {
  if (!value.startsWith('vault:v')) throw new KeyOpError(`invalid ${noun}: no prefix`);
  const rest = value.slice('vault:v'.length);
  const colon = rest.indexOf(':');
  if (colon < 0) throw new KeyOpError(`invalid ${noun}: wrong number of fields`);
  const vText = rest.slice(0, colon);
  if (!/^[+-]?\d+$/.test(vText)) throw new KeyOpError(`invalid ${noun}: version number could not be decoded`);
  let version = Number(vText);
  if (version === 0 && noun === 'ciphertext') version = 1;
  if (version > k.latestVersion) throw new KeyOpError(`invalid ${noun}: version is too new`);
  if (k.minDecryptionVersion > 0 && version < k.minDecryptionVersion) throw new KeyOpError(ERR_TOO_OLD);
  return { version, body: rest.slice(colon + 1) };
}

export const prefixFor = (version: number): string => `vault:v${version}:`;

/** Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed). */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

/** The read-key answer (`formatKeyPolicy`), archived versions left out. */
export function describeKey(k: TransitKey, derivedPublicKey?: (v: KeyVersion) => string): Record<string, unknown> {
  const info = KEY_TYPES[k.type];
  const data: Record<string, unknown> = {
    name: k.name,
    type: k.type,
    derived: k.derived,
    deletion_allowed: k.deletionAllowed,
    min_available_version: k.minAvailableVersion,
    min_decryption_version: k.minDecryptionVersion,
    min_encryption_version: k.minEncryptionVersion,
    latest_version: k.latestVersion,
    exportable: k.exportable,
    allow_plaintext_backup: k.allowPlaintextBackup,
    supports_encryption: supports.encryption(k.type),
    supports_decryption: supports.encryption(k.type),
    supports_signing: supports.signing(k.type),
    supports_derivation: supports.derivation(k.type),
    auto_rotate_period: k.autoRotatePeriod,
    imported_key: false,
  };
  if (k.keySize !== undefined) data.key_size = k.keySize;
  if (k.derived) {
    data.kdf = 'hkdf_sha256';
    data.convergent_encryption = k.convergent;
    if (k.convergent) data.convergent_encryption_version = 3;
  }
  const live = k.versions.filter((v) => v.version >= k.minDecryptionVersion);
  if (info.family === 'aead' || info.family === 'hmac') {
    data.keys = Object.fromEntries(live.map((v) => [String(v.version), Math.floor(v.createdAt / 1000)]));
  } else {
    const name = info.family === 'ecdsa' ? info.curve! : k.type;
    data.keys = Object.fromEntries(
      live.map((v) => [
        String(v.version),
        {
          name,
          public_key: info.family === 'ed25519' && k.derived ? (derivedPublicKey ? derivedPublicKey(v) : '') : formattedPublicKey(k.type, v.key),
          certificate_chain: '',
          creation_time: rfc3339Nano(v.createdAt),
        },
      ]),
    );
  }
  return data;
}
