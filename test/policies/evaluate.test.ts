import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Decision, EvaluationRequest, NormalizedPolicy, PrincipalMatch } from '../../policies/model.js';
import { parsePolicy } from '../../policies/parse.js';
import { evaluate, matchPrincipal, matchStatement, notPrincipalApplies, requestContext } from '../../policies/evaluate.js';
import * as evaluateModule from '../../policies/evaluate.js';
import * as conditionsModule from '../../policies/conditions.js';
import * as arnModule from '../../policies/arn.js';
import * as wildcardModule from '../../policies/wildcard.js';

const ACCT = '111122223333';
const OTHER = '444455556666';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
const ROOT = `arn:aws:iam::${ACCT}:root`;
const USER = `arn:aws:iam::${ACCT}:user/alice`;
const ROLE = `arn:aws:iam::${ACCT}:role/App`;
const SESSION = `arn:aws:sts::${ACCT}:assumed-role/App/session-1`;
const OTHER_ROLE = `arn:aws:iam::${OTHER}:role/App`;
const OTHER_SESSION = `arn:aws:sts::${OTHER}:assumed-role/App/session-1`;

type Statement = Record<string, unknown>;

/** A document as IAM reads it, normalised by the project's own parser. */
function doc(statements: Statement[], version: string | null = '2012-10-17'): NormalizedPolicy {
  const raw: Record<string, unknown> = { Statement: statements };
  if (version !== null) raw.Version = version;
  // JSON round trip drops the `undefined` members the row helpers use to remove an element.
  const { policy } = parsePolicy(JSON.parse(JSON.stringify(raw)));
  if (!policy) throw new Error('test fixture did not parse');
  return policy;
}

