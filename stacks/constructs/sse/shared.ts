/**
 * What every SSE-KMS helper does besides setting attributes: check that the key can encrypt data
 * and lives in the resource's region, and grant the calling principals use of the key only through
 * the service (`kms:ViaService` + `kms:CallerAccount`, as AWS managed keys' policies do).
 */
import type { PolicyStatement } from '../../../policies/model.js';
import { SERVICE_USER_ACTIONS, SERVICE_USER_CONDITION, SYMMETRIC_USER_ACTIONS } from '../../../policies/perms.js';
import { AwsProvider, Token, type IConstruct, type TerraformProvider } from '../../provider.js';
import { StackPropError, regionOf, show } from '../common.js';
import type { KeyBase } from '../key-base.js';

/** Options of the helpers for services that call KMS with the caller's own permissions. */
export interface ViaServiceOptions {
  /**
   * The IAM principals (app roles, users) that read and write the resource: they get the symmetric
   * user actions on the key, but only through this service and only from the key's account.
   */
  readonly principals: readonly string[];
}

/** Throws unless `key` is a symmetric encryption key in the same region as `resource`. */
export function checkKeyFor(helper: string, resource: IConstruct, resourceProvider: TerraformProvider | undefined, key: KeyBase): void {
  if (typeof key !== 'object' || key === null || typeof (key as { grantViaService?: unknown }).grantViaService !== 'function') {
    throw new StackPropError(`${helper}: key must be a KmsKey or KmsReplicaKey, got ${show(key)}`);
  }
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new StackPropError(`${helper}: AWS services encrypt only with symmetric keys; ${key.node.path} has keySpec ${show(key.keySpec)}`);
  }
  const provider = resourceProvider instanceof AwsProvider ? resourceProvider : undefined;
  const region = regionOf(resource, provider);
  if (!Token.isUnresolved(region) && !Token.isUnresolved(key.region) && region !== key.region) {
    throw new StackPropError(`${helper}: ${resource.node.path} is in ${show(region)} but the key ${key.node.path} is in ${show(key.region)}; a service can only use a key in its own region`);
  }
}

/**
 * Adds the via-service statement(s): the symmetric user actions, and for services that attach the
 * key to resources through grants (EBS, RDS, DynamoDB, Lambda) `kms:CreateGrant` under
 * `kms:GrantIsForAWSResource`.
 */
export function addViaService(
  helper: string,
  key: KeyBase,
  service: string,
  serviceTitle: string,
  options: ViaServiceOptions | undefined,
  grants: boolean,
): PolicyStatement[] {
  const principals = options?.principals;
  if (!Array.isArray(principals) || principals.length === 0) {
    throw new StackPropError(`${helper}: principals must name the IAM roles or users that use the ${serviceTitle} resource, got ${show(principals)}`);
  }
  const added = [key.grantViaService(principals, service, SYMMETRIC_USER_ACTIONS, `Allow access through ${serviceTitle}`)];
  if (grants) {
    const createGrant = SERVICE_USER_ACTIONS.filter((a) => a === 'kms:CreateGrant');
    added.push(key.grantViaService(principals, service, createGrant, `Allow ${serviceTitle} grants for AWS resources`, { Bool: { ...SERVICE_USER_CONDITION.Bool } }));
  }
  return added;
}
