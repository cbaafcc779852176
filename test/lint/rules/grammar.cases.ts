import { OWN, ROOT_ARN, allow, policy, rootStatement } from './table.js';
import type { RuleTable } from './table.js';

const ROLE = `arn:aws:iam::${OWN}:role/App`;
const json = (v: unknown) => JSON.stringify(v, null, 2);
const withCondition = (condition: unknown, action: unknown = 'kms:Decrypt') => policy(allow({ AWS: ROLE }, action, { Condition: condition }));

export const grammarTables: RuleTable[] = [
  {
    ruleId: 'invalid-json',
    valid: [{ name: 'a well-formed policy file', doc: json(policy()) }],
    invalid: [
      { name: 'a stray closing bracket', doc: '{"Version": "2012-10-17", "Statement": [}', findings: [{ ruleId: 'invalid-json', pointer: '' }] },
      { name: 'a trailing comma', doc: '{"Version": "2012-10-17",}', findings: [{ ruleId: 'invalid-json', pointer: '' }] },
    ],
  },
  {
    ruleId: 'invalid-element',
    valid: [
      { name: 'the default key policy', doc: policy() },
      { name: 'a single statement object instead of a list', doc: { Version: '2012-10-17', Statement: rootStatement } },
      { name: 'elements given as Terraform references', doc: policy({ Effect: 'Allow', Principal: '${var.principal}', Action: 'kms:Decrypt', Resource: '*', Condition: '${var.conditions}' }) },
      {
        name: 'CloudFormation intrinsics where strings and whole elements go (Ref, Fn::Sub, Fn::If)',
        doc: policy({ Effect: 'Allow', Principal: { 'Fn::If': ['Shared', { AWS: '*' }, { Ref: 'AWS::NoValue' }] }, Action: { 'Fn::Split': [',', { Ref: 'Actions' }] }, Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } } }),
      },
    ],
    invalid: [
      { name: 'a principal that is a number', doc: policy(allow({ AWS: 5 }, 'kms:Decrypt')), findings: [{ ruleId: 'invalid-element', pointer: '/Statement/1/Principal/AWS' }] },
      {
        name: 'Action and NotAction in one statement',
        doc: policy({ Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', NotAction: 'kms:Encrypt', Resource: '*' }),
        findings: [{ ruleId: 'invalid-element', pointer: '/Statement/1/NotAction' }],
      },
      { name: 'an empty Statement list (schema)', doc: { Version: '2012-10-17', Statement: [] }, findings: [{ ruleId: 'invalid-element', pointer: '/Statement' }] },
      { name: 'an empty Condition object (schema)', doc: withCondition({}), findings: [{ ruleId: 'invalid-element', pointer: '/Statement/1/Condition' }] },
      { name: 'a Sid that is not a string', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Sid: 42 })), findings: [{ ruleId: 'invalid-element', pointer: '/Statement/1/Sid' }] },
      { name: 'a document that is a list', doc: [], findings: [{ ruleId: 'invalid-element', pointer: '' }] },
    ],
  },
  {
    ruleId: 'unknown-element',
    valid: [{ name: 'only grammar elements', doc: policy() }],
    invalid: [
      { name: 'Actions instead of Action', doc: policy({ ...allow({ AWS: ROLE }, 'kms:Decrypt'), Actions: 'kms:Encrypt' }), findings: [{ ruleId: 'unknown-element', pointer: '/Statement/1/Actions' }] },
      { name: 'a lower-case principal type', doc: policy(allow({ aws: ROLE }, 'kms:Decrypt')), findings: [{ ruleId: 'unknown-element', pointer: '/Statement/1/Principal/aws' }] },
      { name: 'an unknown top-level element', doc: { ...policy(), Policy: 'x' }, findings: [{ ruleId: 'unknown-element', pointer: '/Policy' }] },
    ],
  },
  {
    ruleId: 'duplicate-key',
    valid: [{ name: 'no repeated keys', doc: json(policy()) }],
    invalid: [
      {
        name: 'Effect written twice',
        doc: `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Effect": "Allow", "Principal": {"AWS": "${ROOT_ARN}"}, "Action": "kms:*", "Resource": "*"}]}`,
        findings: [{ ruleId: 'duplicate-key', pointer: '/Statement/0/Effect' }],
      },
    ],
  },
  {
    ruleId: 'invalid-version',
    valid: [
      { name: '2012-10-17', doc: policy() },
      { name: '2008-10-17', doc: { ...policy(), Version: '2008-10-17' } },
      { name: 'a Terraform reference', doc: { ...policy(), Version: '${var.policy_version}' } },
    ],
    invalid: [
      { name: 'a made-up date', doc: { ...policy(), Version: '2012-10-18' }, findings: [{ ruleId: 'invalid-version', pointer: '/Version' }] },
      { name: 'a number', doc: { ...policy(), Version: 20121017 }, findings: [{ ruleId: 'invalid-version', pointer: '/Version' }] },
    ],
  },
  {
    ruleId: 'missing-version',
    valid: [{ name: 'Version present', doc: policy() }],
    invalid: [{ name: 'no Version', doc: { Statement: [rootStatement] }, findings: [{ ruleId: 'missing-version', pointer: '/Version' }] }],
  },
  {
    ruleId: 'old-version',
    valid: [{ name: '2012-10-17', doc: policy() }],
    invalid: [{ name: '2008-10-17', doc: { ...policy(), Version: '2008-10-17' }, findings: [{ ruleId: 'old-version', pointer: '/Version' }] }],
  },
  {
    ruleId: 'invalid-effect',
    valid: [
      { name: 'Allow and Deny', doc: policy({ Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }) },
      { name: 'a Terraform reference', doc: policy({ ...allow({ AWS: ROLE }, 'kms:Decrypt'), Effect: '${var.effect}' }) },
    ],
    invalid: [
      { name: 'lower-case allow', doc: policy({ ...allow({ AWS: ROLE }, 'kms:Decrypt'), Effect: 'allow' }), findings: [{ ruleId: 'invalid-effect', pointer: '/Statement/1/Effect' }] },
      { name: 'no Effect', doc: policy({ Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }), findings: [{ ruleId: 'invalid-effect', pointer: '/Statement/1/Effect' }] },
    ],
  },
  {
    ruleId: 'missing-principal',
    valid: [{ name: 'NotPrincipal instead of Principal', doc: policy({ Effect: 'Deny', NotPrincipal: { AWS: ROOT_ARN }, Action: 'kms:ScheduleKeyDeletion', Resource: '*' }) }],
    invalid: [{ name: 'neither', doc: policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }), findings: [{ ruleId: 'missing-principal', pointer: '/Statement/1/Principal' }] }],
  },
  {
    ruleId: 'missing-action',
    valid: [{ name: 'NotAction in a Deny', doc: policy({ Effect: 'Deny', Principal: { AWS: ROLE }, NotAction: 'kms:Decrypt', Resource: '*' }) }],
    invalid: [{ name: 'neither', doc: policy({ Effect: 'Allow', Principal: { AWS: ROLE }, Resource: '*' }), findings: [{ ruleId: 'missing-action', pointer: '/Statement/1/Action' }] }],
  },
  {
    ruleId: 'missing-resource',
    valid: [{ name: 'Resource "*"', doc: policy() }],
    invalid: [{ name: 'no Resource', doc: policy({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt' }), findings: [{ ruleId: 'missing-resource', pointer: '/Statement/1/Resource' }] }],
  },
  {
    ruleId: 'resource-not-star',
    valid: [
      { name: '"*"', doc: policy() },
      { name: 'a Terraform reference', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Resource: '${aws_kms_key.main.arn}' })) },
    ],
    invalid: [
      { name: 'the key ARN', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Resource: `arn:aws:kms:us-east-1:${OWN}:key/1234abcd` })), findings: [{ ruleId: 'resource-not-star', pointer: '/Statement/1/Resource' }] },
      { name: 'a list with a pattern', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Resource: ['*', 'arn:aws:kms:*'] })), findings: [{ ruleId: 'resource-not-star', pointer: '/Statement/1/Resource/1' }] },
      {
        name: 'NotResource',
        doc: policy({ Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', NotResource: 'arn:aws:kms:*' }),
        findings: [{ ruleId: 'resource-not-star', pointer: '/Statement/1/NotResource' }],
      },
    ],
  },
  {
    ruleId: 'invalid-action',
    valid: [
      { name: 'catalog names, any case, patterns and "*"', doc: policy(allow({ AWS: ROLE }, ['kms:Decrypt', 'kms:generatedatakey', 'kms:ReEncrypt*', 'kms:Describe?ey', '*'])) },
      { name: 'a Terraform reference', doc: policy(allow({ AWS: ROLE }, '${var.actions}')) },
      { name: 'another service (non-kms-action judges it)', doc: policy(allow({ AWS: ROLE }, 's3:GetObject')) },
    ],
    invalid: [
      { name: 'a misspelt action', doc: policy(allow({ AWS: ROLE }, 'kms:Decrpyt')), findings: [{ ruleId: 'invalid-action', pointer: '/Statement/1/Action' }] },
      { name: 'a pattern that matches nothing', doc: policy(allow({ AWS: ROLE }, ['kms:Encrypt', 'kms:Foo*'])), findings: [{ ruleId: 'invalid-action', pointer: '/Statement/1/Action/1' }] },
      { name: 'no service prefix', doc: policy(allow({ AWS: ROLE }, 'Decrypt')), findings: [{ ruleId: 'invalid-action', pointer: '/Statement/1/Action' }] },
      { name: 'in NotAction too', doc: policy({ Effect: 'Deny', Principal: '*', NotAction: ['kms:Decript'], Resource: '*' }), findings: [{ ruleId: 'invalid-action', pointer: '/Statement/1/NotAction/0' }] },
    ],
  },
  {
    ruleId: 'non-kms-action',
    valid: [{ name: 'kms actions only', doc: policy(allow({ AWS: ROLE }, ['kms:Decrypt', '*'])) }],
    invalid: [{ name: 'an S3 action', doc: policy(allow({ AWS: ROLE }, ['kms:Decrypt', 's3:GetObject'])), findings: [{ ruleId: 'non-kms-action', pointer: '/Statement/1/Action/1' }] }],
  },
  {
    ruleId: 'iam-only-action',
    valid: [
      { name: 'key operations', doc: policy(allow({ AWS: ROLE }, ['kms:Decrypt', 'kms:DescribeKey'])) },
      { name: 'a pattern that also covers key operations', doc: policy(allow({ AWS: ROLE }, ['kms:List*', 'kms:Create*'])) },
    ],
    invalid: [
      { name: 'CreateKey', doc: policy(allow({ AWS: ROLE }, ['kms:CreateKey'])), findings: [{ ruleId: 'iam-only-action', pointer: '/Statement/1/Action/0' }] },
      { name: 'a pattern covering only custom key store operations', doc: policy(allow({ AWS: ROLE }, 'kms:*CustomKeyStore*')), findings: [{ ruleId: 'iam-only-action', pointer: '/Statement/1/Action' }] },
    ],
  },
  {
    ruleId: 'invalid-principal',
    valid: [
      {
        name: 'roots, account ids, roles, users, sessions, services, unique ids',
        doc: policy(
          allow({ AWS: [ROOT_ARN, OWN, `arn:aws:iam::${OWN}:role/path/App`, `arn:aws:iam::${OWN}:user/alice`, `arn:aws:sts::${OWN}:assumed-role/App/session`, 'AROAEXAMPLEEXAMPLE123'] }, 'kms:Decrypt'),
          allow({ Service: ['logs.us-east-1.amazonaws.com', 'cloudtrail.amazonaws.com'] }, 'kms:Decrypt', { Condition: { StringEquals: { 'aws:SourceAccount': OWN } } }),
        ),
      },
      { name: 'a Terraform reference', doc: policy(allow({ AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/App' }, 'kms:Decrypt')) },
      { name: 'a CloudFormation Fn::Sub or Fn::GetAtt (unknown values, never errors by themselves)', doc: policy(allow({ AWS: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/App' }, { 'Fn::GetAtt': ['AppRole', 'Arn'] }] }, 'kms:Decrypt')) },
      { name: 'SAML and OIDC providers, assumed-role sessions in other partitions', doc: policy(allow({ AWS: [`arn:aws:iam::${OWN}:oidc-provider/token.actions.githubusercontent.com`, `arn:aws-cn:sts::${OWN}:assumed-role/App/s`] }, 'kms:Decrypt')) },
    ],
    invalid: [
      { name: 'a wildcard inside an ARN', doc: policy(allow({ AWS: 'arn:aws:iam::*:role/App' }, 'kms:Decrypt')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'an IAM group', doc: policy(allow({ AWS: [ROLE, `arn:aws:iam::${OWN}:group/Admins`] }, 'kms:Decrypt')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/AWS/1' }] },
      { name: 'an 11-digit account id', doc: policy(allow({ AWS: '11112222333' }, 'kms:Decrypt')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'an ARN without a resource', doc: policy(allow({ AWS: `arn:aws:iam::${OWN}:role` }, 'kms:Decrypt')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'a bare service name', doc: policy(allow({ Service: 'logs' }, 'kms:Decrypt')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/Service' }] },
      { name: 'in NotPrincipal too', doc: policy({ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::12345:root' }, Action: 'kms:*', Resource: '*' }), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/NotPrincipal/AWS' }] },
      // IAM User Guide, "AWS JSON policy elements: Principal": a policy is not a principal.
      { name: 'a managed-policy ARN', doc: policy(allow({ AWS: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'kms:Decrypt')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'a documentation placeholder for the account (arn:aws:iam::account-id:root)', doc: policy(allow({ AWS: 'arn:aws:iam::account-id:root' }, 'kms:*')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/AWS' }] },
      { name: 'service and account fields swapped (GuardDuty docs, arn:aws::iam:<id>:role/...)', doc: policy(allow({ AWS: 'arn:aws::iam:123456789123:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty' }, 'kms:Decrypt*')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/AWS' }] },
      // checkov's KMSKeyWildcardPrincipal fixtures: "Principal": "foo" and ["foo", "*"].
      { name: 'a bare string in place of the principal block', doc: policy(allow('foo', 'kms:*')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal' }] },
      { name: 'a list in place of the block: the bad entry, not the whole element', doc: policy(allow(['foo', `arn:aws:iam::${OWN}:role/App`], 'kms:Decrypt')), findings: [{ ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/0' }, { ruleId: 'invalid-principal', pointer: '/Statement/1/Principal/1' }] },
    ],
  },
  {
    ruleId: 'invalid-condition-operator',
    valid: [{ name: 'operators with set prefixes and IfExists', doc: withCondition({ StringEquals: { 'kms:CallerAccount': OWN }, 'ForAnyValue:StringLike': { 'kms:EncryptionContextKeys': 'app*' }, StringLikeIfExists: { 'kms:ViaService': 's3.*' } }) }],
    invalid: [
      { name: 'StringEqual', doc: withCondition({ StringEqual: { 'kms:CallerAccount': OWN } }), findings: [{ ruleId: 'invalid-condition-operator', pointer: '/Statement/1/Condition/StringEqual' }] },
      { name: 'a misspelt set operator', doc: withCondition({ 'ForAnyValues:StringLike': { 'kms:EncryptionContextKeys': 'a*' } }), findings: [{ ruleId: 'invalid-condition-operator', pointer: '/Statement/1/Condition/ForAnyValues:StringLike' }] },
    ],
  },
  {
    ruleId: 'invalid-condition-key',
    valid: [
      {
        name: 'kms, global, templated and other-service keys',
        doc: withCondition({ StringEquals: { 'kms:CallerAccount': OWN, 'kms:EncryptionContext:Department': 'IT', 'aws:PrincipalTag/team': 'a', 'aws:sourcearn': 'arn:aws:s3:::b', 's3:prefix': 'x' } }),
      },
      { name: 'a Terraform reference', doc: withCondition({ StringEquals: { '${var.condition_key}': 'x' } }) },
    ],
    invalid: [
      { name: 'a misspelt kms key', doc: withCondition({ StringEquals: { 'kms:CallerAcount': OWN } }), findings: [{ ruleId: 'invalid-condition-key', pointer: '/Statement/1/Condition/StringEquals/kms:CallerAcount' }] },
      { name: 'a misspelt templated key', doc: withCondition({ StringEquals: { 'kms:EncryptionContex:Dept': 'IT' } }), findings: [{ ruleId: 'invalid-condition-key', pointer: '/Statement/1/Condition/StringEquals/kms:EncryptionContex:Dept' }] },
      { name: 'no service prefix', doc: withCondition({ StringEquals: { CallerAccount: OWN } }), findings: [{ ruleId: 'invalid-condition-key', pointer: '/Statement/1/Condition/StringEquals/CallerAccount' }] },
    ],
  },
  {
    ruleId: 'iam-only-condition-key',
    valid: [
      { name: 'aws:RequestTag on TagResource', doc: withCondition({ StringEquals: { 'aws:RequestTag/env': 'prod' } }, ['kms:TagResource']) },
      { name: 'aws:TagKeys under kms:*', doc: withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, 'kms:*') },
    ],
    invalid: [
      { name: 'aws:ResourceTag', doc: withCondition({ StringEquals: { 'aws:ResourceTag/env': 'prod' } }), findings: [{ ruleId: 'iam-only-condition-key', pointer: '/Statement/1/Condition/StringEquals/aws:ResourceTag~1env' }] },
      { name: 'kms:ResourceAliases', doc: withCondition({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/app' } }), findings: [{ ruleId: 'iam-only-condition-key', pointer: '/Statement/1/Condition/ForAnyValue:StringEquals/kms:ResourceAliases' }] },
      { name: 'aws:TagKeys on Decrypt', doc: withCondition({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }), findings: [{ ruleId: 'iam-only-condition-key', pointer: '/Statement/1/Condition/ForAnyValue:StringEquals/aws:TagKeys' }] },
    ],
  },
  {
    ruleId: 'condition-value-type',
    valid: [
      {
        name: 'values of the right type, and references',
        doc: withCondition({ Bool: { 'kms:GrantIsForAWSResource': true, 'aws:SecureTransport': 'false' }, NumericLessThan: { 'kms:RotationPeriodInDays': '365' }, DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] }, NumericEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '${var.days}' } }),
      },
    ],
    invalid: [
      { name: 'Bool "yes"', doc: withCondition({ Bool: { 'kms:GrantIsForAWSResource': 'yes' } }), findings: [{ ruleId: 'condition-value-type', pointer: '/Statement/1/Condition/Bool/kms:GrantIsForAWSResource' }] },
      { name: 'a CIDR with too many bits', doc: withCondition({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.0/33'] } }), findings: [{ ruleId: 'condition-value-type', pointer: '/Statement/1/Condition/IpAddress/aws:SourceIp/1' }] },
      { name: 'Null "no"', doc: withCondition({ Null: { 'kms:EncryptionContextKeys': 'no' } }), findings: [{ ruleId: 'condition-value-type', pointer: '/Statement/1/Condition/Null/kms:EncryptionContextKeys' }] },
      { name: 'a word for a number', doc: withCondition({ NumericLessThan: { 'kms:RotationPeriodInDays': 'ten' } }), findings: [{ ruleId: 'condition-value-type', pointer: '/Statement/1/Condition/NumericLessThan/kms:RotationPeriodInDays' }] },
    ],
  },
  {
    ruleId: 'duplicate-sid',
    valid: [{ name: 'distinct Sids with spaces', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Sid: 'Allow use of the key' }), allow({ AWS: ROLE }, 'kms:DescribeKey', { Sid: 'Allow use of the key 2' })) }],
    invalid: [{ name: 'the same Sid twice', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Sid: 'Use' }), allow({ AWS: ROLE }, 'kms:DescribeKey', { Sid: 'Use' })), findings: [{ ruleId: 'duplicate-sid', pointer: '/Statement/2/Sid' }] }],
  },
  {
    ruleId: 'invalid-characters',
    valid: [{ name: 'Latin-1, tab and newline', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Sid: 'Schlüssel\tfür Café' })) }],
    invalid: [
      { name: 'a typographic apostrophe', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Sid: 'Allow the app’s role' })), findings: [{ ruleId: 'invalid-characters', pointer: '/Statement/1/Sid' }] },
      { name: 'a zero-width space in a condition key', doc: withCondition({ StringEquals: { 'kms:CallerAccount\u200b': OWN } }), findings: [{ ruleId: 'invalid-characters', pointer: '/Statement/1/Condition/StringEquals/kms:CallerAccount\u200b' }] },
    ],
  },
  {
    ruleId: 'policy-too-large',
    valid: [
      { name: 'a normal policy', doc: json(policy()) },
      { name: 'a rendered policy whose worst-case size is over the limit but real size is not', doc: policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Sid: 'a'.repeat(6_000) })) },
    ],
    invalid: [
      { name: 'a 33,000-character Sid', doc: json(policy(allow({ AWS: ROLE }, 'kms:Decrypt', { Sid: 'a'.repeat(33_000) }))), findings: [{ ruleId: 'policy-too-large', pointer: '' }] },
      { name: 'a rendered policy over the limit', doc: policy(...Array.from({ length: 200 }, (_, i) => allow({ AWS: ROLE }, 'kms:Decrypt', { Sid: `Statement${i}`.padEnd(150, 'x') }))), findings: [{ ruleId: 'policy-too-large', pointer: '' }] },
    ],
  },
  {
    ruleId: 'null-with-ifexists',
    valid: [{ name: 'Null', doc: withCondition({ Null: { 'kms:EncryptionContextKeys': 'false' } }) }],
    invalid: [{ name: 'NullIfExists', doc: withCondition({ NullIfExists: { 'kms:EncryptionContextKeys': 'false' } }), findings: [{ ruleId: 'null-with-ifexists', pointer: '/Statement/1/Condition/NullIfExists' }] }],
  },
  {
    ruleId: 'wildcard-without-like',
    valid: [
      { name: 'StringLike with a wildcard, StringEquals without', doc: withCondition({ StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/*` }, StringEquals: { 'kms:CallerAccount': OWN } }) },
      { name: 'a policy variable or Terraform reference', doc: withCondition({ StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } }) },
    ],
    invalid: [
      { name: 'StringEquals with *', doc: withCondition({ StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/*` } }), findings: [{ ruleId: 'wildcard-without-like', pointer: '/Statement/1/Condition/StringEquals/aws:PrincipalArn' }] },
      { name: 'StringNotEqualsIgnoreCase with ?', doc: withCondition({ StringNotEqualsIgnoreCase: { 'kms:ViaService': 's3.us-east-?.amazonaws.com' } }), findings: [{ ruleId: 'wildcard-without-like', pointer: '/Statement/1/Condition/StringNotEqualsIgnoreCase/kms:ViaService' }] },
    ],
  },
  {
    // IAM User Guide, "Amazon Resource Name (ARN) condition operators": ArnEquals honours * and ? like ArnLike.
    ruleId: 'arnequals-with-wildcard',
    valid: [
      { name: 'ArnLike with a wildcard (AWS\'s SNS / CloudWatch alarms pattern)', doc: withCondition({ ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${OWN}:alarm:*` } }) },
      { name: 'ArnEquals with an exact ARN (AWS\'s CloudTrail key-policy-services example)', doc: withCondition({ ArnEquals: { 'aws:SourceArn': [`arn:aws:cloudtrail:us-west-2:${OWN}:trail/finance`] } }) },
    ],
    invalid: [
      { name: 'ArnEquals with * in a list', doc: withCondition({ ArnEquals: { 'aws:SourceArn': ['arn:aws:s3:::a', 'arn:aws:s3:::logs-*'] } }), findings: [{ ruleId: 'arnequals-with-wildcard', pointer: '/Statement/1/Condition/ArnEquals/aws:SourceArn/1' }] },
      { name: 'ArnNotEquals with *', doc: policy({ Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWN}:role/*` } } }), findings: [{ ruleId: 'arnequals-with-wildcard', pointer: '/Statement/1/Condition/ArnNotEquals/aws:PrincipalArn' }] },
    ],
  },
  {
    ruleId: 'multivalued-key-without-set-operator',
    valid: [
      { name: 'with ForAnyValue', doc: withCondition({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'Department' } }) },
      { name: 'Null needs no set operator', doc: withCondition({ Null: { 'kms:GrantOperations': 'false' } }) },
    ],
    invalid: [
      { name: 'kms:GrantOperations with StringEquals', doc: withCondition({ StringEquals: { 'kms:GrantOperations': 'Decrypt' } }, 'kms:CreateGrant'), findings: [{ ruleId: 'multivalued-key-without-set-operator', pointer: '/Statement/1/Condition/StringEquals/kms:GrantOperations' }] },
      { name: 'kms:EncryptionContextKeys with StringLike', doc: withCondition({ StringLike: { 'kms:EncryptionContextKeys': 'a*' } }), findings: [{ ruleId: 'multivalued-key-without-set-operator', pointer: '/Statement/1/Condition/StringLike/kms:EncryptionContextKeys' }] },
    ],
  },
  {
    ruleId: 'encryption-context-forallvalues',
    valid: [
      { name: 'a plain operator on a context key', doc: withCondition({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }) },
      { name: 'a set operator on kms:EncryptionContextKeys', doc: withCondition({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department'] } }) },
    ],
    invalid: [{ name: 'ForAnyValue on a context key', doc: withCondition({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContext:Department': ['IT', 'HR'] } }), findings: [{ ruleId: 'encryption-context-forallvalues', pointer: '/Statement/1/Condition/ForAnyValue:StringEquals/kms:EncryptionContext:Department' }] }],
  },
  {
    ruleId: 'encryption-context-unsupported-action',
    valid: [
      { name: 'Decrypt and Encrypt (conditions-kms.html#conditions-kms-encryption-context)', doc: withCondition({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }, ['kms:Decrypt', 'kms:Encrypt']) },
      { name: 'kms:*', doc: withCondition({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }, 'kms:*') },
      {
        name: 'a wildcard family that covers no context action, next to ones that do (AWS\'s CloudWatch Logs key policy, encrypt-log-data-kms.html)',
        doc: policy(allow({ Service: 'logs.us-west-2.amazonaws.com' }, ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], { Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-west-2:${OWN}:log-group:*` } } })),
      },
      { name: 'CreateGrant and RetireGrant see the grant\'s context', doc: withCondition({ StringEquals: { 'kms:EncryptionContext:aws:ebs:id': 'vol-0123' } }, ['kms:CreateGrant', 'kms:RetireGrant']) },
      { name: 'a Terraform reference among the actions', doc: withCondition({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }, ['kms:DescribeKey', '${var.extra_action}']) },
    ],
    invalid: [
      { name: 'DescribeKey alone', doc: withCondition({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }, 'kms:DescribeKey'), findings: [{ ruleId: 'encryption-context-unsupported-action', pointer: '/Statement/1/Condition/StringEquals/kms:EncryptionContext:Department' }] },
      { name: 'kms:EncryptionContextKeys on Sign', doc: withCondition({ 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'a' } }, ['kms:Sign', 'kms:GetPublicKey']), findings: [{ ruleId: 'encryption-context-unsupported-action', pointer: '/Statement/1/Condition/ForAnyValue:StringEquals/kms:EncryptionContextKeys' }] },
      {
        // The Service Authorization Reference lists kms:EncryptionContext:* on Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, CreateGrant, RetireGrant only.
        name: 'DescribeKey named next to Decrypt: unreachable through the statement',
        doc: withCondition({ StringEquals: { 'kms:EncryptionContext:Department': 'IT' } }, ['kms:Decrypt', 'kms:DescribeKey']),
        findings: [{ ruleId: 'encryption-context-unsupported-action', pointer: '/Statement/1/Action/1' }],
      },
      {
        name: 'a Deny with a negated context condition always applies to Sign and GetPublicKey',
        doc: policy({ Effect: 'Deny', Principal: { AWS: ROLE }, Action: ['kms:Decrypt', 'kms:Sign', 'kms:GetPublicKey'], Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionContext:app': 'billing' } } }),
        findings: [
          { ruleId: 'encryption-context-unsupported-action', pointer: '/Statement/1/Action/1' },
          { ruleId: 'encryption-context-unsupported-action', pointer: '/Statement/1/Action/2' },
        ],
      },
    ],
  },
];
