/** Grant rules shared by the grant operations. */
import { randomBytes } from 'node:crypto';
import type { EncryptionContext } from '../crypto/index.js';
import { contextIncludes } from './authz.js';
import { KmsError } from './errors.js';
import type { GrantConstraints, GrantRecord, KeyRecord } from './store.js';

/** Operations a grant may allow, by key usage (AWS rejects the others for that key type). */
const OPS_BY_USAGE: Record<string, string[]> = {
  SYMMETRIC: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'],
  ENCRYPT_DECRYPT: ['Decrypt', 'Encrypt', 'ReEncryptFrom', 'ReEncryptTo', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GetPublicKey'],
  SIGN_VERIFY: ['Sign', 'Verify', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GetPublicKey'],
  GENERATE_VERIFY_MAC: ['GenerateMac', 'VerifyMac', 'CreateGrant', 'RetireGrant', 'DescribeKey'],
  KEY_AGREEMENT: ['DeriveSharedSecret', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GetPublicKey'],
};
/** Grant operations without an encryption context: a grant with EC constraints cannot include them. */
const NO_CONTEXT_OPS = new Set(['DescribeKey', 'GetPublicKey', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret']);

export function validateGrantOperations(key: KeyRecord, operations: string[], constraints: GrantConstraints | undefined): void {
  const allowed = OPS_BY_USAGE[key.spec === 'SYMMETRIC_DEFAULT' ? 'SYMMETRIC' : key.usage] ?? [];
  const bad = operations.filter((o) => !allowed.includes(o));
  if (bad.length) throw new KmsError('ValidationException', `Grant operations [${bad.join(', ')}] are not valid for ${key.arn}, a ${key.spec} key with KeyUsage ${key.usage}.`);
  if (operations.length === 0) throw new KmsError('ValidationException', '1 validation error detected: Value \'[]\' at \'operations\' failed to satisfy constraint: Member must have length greater than or equal to 1');
  if (constraints && (constraints.EncryptionContextEquals || constraints.EncryptionContextSubset)) {
    if (key.spec !== 'SYMMETRIC_DEFAULT') throw new KmsError('ValidationException', `Encryption context grant constraints are valid only for symmetric encryption KMS keys; ${key.arn} is ${key.spec}.`);
    const noCtx = operations.filter((o) => NO_CONTEXT_OPS.has(o));
    if (noCtx.length) throw new KmsError('ValidationException', `Encryption context grant constraints cannot be used with the grant operations [${noCtx.join(', ')}], which take no encryption context.`);
  }
}

const sameContext = (a: EncryptionContext | undefined, b: EncryptionContext | undefined): boolean => {
  const ak = Object.keys(a ?? {});
  return ak.length === Object.keys(b ?? {}).length && ak.every((k) => (a ?? {})[k] === (b ?? {})[k]);
};
const includes = contextIncludes;

/** Is a new grant (operations + constraints) at least as constrained as its parent grant? */
export function atLeastAsConstrained(parent: GrantRecord, operations: string[], constraints: GrantConstraints | undefined): boolean {
  if (!operations.every((o) => parent.operations.includes(o))) return false;
  const pc = parent.constraints;
  if (!pc) return true;
  if (pc.EncryptionContextEquals) return sameContext(constraints?.EncryptionContextEquals, pc.EncryptionContextEquals) && !constraints?.EncryptionContextSubset;
  if (pc.EncryptionContextSubset) {
    const s = pc.EncryptionContextSubset;
    if (constraints?.EncryptionContextEquals) return includes(constraints.EncryptionContextEquals, s);
    if (constraints?.EncryptionContextSubset) return includes(constraints.EncryptionContextSubset, s);
    return false;
  }
  return true;
}

export function sameGrantParameters(g: GrantRecord, grantee: string, retiring: string | undefined, operations: string[], constraints: GrantConstraints | undefined): boolean {
  const ops = new Set(operations);
  return (
    g.granteePrincipal === grantee &&
    g.retiringPrincipal === retiring &&
    g.operations.length === ops.size &&
    g.operations.every((o) => ops.has(o)) &&
    sameContext(g.constraints?.EncryptionContextEquals, constraints?.EncryptionContextEquals) &&
    sameContext(g.constraints?.EncryptionContextSubset, constraints?.EncryptionContextSubset) &&
    (g.constraints?.EncryptionContextEquals === undefined) === (constraints?.EncryptionContextEquals === undefined) &&
    (g.constraints?.EncryptionContextSubset === undefined) === (constraints?.EncryptionContextSubset === undefined)
  );
}

export const newGrantId = (): string => randomBytes(32).toString('hex');
/** Grant tokens: 96 random bytes, base64url. Unguessable, so presenting one proves the grant was issued. */
export const newGrantToken = (): string => randomBytes(96).toString('base64url');

export const GRANT_ID = /^[0-9a-f]{64}$/;

export function grantListEntry(key: KeyRecord, g: GrantRecord): Record<string, unknown> {
  return {
    KeyId: key.arn,
    GrantId: g.grantId,
    ...(g.name !== undefined ? { Name: g.name } : {}),
    CreationDate: new Date(g.createdAt),
    GranteePrincipal: g.granteePrincipal,
    ...(g.retiringPrincipal !== undefined ? { RetiringPrincipal: g.retiringPrincipal } : {}),
    IssuingAccount: g.issuingAccount,
    Operations: g.operations,
    ...(g.constraints ? { Constraints: g.constraints } : {}),
  };
}
