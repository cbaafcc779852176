/**
 * Role-based builders for KMS key policies: pure data in, `PolicyStatement`/`PolicyDocument` out,
 * no cdktf. The statements reproduce the ones AWS documents (Sids included where AWS names them),
 * so a policy built here reads like one written from the AWS docs and passes the linter as they do.
 *
 * Builders run at construct time, so bad input throws an `Error` whose message names the builder,
 * the field and the offending value. Terraform references (`${data.aws_caller_identity.current.account_id}`)
 * are accepted anywhere an account, region, partition or ARN goes and are kept verbatim.
 */
import type { ConditionBlock, PolicyDocument, PolicyStatement } from './model.js';
import {
  ADMIN_ACTIONS,
  ASYMMETRIC_ENCRYPT_USER_ACTIONS,
  HMAC_USER_ACTIONS,
  SERVICE_USER_ACTIONS,
  SERVICE_USER_CONDITION,
  SIGN_VERIFY_USER_ACTIONS,
  SYMMETRIC_USER_ACTIONS,
} from './perms.js';

/** One principal ARN (or account id) or a list of them. */
export type PrincipalArns = string | readonly string[];

/** Options every single-statement role builder takes. */
export interface StatementOptions {
  /** Replaces the default Sid, e.g. to hold two statements of the same role in one policy. */
  readonly sid?: string;
}

/** The Sids the builders use. Exported so tests and the linter can refer to them by name. */
export const SIDS = Object.freeze({
  accountRoot: 'Enable IAM User Permissions',
  admins: 'Allow access for Key Administrators',
  users: 'Allow use of the key',
  serviceUsers: 'Allow attachment of persistent resources',
  cloudWatchLogs: 'Allow CloudWatch Logs to use the key',
  cloudTrailEncrypt: 'Allow CloudTrail to encrypt logs',
  cloudTrailDescribe: 'Allow CloudTrail to describe key',
  cloudTrailDecrypt: 'Allow principals in the account to decrypt log files',
  snsPublishers: 'Allow AWS services to publish to encrypted SNS topics',
});

const TOKEN = /\$\{[^}]*\}/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isToken(value: string): boolean {
  return TOKEN.test(value);
}

function checkAccount(fn: string, field: string, value: unknown): string {
  if (typeof value === 'string' && (ACCOUNT_ID.test(value) || isToken(value))) return value;
  throw new Error(`${fn}: ${field} must be a 12-digit AWS account id or a Terraform \${...} reference, got ${describe(value)}`);
}

function checkRegion(fn: string, value: unknown): string {
  if (typeof value === 'string' && (REGION.test(value) || isToken(value))) return value;
  throw new Error(`${fn}: region must be an AWS Region name such as "us-east-1" or a Terraform \${...} reference, got ${describe(value)}`);
}

function checkPartition(fn: string, value: unknown): string {
  if (value === undefined) return 'aws';
  if (typeof value === 'string' && (PARTITION.test(value) || isToken(value))) return value;
  throw new Error(`${fn}: partition must be "aws", "aws-cn", "aws-us-gov", ... or a Terraform \${...} reference, got ${describe(value)}`);
}

function checkArn(fn: string, field: string, value: unknown): string {
  if (typeof value === 'string' && (value.startsWith('arn:') || isToken(value)) && !/\s/.test(value)) return value;
  throw new Error(`${fn}: ${field} must be an ARN ("arn:...") or a Terraform \${...} reference, got ${describe(value)}`);
}

function checkSid(fn: string, sid: unknown): string | undefined {
  if (sid === undefined) return undefined;
  if (typeof sid === 'string' && sid.trim() !== '') return sid;
  throw new Error(`${fn}: sid must be a non-empty string, got ${describe(sid)}`);
}

/**
 * A principal list as written: ARNs, 12-digit account ids, IAM unique ids, or `${...}` tokens.
 * Only shape is checked here (the linter judges the ARNs); duplicates are dropped, order kept.
 */
