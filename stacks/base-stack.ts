/**
 * What every kmskit stack starts with: the AWS provider for the configured region (refusing any
 * other account), default tags, and the backend (local state by default, S3 when configured).
 */
import { endpointProviderSettings, type KmskitConfig } from './config.js';
import { callerIdentity } from './constructs/common.js';
import { AwsProvider, type Construct, LocalBackend, S3Backend, TerraformStack } from './provider.js';

export interface KmskitStackProps {
  readonly config: KmskitConfig;
}

export class KmskitStack extends TerraformStack {
  readonly config: KmskitConfig;
  /** The provider of `config.primaryRegion`, used by every resource that names no other. */
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: KmskitStackProps) {
    super(scope, id);
    this.config = props.config;
    this.provider = this.awsProvider('aws', props.config.primaryRegion);
    if (props.config.stateBucket !== undefined) {
      new S3Backend(this, {
        bucket: props.config.stateBucket,
        key: `kmskit/${id}.tfstate`,
        region: props.config.primaryRegion,
        encrypt: true,
      });
    } else {
      // Terraform runs in cdktf.out/stacks/<id>; this puts the state next to cdktf.json (where cdktf
      // keeps it by default, so a re-synth never touches it) without writing an absolute path into
      // the JSON. Stack directories are siblings, so the same path also works for the remote-state
      // lookups cdktf generates for cross-stack references.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
  }

  /**
   * Principal ARNs for key policies: an ARN in the configured account is rewritten to name the
   * account through `data.aws_caller_identity` (the provider only ever deploys to that account, so
   * it is the same principal). Policies then carry no account id, read as "this account" to the
   * linter (`kmskit lint cdktf.out`) and to `kmskit apply`, and stay right if the config changes.
   */
  ownAccountArns(arns: readonly string[]): string[] {
    const prefix = new RegExp(`^(arn:aws[a-z-]*:(?:iam|sts)::)${this.config.account}(:)`);
    const account = callerIdentity(this).accountId;
    return arns.map((arn) => arn.replace(prefix, `$1${account}$2`));
  }

  /**
   * An AwsProvider for `region`; `alias` set for any but the default one. With `config.endpoint`
   * it talks KMS and STS to that endpoint (`kmskit serve`) instead of AWS.
   */
  protected awsProvider(id: string, region: string, alias?: string): AwsProvider {
    return new AwsProvider(this, id, {
      region,
      ...(alias !== undefined ? { alias } : {}),
      allowedAccountIds: [this.config.account],
      defaultTags: [{ tags: { ...this.config.tags } }],
      ...endpointProviderSettings(this.config),
    });
  }
}
