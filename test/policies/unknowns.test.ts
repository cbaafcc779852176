import { describe, expect, it } from 'vitest';
import { isOwnAccountReference, replaceIntrinsics } from '../../policies/unknowns.js';
import { parsePolicy } from '../../policies/parse.js';

describe('CloudFormation intrinsics are unknown values', () => {
  it('keeps what Fn::Sub and Fn::Join say, with ${...} where the value is unknown', () => {
    expect(replaceIntrinsics({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' })).toBe('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
    expect(replaceIntrinsics({ 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] })).toBe('arn:aws:iam::${AWS::AccountId}:root');
    expect(replaceIntrinsics({ 'Fn::Sub': ['arn:aws:iam::${Acct}:root', { Acct: { Ref: 'Other' } }] })).toBe('arn:aws:iam::${Acct}:root');
  });

  it('turns any other intrinsic into an unknown string', () => {
    expect(replaceIntrinsics({ 'Fn::GetAtt': ['AppRole', 'Arn'] })).toBe('${Fn::GetAtt AppRole.Arn}');
    expect(replaceIntrinsics({ 'Fn::If': ['C', 'a', 'b'] })).toBe('${Fn::If}');
    expect(replaceIntrinsics({ Ref: 'AdminRoleArn' })).toBe('${AdminRoleArn}');
  });

  it('leaves a document without intrinsics untouched (the same object), and objects with two keys alone', () => {
    const doc = { Statement: [{ Principal: { AWS: 'x' }, Condition: { StringEquals: { Ref: 'a', Other: 'b' } } }] };
    expect(replaceIntrinsics(doc)).toBe(doc);
  });

  it('parse reads them as strings at the same pointers, so no element is malformed', () => {
    const r = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }] });
    expect(r.problems).toEqual([]);
    expect(r.policy!.statements[0]!.principal!.aws).toEqual(['arn:aws:iam::${AWS::AccountId}:root']);
  });

  it('recognises the references that stand for the deploying account', () => {
    expect(isOwnAccountReference('${AWS::AccountId}')).toBe(true);
    expect(isOwnAccountReference('${data.aws_caller_identity.current.account_id}')).toBe(true);
    expect(isOwnAccountReference('${var.account_id}')).toBe(false);
  });
});