const allow = (extra: Statement = {}): Statement => ({ Sid: 'Allow', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*', ...extra });
const deny = (extra: Statement = {}): Statement => ({ Sid: 'Deny', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', ...extra });

interface Row {
  /** The AWS rule the row checks. */
  rule: string;
  /** One document, or several (key policy + identity policies). */
  statements?: Statement[];
  documents?: NormalizedPolicy[];
  version?: string | null;
  request?: Partial<EvaluationRequest>;
  decision: Decision;
  /** How the deciding statement's Principal matched. */
  principalMatch?: PrincipalMatch;
  /** Sids of the statements that decided (deniedBy for a deny, allowedBy for an allow). */
  sids?: string[];
}

function run(row: Row) {
  const request: EvaluationRequest = { principal: ROLE, action: 'kms:Decrypt', resource: KEY, context: {}, ...row.request };
  const documents = row.documents ?? [doc(row.statements ?? [], row.version === undefined ? '2012-10-17' : row.version)];
  return evaluate(request, documents);
}

function check(row: Row) {
  const result = run(row);
  expect(result.decision).toBe(row.decision);
  const deciding = result.decision === 'explicit-deny' ? result.deniedBy : result.allowedBy;
  if (row.principalMatch) expect(deciding.map((m) => m.principalMatch)).toContain(row.principalMatch);
  if (row.sids) expect(deciding.map((m) => m.sid)).toEqual(row.sids);
  expect(result.deniedBy.length > 0).toBe(result.decision === 'explicit-deny');
}

const decisionRows: Row[] = [
  { rule: 'a matching Allow statement allows', statements: [allow()], decision: 'allow', sids: ['Allow'] },
  { rule: 'with no matching statement the request is implicitly denied', statements: [allow({ Action: 'kms:Encrypt' })], decision: 'implicit-deny' },
  { rule: 'no policies at all is an implicit deny', documents: [], decision: 'implicit-deny' },
  { rule: 'an explicit Deny beats an Allow in the same policy', statements: [allow(), deny()], decision: 'explicit-deny', sids: ['Deny'] },
  {
    rule: 'an explicit Deny in an identity policy beats an Allow in the key policy',
    documents: [doc([allow()]), doc([{ Sid: 'IdDeny', Effect: 'Deny', Action: 'kms:*', Resource: '*' }])],
    decision: 'explicit-deny',
    principalMatch: 'identity-policy',
    sids: ['IdDeny'],
  },
  {
    rule: 'an Allow in any of several documents allows (key policy + identity policy)',
    documents: [doc([allow({ Principal: { AWS: USER } })]), doc([{ Sid: 'IdAllow', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }])],
    decision: 'allow',
    principalMatch: 'identity-policy',
    sids: ['IdAllow'],
  },
  { rule: 'an Effect other than exactly "Allow" never applies (effect is case-sensitive)', statements: [allow({ Effect: 'allow' })], decision: 'implicit-deny' },
  { rule: 'a Deny with a malformed Effect never applies, so it cannot deny', statements: [allow(), deny({ Effect: 'DENY' })], decision: 'allow' },
  {
    rule: 'a Deny whose condition is false does not apply',
    statements: [allow(), deny({ Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })],
    decision: 'allow',
  },
  {
    rule: 'every matching Deny statement is reported',
    statements: [allow(), deny({ Sid: 'D1' }), deny({ Sid: 'D2', Action: 'kms:*' }), deny({ Sid: 'D3', Action: 'kms:Encrypt' })],
    decision: 'explicit-deny',
    sids: ['D1', 'D2'],
  },
  {
    rule: 'every matching Allow statement is reported, not just the first',
    statements: [allow({ Sid: 'A1' }), allow({ Sid: 'A2', Action: 'kms:*' }), allow({ Sid: 'A3', Action: 'kms:Sign' })],
    decision: 'allow',
    sids: ['A1', 'A2'],
  },
];

const principalRows: Row[] = [
  { rule: 'Principal "*" matches any caller', statements: [allow({ Principal: '*' })], decision: 'allow', principalMatch: 'wildcard' },
  { rule: 'Principal {"AWS":"*"} matches any caller', statements: [allow({ Principal: { AWS: '*' } })], decision: 'allow', principalMatch: 'wildcard' },
  {
    rule: 'a 12-digit account id means every principal of that account',
    statements: [allow({ Principal: { AWS: ACCT } })],
    decision: 'allow',
    principalMatch: 'account',
  },
  {
    rule: 'the account root ARN matches a role in that account (delegation to IAM)',
    statements: [allow({ Principal: { AWS: ROOT } })],
    decision: 'allow',
    principalMatch: 'account',
  },
  {
    rule: 'the account root ARN does not match a role in another account',
    statements: [allow({ Principal: { AWS: ROOT } })],
    request: { principal: OTHER_ROLE },
    decision: 'implicit-deny',
  },
  {
    rule: 'the account root ARN matches an assumed-role session in that account',
    statements: [allow({ Principal: { AWS: ROOT } })],
    request: { principal: SESSION },
    decision: 'allow',
    principalMatch: 'account',
  },
  {
    rule: 'the account root ARN names the root user itself exactly',
    statements: [allow({ Principal: { AWS: ROOT } })],
    request: { principal: ROOT },
    decision: 'allow',
    principalMatch: 'exact',
  },
  {
    rule: 'an account root in another partition is another account',
    statements: [allow({ Principal: { AWS: `arn:aws-cn:iam::${ACCT}:root` } })],
    decision: 'implicit-deny',
  },
  { rule: 'a role ARN matches that role exactly', statements: [allow()], decision: 'allow', principalMatch: 'exact' },
  {
    rule: 'a role ARN does not match a different role of the same account',
    statements: [allow()],
    request: { principal: `arn:aws:iam::${ACCT}:role/Other` },
    decision: 'implicit-deny',
  },
  {
    rule: 'a user ARN with an IAM path matches that user exactly',
    statements: [allow({ Principal: { AWS: `arn:aws:iam::${ACCT}:user/division/alice` } })],
    request: { principal: `arn:aws:iam::${ACCT}:user/division/alice` },
    decision: 'allow',
    principalMatch: 'exact',
  },
  {
    rule: 'a role ARN does not match an IAM user of the same name',
    statements: [allow()],
    request: { principal: `arn:aws:iam::${ACCT}:user/App` },
    decision: 'implicit-deny',
  },
  {
    rule: 'an assumed-role session matches its role ARN',
    statements: [allow()],
    request: { principal: SESSION },
    decision: 'allow',
    principalMatch: 'exact',
  },
  {
    rule: 'an assumed-role session matches its own session ARN',
    statements: [allow({ Principal: { AWS: SESSION } })],
    request: { principal: SESSION },
    decision: 'allow',
    principalMatch: 'exact',
  },
  {
    rule: 'a session ARN principal does not match another session of the same role',
    statements: [allow({ Principal: { AWS: SESSION } })],
    request: { principal: `arn:aws:sts::${ACCT}:assumed-role/App/session-2` },
    decision: 'implicit-deny',
  },
  {
    rule: 'a session matches a role ARN with a path (the session ARN drops the path)',
    statements: [allow({ Principal: { AWS: `arn:aws:iam::${ACCT}:role/service-role/App` } })],
    request: { principal: SESSION },
    decision: 'allow',
    principalMatch: 'exact',
  },
  {
    rule: 'a session of a role with the same name in another account does not match',
    statements: [allow()],
    request: { principal: OTHER_SESSION },
    decision: 'implicit-deny',
  },
  {
    rule: 'wildcards inside a Principal ARN are not supported: role/* matches nothing',
    statements: [allow({ Principal: { AWS: `arn:aws:iam::${ACCT}:role/*` } })],
    decision: 'implicit-deny',
  },
  {
    rule: 'a service principal matches that service',
    statements: [allow({ Principal: { Service: 'logs.amazonaws.com' } })],
    request: { principal: 'logs.amazonaws.com' },
    decision: 'allow',
    principalMatch: 'service',
  },
  {
    rule: 'a regional service principal in the policy matches the global form of the service',
    statements: [allow({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } })],
    request: { principal: 'logs.amazonaws.com' },
    decision: 'allow',
    principalMatch: 'service',
  },
  {
    rule: 'a global service principal in the policy matches the regional form of the service',
    statements: [allow({ Principal: { Service: 'logs.amazonaws.com' } })],
    request: { principal: 'logs.eu-west-1.amazonaws.com' },
    decision: 'allow',
    principalMatch: 'service',
  },
  {
    rule: 'service principals of two different regions do not match',
    statements: [allow({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } })],
    request: { principal: 'logs.eu-west-1.amazonaws.com' },
    decision: 'implicit-deny',
  },
  {
    rule: 'a service principal is not a principal of the account: the account root does not match it',
    statements: [allow({ Principal: { AWS: ROOT } })],
    request: { principal: 'cloudtrail.amazonaws.com' },
    decision: 'implicit-deny',
  },
  {
    rule: 'a dotted service name is not mistaken for a regional form',
    statements: [allow({ Principal: { Service: 'logs.amazonaws.com' } })],
    request: { principal: 'delivery.logs.amazonaws.com' },
    decision: 'implicit-deny',
  },
  {
    rule: 'when several principal entries match, the most specific one is reported',
    statements: [allow({ Principal: { AWS: [ROOT, ROLE] } })],
    decision: 'allow',
    principalMatch: 'exact',
  },
  {
    rule: 'a statement without Principal is an identity-policy statement that applies to the caller',
    statements: [{ Sid: 'Id', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }],
    decision: 'allow',
    principalMatch: 'identity-policy',
  },
];

const allowAll = allow({ Sid: 'AllowAll', Principal: '*', Action: 'kms:*' });
const notPrincipalRows: Row[] = [
  {
    rule: 'Deny with NotPrincipal denies every principal not listed',
    statements: [allowAll, deny({ NotPrincipal: { AWS: [ROLE, ROOT] }, Principal: undefined })],
    request: { principal: `arn:aws:iam::${ACCT}:role/Other` },
    decision: 'explicit-deny',
    principalMatch: 'not-principal',
  },
  {
    rule: 'NotPrincipal listing a role and its account excludes the role\'s sessions',
    statements: [allowAll, deny({ NotPrincipal: { AWS: [ROLE, ROOT] }, Principal: undefined })],
    request: { principal: SESSION },
    decision: 'allow',
  },
  {
    rule: 'NotPrincipal listing only the role, not its account, still denies the session (the account is checked first)',
    statements: [allowAll, deny({ NotPrincipal: { AWS: [ROLE] }, Principal: undefined })],
    request: { principal: SESSION },
    decision: 'explicit-deny',
    principalMatch: 'not-principal',
  },
  {
    rule: 'NotPrincipal listing the session, its role and its account excludes the session',
    statements: [allowAll, deny({ NotPrincipal: { AWS: [SESSION, ROLE, ROOT] }, Principal: undefined })],
    request: { principal: SESSION },
    decision: 'allow',
  },
  {
    rule: 'NotPrincipal listing the session and account but not the role still denies the session',
    statements: [allowAll, deny({ NotPrincipal: { AWS: [SESSION, ROOT] }, Principal: undefined })],
    request: { principal: SESSION },
    decision: 'explicit-deny',
    principalMatch: 'not-principal',
  },
  {
    rule: 'NotPrincipal listing a user and its account excludes that user',
    statements: [allowAll, deny({ NotPrincipal: { AWS: [USER, ACCT] }, Principal: undefined })],
    request: { principal: USER },
    decision: 'allow',
  },
  {
    rule: 'NotPrincipal listing only the account excludes the root user but not the account\'s users',
    statements: [allowAll, deny({ NotPrincipal: { AWS: ROOT }, Principal: undefined })],
    request: { principal: USER },
    decision: 'explicit-deny',
    principalMatch: 'not-principal',
  },
  {
    rule: 'NotPrincipal listing the account excludes the account root itself',
    statements: [allowAll, deny({ NotPrincipal: { AWS: ROOT }, Principal: undefined })],
    request: { principal: ROOT },
    decision: 'allow',
  },
  {
    rule: 'NotPrincipal listing a service excludes that service (regional forms included)',
    statements: [allowAll, deny({ NotPrincipal: { Service: 'logs.amazonaws.com' }, Principal: undefined })],
    request: { principal: 'logs.us-east-1.amazonaws.com' },
    decision: 'allow',
  },
  {
    rule: 'NotPrincipal "*" excludes everyone, so the statement never applies',
    statements: [allowAll, deny({ NotPrincipal: '*', Principal: undefined })],
    decision: 'allow',
  },
  {
    rule: 'Allow with NotPrincipal allows everyone not listed',
    statements: [allow({ Principal: undefined, NotPrincipal: { AWS: [USER, ROOT] } })],
    request: { principal: ROLE },
    decision: 'allow',
    principalMatch: 'not-principal',
  },
];

const actionRows: Row[] = [
  { rule: 'kms:* matches every KMS action', statements: [allow({ Action: 'kms:*' })], request: { action: 'kms:ScheduleKeyDeletion' }, decision: 'allow' },
  { rule: 'kms:Describe* matches kms:DescribeKey', statements: [allow({ Action: 'kms:Describe*' })], request: { action: 'kms:DescribeKey' }, decision: 'allow' },
  { rule: 'kms:Describe* does not match kms:Decrypt', statements: [allow({ Action: 'kms:Describe*' })], decision: 'implicit-deny' },
  { rule: 'Action "*" matches every action of every service', statements: [allow({ Action: '*' })], request: { action: 's3:GetObject' }, decision: 'allow' },
  { rule: 'action names match case-insensitively', statements: [allow({ Action: 'KMS:decrypt' })], request: { action: 'kms:DECRYPT' }, decision: 'allow' },
  { rule: '? matches exactly one character', statements: [allow({ Action: 'kms:?ncrypt' })], request: { action: 'kms:Encrypt' }, decision: 'allow' },
  { rule: '? does not match two characters', statements: [allow({ Action: 'kms:?ncrypt' })], request: { action: 'kms:ReEncrypt' }, decision: 'implicit-deny' },
  { rule: '? does not match zero characters', statements: [allow({ Action: 'kms:Decrypt?' })], decision: 'implicit-deny' },
  {
    rule: '* in the middle of an action matches any run of characters',
    statements: [allow({ Action: 'kms:Generate*Pair' })],
    request: { action: 'kms:GenerateDataKeyPair' },
    decision: 'allow',
  },
  { rule: 'a trailing * also matches the empty string', statements: [allow({ Action: 'kms:GenerateDataKey*' })], request: { action: 'kms:GenerateDataKey' }, decision: 'allow' },
  { rule: 'other characters are literal: "." is not a regex wildcard', statements: [allow({ Action: 'kms:Dec.ypt' })], decision: 'implicit-deny' },
  { rule: 'an action pattern must match the whole action, not a prefix', statements: [allow({ Action: 'kms:Re' })], request: { action: 'kms:ReEncrypt' }, decision: 'implicit-deny' },
  { rule: 'the service prefix is part of the match', statements: [allow({ Action: 's3:*' })], decision: 'implicit-deny' },
  { rule: 'Allow with NotAction allows the actions not listed', statements: [allow({ Action: undefined, NotAction: 'kms:Decrypt' })], request: { action: 'kms:Encrypt' }, decision: 'allow' },
  { rule: 'Allow with NotAction does not allow the listed action', statements: [allow({ Action: undefined, NotAction: 'kms:Decrypt' })], decision: 'implicit-deny' },
  {
    rule: 'Deny with NotAction denies everything except the listed actions',
    statements: [allowAll, deny({ Action: undefined, NotAction: ['kms:Describe*', 'kms:List*'] })],
    decision: 'explicit-deny',
  },
  {
    rule: 'Deny with NotAction does not deny a listed (wildcard-matched) action',
    statements: [allowAll, deny({ Action: undefined, NotAction: ['kms:Describe*', 'kms:List*'] })],
    request: { action: 'kms:DescribeKey' },
    decision: 'allow',
  },
  { rule: 'a statement with both Action and NotAction is invalid and never applies', statements: [allow({ NotAction: 'kms:Encrypt' })], decision: 'implicit-deny' },
];

const resourceRows: Row[] = [
  { rule: 'Resource naming the key ARN matches that key', statements: [allow({ Resource: KEY })], decision: 'allow' },
  { rule: 'Resource naming another key does not match', statements: [allow({ Resource: OTHER_KEY })], decision: 'implicit-deny' },
  { rule: 'wildcards work within ARN parts', statements: [allow({ Resource: `arn:aws:kms:*:${ACCT}:key/*` })], decision: 'allow' },
  { rule: 'Resource matching is case-sensitive', statements: [allow({ Resource: KEY.toUpperCase().replace('ARN:AWS:KMS', 'arn:aws:kms') })], decision: 'implicit-deny' },
  { rule: 'a key in another account does not match the account in the Resource ARN', statements: [allow({ Resource: `arn:aws:kms:*:${OTHER}:key/*` })], decision: 'implicit-deny' },
  { rule: 'a wildcard in one ARN part does not span a colon', statements: [allow({ Resource: 'arn:aws:kms:*:key/*' })], decision: 'implicit-deny' },
  { rule: 'Deny with NotResource denies the keys not listed', statements: [allowAll, deny({ Resource: undefined, NotResource: OTHER_KEY })], decision: 'explicit-deny' },
  { rule: 'Deny with NotResource does not deny the listed key', statements: [allowAll, deny({ Resource: undefined, NotResource: KEY })], decision: 'allow' },
  { rule: 'a statement without Resource or NotResource is invalid and never applies', statements: [allow({ Resource: undefined })], decision: 'implicit-deny' },
  {
    rule: 'policy variables are substituted in Resource',
    statements: [allow({ Resource: 'arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*' })],
    decision: 'allow',
  },
  {
    rule: 'a Resource whose policy variable is absent from the request matches nothing',
    statements: [allow({ Resource: 'arn:aws:kms:us-east-1:111122223333:key/${aws:username}' })],
    decision: 'implicit-deny',
  },
  {
    rule: 'policy variables in Resource are literal text in a 2008-10-17 document',
    statements: [allow({ Resource: 'arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*' })],
    version: '2008-10-17',
    decision: 'implicit-deny',
  },
];

const conditionRows: Row[] = [
  {
    rule: 'StringEquals on an encryption-context key matches its value',
    statements: [allow({ Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } } })],
    request: { context: { 'kms:EncryptionContext:Department': 'IT' } },
    decision: 'allow',
  },
  {
    rule: 'the kms:EncryptionContext: prefix is case-insensitive',
    statements: [allow({ Condition: { StringEquals: { 'kms:encryptioncontext:Department': 'IT' } } })],
    request: { context: { 'KMS:EncryptionContext:Department': 'IT' } },
    decision: 'allow',
  },
  {
    // KMS Developer Guide, kms:EncryptionContext:context-key: the key name is not case-sensitive.
    rule: 'the encryption-context key name after the prefix matches case-insensitively',
    statements: [allow({ Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } } })],
    request: { context: { 'kms:EncryptionContext:department': 'IT' } },
    decision: 'allow',
  },
  {
    rule: 'the encryption-context value stays case-sensitive',
    statements: [allow({ Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } } })],
    request: { context: { 'kms:EncryptionContext:Department': 'it' } },
    decision: 'implicit-deny',
  },
  {
    rule: 'other condition key names match case-insensitively',
    statements: [allow({ Condition: { StringEquals: { 'KMS:ViaService': 'ebs.us-east-1.amazonaws.com' } } })],
    request: { context: { 'kms:viaservice': 'ebs.us-east-1.amazonaws.com' } },
    decision: 'allow',
  },
  {
    rule: 'kms:CallerAccount is derived from the caller when the request does not carry it',
    statements: [allow({ Principal: { AWS: ROOT }, Condition: { StringEquals: { 'kms:CallerAccount': ACCT } } })],
    request: { principal: SESSION },
    decision: 'allow',
  },
  {
    rule: 'aws:PrincipalArn of an assumed-role session is its role ARN',
    statements: [allow({ Principal: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE } } })],
    request: { principal: SESSION },
    decision: 'allow',
  },
  {
    rule: 'aws:PrincipalArn set in the request context takes precedence over the derived one',
    statements: [allow({ Principal: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE } } })],
    request: { principal: SESSION, context: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/path/App` } },
    decision: 'implicit-deny',
  },
  {
    rule: 'aws:PrincipalType of an IAM user is "User"',
    statements: [allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'User' } } })],
    request: { principal: USER },
    decision: 'allow',
  },
  {
    rule: 'a Deny on a foreign aws:PrincipalAccount denies a caller from another account',
    statements: [allowAll, deny({ Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCT } } })],
    request: { principal: OTHER_SESSION },
    decision: 'explicit-deny',
  },
  {
    rule: 'policy variable ${aws:PrincipalAccount} in a condition value is substituted',
    statements: [allow({ Principal: '*', Condition: { StringEquals: { 'kms:CallerAccount': '${aws:PrincipalAccount}' } } })],
    decision: 'allow',
  },
  {
    rule: 'policy variable ${aws:username} is the IAM user name',
    statements: [allow({ Principal: '*', Condition: { StringEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } } })],
    request: { principal: USER, context: { 'kms:EncryptionContext:owner': 'alice' } },
    decision: 'allow',
  },
  {
    rule: 'a policy variable whose key is absent makes the value not match (aws:username is absent for roles)',
    statements: [allow({ Principal: '*', Condition: { StringEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } } })],
    request: { principal: ROLE, context: { 'kms:EncryptionContext:owner': 'App' } },
    decision: 'implicit-deny',
  },
  {
    rule: 'a policy variable default value is used when the key is absent',
    statements: [allow({ Principal: '*', Condition: { StringEquals: { 'kms:EncryptionContext:owner': "${aws:username, 'nobody'}" } } })],
    request: { principal: ROLE, context: { 'kms:EncryptionContext:owner': 'nobody' } },
    decision: 'allow',
  },
  {
    rule: 'policy variables are not substituted in a 2008-10-17 document',
    statements: [allow({ Principal: '*', Condition: { StringEquals: { 'kms:CallerAccount': '${aws:PrincipalAccount}' } } })],
    version: '2008-10-17',
    decision: 'implicit-deny',
  },
  {
    rule: 'a document without Version is 2008-10-17: no policy variables',
    statements: [allow({ Principal: '*', Condition: { StringEquals: { 'kms:CallerAccount': '${aws:PrincipalAccount}' } } })],
    version: null,
    decision: 'implicit-deny',
  },
  {
    rule: 'Bool kms:GrantIsForAWSResource gates service-user grant statements',
    statements: [allow({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } })],
    request: { action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': true } },
    decision: 'allow',
  },
  {
    rule: 'Bool on a missing key is false',
    statements: [allow({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })],
    request: { action: 'kms:CreateGrant' },
    decision: 'implicit-deny',
  },
  {
    rule: 'ForAllValues:StringEquals on kms:GrantOperations holds when every operation is listed',
    statements: [allow({ Action: 'kms:CreateGrant', Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] } } })],
    request: { action: 'kms:CreateGrant', context: { 'kms:GrantOperations': ['Decrypt'] } },
    decision: 'allow',
  },
  {
    rule: 'ForAllValues:StringEquals fails when one requested operation is not listed',
    statements: [allow({ Action: 'kms:CreateGrant', Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] } } })],
    request: { action: 'kms:CreateGrant', context: { 'kms:GrantOperations': ['Decrypt', 'RetireGrant'] } },
    decision: 'implicit-deny',
  },
  {
    rule: 'ForAllValues on an empty set is true',
    statements: [allow({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department'] } } })],
    request: { context: { 'kms:EncryptionContextKeys': [] } },
    decision: 'allow',
  },
  {
    rule: 'ForAnyValue on a missing key is false',
    statements: [allow({ Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['Department'] } } })],
    decision: 'implicit-deny',
  },
  {
    rule: 'IpAddress matches aws:SourceIp inside the CIDR block',
    statements: [allow({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })],
    request: { context: { 'aws:SourceIp': '203.0.113.77' } },
    decision: 'allow',
  },
  {
    rule: 'StringEquals aws:PrincipalOrgID restricts to the organization',
    statements: [allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })],
    request: { principal: OTHER_ROLE, context: { 'aws:PrincipalOrgID': 'o-other' } },
    decision: 'implicit-deny',
  },
  {
    rule: 'CloudTrail statement: service principal with aws:SourceArn ArnLike and aws:SourceAccount',
    statements: [
      allow({
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ACCT },
          ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${ACCT}:trail/*` },
        },
      }),
    ],
    request: {
      principal: 'cloudtrail.amazonaws.com',
      action: 'kms:GenerateDataKey',
      context: { 'aws:SourceAccount': ACCT, 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/main` },
    },
    decision: 'allow',
    principalMatch: 'service',
  },
  {
    rule: 'multiple operators in a Condition AND together',
    statements: [allow({ Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, Bool: { 'aws:SecureTransport': 'true' } } })],
    request: { context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'aws:SecureTransport': false } },
    decision: 'implicit-deny',
  },
  {
    rule: 'an unknown condition operator does not match: the Allow does not apply',
    statements: [allow({ Condition: { StringEqualsFuzzy: { 'kms:ViaService': 'x' } } })],
    request: { context: { 'kms:ViaService': 'x' } },
    decision: 'implicit-deny',
  },
  {
    rule: 'an unknown condition operator does not match: the Deny does not apply either',
    statements: [allow(), deny({ Condition: { NullIfExists: { 'kms:ViaService': 'true' } } })],
    decision: 'allow',
  },
];

/** AWS-documented key policies from policies/examples, read as a user would hand them to kmskit. */
function example(name: string): NormalizedPolicy {
  const { policy } = parsePolicy(readFileSync(new URL(`../../policies/examples/${name}.json`, import.meta.url), 'utf8'));
  if (!policy) throw new Error(`example ${name} did not parse`);
  return policy;
}

interface ExampleRow {
  rule: string;
  example: string;
  request: EvaluationRequest;
  decision: Decision;
  /** The principal matches of the Allow statements that matched, in any order. */
  matches?: PrincipalMatch[];
}

const TRAIL_CONTEXT = { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/management-events` };
const exampleRows: ExampleRow[] = [
  {
    rule: 'default key policy: a key user named in the policy is allowed by name (exact) and by the account root (account)',
    example: 'default-key-policy-console',
    request: { principal: `arn:aws:sts::${ACCT}:assumed-role/ExampleRole/s`, action: 'kms:Decrypt', resource: KEY },
    decision: 'allow',
    matches: ['account', 'exact'],
  },
  {
    rule: 'default key policy: a key administrator gets Decrypt only through the account root, i.e. only if IAM allows it',
    example: 'default-key-policy-console',
    request: { principal: `arn:aws:iam::${ACCT}:role/KMSAdminRole`, action: 'kms:Decrypt', resource: KEY },
    decision: 'allow',
    matches: ['account'],
  },
  {
    rule: 'default key policy: a principal of another account is not allowed',
    example: 'default-key-policy-console',
    request: { principal: OTHER_ROLE, action: 'kms:Decrypt', resource: KEY },
    decision: 'implicit-deny',
  },
  {
    rule: 'cross-account key policy: the external account root delegates use of the key to that account',
    example: 'cross-account-users',
    request: { principal: OTHER_SESSION, action: 'kms:Decrypt', resource: KEY },
    decision: 'allow',
    matches: ['account'],
  },
  {
    rule: 'cross-account key policy: an external CreateGrant needs kms:GrantIsForAWSResource',
    example: 'cross-account-users',
    request: { principal: OTHER_SESSION, action: 'kms:CreateGrant', resource: KEY, context: { 'kms:GrantIsForAWSResource': false } },
    decision: 'implicit-deny',
  },
  {
    rule: 'cross-account key policy: an external CreateGrant for an AWS resource is allowed',
    example: 'cross-account-users',
    request: { principal: OTHER_SESSION, action: 'kms:CreateGrant', resource: KEY, context: { 'kms:GrantIsForAWSResource': true } },
    decision: 'allow',
    matches: ['account'],
  },
  {
    rule: 'CloudTrail key policy: CloudTrail may generate data keys for its trail',
    example: 'cloudtrail',
    request: {
      principal: 'cloudtrail.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: KEY,
      context: { ...TRAIL_CONTEXT, 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/management-events` },
    },
    decision: 'allow',
    matches: ['service'],
  },
  {
    rule: 'CloudTrail key policy: a request on behalf of another trail (confused deputy) is not allowed',
    example: 'cloudtrail',
    request: { principal: 'cloudtrail.amazonaws.com', action: 'kms:GenerateDataKey', resource: KEY, context: { ...TRAIL_CONTEXT, 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/x` } },
    decision: 'implicit-deny',
  },
  {
    rule: 'CloudTrail key policy: a principal of another account cannot decrypt logs (kms:CallerAccount)',
    example: 'cloudtrail',
    request: { principal: OTHER_SESSION, action: 'kms:Decrypt', resource: KEY, context: TRAIL_CONTEXT },
    decision: 'implicit-deny',
  },
  {
    rule: 'CloudTrail key policy: any principal of the account can decrypt logs with the trail encryption context',
    example: 'cloudtrail',
    request: { principal: USER, action: 'kms:Decrypt', resource: KEY, context: TRAIL_CONTEXT },
    decision: 'allow',
    matches: ['account', 'wildcard'],
  },
  {
    rule: 'CloudWatch Logs key policy: the regional Logs principal of that region may encrypt for its log groups',
    example: 'cloudwatch-logs',
    request: {
      principal: 'logs.us-west-2.amazonaws.com',
      action: 'kms:Encrypt',
      resource: KEY,
      context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-west-2:${ACCT}:log-group:app` },
    },
    decision: 'allow',
    matches: ['service'],
  },
  {
    rule: 'CloudWatch Logs key policy: the Logs principal of another region is not allowed',
    example: 'cloudwatch-logs',
    request: {
      principal: 'logs.us-east-1.amazonaws.com',
      action: 'kms:Encrypt',
      resource: KEY,
      context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-west-2:${ACCT}:log-group:app` },
    },
    decision: 'implicit-deny',
  },
  {
    rule: 'EBS key policy: principals of the account may use the key through EBS (kms:ViaService)',
    example: 'ebs-via-service',
    request: { principal: SESSION, action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } },
    decision: 'allow',
    matches: ['account', 'wildcard'],
  },
  {
    rule: 'EBS key policy: direct use without EBS is left to IAM (account match only)',
    example: 'ebs-via-service',
    request: { principal: SESSION, action: 'kms:Decrypt', resource: KEY },
    decision: 'allow',
    matches: ['account'],
  },
  {
    rule: 'organization key policy: a principal of another account in the organization may decrypt',
    example: 'org-wide-decrypt',
    request: { principal: OTHER_SESSION, action: 'kms:Decrypt', resource: KEY, context: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    decision: 'allow',
    matches: ['wildcard'],
  },
  {
    rule: 'S3 to SQS key policy: S3 may generate data keys for the named bucket of the account',
    example: 's3-notifications-sqs',
    request: {
      principal: 's3.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: KEY,
      context: { 'aws:SourceArn': 'arn:aws:s3:::amzn-s3-demo-bucket', 'aws:SourceAccount': ACCT },
    },
    decision: 'allow',
    matches: ['service'],
  },
];

