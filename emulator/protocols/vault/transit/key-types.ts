/**
 * The Transit key types and what each supports (Vault's KeyType methods), as data: the state file
 * loader needs this at start-up, without the cryptography.
 */

export type TransitKeyType =
  | 'aes128-gcm96'
  | 'aes256-gcm96'
  | 'chacha20-poly1305'
  | 'ed25519'
  | 'ecdsa-p256'
  | 'ecdsa-p384'
  | 'ecdsa-p521'
  | 'rsa-2048'
  | 'rsa-3072'
  | 'rsa-4096'
  | 'hmac';

export interface KeyTypeInfo {
  family: 'aead' | 'ed25519' | 'ecdsa' | 'rsa' | 'hmac';
  /** AEAD key bytes. */
  keyBytes?: number;
  curve?: 'P-256' | 'P-384' | 'P-521';
  rsaBits?: number;
}

export const KEY_TYPES: Record<TransitKeyType, KeyTypeInfo> = {
  'aes128-gcm96': { family: 'aead', keyBytes: 16 },
  'aes256-gcm96': { family: 'aead', keyBytes: 32 },
  'chacha20-poly1305': { family: 'aead', keyBytes: 32 },
  ed25519: { family: 'ed25519' },
  'ecdsa-p256': { family: 'ecdsa', curve: 'P-256' },
  'ecdsa-p384': { family: 'ecdsa', curve: 'P-384' },
  'ecdsa-p521': { family: 'ecdsa', curve: 'P-521' },
  'rsa-2048': { family: 'rsa', rsaBits: 2048 },
  'rsa-3072': { family: 'rsa', rsaBits: 3072 },
  'rsa-4096': { family: 'rsa', rsaBits: 4096 },
  hmac: { family: 'hmac' },
};

export const isKeyType = (t: string): t is TransitKeyType => Object.prototype.hasOwnProperty.call(KEY_TYPES, t);

/** Vault's KeyType capability methods. */
export const supports = {
  encryption: (t: TransitKeyType) => KEY_TYPES[t].family === 'aead' || KEY_TYPES[t].family === 'rsa',
  signing: (t: TransitKeyType) => ['ed25519', 'ecdsa', 'rsa'].includes(KEY_TYPES[t].family),
  derivation: (t: TransitKeyType) => KEY_TYPES[t].family === 'aead' || KEY_TYPES[t].family === 'ed25519',
  associatedData: (t: TransitKeyType) => KEY_TYPES[t].family === 'aead',
  hashesSignatureInput: (t: TransitKeyType) => KEY_TYPES[t].family === 'ecdsa' || KEY_TYPES[t].family === 'rsa',
};

export const HMAC_MIN_KEY_SIZE = 32;
export const HMAC_MAX_KEY_SIZE = 512;
