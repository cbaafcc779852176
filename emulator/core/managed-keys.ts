/**
 * AWS managed keys: the `alias/aws/<service>` keys AWS creates in an account the first time a
 * service (or anyone) uses the alias. Before that, ListAliases shows the predefined alias without a
 * TargetKeyId; the first request that names it (DescribeKey, GenerateDataKey, ...) creates the key
 * and points the alias at it. "AWS managed keys" in the AWS KMS Developer Guide; the Terraform AWS
 * provider's `data "aws_kms_alias"` relies on exactly this (it calls DescribeKey to create the key).
 *
 * What the customer may and may not do with such a key is decided by its key policy, as in AWS:
 * every principal of the account may use it only through its service (`kms:ViaService` +
 * `kms:CallerAccount`), and the account may read its metadata. Nothing grants PutKeyPolicy,
 * ScheduleKeyDeletion, EnableKeyRotation, TagResource, CreateAlias or UpdateAlias/DeleteAlias on the
 * key, and nobody can change the policy, so those calls are AccessDeniedException for everyone.
 * Its material rotates every 365 days (AWS's schedule since May 2022).
 *
 * The policies of `aws/s3`, `aws/ebs` and `aws/lambda` follow policies read from real accounts
 * (statement ids, action lists, metadata actions); the other services use the same template, with
 * `kms:CreateGrant` for the services that attach the key to their resources through grants (the
 * same set the stacks' SSE helpers grant CreateGrant for).
 */
import { DAY_MS, type RequestContext } from './context.js';
import { buildKey } from './keys.js';
import { aliasArn, type KeyRecord } from './store.js';

export const MANAGED_ALIAS_PREFIX = 'alias/aws/';

interface ManagedService {
  /** The first label of the service's `kms:ViaService` host (`ec2` for EBS). */
  readonly via: string;
  /** How the key policy's statement id names the service. */
  readonly title: string;
  /** What the key's description says it protects. */
  readonly protects: string;
  /** The service creates grants for its resources (adds kms:CreateGrant to the via-service statement). */
  readonly grants?: boolean;
  /** Actions the account may call directly. Default Describe*, Get*, List*. */
  readonly metadata?: readonly string[];
  /** The policy's Id. Default `auto-<alias name>-2`. */
  readonly policyId?: string;
}

/** The predefined aliases kmskit lists, keyed by the name after `alias/aws/`. */
export const MANAGED_SERVICES: Readonly<Record<string, ManagedService>> = Object.freeze({
  acm: { via: 'acm', title: 'AWS Certificate Manager', protects: 'ACM private keys' },
  backup: { via: 'backup', title: 'AWS Backup', protects: 'backups' },
  codecommit: { via: 'codecommit', title: 'CodeCommit', protects: 'repositories' },
  dynamodb: { via: 'dynamodb', title: 'Amazon DynamoDB', protects: 'DynamoDB tables', grants: true },
  ebs: { via: 'ec2', title: 'EBS', protects: 'EBS volumes', grants: true, metadata: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'] },
  elasticfilesystem: { via: 'elasticfilesystem', title: 'EFS', protects: 'EFS file systems' },
  es: { via: 'es', title: 'OpenSearch Service', protects: 'OpenSearch domains' },
  glue: { via: 'glue', title: 'AWS Glue', protects: 'Glue data' },
  kinesis: { via: 'kinesis', title: 'Amazon Kinesis', protects: 'Kinesis streams' },
  lambda: { via: 'lambda', title: 'AWS Lambda', protects: 'Lambda functions', grants: true, metadata: ['kms:Describe*'], policyId: 'auto-awslambda' },
  rds: { via: 'rds', title: 'RDS', protects: 'RDS database volumes', grants: true },
  redshift: { via: 'redshift', title: 'Redshift', protects: 'Redshift data' },
  s3: { via: 's3', title: 'S3', protects: 'S3 objects' },
  secretsmanager: { via: 'secretsmanager', title: 'AWS Secrets Manager', protects: 'Secrets Manager secrets' },
  sns: { via: 'sns', title: 'Amazon SNS', protects: 'SNS topics' },
  sqs: { via: 'sqs', title: 'Amazon SQS', protects: 'SQS queues' },
  ssm: { via: 'ssm', title: 'AWS Systems Manager', protects: 'SSM parameters' },
  xray: { via: 'xray', title: 'AWS X-Ray', protects: 'X-Ray traces' },
});

export const MANAGED_KEY_ROTATION_DAYS = 365;

const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/** The service name of a predefined alias (`alias/aws/s3` → `s3`), or undefined. */
export function managedServiceOf(aliasName: string): string | undefined {
  if (!aliasName.startsWith(MANAGED_ALIAS_PREFIX)) return undefined;
  const name = aliasName.slice(MANAGED_ALIAS_PREFIX.length);
  return Object.prototype.hasOwnProperty.call(MANAGED_SERVICES, name) ? name : undefined;
}

/** The key policy AWS gives the managed key of `service` in `account` and `region`. */
export function managedKeyPolicy(service: string, account: string, region: string): string {
  const s = MANAGED_SERVICES[service]!;
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: s.policyId ?? `auto-${service}-2`,
      Statement: [
        {
          Sid: `Allow access through ${s.title} for all principals in the account that are authorized to use ${s.title}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [...USE_ACTIONS, ...(s.grants ? ['kms:CreateGrant'] : []), 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': `${s.via}.${region}.amazonaws.com` } },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: s.metadata ?? ['kms:Describe*', 'kms:Get*', 'kms:List*'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/**
 * The managed key behind a predefined alias of the caller's account and region, created (with its
 * alias) in the request's transaction when this is its first use. Undefined for any other name.
 */
export function ensureManagedKey(ctx: RequestContext, aliasName: string, account: string, region: string): KeyRecord | undefined {
  const service = managedServiceOf(aliasName);
  if (!service || account !== ctx.account || region !== ctx.region) return undefined;
  const partition = ctx.store.findPartition(account, region);
  const existing = partition?.aliases.get(aliasName);
  if (existing) return partition?.keys.get(existing.targetKeyId);
  const key = buildKey({
    id: ctx.newKeyId(false),
    account,
    region,
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    policy: managedKeyPolicy(service, account, region),
    description: `Default key that protects my ${MANAGED_SERVICES[service]!.protects} when no other key is defined`,
    createdAt: ctx.now,
  });
  key.manager = 'AWS';
  key.rotationEnabled = true;
  key.rotationPeriodDays = MANAGED_KEY_ROTATION_DAYS;
  key.nextRotation = ctx.now + MANAGED_KEY_ROTATION_DAYS * DAY_MS;
  ctx.tx.addKey(key);
  ctx.tx.addAlias({ name: aliasName, arn: aliasArn(region, account, aliasName), account, region, targetKeyId: key.id, createdAt: ctx.now, updatedAt: ctx.now });
  return key;
}

/** The predefined aliases of a partition that no key stands behind yet (ListAliases shows them bare). */
export function unusedManagedAliases(existing: ReadonlyMap<string, unknown> | undefined): string[] {
  return Object.keys(MANAGED_SERVICES)
    .map((s) => `${MANAGED_ALIAS_PREFIX}${s}`)
    .filter((name) => !existing?.has(name));
}
