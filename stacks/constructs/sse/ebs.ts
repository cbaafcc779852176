/**
 * EBS: encryption by default for the region, with this key as the default key. EC2 uses the key
 * through the caller's permissions and attaches volumes through grants, so the principals that
 * launch instances get the key through EC2 (`ec2.<region>.amazonaws.com`) and CreateGrant for AWS
 * resources, as the aws/ebs managed key's policy allows.
 */
import type { PolicyStatement } from '../../../policies/model.js';
import { type AwsProvider, Construct, EbsDefaultKmsKey, EbsEncryptionByDefault } from '../../provider.js';
import type { KeyBase } from '../key-base.js';
import { type ViaServiceOptions, addViaService, checkKeyFor } from './shared.js';

/** Options of `EbsDefaultEncryption`. */
export interface EbsEncryptionOptions extends ViaServiceOptions {
  /** The provider of the region to configure. @default the stack's default provider */
  readonly provider?: AwsProvider;
}

/** EBS encryption by default for the provider's region, with the key as the default EBS key. */
export class EbsDefaultEncryption extends Construct {
  readonly encryptionByDefault: EbsEncryptionByDefault;
  readonly defaultKey: EbsDefaultKmsKey;
  readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, key: KeyBase, options: EbsEncryptionOptions) {
    super(scope, id);
    const providerProps = options?.provider ? { provider: options.provider } : {};
    checkKeyFor('EbsDefaultEncryption', this, options?.provider, key);
    this.statements = addViaService('EbsDefaultEncryption', key, 'ec2', 'Amazon EBS', options, true);
    this.encryptionByDefault = new EbsEncryptionByDefault(this, 'EncryptionByDefault', { ...providerProps, enabled: true });
    this.defaultKey = new EbsDefaultKmsKey(this, 'DefaultKmsKey', { ...providerProps, keyArn: key.arn });
  }
}
