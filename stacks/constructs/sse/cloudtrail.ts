/**
 * CloudTrail: a trail whose log files are encrypted with the key. The statements are AWS's
 * ("Configure AWS KMS key policies for CloudTrail"): CloudTrail may generate data keys and describe
 * the key for this trail only (`aws:SourceArn`), and principals of the account may decrypt the log
 * files (`kms:CallerAccount`).
 */
import { cloudTrailStatements } from '../../../policies/build.js';
import type { PolicyStatement } from '../../../policies/model.js';
import { Cloudtrail, Token } from '../../provider.js';
import { StackPropError, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { checkKeyFor } from './shared.js';

/**
 * Encrypts `trail`'s log files with `key`. The trail ARN in `aws:SourceArn` is built from its name
 * and the key's account and region, so the key does not come to depend on the trail's stack.
 */
export function encryptTrail(trail: Cloudtrail, key: KeyBase): PolicyStatement[] {
  if (!(trail instanceof Cloudtrail)) throw new StackPropError(`encryptTrail: trail must be a Cloudtrail, got ${show(trail)}`);
  checkKeyFor('encryptTrail', trail, trail.provider, key);
  const name = trail.nameInput;
  if (name === undefined || Token.isUnresolved(name)) {
    throw new StackPropError(`encryptTrail: the trail needs a literal name to pin aws:SourceArn to it, got ${show(name)}`);
  }
  const statements = cloudTrailStatements({
    account: key.account,
    region: key.region,
    partition: key.partition,
    trailArn: `arn:${key.partition}:cloudtrail:${key.region}:${key.account}:trail/${name}`,
  }).map((s) => key.addToPolicy(s));
  trail.kmsKeyId = key.arn;
  return statements;
}