describe('evaluate: AWS-documented key policies', () => {
  it.each(exampleRows)('$rule', (row) => {
    const result = evaluate(row.request, [example(row.example)]);
    expect(result.decision).toBe(row.decision);
    if (row.matches) expect(result.allowedBy.map((m) => m.principalMatch).sort()).toEqual([...row.matches].sort());
  });
});

describe('evaluate: decision logic', () => {
  it.each(decisionRows)('$rule', check);
});
describe('evaluate: Principal', () => {
  it.each(principalRows)('$rule', check);
});
describe('evaluate: NotPrincipal', () => {
  it.each(notPrincipalRows)('$rule', check);
});
describe('evaluate: Action and NotAction', () => {
  it.each(actionRows)('$rule', check);
});
describe('evaluate: Resource and NotResource', () => {
  it.each(resourceRows)('$rule', check);
});
describe('evaluate: conditions in statements', () => {
  it.each(conditionRows)('$rule', check);
});

describe('evaluate: result shape', () => {
  it('points at the statements that decided, by document and statement index', () => {
    const result = evaluate({ principal: ROLE, action: 'kms:Decrypt', resource: KEY }, [doc([allow({ Sid: 'Other', Action: 'kms:Sign' })]), doc([allow(), deny()])]);
    expect(result.deniedBy).toEqual([{ documentIndex: 1, statementIndex: 1, pointer: '/Statement/1', sid: 'Deny', effect: 'Deny', principalMatch: 'wildcard' }]);
    expect(result.allowedBy).toEqual([{ documentIndex: 1, statementIndex: 0, pointer: '/Statement/0', sid: 'Allow', effect: 'Allow', principalMatch: 'exact' }]);
  });

  it('counts at least 60 table rows, each naming its rule', () => {
    const rows = [...decisionRows, ...principalRows, ...notPrincipalRows, ...actionRows, ...resourceRows, ...conditionRows, ...exampleRows];
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((r) => r.rule)).size).toBe(rows.length);
  });
});

