/**
 * Lambda: the function's environment variables encrypted at rest with the key. Lambda creates a
 * grant on the key for the function, so the principals that deploy it need CreateGrant for AWS
 * resources through Lambda; the function's execution role decrypts with its own IAM permissions.
 */
import type { PolicyStatement } from '../../../policies/model.js';
import { LambdaFunction } from '../../provider.js';
import { StackPropError, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { type ViaServiceOptions, addViaService, checkKeyFor } from './shared.js';

/** Encrypts `fn`'s environment variables with `key`. */
export function encryptLambdaEnvironment(fn: LambdaFunction, key: KeyBase, options: ViaServiceOptions): PolicyStatement[] {
  if (!(fn instanceof LambdaFunction)) throw new StackPropError(`encryptLambdaEnvironment: fn must be a LambdaFunction, got ${show(fn)}`);
  checkKeyFor('encryptLambdaEnvironment', fn, fn.provider, key);
  const statements = addViaService('encryptLambdaEnvironment', key, 'lambda', 'AWS Lambda', options, true);
  fn.kmsKeyArn = key.arn;
  return statements;
}
