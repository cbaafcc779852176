import { describe, expect, it } from 'vitest';
import { SIDS, cloudTrailStatements, cloudWatchLogsStatement, snsPublisherStatement } from '../../../policies/build.js';
import type { PolicyStatement } from '../../../policies/model.js';
import { SYMMETRIC_USER_ACTIONS } from '../../../policies/perms.js';
import { KmsKey } from '../../../stacks/constructs/kms-key.js';
import {
  EbsDefaultEncryption,
  encryptBucket,
  encryptDbInstance,
  encryptLambdaEnvironment,
  encryptLogGroup,
  encryptQueue,
  encryptRdsCluster,
  encryptSecret,
  encryptTable,
  encryptTopic,
  encryptTrail,
} from '../../../stacks/constructs/sse/index.js';
import {
  AwsProvider,
  Cloudtrail,
  CloudwatchLogGroup,
  DbInstance,
  DynamodbTable,
  LambdaFunction,
  RdsCluster,
  S3Bucket,
  SecretsmanagerSecret,
  SnsTopic,
  SqsQueue,
  type TerraformStack,
} from '../../../stacks/provider.js';
import { CALLER_ACCOUNT, ROLE, bySid, newStack, only, policyOf, statements, synth, type Synthesized } from '../helpers.js';

const APP = ROLE('app');
const KEY_ARN = /^\$\{aws_kms_key\.Key_[A-F0-9]+\.arn\}$/;

function setup(): { stack: TerraformStack; key: KmsKey } {
  const { stack } = newStack();
  return { stack, key: new KmsKey(stack, 'Key') };
}

/** The via-service statement the helpers add for `service`, as AWS managed keys write it. */
function viaService(sid: string, service: string, actions: readonly string[], extra: PolicyStatement['Condition'] = {}): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: APP },
    Action: [...actions],
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': `${service}.us-east-1.amazonaws.com`, 'kms:CallerAccount': CALLER_ACCOUNT }, ...extra },
  };
}

const grantStatement = (title: string, service: string) =>
  viaService(`Allow ${title} grants for AWS resources`, service, ['kms:CreateGrant'], { Bool: { 'kms:GrantIsForAWSResource': 'true' } });

function keyStatements(json: Synthesized): PolicyStatement[] {
  return statements(policyOf(json, 'Key')).slice(1);
}

describe('S3 (encryptBucket)', () => {
  it('sets SSE-KMS with the key and a bucket key, denies other uploads, and allows the principals through S3', () => {
    const { stack, key } = setup();
    const bucket = new S3Bucket(stack, 'Bucket', { bucket: 'b' });
    encryptBucket(bucket, key, { principals: [APP] });
    const json = synth(stack);
    expect(only(json, 'aws_s3_bucket_server_side_encryption_configuration')).toMatchObject({
      bucket: '${aws_s3_bucket.Bucket.id}',
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(KEY_ARN) }, bucket_key_enabled: true }],
    });
    const policy = JSON.parse(only(json, 'aws_s3_bucket_policy')['policy'] as string) as { Statement: PolicyStatement[] };
    expect(policy.Statement.map((s) => [s.Effect, s.Action, s.Condition])).toEqual([
      ['Deny', 's3:PutObject', { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }],
      ['Deny', 's3:PutObject', { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': expect.stringMatching(KEY_ARN) } }],
    ]);
    expect(policy.Statement[0]?.Resource).toBe('${aws_s3_bucket.Bucket.arn}/*');
    expect(keyStatements(json)).toEqual([viaService('Allow access through Amazon S3', 's3', SYMMETRIC_USER_ACTIONS)]);
  });

  it('leaves the bucket policy out on request', () => {
    const { stack, key } = setup();
    const result = encryptBucket(new S3Bucket(stack, 'Bucket'), key, { principals: [APP], denyUnencryptedUploads: false });
    expect(result.bucketPolicy).toBeUndefined();
    expect(synth(stack).resource?.['aws_s3_bucket_policy']).toBeUndefined();
  });
});

