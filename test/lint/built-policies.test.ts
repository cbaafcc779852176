/**
 * The policies kmskit itself builds (policies/build.ts, used by the stacks) must lint clean: the
 * linter and the builders encode the same AWS guidance, so a finding here means one of them is wrong.
 */
import { describe, expect, it } from 'vitest';
import { cloudTrailStatements, cloudWatchLogsStatement, keyPolicy, snsPublisherStatement } from '../../policies/build.js';
import { lintPolicy } from '../../lint/engine.js';

const account = '111122223333';
const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
const lint = (value: unknown) => lintPolicy({ file: 'built.json', value, ownAccount: account }).map((f) => `${f.ruleId} ${f.pointer}: ${f.message}`);

describe('policies built by policies/build.ts', () => {
  it('a key with administrators, users and service users', () => {
    expect(lint(keyPolicy({ account, admins: [role('KeyAdmin')], users: [role('App'), role('Worker')], serviceUsers: [role('App')] }))).toEqual([]);
  });

  it('HMAC, signing and asymmetric encryption keys', () => {
    expect(lint(keyPolicy({ account, admins: role('KeyAdmin'), hmacUsers: role('Mac') }))).toEqual([]);
    expect(lint(keyPolicy({ account, admins: role('KeyAdmin'), signVerifyUsers: role('Signer') }))).toEqual([]);
    expect(lint(keyPolicy({ account, admins: role('KeyAdmin'), asymmetricEncryptUsers: role('Enc') }))).toEqual([]);
  });

  it('a key for CloudTrail, CloudWatch Logs and SNS publishers', () => {
    const statements = [
      ...cloudTrailStatements({ account, region: 'us-east-1' }),
      cloudWatchLogsStatement({ account, region: 'us-east-1' }),
      snsPublisherStatement({ services: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'], account }),
    ];
    expect(lint(keyPolicy({ account, admins: role('KeyAdmin'), statements }))).toEqual([]);
  });
});
