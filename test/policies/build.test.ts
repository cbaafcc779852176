import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  SIDS,
  accountRootStatement,
  adminStatement,
  asymmetricEncryptUserStatement,
  cloudTrailStatements,
  cloudWatchLogsStatement,
  hmacUserStatement,
  keyPolicy,
  serviceUserStatement,
  signVerifyUserStatement,
  snsPublisherStatement,
  symmetricUserStatement,
} from '../../policies/build.js';
import { evaluate } from '../../policies/evaluate.js';
import type { ContextValue, PolicyDocument, PolicyStatement } from '../../policies/model.js';
import { parsePolicy } from '../../policies/parse.js';
import {
  ADMIN_ACTIONS,
  ASYMMETRIC_ENCRYPT_USER_ACTIONS,
  CRYPTO_ACTIONS,
  HMAC_USER_ACTIONS,
  SERVICE_USER_ACTIONS,
  SIGN_VERIFY_USER_ACTIONS,
  SYMMETRIC_USER_ACTIONS,
  actionMatches,
} from '../../policies/perms.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '../../policies/examples');
const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/KMSAdminRole`;
const USER = `arn:aws:iam::${ACCOUNT}:role/ExampleRole`;

function example(name: string): PolicyDocument {
  return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as PolicyDocument;
}

function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Compares statements the way IAM reads them: list order and one-vs-many do not matter. */
function canonical(s: PolicyStatement): unknown {
  const principal =
    s.Principal === undefined || s.Principal === '*'
      ? s.Principal
      : Object.fromEntries(Object.entries(s.Principal).map(([k, v]) => [k, asList(v as string | string[]).sort()]));
  const condition =
    s.Condition === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(s.Condition).map(([op, keys]) => [
            op,
            Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String).sort()])),
          ]),
        );
  return {
    Sid: s.Sid,
    Effect: s.Effect,
    Principal: principal,
    Action: asList(s.Action as string | string[] | undefined).sort(),
    Resource: asList(s.Resource as string | string[] | undefined).sort(),
    Condition: condition,
  };
}

describe('accountRootStatement', () => {
  it('is exactly the statement of AWS default key policy', () => {
    const doc = example('default-key-policy-programmatic.json');
    expect(accountRootStatement(ACCOUNT)).toEqual(statementsOf(doc)[0]);
  });

  it('keeps a Terraform account reference verbatim and honours the partition', () => {
    const s = accountRootStatement('${data.aws_caller_identity.current.account_id}', { partition: '${data.aws_partition.current.partition}' });
    expect(s.Principal).toEqual({ AWS: 'arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root' });
    expect(accountRootStatement(ACCOUNT, { partition: 'aws-us-gov' }).Principal).toEqual({ AWS: `arn:aws-us-gov:iam::${ACCOUNT}:root` });
  });

  it('rejects an account that is not a 12-digit id, naming the value', () => {
    expect(() => accountRootStatement('12345')).toThrow('accountRootStatement: account must be a 12-digit AWS account id or a Terraform ${...} reference, got "12345"');
    expect(() => accountRootStatement(undefined as unknown as string)).toThrow(/got undefined/);
    expect(() => accountRootStatement(ACCOUNT, { partition: 'AWS CN' })).toThrow(/partition must be/);
  });
});

describe('role statements', () => {
  const builders: Array<[string, (arns: string | string[]) => PolicyStatement, string[], string]> = [
    ['adminStatement', adminStatement, ADMIN_ACTIONS, SIDS.admins],
    ['symmetricUserStatement', symmetricUserStatement, SYMMETRIC_USER_ACTIONS, SIDS.users],
    ['hmacUserStatement', hmacUserStatement, HMAC_USER_ACTIONS, SIDS.users],
    ['signVerifyUserStatement', signVerifyUserStatement, SIGN_VERIFY_USER_ACTIONS, SIDS.users],
    ['asymmetricEncryptUserStatement', asymmetricEncryptUserStatement, ASYMMETRIC_ENCRYPT_USER_ACTIONS, SIDS.users],
    ['serviceUserStatement', serviceUserStatement, SERVICE_USER_ACTIONS, SIDS.serviceUsers],
  ];

  it.each(builders)('%s allows its action set to the named principals on Resource "*"', (_name, build, actions, sid) => {
    const s = build([ADMIN, USER]);
    expect(s.Sid).toBe(sid);
    expect(s.Effect).toBe('Allow');
    expect(s.Principal).toEqual({ AWS: [ADMIN, USER] });
    expect(s.Action).toEqual(actions);
    expect(s.Resource).toBe('*');
  });

  it.each(builders)('%s writes a lone principal as a string, as AWS does', (_name, build) => {
    expect(build(USER).Principal).toEqual({ AWS: USER });
    expect(build([USER, USER]).Principal).toEqual({ AWS: USER });
  });

  it.each(builders)('%s returns a copy of the action set, not the shared array', (_name, build, actions) => {
    const s = build(USER);
    (s.Action as string[]).push('kms:Extra');
    expect(actions).not.toContain('kms:Extra');
  });

  it.each(builders)('%s rejects an empty list, a blank ARN and "*"', (name, build) => {
    expect(() => build([])).toThrow(`${name}: arns must name at least one principal, got an empty list`);
    expect(() => build([USER, ' '])).toThrow(`${name}: arns[1] must be a principal ARN or account id without spaces, got " "`);
    expect(() => build(['*'])).toThrow(/would open the key to every AWS account/);
    expect(() => build(42 as unknown as string)).toThrow(`${name}: arns must be a principal ARN or a list of them, got 42`);
  });

  it('only the service-user statement carries a condition: Bool kms:GrantIsForAWSResource "true"', () => {
    expect(serviceUserStatement(USER).Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    for (const [, build] of builders.slice(0, 5)) expect(build(USER).Condition).toBeUndefined();
  });

  it('the admin statement grants no cryptographic operation', () => {
    const actions = asList(adminStatement(ADMIN).Action as string[]);
    for (const pattern of actions) {
      for (const crypto of CRYPTO_ACTIONS) expect(actionMatches(pattern, crypto), `${pattern} covers ${crypto}`).toBe(false);
    }
  });

  it('keeps ARNs containing Terraform references verbatim', () => {
    const arn = 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${var.role_name}';
    expect(symmetricUserStatement(arn).Principal).toEqual({ AWS: arn });
  });

  it('takes a sid override, and rejects a blank one', () => {
    expect(hmacUserStatement(USER, { sid: 'Allow HMAC use' }).Sid).toBe('Allow HMAC use');
    expect(() => hmacUserStatement(USER, { sid: '  ' })).toThrow('hmacUserStatement: sid must be a non-empty string, got "  "');
  });
});

describe('cloudWatchLogsStatement', () => {
  it('matches the AWS-documented statement, scoped to the account log groups by default', () => {
    const doc = example('cloudwatch-logs.json');
    expect(cloudWatchLogsStatement({ region: 'us-west-2', account: ACCOUNT })).toEqual(statementsOf(doc)[1]);
  });

  it('uses the Regional service principal and the ArnLike encryption-context condition', () => {
    const arn = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/app/api`;
    const s = cloudWatchLogsStatement({ region: 'eu-west-1', account: ACCOUNT, logGroupArn: arn });
    expect(s.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(s.Action).toEqual(['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*']);
    expect(s.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arn } });
  });

  it('uses the .com.cn service principal in the China partition', () => {
    const s = cloudWatchLogsStatement({ region: 'cn-north-1', account: ACCOUNT, partition: 'aws-cn' });
    expect(s.Principal).toEqual({ Service: 'logs.cn-north-1.amazonaws.com.cn' });
    expect(s.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:*` } });
  });

  it('rejects a bad region, account or log group ARN with the value in the message', () => {
    expect(() => cloudWatchLogsStatement({ region: 'Virginia', account: ACCOUNT })).toThrow('cloudWatchLogsStatement: region must be an AWS Region name such as "us-east-1" or a Terraform ${...} reference, got "Virginia"');
    expect(() => cloudWatchLogsStatement({ region: 'us-east-1', account: 'me' })).toThrow(/account must be a 12-digit AWS account id .* got "me"/);
    expect(() => cloudWatchLogsStatement({ region: 'us-east-1', account: ACCOUNT, logGroupArn: 'my-group' })).toThrow(/logGroupArn must be an ARN .* got "my-group"/);
    expect(() => cloudWatchLogsStatement(undefined as never)).toThrow(/expected \{ region, account, logGroupArn\? \}/);
  });
});

describe('cloudTrailStatements', () => {
  const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`;

  it('matches the AWS-documented encrypt, describe and decrypt statements', () => {
    const doc = statementsOf(example('cloudtrail.json'));
    const built = cloudTrailStatements({ account: ACCOUNT, region: 'us-east-1', trailArn });
    expect(built.map(canonical)).toEqual(doc.slice(1, 4).map(canonical));
  });

  it('pins encryption to the trail with aws:SourceArn and to the account trails with the encryption context', () => {
    const [encrypt, describeKey, decrypt] = cloudTrailStatements({ account: ACCOUNT, region: 'us-east-1', trailArn });
    expect(encrypt?.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(encrypt?.Action).toBe('kms:GenerateDataKey*');
    expect(encrypt?.Condition).toEqual({
      StringEquals: { 'aws:SourceArn': trailArn },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
    });
    expect(describeKey?.Action).toBe('kms:DescribeKey');
    expect(describeKey?.Condition).toEqual({ StringEquals: { 'aws:SourceArn': trailArn } });
    expect(decrypt?.Principal).toEqual({ AWS: '*' });
    expect(decrypt?.Condition?.['StringEquals']).toEqual({ 'kms:CallerAccount': ACCOUNT });
  });

  it('without a trail ARN, matches every trail of the account in the Region with StringLike', () => {
    const [encrypt, describeKey] = cloudTrailStatements({ account: ACCOUNT, region: 'eu-central-1' });
    const pattern = `arn:aws:cloudtrail:eu-central-1:${ACCOUNT}:trail/*`;
    expect(encrypt?.Condition).toEqual({
      StringLike: { 'aws:SourceArn': pattern, 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
    });
    expect(describeKey?.Condition).toEqual({ StringLike: { 'aws:SourceArn': pattern } });
  });

  it('statements do not share condition objects', () => {
    const [encrypt, describeKey] = cloudTrailStatements({ account: ACCOUNT, region: 'us-east-1', trailArn });
    expect(describeKey?.Condition).not.toBe(encrypt?.Condition);
    (describeKey?.Condition?.['StringEquals'] as Record<string, string>)['aws:SourceArn'] = 'changed';
    expect(encrypt?.Condition?.['StringEquals']).toEqual({ 'aws:SourceArn': trailArn });
  });

  it('rejects a trail ARN that is not an ARN', () => {
    expect(() => cloudTrailStatements({ account: ACCOUNT, region: 'us-east-1', trailArn: 'management-events' })).toThrow(
      'cloudTrailStatements: trailArn must be an ARN ("arn:...") or a Terraform ${...} reference, got "management-events"',
    );
  });
});

describe('snsPublisherStatement', () => {
  it('lets CloudWatch alarms and EventBridge publish, limited by aws:SourceAccount', () => {
    const s = snsPublisherStatement({ services: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'], account: ACCOUNT });
    expect(s).toEqual({
      Sid: SIDS.snsPublishers,
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
  });

  it('grants what the AWS-documented SNS example grants each publisher', () => {
    const doc = statementsOf(example('sns-cloudwatch-eventbridge.json'));
    const built = snsPublisherStatement('events.amazonaws.com', ACCOUNT);
    const documented = doc.find((s) => JSON.stringify(s.Principal).includes('events.amazonaws.com'));
    expect(built.Principal).toEqual(documented?.Principal);
    expect(built.Action).toEqual(documented?.Action);
    expect(built.Condition).toEqual(documented?.Condition);
  });

  it('accepts the (services, account) shorthand', () => {
    expect(snsPublisherStatement(['cloudwatch.amazonaws.com'], ACCOUNT).Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
  });

  it('requires an account and real service principals', () => {
    expect(() => snsPublisherStatement(['events.amazonaws.com'] as never)).toThrow(/snsPublisherStatement: account must be a 12-digit AWS account id .* got undefined/);
    expect(() => snsPublisherStatement({ services: ['events'], account: ACCOUNT })).toThrow(
      'snsPublisherStatement: services[0] must be a service principal such as "cloudwatch.amazonaws.com", got "events"',
    );
    expect(() => snsPublisherStatement({ services: [], account: ACCOUNT })).toThrow(/services must name at least one service principal/);
  });
});

describe('keyPolicy', () => {
  it('with no roles is AWS programmatic default key policy', () => {
    const doc = keyPolicy({ account: ACCOUNT });
    const documented = example('default-key-policy-programmatic.json');
    expect(doc).toEqual({ Version: '2012-10-17', Statement: documented.Statement });
  });

  it('with admins, users and service users is AWS console default key policy', () => {
    const documented = example('default-key-policy-console.json');
    const users = [`arn:aws:iam::${ACCOUNT}:user/ExampleUser`, USER];
    const doc = keyPolicy({
      account: ACCOUNT,
      admins: [`arn:aws:iam::${ACCOUNT}:user/KMSAdminUser`, ADMIN],
      users,
      serviceUsers: users,
      id: 'key-consolepolicy-3',
    });
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Id).toBe('key-consolepolicy-3');
    expect(statementsOf(doc).map(canonical)).toEqual(statementsOf(documented).map(canonical));
  });

  it('puts the account root first and one statement per non-empty role, in a stable order', () => {
    const doc = keyPolicy({
      account: ACCOUNT,
      serviceUsers: [USER],
      admins: ADMIN,
      hmacUsers: [],
      signVerifyUsers: [USER],
      statements: [snsPublisherStatement('events.amazonaws.com', ACCOUNT)],
    });
    expect(statementsOf(doc).map((s) => s.Sid)).toEqual([SIDS.accountRoot, SIDS.admins, SIDS.users, SIDS.serviceUsers, SIDS.snsPublishers]);
    expect(statementsOf(doc)[2]?.Action).toEqual(SIGN_VERIFY_USER_ACTIONS);
  });

  it('builds the CloudTrail example from its builders', () => {
    const documented = statementsOf(example('cloudtrail.json'));
    const doc = keyPolicy({
      account: ACCOUNT,
      statements: cloudTrailStatements({ account: ACCOUNT, region: 'us-east-1', trailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events` }),
    });
    expect(statementsOf(doc).map(canonical)).toEqual(documented.slice(0, 4).map(canonical));
  });

  it('omits the account root only with a reason', () => {
    const doc = keyPolicy({ account: ACCOUNT, admins: ADMIN, omitAccountRoot: { reason: 'break-glass role manages this key' } });
    expect(statementsOf(doc).map((s) => s.Sid)).toEqual([SIDS.admins]);
  });

  it.each([
    ['an empty reason', { reason: '' }],
    ['a blank reason', { reason: '   ' }],
    ['no reason', {}],
    ['true instead of an object', true],
  ])('refuses omitAccountRoot with %s, naming the missing reason', (_label, omit) => {
    expect(() => keyPolicy({ account: ACCOUNT, admins: ADMIN, omitAccountRoot: omit as { reason: string } })).toThrow(
      /^keyPolicy: omitAccountRoot needs a non-empty reason, e\.g\. omitAccountRoot: \{ reason: "\.\.\." \}/,
    );
  });

  it('keeps Terraform references verbatim', () => {
    const doc = keyPolicy({
      account: '${data.aws_caller_identity.current.account_id}',
      admins: ['${aws_iam_role.admin.arn}'],
      users: ['arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/app'],
    });
    const [root, admin, user] = statementsOf(doc);
    expect(root?.Principal).toEqual({ AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root' });
    expect(admin?.Principal).toEqual({ AWS: '${aws_iam_role.admin.arn}' });
    expect(user?.Principal).toEqual({ AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/app' });
  });

  it('refuses user roles of two key types at once', () => {
    expect(() => keyPolicy({ account: ACCOUNT, users: USER, hmacUsers: USER })).toThrow(
      'keyPolicy: users and hmacUsers are user roles for different key types, but a key has one type',
    );
  });

  it('refuses duplicate Sids between generated and extra statements', () => {
    expect(() => keyPolicy({ account: ACCOUNT, admins: ADMIN, statements: [adminStatement(`arn:aws:iam::${OTHER}:root`)] })).toThrow(
      'keyPolicy: two statements share the Sid "Allow access for Key Administrators"',
    );
  });

  it('names the keyPolicy field when a role list is bad', () => {
    expect(() => keyPolicy({ account: ACCOUNT, admins: [ADMIN, ''] })).toThrow('keyPolicy: admins[1] must be a principal ARN or account id without spaces, got ""');
    expect(() => keyPolicy({ account: ACCOUNT, serviceUsers: 7 as unknown as string })).toThrow('keyPolicy: serviceUsers must be a principal ARN or a list of them, got 7');
  });

  it('rejects a bad account, a bad extra statement and an empty document', () => {
    expect(() => keyPolicy({ account: '1111-2222-3333' })).toThrow('keyPolicy: account must be a 12-digit AWS account id or a Terraform ${...} reference, got "1111-2222-3333"');
    expect(() => keyPolicy({ account: ACCOUNT, statements: [{ Effect: 'allow' } as unknown as PolicyStatement] })).toThrow(
      /keyPolicy: statements\[0\] must be a policy statement with Effect "Allow" or "Deny"/,
    );
    expect(() => keyPolicy({ account: ACCOUNT, omitAccountRoot: { reason: 'x' } })).toThrow(/the policy would have no statements/);
    expect(() => keyPolicy(null as never)).toThrow(/keyPolicy: expected \{ account/);
    expect(() => keyPolicy({ account: ACCOUNT, id: '' })).toThrow('keyPolicy: id must be a non-empty string, got ""');
    const cyclic: Record<string, unknown> = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Principal: { AWS: USER } };
    cyclic['Self'] = () => cyclic;
    expect(() => keyPolicy({ account: ACCOUNT, statements: [cyclic as unknown as PolicyStatement] })).toThrow('keyPolicy: statements[0] must be plain JSON data');
  });

  it('copies extra statements so later edits do not leak into the document', () => {
    const extra = snsPublisherStatement('events.amazonaws.com', ACCOUNT);
    const doc = keyPolicy({ account: ACCOUNT, statements: [extra] });
    (extra.Condition as Record<string, Record<string, string>>)['StringEquals']!['aws:SourceAccount'] = OTHER;
    expect(statementsOf(doc)[1]?.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
  });

  it('is plain JSON data (round-trips through JSON unchanged)', () => {
    const doc = keyPolicy({ account: ACCOUNT, admins: ADMIN, users: USER, serviceUsers: USER, statements: cloudTrailStatements({ account: ACCOUNT, region: 'us-east-1' }) });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe('policies/examples', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

  it('holds the AWS-documented patterns the linter must accept', () => {
    for (const topic of ['default', 'cloudtrail', 'cloudwatch-logs', 'sns', 's3', 'autoscaling', 'ebs', 'cross-account', 'org']) {
      expect(files.some((f) => f.includes(topic)), topic).toBe(true);
    }
  });

  it('are all listed, with their AWS source, in the folder README', () => {
    const readme = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
    for (const f of files) {
      const row = readme.split('\n').find((line) => line.includes(`\`${f}\``));
      expect(row, f).toBeDefined();
      expect(row).toMatch(/https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  it.each(files)('%s parses as JSON, with Version 2012-10-17 and Resource "*" in every statement', (file) => {
    const doc = example(file);
    expect(doc.Version).toBe('2012-10-17');
    const statements = statementsOf(doc);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Resource).toBe('*');
      expect(['Allow', 'Deny']).toContain(s.Effect);
      expect(s.Principal).toBeDefined();
    }
  });

  it.each(files)('%s uses only 111122223333, 444455556666 and AWS placeholders as accounts', (file) => {
    const text = readFileSync(join(EXAMPLES, file), 'utf8');
    const accounts = new Set(text.match(/\b\d{12}\b/g) ?? []);
    for (const a of accounts) expect([ACCOUNT, OTHER]).toContain(a);
  });

  it.each(files)('%s keeps the account root able to manage the key (kms:* for arn:aws:iam::111122223333:root)', (file) => {
    // Evaluated rather than compared: the CloudTrail console lists the key's creator in the same statement.
    const policy = parsePolicy(readFileSync(join(EXAMPLES, file), 'utf8')).policy!;
    const r = evaluate({ principal: `arn:aws:iam::${ACCOUNT}:root`, action: 'kms:PutKeyPolicy', resource: '*' }, [policy]);
    expect(r.decision).toBe('allow');
    expect(r.allowedBy.some((m) => m.principalMatch === 'exact' && policy.statements[m.statementIndex]!.conditions.length === 0 && policy.statements[m.statementIndex]!.actions?.some((a) => a.text === 'kms:*'))).toBe(true);
  });
});

/**
 * What the built policies actually let through, through the project's own parser and evaluator:
 * the property that matters to a user is who can do what, not the JSON shape.
 */
describe('built policies, evaluated', () => {
  const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  function decide(doc: PolicyDocument, principal: string, action: string, context?: Record<string, ContextValue>) {
    const parsed = parsePolicy(JSON.stringify(doc));
    expect(parsed.problems).toEqual([]);
    if (parsed.policy === undefined) throw new Error('the built policy did not parse');
    return evaluate({ principal, action, resource: KEY, ...(context ? { context } : {}) }, [parsed.policy]).decision;
  }

  it('every builder output and every example parses without a problem', () => {
    const docs: PolicyDocument[] = [
      keyPolicy({ account: ACCOUNT, admins: ADMIN, users: USER, serviceUsers: USER }),
      keyPolicy({ account: ACCOUNT, hmacUsers: USER }),
      keyPolicy({ account: ACCOUNT, signVerifyUsers: USER }),
      keyPolicy({ account: ACCOUNT, asymmetricEncryptUsers: USER }),
      keyPolicy({
        account: ACCOUNT,
        statements: [
          ...cloudTrailStatements({ account: ACCOUNT, region: 'us-east-1' }),
          cloudWatchLogsStatement({ account: ACCOUNT, region: 'us-east-1' }),
          snsPublisherStatement(['cloudwatch.amazonaws.com', 'events.amazonaws.com'], ACCOUNT),
        ],
      }),
      ...readdirSync(EXAMPLES)
        .filter((f) => f.endsWith('.json'))
        .map(example),
    ];
    for (const doc of docs) expect(parsePolicy(JSON.stringify(doc)).problems).toEqual([]);
  });

  it('an administrator can manage the key but not use it; a user can use it but not manage it', () => {
    // Without the account-root statement, which would delegate everything to the account's IAM policies.
    const doc = keyPolicy({ account: ACCOUNT, admins: ADMIN, users: USER, omitAccountRoot: { reason: 'judge the role statements alone' } });
    expect(decide(doc, ADMIN, 'kms:PutKeyPolicy')).toBe('allow');
    expect(decide(doc, ADMIN, 'kms:ScheduleKeyDeletion')).toBe('allow');
    expect(decide(doc, ADMIN, 'kms:Decrypt')).toBe('implicit-deny');
    expect(decide(doc, USER, 'kms:Decrypt')).toBe('allow');
    expect(decide(doc, USER, 'kms:GenerateDataKeyWithoutPlaintext')).toBe('allow');
    expect(decide(doc, USER, 'kms:PutKeyPolicy')).toBe('implicit-deny');
    expect(decide(doc, `arn:aws:iam::${OTHER}:role/ExampleRole`, 'kms:Decrypt')).toBe('implicit-deny');
  });

  it('the account root keeps every action (the statement that prevents lockout)', () => {
    const doc = keyPolicy({ account: ACCOUNT, admins: ADMIN });
    expect(decide(doc, `arn:aws:iam::${ACCOUNT}:root`, 'kms:PutKeyPolicy')).toBe('allow');
    expect(decide(doc, `arn:aws:iam::${OTHER}:root`, 'kms:PutKeyPolicy')).toBe('implicit-deny');
  });

  it('a service user can create grants only for AWS resources', () => {
    const doc = keyPolicy({ account: ACCOUNT, serviceUsers: USER, omitAccountRoot: { reason: 'isolate the service-user statement' } });
    expect(decide(doc, USER, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': true })).toBe('allow');
    expect(decide(doc, USER, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': false })).toBe('implicit-deny');
    expect(decide(doc, USER, 'kms:CreateGrant')).toBe('implicit-deny');
  });

  it('the HMAC, sign/verify and asymmetric-encrypt users get their key type operations only', () => {
    const omit = { reason: 'isolate the user statement' };
    expect(decide(keyPolicy({ account: ACCOUNT, hmacUsers: USER, omitAccountRoot: omit }), USER, 'kms:VerifyMac')).toBe('allow');
    expect(decide(keyPolicy({ account: ACCOUNT, hmacUsers: USER, omitAccountRoot: omit }), USER, 'kms:Encrypt')).toBe('implicit-deny');
    expect(decide(keyPolicy({ account: ACCOUNT, signVerifyUsers: USER, omitAccountRoot: omit }), USER, 'kms:Sign')).toBe('allow');
    expect(decide(keyPolicy({ account: ACCOUNT, signVerifyUsers: USER, omitAccountRoot: omit }), USER, 'kms:Decrypt')).toBe('implicit-deny');
    expect(decide(keyPolicy({ account: ACCOUNT, asymmetricEncryptUsers: USER, omitAccountRoot: omit }), USER, 'kms:GetPublicKey')).toBe('allow');
    expect(decide(keyPolicy({ account: ACCOUNT, asymmetricEncryptUsers: USER, omitAccountRoot: omit }), USER, 'kms:GenerateDataKey')).toBe('implicit-deny');
  });

  it('CloudTrail may encrypt only for the named trail, and only the account may decrypt its logs', () => {
    const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`;
    const doc = keyPolicy({
      account: ACCOUNT,
      omitAccountRoot: { reason: 'isolate the CloudTrail statements' },
      statements: cloudTrailStatements({ account: ACCOUNT, region: 'us-east-1', trailArn }),
    });
    const context = { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn };
    expect(decide(doc, 'cloudtrail.amazonaws.com', 'kms:GenerateDataKey', { ...context, 'aws:SourceArn': trailArn })).toBe('allow');
    expect(decide(doc, 'cloudtrail.amazonaws.com', 'kms:GenerateDataKey', { ...context, 'aws:SourceArn': `${trailArn}-other` })).toBe('implicit-deny');
    expect(decide(doc, 'cloudtrail.amazonaws.com', 'kms:DescribeKey', { 'aws:SourceArn': trailArn })).toBe('allow');
    expect(decide(doc, USER, 'kms:Decrypt', context)).toBe('allow');
    expect(decide(doc, USER, 'kms:Decrypt')).toBe('implicit-deny');
    expect(decide(doc, `arn:aws:iam::${OTHER}:role/Reader`, 'kms:Decrypt', context)).toBe('implicit-deny');
  });

  it('CloudWatch Logs may use the key only for log groups of the account in its Region', () => {
    const doc = keyPolicy({
      account: ACCOUNT,
      omitAccountRoot: { reason: 'isolate the Logs statement' },
      statements: [cloudWatchLogsStatement({ account: ACCOUNT, region: 'us-west-2' })],
    });
    const own = { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/app/api` };
    const foreign = { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-west-2:${OTHER}:log-group:/app/api` };
    expect(decide(doc, 'logs.us-west-2.amazonaws.com', 'kms:GenerateDataKey', own)).toBe('allow');
    expect(decide(doc, 'logs.us-west-2.amazonaws.com', 'kms:GenerateDataKey', foreign)).toBe('implicit-deny');
    expect(decide(doc, 'logs.eu-west-1.amazonaws.com', 'kms:GenerateDataKey', own)).toBe('implicit-deny');
  });

  it('SNS publishers are limited to resources of the account', () => {
    const doc = keyPolicy({
      account: ACCOUNT,
      omitAccountRoot: { reason: 'isolate the SNS statement' },
      statements: [snsPublisherStatement(['cloudwatch.amazonaws.com', 'events.amazonaws.com'], ACCOUNT)],
    });
    expect(decide(doc, 'events.amazonaws.com', 'kms:GenerateDataKey', { 'aws:SourceAccount': ACCOUNT })).toBe('allow');
    expect(decide(doc, 'cloudwatch.amazonaws.com', 'kms:Decrypt', { 'aws:SourceAccount': ACCOUNT })).toBe('allow');
    expect(decide(doc, 'events.amazonaws.com', 'kms:GenerateDataKey', { 'aws:SourceAccount': OTHER })).toBe('implicit-deny');
    expect(decide(doc, 'events.amazonaws.com', 'kms:Encrypt', { 'aws:SourceAccount': ACCOUNT })).toBe('implicit-deny');
  });
});
