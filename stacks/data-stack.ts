/**
 * DataStack: services that store data encrypted with the KeyringStack's data key, each through its
 * SSE-KMS helper (which also adds the key-policy statement the service needs): an S3 bucket, a
 * secret, a queue, a topic, a table, a log group, a trail, EBS default encryption, an RDS instance
 * and a Lambda function. The keys live in the other stack; cdktf wires the references through
 * Terraform remote state.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PolicyDocument } from '../policies/model.js';
import { KmskitStack, type KmskitStackProps } from './base-stack.js';
import { callerIdentity, partitionOf } from './constructs/common.js';
import {
  EbsDefaultEncryption,
  encryptBucket,
  encryptDbInstance,
  encryptLambdaEnvironment,
  encryptLogGroup,
  encryptQueue,
  encryptSecret,
  encryptTable,
  encryptTopic,
  encryptTrail,
} from './constructs/sse/index.js';
import type { KeyringStack } from './keyring-stack.js';
import { zipFolder } from './zip-folder.js';
import {
  AssetType,
  Cloudtrail,
  CloudwatchLogGroup,
  type Construct,
  DbInstance,
  DynamodbTable,
  IamRole,
  IamRolePolicy,
  IamRolePolicyAttachment,
  LambdaFunction,
  S3Bucket,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  SecretsmanagerSecret,
  SnsTopic,
  SqsQueue,
  TerraformAsset,
} from './provider.js';

export interface DataStackProps extends KmskitStackProps {
  readonly keyring: KeyringStack;
}

/** Names of the DataStack's named resources, for tests and docs. */
export const DATA_NAMES = Object.freeze({
  secret: 'kmskit/app/database',
  queue: 'kmskit-jobs',
  topic: 'kmskit-alerts',
  table: 'kmskit-items',
  logGroup: '/kmskit/app',
  trail: 'kmskit-trail',
  dbInstance: 'kmskit-db',
  function: 'kmskit-echo',
});

export class DataStack extends KmskitStack {
  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const key = props.keyring.dataKey;
    // Via-service statements land in the keyring's key policy: name the account through the
    // keyring stack's caller identity, not this stack's, so the key does not depend on this stack.
    const principals = props.keyring.ownAccountArns(props.config.appRoleArns);
    const account = callerIdentity(this).accountId;
    const region = props.config.primaryRegion;

    const bucket = new S3Bucket(this, 'DataBucket', { bucketPrefix: 'kmskit-data-' });
    new S3BucketPublicAccessBlock(this, 'DataBucketPublicAccessBlock', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    encryptBucket(bucket, key, { principals });

    const secret = new SecretsmanagerSecret(this, 'AppSecret', { name: DATA_NAMES.secret, recoveryWindowInDays: 7 });
    encryptSecret(secret, key, { principals });

    const queue = new SqsQueue(this, 'JobsQueue', { name: DATA_NAMES.queue });
    encryptQueue(queue, key, { principals, dataKeyReusePeriodSeconds: 300 });

    const topic = new SnsTopic(this, 'AlertsTopic', { name: DATA_NAMES.topic });
    encryptTopic(topic, key, { principals, publisherServices: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] });

    const table = new DynamodbTable(this, 'ItemsTable', {
      name: DATA_NAMES.table,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
    });
    encryptTable(table, key, { principals });

    const logGroup = new CloudwatchLogGroup(this, 'AppLogGroup', { name: DATA_NAMES.logGroup, retentionInDays: 30 });
    encryptLogGroup(logGroup, key);

    // CloudTrail writes to its own bucket, whose policy AWS documents ("Amazon S3 bucket policy for CloudTrail").
    const trailArn = `arn:${partitionOf(region)}:cloudtrail:${region}:${account}:trail/${DATA_NAMES.trail}`;
    const trailBucket = new S3Bucket(this, 'TrailBucket', { bucketPrefix: 'kmskit-trail-', forceDestroy: true });
    new S3BucketPublicAccessBlock(this, 'TrailBucketPublicAccessBlock', {
      bucket: trailBucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const trailBucketPolicy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: trailBucket.arn,
          Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
        },
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${trailBucket.arn}/AWSLogs/${account}/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
        },
      ],
    };
    const trailPolicy = new S3BucketPolicy(this, 'TrailBucketPolicy', { bucket: trailBucket.id, policy: JSON.stringify(trailBucketPolicy) });
    const trail = new Cloudtrail(this, 'Trail', {
      name: DATA_NAMES.trail,
      s3BucketName: trailBucket.id,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      dependsOn: [trailPolicy],
    });
    encryptTrail(trail, key);

    new EbsDefaultEncryption(this, 'EbsDefaultEncryption', key, { principals });

    const db = new DbInstance(this, 'Database', {
      identifier: DATA_NAMES.dbInstance,
      engine: 'postgres',
      instanceClass: 'db.t4g.medium',
      allocatedStorage: 20,
      username: 'kmskit',
      manageMasterUserPassword: true,
      skipFinalSnapshot: true,
    });
    encryptDbInstance(db, key, { principals, performanceInsights: true });

    const fnRole = new IamRole(this, 'FunctionRole', {
      name: `${DATA_NAMES.function}-role`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    new IamRolePolicyAttachment(this, 'FunctionRoleLogs', {
      role: fnRole.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    });
    // The function's role decrypts its environment with an identity policy (the key policy's
    // account-root statement delegates to IAM), so the key policy in the other stack need not name
    // a role that only exists once this stack is deployed.
    new IamRolePolicy(this, 'FunctionRoleKms', {
      role: fnRole.id,
      name: 'decrypt-environment',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.arn }],
      }),
    });
    // A zip made in-process (stacks/zip-folder.ts): cdktf's own ARCHIVE type starts a node process on every synth.
    const code = new TerraformAsset(this, 'FunctionCode', { path: zipFolder(assetPath('echo-function')), type: AssetType.FILE });
    const fn = new LambdaFunction(this, 'Function', {
      functionName: DATA_NAMES.function,
      role: fnRole.arn,
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      filename: code.path,
      sourceCodeHash: code.assetHash,
      environment: { variables: { TABLE_NAME: table.name } },
    });
    encryptLambdaEnvironment(fn, key, { principals });
  }
}

/** stacks/assets/<name> in the source tree, found from here whether running from source or dist/. */
function assetPath(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'stacks', 'assets', name);
    if (existsSync(candidate)) return candidate;
    const here = join(dir, 'assets', name);
    if (existsSync(here)) return here;
    dir = dirname(dir);
  }
  throw new Error(`stack asset ${name} not found under stacks/assets (looked upwards from ${fileURLToPath(import.meta.url)})`);
}
