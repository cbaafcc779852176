/**
 * RDS: storage encryption of a DB instance or an Aurora cluster, Performance Insights, and the
 * master user secret (when RDS manages the password) all under one key. RDS uses the key through
 * the caller's permissions and grants, like the aws/rds managed key's policy allows.
 */
import type { PolicyStatement } from '../../../policies/model.js';
import { DbInstance, RdsCluster } from '../../provider.js';
import { StackPropError, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { type ViaServiceOptions, addViaService, checkKeyFor } from './shared.js';

/** Options of `encryptDbInstance` and `encryptRdsCluster`. */
export interface RdsEncryptionOptions extends ViaServiceOptions {
  /**
   * Turn Performance Insights on, encrypted with the key. When false, the key is still set for
   * Performance Insights if the resource already enables it.
   * @default true
   */
  readonly performanceInsights?: boolean;
}

function encrypt(helper: string, resource: DbInstance | RdsCluster, key: KeyBase, options: RdsEncryptionOptions): PolicyStatement[] {
  checkKeyFor(helper, resource, resource.provider, key);
  const statements = addViaService(helper, key, 'rds', 'Amazon RDS', options, true);
  resource.storageEncrypted = true;
  resource.kmsKeyId = key.arn;
  const insights = options.performanceInsights ?? true;
  if (insights) resource.performanceInsightsEnabled = true;
  if (insights || resource.performanceInsightsEnabledInput === true) resource.performanceInsightsKmsKeyId = key.arn;
  if (resource.manageMasterUserPasswordInput === true) {
    resource.masterUserSecretKmsKeyId = key.arn;
    // The master user secret lives in Secrets Manager, which calls KMS through its own endpoint.
    statements.push(...addViaService(helper, key, 'secretsmanager', 'AWS Secrets Manager', options, false));
  }
  return statements;
}

/** Encrypts a DB instance's storage (and Performance Insights, master user secret) with `key`. */
export function encryptDbInstance(instance: DbInstance, key: KeyBase, options: RdsEncryptionOptions): PolicyStatement[] {
  if (!(instance instanceof DbInstance)) throw new StackPropError(`encryptDbInstance: instance must be a DbInstance, got ${show(instance)}`);
  return encrypt('encryptDbInstance', instance, key, options);
}

/** Encrypts an RDS/Aurora cluster's storage (and Performance Insights, master user secret) with `key`. */
export function encryptRdsCluster(cluster: RdsCluster, key: KeyBase, options: RdsEncryptionOptions): PolicyStatement[] {
  if (!(cluster instanceof RdsCluster)) throw new StackPropError(`encryptRdsCluster: cluster must be an RdsCluster, got ${show(cluster)}`);
  return encrypt('encryptRdsCluster', cluster, key, options);
}