describe('EBS (EbsDefaultEncryption)', () => {
  it('turns on encryption by default with the key as default key and allows the principals through EC2, grants included', () => {
    const { stack, key } = setup();
    new EbsDefaultEncryption(stack, 'Ebs', key, { principals: [APP] });
    const json = synth(stack);
    expect(only(json, 'aws_ebs_encryption_by_default')).toMatchObject({ enabled: true });
    expect(only(json, 'aws_ebs_default_kms_key')).toMatchObject({ key_arn: expect.stringMatching(KEY_ARN) });
    expect(keyStatements(json)).toEqual([viaService('Allow access through Amazon EBS', 'ec2', SYMMETRIC_USER_ACTIONS), grantStatement('Amazon EBS', 'ec2')]);
  });
});

describe('RDS (encryptDbInstance, encryptRdsCluster)', () => {
  it('encrypts instance storage, Performance Insights and the managed master password', () => {
    const { stack, key } = setup();
    const db = new DbInstance(stack, 'Db', { instanceClass: 'db.t4g.medium', engine: 'postgres', allocatedStorage: 20, manageMasterUserPassword: true, username: 'u' });
    encryptDbInstance(db, key, { principals: [APP] });
    const json = synth(stack);
    expect(only(json, 'aws_db_instance')).toMatchObject({
      storage_encrypted: true,
      kms_key_id: expect.stringMatching(KEY_ARN),
      performance_insights_enabled: true,
      performance_insights_kms_key_id: expect.stringMatching(KEY_ARN),
      master_user_secret_kms_key_id: expect.stringMatching(KEY_ARN),
    });
    expect(keyStatements(json)).toEqual([
      viaService('Allow access through Amazon RDS', 'rds', SYMMETRIC_USER_ACTIONS),
      grantStatement('Amazon RDS', 'rds'),
      viaService('Allow access through AWS Secrets Manager', 'secretsmanager', SYMMETRIC_USER_ACTIONS),
    ]);
  });

  it('encrypts cluster storage and leaves Performance Insights off when asked', () => {
    const { stack, key } = setup();
    const cluster = new RdsCluster(stack, 'Cluster', { engine: 'aurora-postgresql', masterUsername: 'u', masterPassword: 'p4ssw0rd-example' });
    encryptRdsCluster(cluster, key, { principals: [APP], performanceInsights: false });
    const res = only(synth(stack), 'aws_rds_cluster');
    expect(res).toMatchObject({ storage_encrypted: true, kms_key_id: expect.stringMatching(KEY_ARN) });
    expect(res['performance_insights_enabled']).toBeUndefined();
    expect(res['performance_insights_kms_key_id']).toBeUndefined();
    expect(res['master_user_secret_kms_key_id']).toBeUndefined();
  });
});

describe('Secrets Manager (encryptSecret)', () => {
  it('sets the secret key and allows the principals through Secrets Manager', () => {
    const { stack, key } = setup();
    encryptSecret(new SecretsmanagerSecret(stack, 'Secret', { name: 's' }), key, { principals: [APP] });
    const json = synth(stack);
    expect(only(json, 'aws_secretsmanager_secret')).toMatchObject({ kms_key_id: expect.stringMatching(KEY_ARN) });
    expect(keyStatements(json)).toEqual([viaService('Allow access through AWS Secrets Manager', 'secretsmanager', SYMMETRIC_USER_ACTIONS)]);
  });
});

describe('Lambda (encryptLambdaEnvironment)', () => {
  it('sets the environment key and allows the principals through Lambda, grants included', () => {
    const { stack, key } = setup();
    const fn = new LambdaFunction(stack, 'Fn', { functionName: 'f', role: ROLE('fn'), runtime: 'nodejs20.x', handler: 'index.handler', filename: 'x.zip', environment: { variables: { A: 'b' } } });
    encryptLambdaEnvironment(fn, key, { principals: [APP] });
    const json = synth(stack);
    expect(only(json, 'aws_lambda_function')).toMatchObject({ kms_key_arn: expect.stringMatching(KEY_ARN) });
    expect(keyStatements(json)).toEqual([viaService('Allow access through AWS Lambda', 'lambda', SYMMETRIC_USER_ACTIONS), grantStatement('AWS Lambda', 'lambda')]);
  });
});

