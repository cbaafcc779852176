/**
 * SQS: a queue encrypted with the key (SSE-KMS). The data-key reuse period trades KMS calls
 * (cost, throttling) against how long one data key protects messages.
 */
import type { PolicyStatement } from '../../../policies/model.js';
import { SqsQueue } from '../../provider.js';
import { StackPropError, checkIntRange, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { type ViaServiceOptions, addViaService, checkKeyFor } from './shared.js';

/** Options of `encryptQueue`. */
export interface SqsEncryptionOptions extends ViaServiceOptions {
  /** Seconds SQS reuses a data key, 60–86400. @default 300 */
  readonly dataKeyReusePeriodSeconds?: number;
}

/** Encrypts `queue` with `key` and lets `principals` use the key through SQS. */
export function encryptQueue(queue: SqsQueue, key: KeyBase, options: SqsEncryptionOptions): PolicyStatement[] {
  if (!(queue instanceof SqsQueue)) throw new StackPropError(`encryptQueue: queue must be an SqsQueue, got ${show(queue)}`);
  checkIntRange('dataKeyReusePeriodSeconds', options?.dataKeyReusePeriodSeconds, 60, 86400);
  checkKeyFor('encryptQueue', queue, queue.provider, key);
  const statements = addViaService('encryptQueue', key, 'sqs', 'Amazon SQS', options, false);
  queue.kmsMasterKeyId = key.arn;
  queue.kmsDataKeyReusePeriodSeconds = options.dataKeyReusePeriodSeconds ?? 300;
  return statements;
}