describe('evaluate: derived request context', () => {
  it('derives the principal keys of an assumed-role session', () => {
    const ctx = requestContext({ principal: SESSION, action: 'kms:Decrypt', resource: KEY });
    expect(ctx.get('aws:principalarn')).toEqual([ROLE]);
    expect(ctx.get('aws:principalaccount')).toEqual([ACCT]);
    expect(ctx.get('aws:principaltype')).toEqual(['AssumedRole']);
    expect(ctx.get('kms:calleraccount')).toEqual([ACCT]);
    expect(ctx.has('aws:username')).toBe(false);
  });

  it('derives aws:username for IAM users and aws:userid for the account root', () => {
    expect(requestContext({ principal: `arn:aws:iam::${ACCT}:user/ops/bob`, action: 'kms:Decrypt', resource: KEY }).get('aws:username')).toEqual(['bob']);
    expect(requestContext({ principal: ROOT, action: 'kms:Decrypt', resource: KEY }).get('aws:userid')).toEqual([ACCT]);
  });

  it('marks service principals as AWS services and gives them no account', () => {
    const ctx = requestContext({ principal: 'logs.us-east-1.amazonaws.com', action: 'kms:Encrypt', resource: KEY });
    expect(ctx.get('aws:principalisawsservice')).toEqual(['true']);
    expect(ctx.has('aws:principalaccount')).toBe(false);
  });
});

