/** Checks shared by the rotation operations. */
import type { RequestContext } from './context.js';
import { KmsError, silentError } from './errors.js';
import type { KeyRecord } from './store.js';

/**
 * Only symmetric encryption keys rotate: another key spec is UnsupportedOperationException without
 * a message, as AWS sends it (LocalStack's AWS-validated recording
 * test_rotate_key_on_demand_raises_error_given_non_symmetric_key); multi-Region replicas follow
 * their primary.
 */
export function requireRotatable(ctx: RequestContext, key: KeyRecord): void {
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw silentError('UnsupportedOperationException', `kmskit: ${key.arn} is a ${key.spec} key; only symmetric encryption keys rotate`);
  if (key.multiRegionType === 'REPLICA') throw new KmsError('UnsupportedOperationException', `${key.arn} is a multi-Region replica key; rotation is managed on its primary key.`);
}

/** Automatic rotation needs key material KMS makes: EXTERNAL keys rotate only on demand. */
export function requireAutomaticRotatable(ctx: RequestContext, key: KeyRecord): void {
  requireRotatable(ctx, key);
  if (key.origin !== 'AWS_KMS') throw new KmsError('UnsupportedOperationException', `${key.arn} origin is ${key.origin} which is not valid for this operation.`);
}
