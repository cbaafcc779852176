/**
 * The one seam between kmskit and CDK for Terraform. Every `cdktf`, `@cdktf/provider-aws` and
 * `constructs` import in the repository goes through this file (a test enforces it), so that moving
 * to CDK Terrain, or to another provider major, is an edit here and nowhere else.
 *
 * Provider classes are deep-imported one file each: the package index loads every AWS resource
 * (seconds of start-up), and the package has no `exports` map, so Node's ESM resolver needs the
 * explicit `/index.js`. `cdktf` and `constructs` are CommonJS but expose named exports that Node's
 * CJS lexer detects, so named imports work under NodeNext.
 */
export {
  App,
  Annotations,
  Aspects,
  AssetType,
  DefaultTokenResolver,
  Fn,
  Lazy,
  LocalBackend,
  S3Backend,
  StringConcat,
  TerraformAsset,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
  Tokenization,
} from 'cdktf';
export type { IAspect } from 'cdktf';
export { Construct } from 'constructs';
export type { IConstruct } from 'constructs';

export { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
export { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';

export { KmsKey as KmsKeyResource } from '@cdktf/provider-aws/lib/kms-key/index.js';
export { KmsReplicaKey as KmsReplicaKeyResource } from '@cdktf/provider-aws/lib/kms-replica-key/index.js';
export { KmsKeyPolicy as KmsKeyPolicyResource } from '@cdktf/provider-aws/lib/kms-key-policy/index.js';
export { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
export { KmsGrant } from '@cdktf/provider-aws/lib/kms-grant/index.js';

export { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
export { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
export { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
export { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
export { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default/index.js';
export { EbsDefaultKmsKey } from '@cdktf/provider-aws/lib/ebs-default-kms-key/index.js';
export { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
export { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
export { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
export { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
export { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
export { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
export { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
export { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
export { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail/index.js';