describe('evaluate: helpers', () => {
  const block = (aws: string[]) => ({ wildcard: false, aws, service: [], federated: [], canonicalUser: [], pointer: '/Statement/0/Principal' });

  it('matchPrincipal reports no match with undefined', () => {
    expect(matchPrincipal(block([OTHER_ROLE]), ROLE)).toBeUndefined();
    expect(matchPrincipal(block([ACCT]), SESSION)).toBe('account');
  });

  it('notPrincipalApplies is true for callers outside the list', () => {
    expect(notPrincipalApplies(block([ROLE, ROOT]), SESSION)).toBe(false);
    expect(notPrincipalApplies(block([ROLE, ROOT]), USER)).toBe(true);
  });

  it('matchStatement applies variables only for Version 2012-10-17', () => {
    const st = doc([allow({ Resource: 'arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*' })]).statements[0]!;
    const request = { principal: ROLE, action: 'kms:Decrypt', resource: KEY };
    expect(matchStatement(st, request, '2012-10-17')).toBe('exact');
    expect(matchStatement(st, request, '2008-10-17')).toBeUndefined();
  });
});

describe('evaluate: bad input never throws', () => {
  const garbage: unknown[] = [null, undefined, 42, 'text', [], [null], [{}], [{ statements: null }], [{ statements: [null, 1, 'x', {}] }]];
  it.each(garbage.map((g) => ({ g, label: JSON.stringify(g) ?? 'undefined' })))('policies = $label → implicit-deny', ({ g }) => {
    const result = evaluate({ principal: ROLE, action: 'kms:Decrypt', resource: KEY }, g as NormalizedPolicy[]);
    expect(result.decision).toBe('implicit-deny');
  });

  it('tolerates a garbage request', () => {
    const policy = doc([allow({ Principal: '*', Action: '*', Condition: { StringLike: { 'aws:PrincipalArn': '*' } } })]);
    expect(() => evaluate(null as unknown as EvaluationRequest, [policy])).not.toThrow();
    expect(evaluate({ principal: 7, action: {}, resource: [] } as unknown as EvaluationRequest, [policy]).decision).toBe('implicit-deny');
  });

  it('tolerates hand-built statements with wrong shapes', () => {
    const policy = {
      version: '2012-10-17',
      raw: {},
      statements: [
        { index: 0, pointer: '/Statement/0', effect: 'Allow', principal: { wildcard: false, aws: 'nope' }, actions: 'kms:*', resources: [{}], conditions: 'x', raw: {} },
        { index: 1, pointer: '/Statement/1', effect: 'Allow', principal: { wildcard: true }, actions: [{ text: 'kms:*' }], resources: [{ text: '*' }], conditions: [{ operator: 5, values: {} }], raw: {} },
      ],
    } as unknown as NormalizedPolicy;
    expect(() => evaluate({ principal: ROLE, action: 'kms:Decrypt', resource: KEY }, [policy])).not.toThrow();
    expect(evaluate({ principal: ROLE, action: 'kms:Decrypt', resource: KEY }, [policy]).decision).toBe('implicit-deny');
  });

  it('no exported function of evaluate/conditions/arn/wildcard throws on garbage arguments', () => {
    const garbageArgs: unknown[] = [undefined, null, 0, NaN, '', '*', '${', {}, [], [null], { text: 1 }, Symbol('x')];
    const modules = { evaluateModule, conditionsModule, arnModule, wildcardModule };
    let calls = 0;
    for (const [moduleName, mod] of Object.entries(modules)) {
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn !== 'function') continue;
        for (const a of garbageArgs) {
          for (const b of garbageArgs) {
            calls++;
            expect(() => (fn as (...args: unknown[]) => unknown)(a, b, a), `${moduleName}.${name}(${String(a)}, ${String(b)})`).not.toThrow();
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(1000);
  });
});