function principals(fn: string, field: string, arns: unknown): string[] {
  const list: unknown[] = typeof arns === 'string' ? [arns] : Array.isArray(arns) ? arns : [];
  if (typeof arns !== 'string' && !Array.isArray(arns)) {
    throw new Error(`${fn}: ${field} must be a principal ARN or a list of them, got ${describe(arns)}`);
  }
  if (list.length === 0) throw new Error(`${fn}: ${field} must name at least one principal, got an empty list`);
  const out: string[] = [];
  list.forEach((arn, i) => {
    if (typeof arn !== 'string' || arn.trim() === '' || (/\s/.test(arn) && !isToken(arn))) {
      throw new Error(`${fn}: ${field}[${i}] must be a principal ARN or account id without spaces, got ${describe(arn)}`);
    }
    if (arn === '*') {
      throw new Error(`${fn}: ${field}[${i}] is "*", which would open the key to every AWS account; name the principals instead`);
    }
    if (!out.includes(arn)) out.push(arn);
  });
  return out;
}

/** AWS writes a lone principal as a string and several as a list; so do we. */
function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : values;
}

function roleStatement(
  fn: string,
  defaultSid: string,
  arns: PrincipalArns,
  actions: readonly string[],
  options: StatementOptions | undefined,
  condition?: ConditionBlock,
): PolicyStatement {
  const statement: PolicyStatement = {
    Sid: checkSid(fn, options?.sid) ?? defaultSid,
    Effect: 'Allow',
    Principal: { AWS: oneOrMany(principals(fn, 'arns', arns)) },
    Action: [...actions],
    Resource: '*',
  };
  if (condition) statement.Condition = condition;
  return statement;
}

// ---------------------------------------------------------------------------------------------
// Role statements
// ---------------------------------------------------------------------------------------------

/**
 * AWS's default key policy, exactly: the account principal gets `kms:*`, which lets the account's
 * IAM policies grant access to the key and keeps the key manageable if every named admin is deleted.
 */
