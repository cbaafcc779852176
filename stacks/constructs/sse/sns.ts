/**
 * SNS: a topic encrypted with the key. AWS services that publish to it (CloudWatch alarms,
 * EventBridge, ...) need the key themselves ("Enable compatibility between event sources from AWS
 * services and encrypted topics"); principals that publish use it through SNS.
 */
import { snsPublisherStatement } from '../../../policies/build.js';
import type { PolicyStatement } from '../../../policies/model.js';
import { SnsTopic } from '../../provider.js';
import { StackPropError, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { addViaService, checkKeyFor } from './shared.js';

/** Options of `encryptTopic`. */
export interface SnsEncryptionOptions {
  /** Principals that publish to or read the topic. @default none */
  readonly principals?: readonly string[];
  /**
   * Service principals that publish to the topic, e.g. `cloudwatch.amazonaws.com` (alarms) and
   * `events.amazonaws.com` (EventBridge). @default none
   */
  readonly publisherServices?: readonly string[];
}

/** Encrypts `topic` with `key`; adds the publisher-service and via-SNS statements asked for. */
export function encryptTopic(topic: SnsTopic, key: KeyBase, options: SnsEncryptionOptions = {}): PolicyStatement[] {
  if (!(topic instanceof SnsTopic)) throw new StackPropError(`encryptTopic: topic must be an SnsTopic, got ${show(topic)}`);
  checkKeyFor('encryptTopic', topic, topic.provider, key);
  const statements: PolicyStatement[] = [];
  if (options.publisherServices !== undefined && options.publisherServices.length > 0) {
    let statement: PolicyStatement;
    try {
      statement = snsPublisherStatement({ services: options.publisherServices, account: key.account });
    } catch (err) {
      throw new StackPropError(`encryptTopic: publisherServices: ${err instanceof Error ? err.message : String(err)}`);
    }
    statements.push(key.addToPolicy(statement));
  }
  if (options.principals !== undefined) statements.push(...addViaService('encryptTopic', key, 'sns', 'Amazon SNS', { principals: options.principals }, false));
  topic.kmsMasterKeyId = key.arn;
  return statements;
}
