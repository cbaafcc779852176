/**
 * CloudWatch Logs: a log group encrypted with the key. CloudWatch Logs calls KMS as its regional
 * service principal, so the key policy must name `logs.<region>.amazonaws.com`, scoped to the log
 * group with the `kms:EncryptionContext:aws:logs:arn` condition; without this statement the log
 * group fails on deploy (aws-cdk#28304).
 */
import { cloudWatchLogsStatement } from '../../../policies/build.js';
import type { PolicyStatement } from '../../../policies/model.js';
import { CloudwatchLogGroup, Token } from '../../provider.js';
import { StackPropError, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { checkKeyFor } from './shared.js';

/**
 * Encrypts `logGroup` with `key` and lets CloudWatch Logs use the key for that log group. The
 * ARN is built from the log group's name and the key's account and region (not from the log
 * group's own ARN attribute), so a key in another stack does not come to depend on this one.
 */
export function encryptLogGroup(logGroup: CloudwatchLogGroup, key: KeyBase): PolicyStatement {
  if (!(logGroup instanceof CloudwatchLogGroup)) throw new StackPropError(`encryptLogGroup: logGroup must be a CloudwatchLogGroup, got ${show(logGroup)}`);
  checkKeyFor('encryptLogGroup', logGroup, logGroup.provider, key);
  const name = logGroup.nameInput;
  if (name === undefined || Token.isUnresolved(name)) {
    throw new StackPropError(`encryptLogGroup: the log group needs a literal name to scope the key policy to it, got ${show(name)}`);
  }
  const statement = key.addToPolicy(
    cloudWatchLogsStatement({
      region: key.region,
      account: key.account,
      partition: key.partition,
      logGroupArn: `arn:${key.partition}:logs:${key.region}:${key.account}:log-group:${name}`,
    }),
  );
  logGroup.kmsKeyId = key.arn;
  return statement;
}
