/**
 * S3: default encryption with SSE-KMS and an S3 Bucket Key (fewer KMS calls, lower cost), plus a
 * bucket policy that refuses uploads that ask for another encryption or another key.
 * "Protecting data with server-side encryption using AWS KMS keys (SSE-KMS)", Amazon S3 User Guide.
 */
import type { PolicyDocument, PolicyStatement } from '../../../policies/model.js';
import { Construct, S3Bucket, S3BucketPolicy, S3BucketServerSideEncryptionConfigurationA } from '../../provider.js';
import { StackPropError, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { type ViaServiceOptions, addViaService, checkKeyFor } from './shared.js';

/** Options of `encryptBucket`. */
export interface S3EncryptionOptions extends ViaServiceOptions {
  /**
   * Add the bucket policy that denies PutObject without SSE-KMS or with another key. A bucket has
   * one policy; set false and merge {@link s3DenyUnencryptedStatements} into yours instead.
   * @default true
   */
  readonly denyUnencryptedUploads?: boolean;
}

/** What `encryptBucket` created: the encryption configuration and, when asked for, the bucket policy. */
export interface S3Encryption {
  readonly configuration: S3BucketServerSideEncryptionConfigurationA;
  readonly bucketPolicy?: S3BucketPolicy;
  readonly statements: PolicyStatement[];
}

/**
 * The deny statements: PutObject must carry `aws:kms` (a missing header counts as not `aws:kms`),
 * and if it names a key it must be this one.
 */
export function s3DenyUnencryptedStatements(bucketArn: string, keyArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'DenyUploadsWithoutSseKms',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${bucketArn}/*`,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    },
    {
      Sid: 'DenyUploadsWithAnotherKmsKey',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${bucketArn}/*`,
      Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } },
    },
  ];
}

/** Encrypts `bucket` with `key` (SSE-KMS, bucket key on) and lets `principals` use the key through S3. */
export function encryptBucket(bucket: S3Bucket, key: KeyBase, options: S3EncryptionOptions): S3Encryption {
  if (!(bucket instanceof S3Bucket)) throw new StackPropError(`encryptBucket: bucket must be an S3Bucket, got ${show(bucket)}`);
  checkKeyFor('encryptBucket', bucket, bucket.provider, key);
  const statements = addViaService('encryptBucket', key, 's3', 'Amazon S3', options, false);
  const scope = bucket.node.scope as Construct;
  const id = bucket.node.id;
  const providerProps = bucket.provider ? { provider: bucket.provider } : {};
  const configuration = new S3BucketServerSideEncryptionConfigurationA(scope, `${id}Encryption`, {
    ...providerProps,
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  });
  if (options.denyUnencryptedUploads === false) return { configuration, statements };
  const policy: PolicyDocument = { Version: '2012-10-17', Statement: s3DenyUnencryptedStatements(bucket.arn, key.arn) };
  const bucketPolicy = new S3BucketPolicy(scope, `${id}Policy`, { ...providerProps, bucket: bucket.id, policy: JSON.stringify(policy) });
  return { configuration, bucketPolicy, statements };
}
