import type { Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { keyArn } from '../store.js';

/**
 * Makes the replica in PrimaryRegion the primary key and the old primary a replica; key ids and
 * ARNs stay. Automatic rotation is a property of the primary, so its settings move to the new
 * primary. AWS's transient Updating state is skipped: the swap is complete when the call returns.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdatePrimaryRegion.html
 */
export const UpdatePrimaryRegion: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  const region: string = input.PrimaryRegion;
  ctx.authorize('kms:UpdatePrimaryRegion', key, { context: { 'kms:PrimaryRegion': region } });
  ctx.requireUsablePrimary(key);
  if (region === key.region) throw new KmsError('ValidationException', `${key.arn} is already the primary key in ${region}.`);
  const next = ctx.store.related(key).find((k) => k.region === region);
  if (!next) throw new KmsError('NotFoundException', `Key '${keyArn(region, key.account, key.id)}' does not exist`);
  // Both keys' policies must allow it, each in its own region (the operation's required permissions).
  ctx.authorize('kms:UpdatePrimaryRegion', next, { context: { 'kms:PrimaryRegion': region } });
  if (next.state === 'Disabled') throw new KmsError('DisabledException', `${next.arn} is disabled.`);
  ctx.requireNotPendingDeletion(next);
  if (next.state === 'Creating') throw new KmsError('KMSInvalidStateException', `${next.arn} is creating.`);
  const oldPrimary = ctx.tx.touchKey(key);
  const newPrimary = ctx.tx.touchKey(next);
  newPrimary.rotationEnabled = key.rotationEnabled;
  newPrimary.rotationPeriodDays = key.rotationPeriodDays;
  if (key.nextRotation !== undefined) newPrimary.nextRotation = key.nextRotation;
  else delete newPrimary.nextRotation;
  oldPrimary.rotationEnabled = false;
  delete oldPrimary.nextRotation;
  newPrimary.multiRegionType = 'PRIMARY';
  oldPrimary.multiRegionType = 'REPLICA';
  for (const k of ctx.store.related(key)) ctx.tx.touchKey(k).primaryRegion = region;
  ctx.store.noteKeyEvents(newPrimary);
  return {};
};
