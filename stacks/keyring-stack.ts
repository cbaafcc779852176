/**
 * KeyringStack: the platform keys. A symmetric data key (90-day rotation, 7-day deletion window,
 * as in the classic KMS hands-on Terraform), an ECC_NIST_P256 signing key, an HMAC_256 key, and a
 * multi-Region primary with its replica in the second region; the app role gets grants with
 * encryption-context constraints.
 */
import { SIGN_VERIFY_USER_ACTIONS } from '../policies/perms.js';
import { APP_ENCRYPTION_CONTEXT, KEY_ALIASES } from './config.js';
import { KmskitStack, type KmskitStackProps } from './base-stack.js';
import { KmsKey } from './constructs/kms-key.js';
import { KmsReplicaKey } from './constructs/kms-replica-key.js';
import { type AwsProvider, type Construct, TerraformOutput } from './provider.js';

/** Names of the app role's grants (they are also `aws_kms_grant` names). */
export const APP_GRANT_NAMES = Object.freeze({
  data: 'kmskit-app-data',
  multiRegion: 'kmskit-app-multi-region',
});

export class KeyringStack extends KmskitStack {
  readonly replicaProvider: AwsProvider;
  /** Symmetric key for application data and the SSE-KMS of the DataStack's services. */
  readonly dataKey: KmsKey;
  /** ECC_NIST_P256 signing key. */
  readonly signingKey: KmsKey;
  /** HMAC_256 key. */
  readonly hmacKey: KmsKey;
  /** Multi-Region primary (symmetric). */
  readonly multiRegionKey: KmsKey;
  /** Its replica in `config.replicaRegion`. */
  readonly multiRegionReplica: KmsReplicaKey;

  constructor(scope: Construct, id: string, props: KmskitStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.replicaProvider = this.awsProvider('aws-replica', config.replicaRegion, 'replica');
    const admins = this.ownAccountArns(config.adminArns);
    const appRoles = this.ownAccountArns(config.appRoleArns);

    this.dataKey = new KmsKey(this, 'DataKey', {
      description: 'kmskit: application data and SSE-KMS of the data services',
      rotationPeriodInDays: 90,
      deletionWindowInDays: 7,
      aliases: [KEY_ALIASES.data],
      admins,
    });
    // The app role has no statement of its own on the data key: it encrypts and decrypts only
    // through this grant, and only with the app's encryption context.
    this.dataKey.addGrant({
      name: APP_GRANT_NAMES.data,
      grantee: config.appRoleArn,
      operations: ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo'],
      constraints: { encryptionContextSubset: { ...APP_ENCRYPTION_CONTEXT } },
      retiringPrincipal: config.adminArns[0] as string,
    });

    this.signingKey = new KmsKey(this, 'SigningKey', {
      description: 'kmskit: signatures (ECDSA P-256)',
      keySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      aliases: [KEY_ALIASES.signing],
      admins,
    });
    for (const role of appRoles) {
      this.signingKey.grantSign(role);
      this.signingKey.grantVerify(role);
    }
    // Anyone in the organization may check a signature; only the app role may make one.
    this.signingKey.addToPolicy({
      Sid: 'Allow the organization to verify signatures',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: SIGN_VERIFY_USER_ACTIONS.filter((a) => a === 'kms:Verify' || a === 'kms:GetPublicKey'),
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': config.orgId } },
    });

    this.hmacKey = new KmsKey(this, 'HmacKey', {
      description: 'kmskit: message authentication codes (HMAC-SHA-256)',
      keySpec: 'HMAC_256',
      aliases: [KEY_ALIASES.hmac],
      admins,
      users: appRoles,
    });

    this.multiRegionKey = new KmsKey(this, 'MultiRegionKey', {
      description: 'kmskit: data readable in both regions',
      multiRegion: true,
      aliases: [KEY_ALIASES.multiRegion],
      admins,
    });
    this.multiRegionReplica = new KmsReplicaKey(this, 'MultiRegionReplica', {
      primary: this.multiRegionKey,
      provider: this.replicaProvider,
      description: `kmskit: replica of the multi-Region key in ${config.replicaRegion}`,
      aliases: [KEY_ALIASES.multiRegion],
      admins,
    });
    const replicatedContext = { ...APP_ENCRYPTION_CONTEXT, purpose: 'replicated' };
    for (const key of [this.multiRegionKey, this.multiRegionReplica]) {
      key.addGrant({
        name: APP_GRANT_NAMES.multiRegion,
        grantee: config.appRoleArn,
        operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'],
        constraints: { encryptionContextEquals: replicatedContext },
      });
    }

    for (const [name, key] of Object.entries({ data: this.dataKey, signing: this.signingKey, hmac: this.hmacKey, multiRegion: this.multiRegionKey, multiRegionReplica: this.multiRegionReplica })) {
      new TerraformOutput(this, `${name}KeyArn`, { value: key.arn, description: `ARN of the ${name} key` });
    }
  }
}
