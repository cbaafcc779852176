/**
 * `KmsReplicaKey`: an `aws_kms_replica_key` of a multi-Region primary, in another region through a
 * provider alias. A replica has its own key policy, aliases and grants; spec, usage, key material
 * and rotation come from the primary.
 */
import { type AwsProvider, Construct, KmsReplicaKeyResource } from '../provider.js';
import { StackPropError, checkIntRange, regionOf, show } from './common.js';
import { KeyBase, type KeyPolicyProps, normalizeAliasName } from './key-base.js';
import type { KmsKey } from './kms-key.js';

/** Props of `KmsReplicaKey`: the primary key, the provider of the replica region, and the key policy props. */
export interface KmsReplicaKeyProps extends KeyPolicyProps {
  /** The multi-Region primary key. Must have `multiRegion: true`. */
  readonly primary: KmsKey;
  /** The provider of the replica's region (an aliased AwsProvider). */
  readonly provider: AwsProvider;
  /** @default the primary's description is not copied; none */
  readonly description?: string;
  /** 7–30 days. @default 30 */
  readonly deletionWindowInDays?: number;
  /** Aliases in the replica's region. @default none */
  readonly aliases?: readonly string[];
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default true */
  readonly enabled?: boolean;
}

/** An `aws_kms_replica_key` of a multi-Region `KmsKey` in another region, with its own key policy, aliases and grants. */
export class KmsReplicaKey extends KeyBase {
  /** The `aws_kms_replica_key` (construct id `Resource`). */
  readonly resource: KmsReplicaKeyResource;
  readonly keyId: string;
  readonly arn: string;
  readonly primary: KmsKey;

  constructor(scope: Construct, id: string, props: KmsReplicaKeyProps) {
    if (typeof props !== 'object' || props === null) throw new StackPropError(`KmsReplicaKey props must be an object, got ${show(props)}`);
    const primary = props.primary as unknown;
    if (typeof primary !== 'object' || primary === null || !('multiRegion' in primary)) {
      throw new StackPropError(`primary must be a KmsKey, got ${show(typeof primary === 'object' && primary !== null ? '<not a KmsKey>' : primary)}`);
    }
    const primaryKey = primary as KmsKey;
    if (!primaryKey.multiRegion) {
      throw new StackPropError(`primary must be a multi-Region key (multiRegion: true), got ${primaryKey.node.path} with multiRegion false`);
    }
    if (props.provider === undefined) throw new StackPropError(`provider must be the AwsProvider of the replica's region, got undefined`);
    const replicaRegion = regionOf(scope, props.provider);
    if (replicaRegion === primaryKey.region) {
      throw new StackPropError(`the replica's provider must be in another region than the primary (${primaryKey.region}), got ${show(replicaRegion)}`);
    }
    checkIntRange('deletionWindowInDays', props.deletionWindowInDays, 7, 30);
    if (props.description !== undefined && typeof props.description !== 'string') throw new StackPropError(`description must be a string, got ${show(props.description)}`);
    if (props.tags !== undefined && (typeof props.tags !== 'object' || props.tags === null || !Object.values(props.tags).every((v) => typeof v === 'string'))) {
      throw new StackPropError(`tags must be a map of strings, got ${show(props.tags)}`);
    }
    if (props.aliases !== undefined && !Array.isArray(props.aliases)) throw new StackPropError(`aliases must be a list of alias names, got ${show(props.aliases)}`);
    const aliases = (props.aliases ?? []).map(normalizeAliasName);
    super(scope, id, { keySpec: primaryKey.keySpec, keyUsage: primaryKey.keyUsage, multiRegion: true, provider: props.provider, policyProps: props });
    this.primary = primaryKey;
    this.resource = new KmsReplicaKeyResource(this, 'Resource', {
      provider: props.provider,
      primaryKeyArn: primaryKey.arn,
      ...(props.description !== undefined ? { description: props.description } : {}),
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      enabled: props.enabled ?? true,
      bypassPolicyLockoutSafetyCheck: props.bypassPolicyLockoutSafetyCheck ?? false,
      policy: this.policyAttribute(),
      ...(props.tags !== undefined ? { tags: { ...props.tags } } : {}),
    });
    this.keyId = this.resource.keyId;
    this.arn = this.resource.arn;
    for (const alias of aliases) this.addAlias(alias);
  }
}
