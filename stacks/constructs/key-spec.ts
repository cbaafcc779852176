/**
 * Key specs and key usages as AWS KMS accepts them ("Key spec reference", AWS KMS Developer Guide),
 * and the user action set each kind of key gets. Pure data; no cdktf.
 */
import {
  ASYMMETRIC_ENCRYPT_USER_ACTIONS,
  HMAC_USER_ACTIONS,
  SIGN_VERIFY_USER_ACTIONS,
  SYMMETRIC_USER_ACTIONS,
} from '../../policies/perms.js';
import { StackPropError, show } from './common.js';

/** The key usages KMS defines. */
export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
/** A KMS key usage (`ENCRYPT_DECRYPT`, `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`, `KEY_AGREEMENT`). */
export type KeyUsage = (typeof KEY_USAGES)[number];

/** Every key spec with the usages AWS allows for it; the first usage is this project's default. */
export const KEY_SPEC_USAGES = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_SECG_P256K1: ['SIGN_VERIFY'],
  ECC_NIST_EDWARDS25519: ['SIGN_VERIFY'],
  ML_DSA_44: ['SIGN_VERIFY'],
  ML_DSA_65: ['SIGN_VERIFY'],
  ML_DSA_87: ['SIGN_VERIFY'],
  HMAC_224: ['GENERATE_VERIFY_MAC'],
  HMAC_256: ['GENERATE_VERIFY_MAC'],
  HMAC_384: ['GENERATE_VERIFY_MAC'],
  HMAC_512: ['GENERATE_VERIFY_MAC'],
  // SM2 is available in the China Regions only; KEY_AGREEMENT too.
  SM2: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'KEY_AGREEMENT'],
} as const satisfies Record<string, readonly KeyUsage[]>;
/** A KMS key spec (`SYMMETRIC_DEFAULT`, `RSA_2048`, `ECC_NIST_P256`, `HMAC_256`, ...). */
export type KeySpec = keyof typeof KEY_SPEC_USAGES;

/** Checks a spec×usage pair and fills in the default usage. */
export function resolveKeySpec(keySpec: unknown, keyUsage: unknown): { keySpec: KeySpec; keyUsage: KeyUsage } {
  const spec = keySpec ?? 'SYMMETRIC_DEFAULT';
  if (typeof spec !== 'string' || !Object.hasOwn(KEY_SPEC_USAGES, spec)) {
    throw new StackPropError(`keySpec must be one of ${Object.keys(KEY_SPEC_USAGES).join(', ')}, got ${show(keySpec)}`);
  }
  const allowed: readonly KeyUsage[] = KEY_SPEC_USAGES[spec as KeySpec];
  const usage = keyUsage ?? allowed[0];
  if (typeof usage !== 'string' || !(KEY_USAGES as readonly string[]).includes(usage)) {
    throw new StackPropError(`keyUsage must be one of ${KEY_USAGES.join(', ')}, got ${show(keyUsage)}`);
  }
  if (!allowed.includes(usage as KeyUsage)) {
    throw new StackPropError(`keyUsage ${show(usage)} is not valid for keySpec ${show(spec)}; allowed: ${allowed.join(', ')}`);
  }
  return { keySpec: spec as KeySpec, keyUsage: usage as KeyUsage };
}

/** Symmetric encryption keys are the only ones KMS rotates automatically. */
export function isSymmetric(spec: KeySpec): boolean {
  return spec === 'SYMMETRIC_DEFAULT';
}

/** The action set users of a key of this kind get (policies/perms.ts). KEY_AGREEMENT has none. */
export function userActionsFor(spec: KeySpec, usage: KeyUsage): readonly string[] | undefined {
  if (spec === 'SYMMETRIC_DEFAULT') return SYMMETRIC_USER_ACTIONS;
  switch (usage) {
    case 'GENERATE_VERIFY_MAC':
      return HMAC_USER_ACTIONS;
    case 'SIGN_VERIFY':
      return SIGN_VERIFY_USER_ACTIONS;
    case 'ENCRYPT_DECRYPT':
      return ASYMMETRIC_ENCRYPT_USER_ACTIONS;
    case 'KEY_AGREEMENT':
      return undefined;
  }
}
