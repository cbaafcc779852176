/**
 * `kmskit/constructs`: CDK for Terraform constructs for KMS — `KmsKey` and `KmsReplicaKey` with
 * role-built key policies, aliases and grants; one SSE-KMS helper per service; and `KeyPolicyChecks`,
 * the synth-time key policy lint (`KeyPolicyChecks.addTo(app)`). Needs the peer dependencies cdktf,
 * @cdktf/provider-aws and constructs.
 */
export { KmsKey, KMS_KEY_DEFAULTS } from './kms-key.js';
export type { KmsKeyProps } from './kms-key.js';
export { KmsReplicaKey } from './kms-replica-key.js';
export type { KmsReplicaKeyProps } from './kms-replica-key.js';
export { KeyBase, GRANT_OPERATIONS } from './key-base.js';
export type { KeyGrantOptions, KeyPolicyProps } from './key-base.js';
export { KEY_SPEC_USAGES, KEY_USAGES } from './key-spec.js';
export type { KeySpec, KeyUsage } from './key-spec.js';
export { StackPropError } from './common.js';
export * from './sse/index.js';
export { KeyPolicyChecks, keyPolicySourceOf } from '../lint-aspect.js';
export type { KeyPolicyChecksOptions, SynthFinding } from '../lint-aspect.js';
