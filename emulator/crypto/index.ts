/**
 * The emulator's cryptography, on node:crypto only: kmskit's ciphertext blob format (blob.ts), key
 * specs and material (key-specs.ts), RSA encryption, signing (Ed25519ph in ed25519ph.ts), HMAC, ECDH
 * key agreement, unwrapping imported key material, and sealing under the domain key.
 */
export * from './blob.js';
export * from './key-specs.js';
export * from './rsa.js';
export * from './signing.js';
export * from './hmac.js';
export * from './seal.js';
export * from './key-agreement.js';
export * from './import-wrapping.js';
