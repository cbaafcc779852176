import { OTHER, OWN, ROOT_ARN, allow, policy } from './table.js';
import type { RuleTable } from './table.js';

const ROLE = `arn:aws:iam::${OWN}:role/App`;
const ADMIN = `arn:aws:iam::${OWN}:role/KeyAdmin`;
const CALLER_REF = '${data.aws_caller_identity.current.account_id}';
const USER_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const ADMIN_ACTIONS = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];

export const securityTables: RuleTable[] = [
  {
    ruleId: 'public-principal',
    valid: [
      { name: '"*" restricted by kms:CallerAccount', doc: policy(allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'kms:CallerAccount': OWN } } })) },
      { name: '{"AWS": "*"} restricted by aws:PrincipalOrgID', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })) },
      { name: 'restricted by a Terraform reference', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { StringEquals: { 'kms:CallerAccount': CALLER_REF } } })) },
      { name: 'restricted by aws:PrincipalArn with a fixed account', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/app-*` } } })) },
      { name: 'a Deny to "*"', doc: policy({ Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) },
      { name: 'a named role', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt')) },
      { name: 'a condition key from a Terraform reference', doc: policy(allow('*', 'kms:Decrypt', { Condition: { StringEquals: { '${var.restricting_key}': OWN } } })) },
    ],
    invalid: [
      { name: '"*" with no condition', doc: policy(allow('*', 'kms:Decrypt')), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal' }] },
      { name: 'a wildcard account', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { StringLike: { 'kms:CallerAccount': '*' } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'IfExists lets requests without the key through', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { StringEqualsIfExists: { 'kms:CallerAccount': OWN } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'aws:PrincipalArn with a wildcard account', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app' } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'only an encryption-context condition', doc: policy(allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:app': 'x' } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal' }] },
    ],
  },
  {
    ruleId: 'kms-star-non-root',
    valid: [
      { name: 'the account root', doc: policy() },
      { name: 'a bare account id', doc: policy(allow({ AWS: OWN }, 'kms:*')) },
      { name: 'a role with named actions', doc: policy(allow({ AWS: ROLE }, USER_ACTIONS)) },
      { name: 'an unresolved principal', doc: policy(allow({ AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root' }, 'kms:*')) },
    ],
    invalid: [
      { name: 'a role with kms:*', doc: policy(allow({ AWS: ROLE }, 'kms:*')), findings: [{ ruleId: 'kms-star-non-root', pointer: '/Statement/1/Action' }] },
      { name: 'root and a role with "*"', doc: policy(allow({ AWS: [ROOT_ARN, ROLE] }, ['kms:Decrypt', '*'])), findings: [{ ruleId: 'kms-star-non-root', pointer: '/Statement/1/Action/1' }] },
    ],
  },
  {
    ruleId: 'lockout-risk',
    valid: [
      { name: 'the default policy', doc: policy() },
      { name: 'an admin role keeps PutKeyPolicy', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ADMIN }, ADMIN_ACTIONS), allow({ AWS: ROLE }, USER_ACTIONS)] } },
      { name: 'an unresolved admin principal', doc: { Version: '2012-10-17', Statement: [allow({ AWS: '${var.admin_role_arn}' }, 'kms:PutKeyPolicy')] } },
    ],
    invalid: [
      { name: 'only users', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ROLE }, USER_ACTIONS)] }, findings: [{ ruleId: 'lockout-risk', pointer: '/Statement' }] },
      { name: 'PutKeyPolicy only for a service', doc: { Version: '2012-10-17', Statement: [allow({ Service: 'logs.us-east-1.amazonaws.com' }, 'kms:*', { Condition: { StringEquals: { 'aws:SourceAccount': OWN } } })] }, findings: [{ ruleId: 'lockout-risk', pointer: '/Statement' }] },
      { name: 'an unconditional Deny of PutKeyPolicy to everyone', doc: policy({ Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' }), findings: [{ ruleId: 'lockout-risk', pointer: '/Statement/1' }] },
    ],
  },
  {
    ruleId: 'no-account-root-statement',
    valid: [
      { name: 'the root ARN', doc: policy() },
      { name: 'the bare account id', doc: { Version: '2012-10-17', Statement: [allow({ AWS: OWN }, 'kms:*')] } },
      { name: 'an empty own account counts as unknown', doc: policy(), source: { ownAccount: '' } },
      { name: 'an unresolved root', doc: { Version: '2012-10-17', Statement: [allow({ AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root' }, 'kms:*')] }, source: { ownAccount: OWN } },
    ],
    invalid: [
      { name: 'only roles', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ADMIN }, ADMIN_ACTIONS)] }, findings: [{ ruleId: 'no-account-root-statement', pointer: '/Statement' }] },
      { name: 'another account\'s root only', doc: { Version: '2012-10-17', Statement: [allow({ AWS: `arn:aws:iam::${OTHER}:root` }, 'kms:*')] }, source: { ownAccount: OWN }, findings: [{ ruleId: 'no-account-root-statement', pointer: '/Statement' }] },
    ],
  },
  {
    ruleId: 'creategrant-unconstrained',
    valid: [
      { name: 'with kms:GrantIsForAWSResource', doc: policy(allow({ AWS: ROLE }, ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })) },
      { name: 'through EBS only', doc: policy(allow({ AWS: ROLE }, 'kms:CreateGrant', { Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } })) },
      { name: 'the account root', doc: policy(allow({ AWS: ROOT_ARN }, 'kms:CreateGrant')) },
      { name: 'AWS\'s key administrator verbs', doc: policy(allow({ AWS: ADMIN }, ADMIN_ACTIONS)) },
    ],
    invalid: [
      { name: 'a user with CreateGrant', doc: policy(allow({ AWS: ROLE }, ['kms:Decrypt', 'kms:CreateGrant'])), findings: [{ ruleId: 'creategrant-unconstrained', pointer: '/Statement/1/Action/1' }] },
      { name: 'GrantIsForAWSResource false', doc: policy(allow({ AWS: ROLE }, 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } })), findings: [{ ruleId: 'creategrant-unconstrained', pointer: '/Statement/1/Action' }] },
      { name: 'IfExists', doc: policy(allow({ AWS: ROLE }, 'kms:*Grant', { Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'true' } } })), findings: [{ ruleId: 'creategrant-unconstrained', pointer: '/Statement/1/Action' }] },
    ],
  },
  {
    ruleId: 'notprincipal-allow',
    valid: [{ name: 'NotPrincipal in a Deny', doc: policy({ Effect: 'Deny', NotPrincipal: { AWS: [ROOT_ARN, ADMIN] }, Action: 'kms:ScheduleKeyDeletion', Resource: '*' }) }],
    invalid: [{ name: 'NotPrincipal in an Allow', doc: policy({ Effect: 'Allow', NotPrincipal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }), findings: [{ ruleId: 'notprincipal-allow', pointer: '/Statement/1/NotPrincipal' }] }],
  },
  {
    ruleId: 'notaction-allow',
    valid: [{ name: 'NotAction in a Deny', doc: policy({ Effect: 'Deny', Principal: { AWS: ROLE }, NotAction: USER_ACTIONS, Resource: '*' }) }],
    invalid: [{ name: 'NotAction in an Allow', doc: policy({ Effect: 'Allow', Principal: { AWS: ROLE }, NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }), findings: [{ ruleId: 'notaction-allow', pointer: '/Statement/1/NotAction' }] }],
  },
  {
    ruleId: 'service-principal-no-source',
    valid: [
      { name: 'aws:SourceAccount', doc: policy(allow({ Service: 'events.amazonaws.com' }, ['kms:GenerateDataKey*', 'kms:Decrypt'], { Condition: { StringEquals: { 'aws:SourceAccount': OWN } } })) },
      { name: 'aws:SourceArn', doc: policy(allow({ Service: 'cloudtrail.amazonaws.com' }, 'kms:DescribeKey', { Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${OWN}:trail/main` } } })) },
      { name: 'CloudWatch Logs scoped by its encryption-context ARN', doc: policy(allow({ Service: 'logs.us-west-2.amazonaws.com' }, ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'], { Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-west-2:${OWN}:*` } } })) },
      { name: 'a Terraform reference', doc: policy(allow({ Service: 'sns.amazonaws.com' }, 'kms:Decrypt', { Condition: { StringEquals: { 'aws:SourceAccount': CALLER_REF } } })) },
    ],
    invalid: [
      { name: 'no condition', doc: policy(allow({ Service: 'events.amazonaws.com' }, ['kms:GenerateDataKey*', 'kms:Decrypt'])), findings: [{ ruleId: 'service-principal-no-source', pointer: '/Statement/1/Principal/Service' }] },
      {
        name: 'a wildcard account in aws:SourceArn, two services',
        doc: policy(allow({ Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] }, 'kms:Decrypt', { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:*:alarm:*' } } })),
        findings: [
          { ruleId: 'service-principal-no-source', pointer: '/Statement/1/Principal/Service/0' },
          { ruleId: 'service-principal-no-source', pointer: '/Statement/1/Principal/Service/1' },
        ],
      },
      { name: 'Logs with a wildcard account in the context ARN', doc: policy(allow({ Service: 'logs.us-west-2.amazonaws.com' }, 'kms:Decrypt*', { Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-west-2:*:*' } } })), findings: [{ ruleId: 'service-principal-no-source', pointer: '/Statement/1/Principal/Service' }] },
    ],
  },
  {
    ruleId: 'viaservice-without-calleraccount',
    valid: [
      { name: 'with kms:CallerAccount (the EBS pattern)', doc: policy(allow({ AWS: '*' }, USER_ACTIONS, { Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com', 'kms:CallerAccount': OWN } } })) },
      { name: 'a named principal', doc: policy(allow({ AWS: ROLE }, USER_ACTIONS, { Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })) },
    ],
    invalid: [{ name: 'only kms:ViaService', doc: policy(allow({ AWS: '*' }, USER_ACTIONS, { Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } } })), findings: [{ ruleId: 'viaservice-without-calleraccount', pointer: '/Statement/1/Condition/StringEquals/kms:ViaService' }] }],
  },
  {
    ruleId: 'cross-account-admin',
    valid: [
      {
        name: 'another account as key user (AWS\'s cross-account example)',
        doc: policy(allow({ AWS: `arn:aws:iam::${OTHER}:root` }, USER_ACTIONS), allow({ AWS: `arn:aws:iam::${OTHER}:root` }, ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } })),
      },
      { name: 'an admin in the own account', doc: policy(allow({ AWS: ADMIN }, ADMIN_ACTIONS)), source: { ownAccount: OWN } },
      { name: 'own account unknown', doc: { Version: '2012-10-17', Statement: [allow({ AWS: `arn:aws:iam::${OTHER}:role/Admin` }, 'kms:PutKeyPolicy')] } },
    ],
    invalid: [
      { name: 'PutKeyPolicy to another account\'s root', doc: policy(allow({ AWS: `arn:aws:iam::${OTHER}:root` }, 'kms:PutKeyPolicy')), findings: [{ ruleId: 'cross-account-admin', pointer: '/Statement/1/Principal/AWS' }] },
      {
        name: 'an administrator role in another account, own account from the source',
        doc: { Version: '2012-10-17', Statement: [allow({ AWS: [ADMIN, `arn:aws:iam::${OTHER}:role/Admin`] }, ADMIN_ACTIONS)] },
        source: { ownAccount: OWN },
        findings: [{ ruleId: 'cross-account-admin', pointer: '/Statement/0/Principal/AWS/1' }],
      },
    ],
  },
  {
    ruleId: 'admin-usage-not-separated',
    valid: [{ name: 'separate administrators and users (console default)', doc: policy(allow({ AWS: ADMIN }, ADMIN_ACTIONS), allow({ AWS: ROLE }, USER_ACTIONS), allow({ AWS: ROLE }, ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })) }],
    invalid: [
      { name: 'the same role in both statements', doc: policy(allow({ AWS: ADMIN }, ADMIN_ACTIONS), allow({ AWS: [ROLE, ADMIN] }, USER_ACTIONS)), findings: [{ ruleId: 'admin-usage-not-separated', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'one statement with both', doc: policy(allow({ AWS: ROLE }, ['kms:PutKeyPolicy', 'kms:Decrypt'])), findings: [{ ruleId: 'admin-usage-not-separated', pointer: '/Statement/1/Principal/AWS' }] },
    ],
  },
];
