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
      { name: 'pinned by a CloudFormation Ref (LZA\'s EBS key policy)', doc: policy(allow({ AWS: '*' }, USER_ACTIONS, { Condition: { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' }, 'kms:ViaService': { 'Fn::Sub': 'ec2.${AWS::Region}.amazonaws.com' } } } })) },
      { name: 'NotPrincipal Allow pinned by kms:CallerAccount', doc: policy({ Effect: 'Allow', NotPrincipal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': OWN } } }) },
      {
        // IAM User Guide, "aws:PrincipalOrgID": a data perimeter Deny no outside caller can avoid.
        name: '"*" closed by a perimeter Deny on aws:PrincipalOrgID',
        doc: policy(allow('*', 'kms:Decrypt'), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }),
      },
      { name: 'aws:userid pinned to one role\'s unique id', doc: policy(allow('*', 'kms:Decrypt', { Condition: { StringLike: { 'aws:userid': 'AROAEXAMPLEID123456:*' } } })) },
    ],
    invalid: [
      { name: '"*" with no condition', doc: policy(allow('*', 'kms:Decrypt')), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal' }] },
      { name: 'a wildcard account', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { StringLike: { 'kms:CallerAccount': '*' } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'IfExists lets requests without the key through', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { StringEqualsIfExists: { 'kms:CallerAccount': OWN } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'aws:PrincipalArn with a wildcard account', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app' } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'only an encryption-context condition', doc: policy(allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:app': 'x' } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal' }] },
      // IAM User Guide, "NotPrincipal": with Allow it grants everyone not listed, in every account.
      { name: 'Allow with NotPrincipal is public exposure', doc: policy({ Effect: 'Allow', NotPrincipal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/NotPrincipal' }, { ruleId: 'notprincipal-allow', pointer: '/Statement/1/NotPrincipal' }] },
      // AWS KMS Developer Guide, "kms:ViaService": the service is limited, not the caller.
      { name: '"*" limited only by kms:ViaService', doc: policy(allow({ AWS: '*' }, USER_ACTIONS, { Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }, { ruleId: 'viaservice-without-calleraccount', pointer: '/Statement/1/Condition/StringEquals/kms:ViaService' }] },
      { name: '"*" limited by a principal tag, which any account can set on its own principals', doc: policy(allow({ AWS: '*' }, 'kms:Decrypt', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'payments' } } })), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: '"*" inside a principal list (checkov fixture ["foo", "*"])', doc: policy(allow(['foo', '*'], 'kms:*')), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/1' }, { ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/0' }] },
      { name: '{"AWS": [root, "*"]} (checkov fixture)', doc: policy(allow({ AWS: [ROOT_ARN, '*'] }, 'kms:*')), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS/1' }] },
      { name: 'metadata only is still exposure (prowler fixture: DescribeKey to {"AWS": "*"})', doc: policy(allow({ AWS: '*' }, 'kms:DescribeKey')), findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal/AWS' }] },
      {
        name: 'a Deny the caller can step around (aws:SecureTransport) does not close it',
        doc: policy(allow('*', 'kms:Decrypt'), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        findings: [{ ruleId: 'public-principal', pointer: '/Statement/1/Principal' }],
      },
    ],
  },
  {
    ruleId: 'kms-star-non-root',
    valid: [
      { name: 'the account root', doc: policy() },
      { name: 'a bare account id', doc: policy(allow({ AWS: OWN }, 'kms:*')) },
      { name: 'a role with named actions', doc: policy(allow({ AWS: ROLE }, USER_ACTIONS)) },
      { name: 'an unresolved principal', doc: policy(allow({ AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root' }, 'kms:*')) },
      // AWS CloudTrail User Guide, "Default KMS key policy created in CloudTrail console": root and the creating user.
      { name: 'the CloudTrail console\'s root statement (the root and the key\'s creator)', doc: { Version: '2012-10-17', Statement: [allow({ AWS: [ROOT_ARN, `arn:aws:iam::${OWN}:user/username`] }, 'kms:*')] } },
      { name: 'a principal that cannot exist (reported by invalid-principal only)', doc: policy(allow('foo', 'kms:*')) },
    ],
    invalid: [
      { name: 'a role with kms:*', doc: policy(allow({ AWS: ROLE }, 'kms:*')), findings: [{ ruleId: 'kms-star-non-root', pointer: '/Statement/1/Action' }] },
      { name: 'another account\'s role next to the root', doc: policy(allow({ AWS: [ROOT_ARN, `arn:aws:iam::${OTHER}:role/Ops`] }, 'kms:*')), findings: [{ ruleId: 'kms-star-non-root', pointer: '/Statement/1/Action' }, { ruleId: 'cross-account-admin', pointer: '/Statement/1/Principal/AWS/1' }] },
      { name: '"*" pinned to the own account (checkov pass fixture): every principal of the account gets full control without IAM', doc: policy(allow({ AWS: '*' }, 'kms:*', { Condition: { StringEquals: { 'kms:CallerAccount': OWN } } })), findings: [{ ruleId: 'kms-star-non-root', pointer: '/Statement/1/Action' }] },
      { name: 'root and a role with "*"', doc: policy(allow({ AWS: [ROOT_ARN, ROLE] }, ['kms:Decrypt', '*'])), findings: [{ ruleId: 'kms-star-non-root', pointer: '/Statement/1/Action/1' }] },
    ],
  },
  {
    ruleId: 'lockout-risk',
    valid: [
      { name: 'the default policy', doc: policy() },
      { name: 'an admin role keeps PutKeyPolicy', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ADMIN }, ADMIN_ACTIONS), allow({ AWS: ROLE }, USER_ACTIONS)] } },
      { name: 'an unresolved admin principal', doc: { Version: '2012-10-17', Statement: [allow({ AWS: '${var.admin_role_arn}' }, 'kms:PutKeyPolicy')] } },
      { name: '"*" covers the root: reported as public, not as a lockout (prowler fixture)', doc: { Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] } },
    ],
    invalid: [
      { name: 'only users', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ROLE }, USER_ACTIONS)] }, findings: [{ ruleId: 'lockout-risk', pointer: '/Statement' }] },
      { name: 'PutKeyPolicy only for a service', doc: { Version: '2012-10-17', Statement: [allow({ Service: 'logs.us-east-1.amazonaws.com' }, 'kms:*', { Condition: { StringEquals: { 'aws:SourceAccount': OWN } } })] }, findings: [{ ruleId: 'lockout-risk', pointer: '/Statement' }] },
      { name: 'an unconditional Deny of PutKeyPolicy to everyone', doc: policy({ Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' }), findings: [{ ruleId: 'lockout-risk', pointer: '/Statement/1' }] },
      {
        name: 'the only root statement names a malformed root (arn:aws:iam::account-id:root grants nothing)',
        doc: { Version: '2012-10-17', Statement: [allow({ AWS: 'arn:aws:iam::account-id:root' }, 'kms:*'), allow({ AWS: ROLE }, USER_ACTIONS)] },
        findings: [{ ruleId: 'lockout-risk', pointer: '/Statement' }, { ruleId: 'no-account-root-statement', pointer: '/Statement' }, { ruleId: 'invalid-principal', pointer: '/Statement/0/Principal/AWS' }],
      },
      { name: 'an 11-digit account id (CloudTrail docs typo) is no administrator', doc: { Version: '2012-10-17', Statement: [allow({ AWS: '11111111111' }, 'kms:*')] }, findings: [{ ruleId: 'lockout-risk', pointer: '/Statement' }, { ruleId: 'invalid-principal', pointer: '/Statement/0/Principal/AWS' }] },
    ],
  },
  {
    ruleId: 'no-account-root-statement',
    valid: [
      { name: 'the root ARN', doc: policy() },
      { name: 'the bare account id', doc: { Version: '2012-10-17', Statement: [allow({ AWS: OWN }, 'kms:*')] } },
      { name: 'an empty own account counts as unknown', doc: policy(), source: { ownAccount: '' } },
      { name: 'an unresolved root', doc: { Version: '2012-10-17', Statement: [allow({ AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root' }, 'kms:*')] }, source: { ownAccount: OWN } },
      { name: 'a CloudFormation Fn::Sub root', doc: { Version: '2012-10-17', Statement: [allow({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, 'kms:*')] } },
      { name: '"*" covers the root (KICS fixture): public-principal reports it instead', doc: { Version: '2012-10-17', Statement: [allow({ AWS: '*' }, 'kms:*')] } },
    ],
    invalid: [
      { name: 'only roles', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ADMIN }, ADMIN_ACTIONS)] }, findings: [{ ruleId: 'no-account-root-statement', pointer: '/Statement' }] },
      { name: 'another account\'s root only', doc: { Version: '2012-10-17', Statement: [allow({ AWS: `arn:aws:iam::${OTHER}:root` }, 'kms:*')] }, source: { ownAccount: OWN }, findings: [{ ruleId: 'no-account-root-statement', pointer: '/Statement' }] },
      { name: 'a managed-policy ARN in place of the root', doc: { Version: '2012-10-17', Statement: [allow({ AWS: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'kms:*'), allow({ AWS: ADMIN }, ADMIN_ACTIONS)] }, findings: [{ ruleId: 'no-account-root-statement', pointer: '/Statement' }] },
    ],
  },
  {
    ruleId: 'creategrant-unconstrained',
    valid: [
      { name: 'with kms:GrantIsForAWSResource', doc: policy(allow({ AWS: ROLE }, ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })) },
      { name: 'through EBS only', doc: policy(allow({ AWS: ROLE }, 'kms:CreateGrant', { Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } })) },
      { name: 'the account root', doc: policy(allow({ AWS: ROOT_ARN }, 'kms:CreateGrant')) },
      { name: 'another account\'s root with GrantIsForAWSResource (key-policy-modifying-external-accounts.html)', doc: policy(allow({ AWS: `arn:aws:iam::${OTHER}:root` }, ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })) },
      { name: 'a root whose account is unknown', doc: { Version: '2012-10-17', Statement: [allow({ AWS: 'arn:aws:iam::${var.account}:root' }, 'kms:*'), allow({ AWS: `arn:aws:iam::${OTHER}:root` }, 'kms:CreateGrant')] } },
      { name: 'AWS\'s key administrator verbs', doc: policy(allow({ AWS: ADMIN }, ADMIN_ACTIONS)) },
    ],
    invalid: [
      { name: 'a user with CreateGrant', doc: policy(allow({ AWS: ROLE }, ['kms:Decrypt', 'kms:CreateGrant'])), findings: [{ ruleId: 'creategrant-unconstrained', pointer: '/Statement/1/Action/1' }] },
      { name: 'GrantIsForAWSResource false', doc: policy(allow({ AWS: ROLE }, 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } })), findings: [{ ruleId: 'creategrant-unconstrained', pointer: '/Statement/1/Action' }] },
      { name: 'IfExists', doc: policy(allow({ AWS: ROLE }, 'kms:*Grant', { Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'true' } } })), findings: [{ ruleId: 'creategrant-unconstrained', pointer: '/Statement/1/Action' }] },
      // EC2 Auto Scaling User Guide, "Required AWS KMS key policy for use with encrypted volumes", example 2:
      // the external account's root may create any grant; AWS KMS's own cross-account example adds kms:GrantIsForAWSResource.
      { name: 'another account\'s root is not exempt', doc: policy(allow({ AWS: [`arn:aws:iam::${OTHER}:root`] }, ['kms:CreateGrant'])), findings: [{ ruleId: 'creategrant-unconstrained', pointer: '/Statement/1/Action/0' }] },
      { name: 'another account\'s bare account id, own account from the source', doc: { Version: '2012-10-17', Statement: [allow({ AWS: OTHER }, 'kms:CreateGrant')] }, source: { ownAccount: OWN }, findings: [{ ruleId: 'creategrant-unconstrained', pointer: '/Statement/0/Action' }] },
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
      // AWS CloudTrail User Guide, "Default KMS key policy created in CloudTrail console": "Allow CloudTrail to describe key".
      { name: 'metadata reads only, no source condition (CloudTrail console default)', doc: policy(allow({ Service: 'cloudtrail.amazonaws.com' }, 'kms:DescribeKey')) },
      { name: 'a source key written in upper case (SES docs: AWS:SourceAccount)', doc: policy(allow({ Service: 'ses.amazonaws.com' }, ['kms:GenerateDataKey*'], { Condition: { StringEquals: { 'AWS:SourceAccount': OWN } } })) },
      { name: 'the service context key in another case (key names are not case sensitive: conditions-kms-encryption-context-case)', doc: policy(allow({ Service: 'cloudtrail.amazonaws.com' }, 'kms:GenerateDataKey*', { Condition: { StringLike: { 'kms:encryptioncontext:AWS:CloudTrail:ARN': `arn:aws:cloudtrail:*:${OWN}:trail/*` } } })) },
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
      { name: 'crypto next to DescribeKey stays an error', doc: policy(allow({ Service: 'cloudtrail.amazonaws.com' }, ['kms:DescribeKey', 'kms:Decrypt'])), findings: [{ ruleId: 'service-principal-no-source', pointer: '/Statement/1/Principal/Service' }] },
      { name: 'CreateGrant to a service stays an error', doc: policy(allow({ Service: 'ec2.amazonaws.com' }, ['kms:CreateGrant', 'kms:ListGrants'])), findings: [{ ruleId: 'service-principal-no-source', pointer: '/Statement/1/Principal/Service' }] },
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
      { name: 'unknown-but-own: the root is ${AWS::AccountId}, so no literal account is called another', doc: { Version: '2012-10-17', Statement: [allow({ AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } }, 'kms:*'), allow({ AWS: `arn:aws:iam::${OTHER}:role/Admin` }, ADMIN_ACTIONS)] } },
      { name: 'an own-account reference is never another account', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ROOT_ARN }, 'kms:*'), allow({ AWS: `arn:aws:iam::${CALLER_REF}:role/Admin` }, ADMIN_ACTIONS)] } },
    ],
    invalid: [
      { name: 'PutKeyPolicy to another account\'s root', doc: policy(allow({ AWS: `arn:aws:iam::${OTHER}:root` }, 'kms:PutKeyPolicy')), findings: [{ ruleId: 'cross-account-admin', pointer: '/Statement/1/Principal/AWS' }] },
      {
        name: 'an administrator role in another account, own account from the source',
        doc: { Version: '2012-10-17', Statement: [allow({ AWS: [ADMIN, `arn:aws:iam::${OTHER}:role/Admin`] }, ADMIN_ACTIONS)] },
        source: { ownAccount: OWN },
        findings: [{ ruleId: 'cross-account-admin', pointer: '/Statement/0/Principal/AWS/1' }],
      },
      // KICS kms_allows_wildcard_principal negative1.yaml: root 111122223333, administrator Alice in 123456789012.
      {
        name: 'an administrator user of another account next to the own root',
        doc: policy(allow({ AWS: 'arn:aws:iam::123456789012:user/Alice' }, ADMIN_ACTIONS)),
        findings: [{ ruleId: 'cross-account-admin', pointer: '/Statement/1/Principal/AWS' }],
      },
      {
        name: 'several account roots with kms:*: the first is the own (AWS\'s root statement comes first), the others administer from outside',
        doc: policy(allow({ AWS: `arn:aws:iam::${OTHER}:root` }, 'kms:*'), allow({ AWS: ['arn:aws:iam::777788889999:root', `arn:aws:iam::${OTHER}:role/Ops`] }, ['kms:ScheduleKeyDeletion'])),
        findings: [
          { ruleId: 'cross-account-admin', pointer: '/Statement/1/Principal/AWS' },
          { ruleId: 'cross-account-admin', pointer: '/Statement/2/Principal/AWS/0' },
          { ruleId: 'cross-account-admin', pointer: '/Statement/2/Principal/AWS/1' },
        ],
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
  {
    // AWS KMS Developer Guide, conditions-aws.html#conditions-aws-ip-address and #conditions-aws-vpce;
    // IAM User Guide, "aws:ViaAWSService".
    ruleId: 'network-condition-breaks-services',
    valid: [
      {
        name: 'a Deny off the corporate network that exempts calls made by AWS services',
        doc: policy({ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' }, BoolIfExists: { 'aws:ViaAWSService': 'false' } } }),
      },
      {
        name: 'a user restricted to a VPC endpoint, and allowed again through S3',
        doc: policy(allow({ AWS: ROLE }, USER_ACTIONS, { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1234abcdf5678c90a' } } }), allow({ AWS: ROLE }, USER_ACTIONS, { Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })),
      },
      { name: 'a service principal limited by aws:SourceVpce is not a key user', doc: policy(allow({ Service: 'logs.amazonaws.com' }, 'kms:Decrypt', { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1', 'aws:SourceAccount': OWN } } })) },
      { name: 'an Allow that only keeps a network out (NotIpAddress in an Allow) does not refuse services', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })) },
    ],
    invalid: [
      { name: 'an Allow to key users from the corporate range only', doc: policy(allow({ AWS: ROLE }, USER_ACTIONS, { Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } } })), findings: [{ ruleId: 'network-condition-breaks-services', pointer: '/Statement/1/Condition/IpAddress/aws:SourceIp' }] },
      {
        name: 'AWS\'s VPC endpoint example: a Deny of every request not through the endpoint (kms-vpc-endpoint.html)',
        doc: { Version: '2012-10-17', Statement: [allow({ AWS: [OWN] }, ['kms:*']), { Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringNotEquals: { 'aws:sourceVpce': 'vpce-1234abcdf5678c90a' } } }] },
        findings: [{ ruleId: 'network-condition-breaks-services', pointer: '/Statement/1/Condition/StringNotEquals/aws:sourceVpce' }],
      },
      { name: 'key administrators only from one VPC', doc: policy(allow({ AWS: ADMIN }, ADMIN_ACTIONS, { Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0a1b2c3d' } } })), findings: [{ ruleId: 'network-condition-breaks-services', pointer: '/Statement/1/Condition/StringEquals/aws:SourceVpc' }] },
    ],
  },
  {
    // IAM User Guide, "aws:MultiFactorAuthPresent"; AWS KMS Developer Guide, "Default key policy".
    ruleId: 'root-delegation-session-condition',
    valid: [
      { name: 'the default root statement', doc: policy() },
      { name: 'MFA required of a named administrator, not of the root delegation', doc: policy(allow({ AWS: ADMIN }, ADMIN_ACTIONS, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })) },
      { name: 'BoolIfExists lets sessions without the key through', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ROOT_ARN }, 'kms:*', { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } })] } },
      { name: 'another account\'s root is no delegation of this account', doc: policy(allow({ AWS: `arn:aws:iam::${OTHER}:root` }, 'kms:Decrypt', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })) },
    ],
    invalid: [
      // checkov's KMSKeyWildcardPrincipal pass_4 fixture.
      { name: 'MFA on "Enable IAM User Permissions"', doc: { Version: '2012-10-17', Statement: [allow({ AWS: ROOT_ARN }, 'kms:*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] }, findings: [{ ruleId: 'root-delegation-session-condition', pointer: '/Statement/0/Condition/Bool/aws:MultiFactorAuthPresent' }] },
      { name: 'an MFA age limit on a bare account id', doc: { Version: '2012-10-17', Statement: [allow({ AWS: OWN }, 'kms:*', { Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } })] }, findings: [{ ruleId: 'root-delegation-session-condition', pointer: '/Statement/0/Condition/NumericLessThan/aws:MultiFactorAuthAge' }] },
      { name: 'a source identity required of a CloudFormation root', doc: { Version: '2012-10-17', Statement: [allow({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, 'kms:*', { Condition: { StringLike: { 'aws:SourceIdentity': 'admin-*' } } })] }, findings: [{ ruleId: 'root-delegation-session-condition', pointer: '/Statement/0/Condition/StringLike/aws:SourceIdentity' }] },
    ],
  },
];
