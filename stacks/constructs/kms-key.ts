/**
 * `KmsKey`: an `aws_kms_key` with secure defaults, a role-built key policy, aliases and grants.
 * The shape follows aws-cdk's `aws-kms` Key; invalid props throw at construct time, before any
 * resource exists, with the prop, the bad value and what is allowed.
 */
import { Construct, KmsKeyResource, Token } from '../provider.js';
import { StackPropError, checkIntRange, show } from './common.js';
import { KeyBase, type KeyPolicyProps, normalizeAliasName } from './key-base.js';
import { type KeySpec, type KeyUsage, isSymmetric, resolveKeySpec } from './key-spec.js';

/** Props of `KmsKey`: the key settings plus the role-based key policy props. */
export interface KmsKeyProps extends KeyPolicyProps {
  /** @default none */
  readonly description?: string;
  /** @default SYMMETRIC_DEFAULT */
  readonly keySpec?: KeySpec;
  /**
   * Must suit the key spec: SYMMETRIC_DEFAULT → ENCRYPT_DECRYPT; RSA_* → ENCRYPT_DECRYPT or
   * SIGN_VERIFY; ECC_NIST_P* → SIGN_VERIFY or KEY_AGREEMENT; ECC_SECG_P256K1, ECC_NIST_EDWARDS25519,
   * ML_DSA_* → SIGN_VERIFY; HMAC_* → GENERATE_VERIFY_MAC; SM2 → SIGN_VERIFY, ENCRYPT_DECRYPT or KEY_AGREEMENT.
   * @default the first of those for the spec (ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC)
   */
  readonly keyUsage?: KeyUsage;
  /**
   * Automatic rotation. Only symmetric encryption keys rotate; asking for it on another key throws.
   * @default true for SYMMETRIC_DEFAULT, false otherwise
   */
  readonly enableKeyRotation?: boolean;
  /** Days between automatic rotations, 90–2560. Only with rotation. @default 365 */
  readonly rotationPeriodInDays?: number;
  /** Waiting period before deletion, 7–30 days. @default 30 */
  readonly deletionWindowInDays?: number;
  /** A multi-Region primary key. @default false */
  readonly multiRegion?: boolean;
  /** Aliases; `alias/` is added when missing, `alias/aws/` is rejected. @default none */
  readonly aliases?: readonly string[];
  /** Tags on the key (on top of the provider's default tags). @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default true */
  readonly isEnabled?: boolean;
}

/** KmsKey's defaults for the props it does not derive from the key spec. */
export const KMS_KEY_DEFAULTS = Object.freeze({
  keySpec: 'SYMMETRIC_DEFAULT' as KeySpec,
  rotationPeriodInDays: 365,
  deletionWindowInDays: 30,
  multiRegion: false,
  bypassPolicyLockoutSafetyCheck: false,
});

interface ValidatedKeyProps {
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  rotation: boolean;
  rotationPeriodInDays: number | undefined;
  deletionWindowInDays: number;
  aliases: string[];
}