export function accountRootStatement(account: string, options: { partition?: string } = {}): PolicyStatement {
  const fn = 'accountRootStatement';
  const acct = checkAccount(fn, 'account', account);
  const partition = checkPartition(fn, options?.partition);
  return {
    Sid: SIDS.accountRoot,
    Effect: 'Allow',
    Principal: { AWS: `arn:${partition}:iam::${acct}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
}

/** Key administrators: {@link ADMIN_ACTIONS}, no cryptographic use. */
export function adminStatement(arns: PrincipalArns, options?: StatementOptions): PolicyStatement {
  return roleStatement('adminStatement', SIDS.admins, arns, ADMIN_ACTIONS, options);
}

/** Users of a symmetric encryption key: {@link SYMMETRIC_USER_ACTIONS}. */
export function symmetricUserStatement(arns: PrincipalArns, options?: StatementOptions): PolicyStatement {
  return roleStatement('symmetricUserStatement', SIDS.users, arns, SYMMETRIC_USER_ACTIONS, options);
}

/** Users of an HMAC key: {@link HMAC_USER_ACTIONS}. */
export function hmacUserStatement(arns: PrincipalArns, options?: StatementOptions): PolicyStatement {
  return roleStatement('hmacUserStatement', SIDS.users, arns, HMAC_USER_ACTIONS, options);
}

/** Users of an asymmetric signing key: {@link SIGN_VERIFY_USER_ACTIONS}. */
export function signVerifyUserStatement(arns: PrincipalArns, options?: StatementOptions): PolicyStatement {
  return roleStatement('signVerifyUserStatement', SIDS.users, arns, SIGN_VERIFY_USER_ACTIONS, options);
}

/** Users of an asymmetric encryption key: {@link ASYMMETRIC_ENCRYPT_USER_ACTIONS}. */
export function asymmetricEncryptUserStatement(arns: PrincipalArns, options?: StatementOptions): PolicyStatement {
  return roleStatement('asymmetricEncryptUserStatement', SIDS.users, arns, ASYMMETRIC_ENCRYPT_USER_ACTIONS, options);
}

/**
 * Principals whose AWS services may create grants on the key ("Allow attachment of persistent
 * resources"): {@link SERVICE_USER_ACTIONS} under `Bool kms:GrantIsForAWSResource = "true"`.
 */
export function serviceUserStatement(arns: PrincipalArns, options?: StatementOptions): PolicyStatement {
  return roleStatement('serviceUserStatement', SIDS.serviceUsers, arns, SERVICE_USER_ACTIONS, options, {
    Bool: { ...SERVICE_USER_CONDITION.Bool },
  });
}

// ---------------------------------------------------------------------------------------------
// Canned service statements
// ---------------------------------------------------------------------------------------------

/** Options of `cloudWatchLogsStatement`. */
export interface CloudWatchLogsOptions {
  /** The Region of the log groups; CloudWatch Logs' service principal is Regional. */
  readonly region: string;
  readonly account: string;
  /** One log group. @default every log group of the account in the Region */
  readonly logGroupArn?: string;
  /** @default "aws" */
  readonly partition?: string;
}

/**
 * Lets CloudWatch Logs encrypt log groups with the key ("Encrypt log data in CloudWatch Logs using
 * AWS KMS"). The `kms:EncryptionContext:aws:logs:arn` condition is what scopes the service to the
 * account's log groups; AWS documents it instead of `aws:SourceArn`.
 */
export function cloudWatchLogsStatement(options: CloudWatchLogsOptions): PolicyStatement {
  const fn = 'cloudWatchLogsStatement';
  if (typeof options !== 'object' || options === null) throw new Error(`${fn}: expected { region, account, logGroupArn? }, got ${describe(options)}`);
  const region = checkRegion(fn, options.region);
  const account = checkAccount(fn, 'account', options.account);
  const partition = checkPartition(fn, options.partition);
  const logGroupArn =
    options.logGroupArn === undefined
      ? `arn:${partition}:logs:${region}:${account}:log-group:*`
      : checkArn(fn, 'logGroupArn', options.logGroupArn);
  const suffix = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return {
    Sid: SIDS.cloudWatchLogs,
    Effect: 'Allow',
    Principal: { Service: `logs.${region}.${suffix}` },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
  };
}

/** Options of `cloudTrailStatements`. */
export interface CloudTrailOptions {
  readonly account: string;
  /** The trail's home Region, used for the default `aws:SourceArn` pattern. */
  readonly region: string;
  /** One trail. @default every trail of the account in the Region (`StringLike`) */
  readonly trailArn?: string;
  /** @default "aws" */
  readonly partition?: string;
}

/**
 * The three statements of "Configure AWS KMS key policies for CloudTrail": CloudTrail may generate
 * data keys for the account's trails and describe the key, both pinned to the trail with
 * `aws:SourceArn`; principals of the account may decrypt what CloudTrail wrote (the
 * `kms:CallerAccount` condition is what makes the `"AWS": "*"` principal safe).
 */
export function cloudTrailStatements(options: CloudTrailOptions): PolicyStatement[] {
  const fn = 'cloudTrailStatements';
  if (typeof options !== 'object' || options === null) throw new Error(`${fn}: expected { account, region, trailArn? }, got ${describe(options)}`);
  const account = checkAccount(fn, 'account', options.account);
  const region = checkRegion(fn, options.region);
  const partition = checkPartition(fn, options.partition);
  const contextArn = `arn:${partition}:cloudtrail:*:${account}:trail/*`;
  const sourceArn: ConditionBlock =
    options.trailArn === undefined
      ? { StringLike: { 'aws:SourceArn': `arn:${partition}:cloudtrail:${region}:${account}:trail/*` } }
      : { StringEquals: { 'aws:SourceArn': checkArn(fn, 'trailArn', options.trailArn) } };
  const encryptCondition: ConditionBlock = {
    ...sourceArn,
    StringLike: { ...(sourceArn['StringLike'] ?? {}), 'kms:EncryptionContext:aws:cloudtrail:arn': contextArn },
  };
  return [
    {
      Sid: SIDS.cloudTrailEncrypt,
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: encryptCondition,
    },
    {
      Sid: SIDS.cloudTrailDescribe,
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: structuredClone(sourceArn),
    },
    {
      Sid: SIDS.cloudTrailDecrypt,
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': account },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': contextArn },
      },
    },
  ];
}

/** Options of `snsPublisherStatement`. */
export interface SnsPublisherOptions {
  /**
   * The service principals that publish to the encrypted topic, e.g. `cloudwatch.amazonaws.com`
   * (CloudWatch alarms) and `events.amazonaws.com` (EventBridge).
   */
  readonly services: string | readonly string[];
  /** The account whose resources (alarms, rules) publish; becomes `aws:SourceAccount`. */
  readonly account: string;
}

/**
 * Lets AWS services publish to an SNS topic encrypted with the key ("Enable compatibility between
 * event sources from AWS services and encrypted topics"): `kms:GenerateDataKey*` and `kms:Decrypt`,
 * limited with `aws:SourceAccount` against the confused-deputy problem.
 *
 * Accepts `(options)` or, as a shorthand, `(services, account)`.
 */
export function snsPublisherStatement(options: SnsPublisherOptions): PolicyStatement;
export function snsPublisherStatement(services: string | readonly string[], account: string): PolicyStatement;
export function snsPublisherStatement(first: SnsPublisherOptions | string | readonly string[], second?: string): PolicyStatement {
  const fn = 'snsPublisherStatement';
  const opts: Partial<SnsPublisherOptions> =
    typeof first === 'string' || Array.isArray(first)
      ? { services: first as string | readonly string[], ...(second === undefined ? {} : { account: second }) }
      : typeof first === 'object' && first !== null
        ? (first as SnsPublisherOptions)
        : {};
  if (opts.services === undefined) throw new Error(`${fn}: expected { services, account }, got ${describe(first)}`);
  const account = checkAccount(fn, 'account', opts.account);
  const services = typeof opts.services === 'string' ? [opts.services] : Array.isArray(opts.services) ? [...opts.services] : [];
  if (services.length === 0) throw new Error(`${fn}: services must name at least one service principal, got ${describe(opts.services)}`);
  services.forEach((s, i) => {
    if (typeof s !== 'string' || !(SERVICE_PRINCIPAL.test(s) || isToken(s))) {
      throw new Error(`${fn}: services[${i}] must be a service principal such as "cloudwatch.amazonaws.com", got ${describe(s)}`);
    }
  });
  const unique = [...new Set(services)];
  return {
    Sid: SIDS.snsPublishers,
    Effect: 'Allow',
    Principal: { Service: oneOrMany(unique) },
    Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:SourceAccount': account } },
  };
}

// ---------------------------------------------------------------------------------------------
// Whole documents
// ---------------------------------------------------------------------------------------------

/** Options of `keyPolicy`: the account, the principals of each role, and extra statements. */
export interface KeyPolicyOptions {
  /** The account that owns the key. */
  readonly account: string;
  /** @default "aws" */
  readonly partition?: string;
  /** Key administrators (manage, never use). */
  readonly admins?: PrincipalArns;
  /** Users of a symmetric encryption key. */
  readonly users?: PrincipalArns;
  /** Users of an HMAC key. */
  readonly hmacUsers?: PrincipalArns;
  /** Users of an asymmetric signing key. */
  readonly signVerifyUsers?: PrincipalArns;
  /** Users of an asymmetric encryption key. */
  readonly asymmetricEncryptUsers?: PrincipalArns;
  /** Principals whose AWS services may create grants on the key. */
  readonly serviceUsers?: PrincipalArns;
  /** Further statements, appended as given (service statements, denies, ...). */
  readonly statements?: readonly PolicyStatement[];
  /**
   * Leave out the account-root statement. Without it the account's IAM policies cannot grant
   * access to the key, and if every principal the policy names is deleted the key is unmanageable
   * until AWS Support steps in; so the choice has to be explained.
   * @default the account-root statement comes first
   */
  readonly omitAccountRoot?: { readonly reason: string };
  /** The document's `Id`. @default none */
  readonly id?: string;
}

function isEmptyRole(arns: PrincipalArns | undefined): boolean {
  return arns === undefined || (Array.isArray(arns) && arns.length === 0);
}

/**
 * A complete key policy: Version 2012-10-17; the account-root statement first (unless omitted with
 * a reason); then one statement per non-empty role in the order admins, users (of whichever key
 * type), service users; then `statements`. Sids must be unique across the document.
 */
export function keyPolicy(options: KeyPolicyOptions): PolicyDocument {
  const fn = 'keyPolicy';
  if (typeof options !== 'object' || options === null) throw new Error(`${fn}: expected { account, admins?, users?, ... }, got ${describe(options)}`);
  const account = checkAccount(fn, 'account', options.account);
  const partition = checkPartition(fn, options.partition);

  const omit = options.omitAccountRoot;
  if (omit !== undefined) {
    const reason: unknown = typeof omit === 'object' && omit !== null ? (omit as { reason?: unknown }).reason : undefined;
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(
        `${fn}: omitAccountRoot needs a non-empty reason, e.g. omitAccountRoot: { reason: "..." }; got ${describe(omit)}. ` +
          'Without the account-root statement IAM policies cannot grant access to the key and it can become unmanageable.',
      );
    }
  }

  const userKinds = (['users', 'hmacUsers', 'signVerifyUsers', 'asymmetricEncryptUsers'] as const).filter((k) => !isEmptyRole(options[k]));
  if (userKinds.length > 1) {
    throw new Error(
      `${fn}: ${userKinds.join(' and ')} are user roles for different key types, but a key has one type; pass only one (or add a statement with its own sid)`,
    );
  }

  const statements: PolicyStatement[] = [];
  if (omit === undefined) statements.push(accountRootStatement(account, { partition }));
  const role = (arns: PrincipalArns | undefined, field: string, build: (a: PrincipalArns) => PolicyStatement) => {
    if (isEmptyRole(arns)) return;
    try {
      statements.push(build(arns as PrincipalArns));
    } catch (err) {
      // Re-word so the message names the keyPolicy field the caller actually wrote.
      const message = err instanceof Error ? err.message.replace(/^\w+: arns/, `${fn}: ${field}`) : String(err);
      throw new Error(message);
    }
  };
  role(options.admins, 'admins', adminStatement);
  role(options.users, 'users', symmetricUserStatement);
  role(options.hmacUsers, 'hmacUsers', hmacUserStatement);
  role(options.signVerifyUsers, 'signVerifyUsers', signVerifyUserStatement);
  role(options.asymmetricEncryptUsers, 'asymmetricEncryptUsers', asymmetricEncryptUserStatement);
  role(options.serviceUsers, 'serviceUsers', serviceUserStatement);

  if (options.statements !== undefined) {
    if (!Array.isArray(options.statements)) throw new Error(`${fn}: statements must be a list of policy statements, got ${describe(options.statements)}`);
    options.statements.forEach((s, i) => {
      if (typeof s !== 'object' || s === null || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) {
        throw new Error(`${fn}: statements[${i}] must be a policy statement with Effect "Allow" or "Deny", got ${describe(s)}`);
      }
      try {
        statements.push(structuredClone(s));
      } catch {
        throw new Error(`${fn}: statements[${i}] must be plain JSON data (strings, numbers, booleans, arrays, objects)`);
      }
    });
  }

  if (statements.length === 0) {
    throw new Error(`${fn}: the policy would have no statements (account root omitted and no roles or statements given)`);
  }
  const seen = new Set<string>();
  for (const s of statements) {
    if (s.Sid === undefined) continue;
    if (seen.has(s.Sid)) throw new Error(`${fn}: two statements share the Sid ${describe(s.Sid)}; give one of them another sid`);
    seen.add(s.Sid);
  }

  if (options.id === undefined) return { Version: '2012-10-17', Statement: statements };
  if (typeof options.id !== 'string' || options.id === '') throw new Error(`${fn}: id must be a non-empty string, got ${describe(options.id)}`);
  return { Version: '2012-10-17', Id: options.id, Statement: statements };
}