describe('SQS (encryptQueue)', () => {
  it('sets the queue key with a 300-second data-key reuse period by default', () => {
    const { stack, key } = setup();
    encryptQueue(new SqsQueue(stack, 'Queue', { name: 'q' }), key, { principals: [APP] });
    const json = synth(stack);
    expect(only(json, 'aws_sqs_queue')).toMatchObject({ kms_master_key_id: expect.stringMatching(KEY_ARN), kms_data_key_reuse_period_seconds: 300 });
    expect(keyStatements(json)).toEqual([viaService('Allow access through Amazon SQS', 'sqs', SYMMETRIC_USER_ACTIONS)]);
  });

  it('takes a data-key reuse period of 60–86400 seconds', () => {
    const { stack, key } = setup();
    encryptQueue(new SqsQueue(stack, 'Queue'), key, { principals: [APP], dataKeyReusePeriodSeconds: 86400 });
    expect(only(synth(stack), 'aws_sqs_queue')['kms_data_key_reuse_period_seconds']).toBe(86400);
    expect(() => encryptQueue(new SqsQueue(stack, 'Queue2'), key, { principals: [APP], dataKeyReusePeriodSeconds: 30 })).toThrow('dataKeyReusePeriodSeconds must be an integer 60–86400, got 30');
  });
});

