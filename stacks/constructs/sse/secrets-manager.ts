/**
 * Secrets Manager: a secret encrypted with the key. Secrets Manager calls KMS with the caller's
 * permissions through `secretsmanager.<region>.amazonaws.com` ("Secret encryption and decryption
 * in AWS Secrets Manager").
 */
import type { PolicyStatement } from '../../../policies/model.js';
import { SecretsmanagerSecret } from '../../provider.js';
import { StackPropError, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { type ViaServiceOptions, addViaService, checkKeyFor } from './shared.js';

/** Encrypts `secret` with `key` and lets `principals` use the key through Secrets Manager. */
export function encryptSecret(secret: SecretsmanagerSecret, key: KeyBase, options: ViaServiceOptions): PolicyStatement[] {
  if (!(secret instanceof SecretsmanagerSecret)) throw new StackPropError(`encryptSecret: secret must be a SecretsmanagerSecret, got ${show(secret)}`);
  checkKeyFor('encryptSecret', secret, secret.provider, key);
  const statements = addViaService('encryptSecret', key, 'secretsmanager', 'AWS Secrets Manager', options, false);
  secret.kmsKeyId = key.arn;
  return statements;
}