function validate(props: KmsKeyProps): ValidatedKeyProps {
  if (typeof props !== 'object' || props === null) throw new StackPropError(`KmsKey props must be an object, got ${show(props)}`);
  const { keySpec, keyUsage } = resolveKeySpec(props.keySpec, props.keyUsage);
  for (const flag of ['enableKeyRotation', 'multiRegion', 'bypassPolicyLockoutSafetyCheck', 'isEnabled'] as const) {
    const v = props[flag];
    if (v !== undefined && typeof v !== 'boolean' && !Token.isUnresolved(v)) throw new StackPropError(`${flag} must be true or false, got ${show(v)}`);
  }
  const symmetric = isSymmetric(keySpec);
  if (!symmetric && props.enableKeyRotation === true) {
    throw new StackPropError(`enableKeyRotation is only supported for SYMMETRIC_DEFAULT keys; keySpec is ${show(keySpec)}, got enableKeyRotation ${show(props.enableKeyRotation)}`);
  }
  if (!symmetric && props.rotationPeriodInDays !== undefined) {
    throw new StackPropError(`rotationPeriodInDays is only supported for SYMMETRIC_DEFAULT keys (automatic rotation); keySpec is ${show(keySpec)}, got rotationPeriodInDays ${show(props.rotationPeriodInDays)}`);
  }
  const rotation = symmetric && props.enableKeyRotation !== false;
  checkIntRange('rotationPeriodInDays', props.rotationPeriodInDays, 90, 2560);
  if (!rotation && props.rotationPeriodInDays !== undefined) {
    throw new StackPropError(`rotationPeriodInDays needs enableKeyRotation true, got rotationPeriodInDays ${show(props.rotationPeriodInDays)} with enableKeyRotation false`);
  }
  checkIntRange('deletionWindowInDays', props.deletionWindowInDays, 7, 30);
  if (props.description !== undefined && (typeof props.description !== 'string' || props.description.length > 8192)) {
    throw new StackPropError(`description must be a string of at most 8192 characters, got ${show(props.description)}`);
  }
  if (props.aliases !== undefined && !Array.isArray(props.aliases)) throw new StackPropError(`aliases must be a list of alias names, got ${show(props.aliases)}`);
  const aliases = (props.aliases ?? []).map(normalizeAliasName);
  const dup = aliases.find((a, i) => aliases.indexOf(a) !== i);
  if (dup !== undefined) throw new StackPropError(`aliases must be unique, got ${show(dup)} twice`);
  if (props.tags !== undefined && (typeof props.tags !== 'object' || props.tags === null || !Object.values(props.tags).every((v) => typeof v === 'string'))) {
    throw new StackPropError(`tags must be a map of strings, got ${show(props.tags)}`);
  }
  return {
    keySpec,
    keyUsage,
    rotation,
    rotationPeriodInDays: rotation ? (props.rotationPeriodInDays ?? KMS_KEY_DEFAULTS.rotationPeriodInDays) : undefined,
    deletionWindowInDays: props.deletionWindowInDays ?? KMS_KEY_DEFAULTS.deletionWindowInDays,
    aliases,
  };
}

/** An `aws_kms_key` with secure defaults, a role-built key policy, aliases and grants; invalid props throw at construct time. */
export class KmsKey extends KeyBase {
  /** The `aws_kms_key` (construct id `Resource`). */
  readonly resource: KmsKeyResource;
  readonly keyId: string;
  readonly arn: string;
  readonly rotationEnabled: boolean;

  constructor(scope: Construct, id: string, props: KmsKeyProps = {}) {
    const v = validate(props);
    super(scope, id, { keySpec: v.keySpec, keyUsage: v.keyUsage, multiRegion: props.multiRegion ?? false, policyProps: props });
    this.rotationEnabled = v.rotation;
    this.resource = new KmsKeyResource(this, 'Resource', {
      ...(props.description !== undefined ? { description: props.description } : {}),
      customerMasterKeySpec: v.keySpec,
      keyUsage: v.keyUsage,
      enableKeyRotation: v.rotation,
      ...(v.rotationPeriodInDays !== undefined ? { rotationPeriodInDays: v.rotationPeriodInDays } : {}),
      deletionWindowInDays: v.deletionWindowInDays,
      multiRegion: props.multiRegion ?? KMS_KEY_DEFAULTS.multiRegion,
      isEnabled: props.isEnabled ?? true,
      bypassPolicyLockoutSafetyCheck: props.bypassPolicyLockoutSafetyCheck ?? KMS_KEY_DEFAULTS.bypassPolicyLockoutSafetyCheck,
      policy: this.policyAttribute(),
      ...(props.tags !== undefined ? { tags: { ...props.tags } } : {}),
    });
    this.keyId = this.resource.keyId;
    this.arn = this.resource.arn;
    for (const alias of v.aliases) this.addAlias(alias);
  }
}