describe('SNS (encryptTopic)', () => {
  it('sets the topic key and lets the publisher services use it for the own account', () => {
    const { stack, key } = setup();
    encryptTopic(new SnsTopic(stack, 'Topic', { name: 't' }), key, { publisherServices: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'], principals: [APP] });
    const json = synth(stack);
    expect(only(json, 'aws_sns_topic')).toMatchObject({ kms_master_key_id: expect.stringMatching(KEY_ARN) });
    expect(keyStatements(json)).toEqual([
      snsPublisherStatement({ services: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'], account: CALLER_ACCOUNT }),
      viaService('Allow access through Amazon SNS', 'sns', SYMMETRIC_USER_ACTIONS),
    ]);
  });

  it('adds no statement when nobody is named', () => {
    const { stack, key } = setup();
    encryptTopic(new SnsTopic(stack, 'Topic'), key);
    expect(keyStatements(synth(stack))).toEqual([]);
  });

  it('rejects a publisher that is not a service principal', () => {
    const { stack, key } = setup();
    expect(() => encryptTopic(new SnsTopic(stack, 'Topic'), key, { publisherServices: ['cloudwatch'] })).toThrow(/publisherServices: .*services\[0\] must be a service principal.*got "cloudwatch"/);
  });
});

describe('DynamoDB (encryptTable)', () => {
  it('turns on SSE with the key and allows the principals through DynamoDB, grants included', () => {
    const { stack, key } = setup();
    encryptTable(new DynamodbTable(stack, 'Table', { name: 't', hashKey: 'pk', attribute: [{ name: 'pk', type: 'S' }], billingMode: 'PAY_PER_REQUEST' }), key, { principals: [APP] });
    const json = synth(stack);
    expect(only(json, 'aws_dynamodb_table')).toMatchObject({ server_side_encryption: { enabled: true, kms_key_arn: expect.stringMatching(KEY_ARN) } });
    expect(keyStatements(json)).toEqual([viaService('Allow access through Amazon DynamoDB', 'dynamodb', SYMMETRIC_USER_ACTIONS), grantStatement('Amazon DynamoDB', 'dynamodb')]);
  });
});

describe('CloudWatch Logs (encryptLogGroup)', () => {
  it('sets the log group key and lets logs.<region>.amazonaws.com use it for that log group only', () => {
    const { stack, key } = setup();
    encryptLogGroup(new CloudwatchLogGroup(stack, 'Logs', { name: '/app/x' }), key);
    const json = synth(stack);
    expect(only(json, 'aws_cloudwatch_log_group')).toMatchObject({ kms_key_id: expect.stringMatching(KEY_ARN) });
    const expected = cloudWatchLogsStatement({ region: 'us-east-1', account: CALLER_ACCOUNT, logGroupArn: `arn:aws:logs:us-east-1:${CALLER_ACCOUNT}:log-group:/app/x` });
    expect(keyStatements(json)).toEqual([expected]);
    expect(expected.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
    expect(expected.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${CALLER_ACCOUNT}:log-group:/app/x` } });
  });

  it('gives a second log group its own numbered statement', () => {
    const { stack, key } = setup();
    encryptLogGroup(new CloudwatchLogGroup(stack, 'A', { name: 'a' }), key);
    encryptLogGroup(new CloudwatchLogGroup(stack, 'B', { name: 'b' }), key);
    expect(keyStatements(synth(stack)).map((s) => s.Sid)).toEqual([SIDS.cloudWatchLogs, `${SIDS.cloudWatchLogs} 2`]);
  });

  it('needs a literal log group name', () => {
    const { stack, key } = setup();
    expect(() => encryptLogGroup(new CloudwatchLogGroup(stack, 'Logs', { namePrefix: 'x' }), key)).toThrow('encryptLogGroup: the log group needs a literal name to scope the key policy to it, got undefined');
  });
});

describe('CloudTrail (encryptTrail)', () => {
  it('sets the trail key and adds the CloudTrail statements pinned to the trail with aws:SourceArn', () => {
    const { stack, key } = setup();
    encryptTrail(new Cloudtrail(stack, 'Trail', { name: 'main', s3BucketName: 'logs' }), key);
    const json = synth(stack);
    expect(only(json, 'aws_cloudtrail')).toMatchObject({ kms_key_id: expect.stringMatching(KEY_ARN) });
    const trailArn = `arn:aws:cloudtrail:us-east-1:${CALLER_ACCOUNT}:trail/main`;
    expect(keyStatements(json)).toEqual(cloudTrailStatements({ account: CALLER_ACCOUNT, region: 'us-east-1', trailArn }));
    expect(bySid(policyOf(json, 'Key'), SIDS.cloudTrailEncrypt).Condition?.['StringEquals']).toEqual({ 'aws:SourceArn': trailArn });
    expect(bySid(policyOf(json, 'Key'), SIDS.cloudTrailDecrypt).Condition?.['StringEquals']).toEqual({ 'kms:CallerAccount': CALLER_ACCOUNT });
  });

  it('needs a literal trail name to pin aws:SourceArn', () => {
    const { stack, key } = setup();
    const trail = new Cloudtrail(stack, 'Trail', { name: new SqsQueue(stack, 'Q').name, s3BucketName: 'logs' });
    expect(() => encryptTrail(trail, key)).toThrow('encryptTrail: the trail needs a literal name to pin aws:SourceArn to it, got a Terraform reference (known only at apply time)');
  });
});

describe('SSE helper checks', () => {
  it('rejects an asymmetric key', () => {
    const { stack } = newStack();
    const key = new KmsKey(stack, 'Key', { keySpec: 'RSA_2048' });
    expect(() => encryptSecret(new SecretsmanagerSecret(stack, 'S'), key, { principals: [APP] })).toThrow('encryptSecret: AWS services encrypt only with symmetric keys; test/Key has keySpec "RSA_2048"');
  });

  it('rejects a key in another region than the resource', () => {
    const { stack } = newStack();
    const west = new AwsProvider(stack, 'west', { region: 'us-west-2', alias: 'west' });
    const key = new KmsKey(stack, 'Key');
    expect(() => encryptQueue(new SqsQueue(stack, 'Q', { provider: west }), key, { principals: [APP] })).toThrow(
      'encryptQueue: test/Q is in "us-west-2" but the key test/Key is in "us-east-1"; a service can only use a key in its own region',
    );
  });

  it('requires the principals of via-service helpers', () => {
    const { stack, key } = setup();
    expect(() => encryptTable(new DynamodbTable(stack, 'T', { name: 't', hashKey: 'pk', attribute: [{ name: 'pk', type: 'S' }] }), key, { principals: [] })).toThrow(
      'encryptTable: principals must name the IAM roles or users that use the Amazon DynamoDB resource, got []',
    );
  });

  it('rejects a resource of the wrong type', () => {
    const { stack, key } = setup();
    expect(() => encryptBucket(new SqsQueue(stack, 'Q') as never, key, { principals: [APP] })).toThrow('encryptBucket: bucket must be an S3Bucket, got SqsQueue at test/Q');
  });

  it('adds each via-service statement once however many resources use the key', () => {
    const { stack, key } = setup();
    encryptQueue(new SqsQueue(stack, 'Q1'), key, { principals: [APP] });
    encryptQueue(new SqsQueue(stack, 'Q2'), key, { principals: [APP] });
    expect(keyStatements(synth(stack))).toHaveLength(1);
  });
});
