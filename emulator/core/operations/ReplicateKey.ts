import { defaultKeyPolicy, lockoutCheck, type Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { buildKey, validateTags } from '../keys.js';

/**
 * Creates a replica of a multi-Region primary key in another region: same key id, same key
 * material (shared across rotations), its own policy, description and tags.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html
 */
export const ReplicateKey: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  const region: string = input.ReplicaRegion;
  ctx.authorize('kms:ReplicateKey', key, { context: { 'kms:ReplicaRegion': region } });
  if (!key.multiRegion) throw new KmsError('UnsupportedOperationException', `${key.arn} is not a multi-Region key.`);
  if (key.multiRegionType !== 'PRIMARY') throw new KmsError('UnsupportedOperationException', `${key.arn} is a replica key; only a primary key can be replicated.`);
  if (key.state === 'Disabled') throw new KmsError('DisabledException', `${key.arn} is disabled.`);
  ctx.requireNotPendingDeletion(key);
  if (region === key.region) throw new KmsError('ValidationException', `The replica region ${region} is the primary key's region.`);
  if (ctx.store.related(key).some((k) => k.region === region)) throw new KmsError('AlreadyExistsException', `A replica of ${key.arn} already exists in ${region}.`);
  validateTags(input.Tags);
  // Creating the replica is a CreateKey in the replica region: an identity permission.
  ctx.authorize('kms:CreateKey', undefined, { resource: '*', context: { 'kms:KeySpec': key.spec, 'kms:KeyUsage': key.usage, 'kms:MultiRegion': 'true', 'kms:MultiRegionKeyType': 'REPLICA' } });
  const replica = buildKey({
    id: key.id,
    account: key.account,
    region,
    spec: key.spec,
    usage: key.usage,
    policy: input.Policy ?? defaultKeyPolicy(key.account),
    description: input.Description ?? key.description,
    tags: input.Tags ?? [],
    multiRegion: true,
    multiRegionType: 'REPLICA',
    primaryRegion: key.region,
    createdAt: ctx.now,
    versions: key.versions,
  });
  replica.rotations = key.rotations;
  if (input.Policy !== undefined) lockoutCheck(ctx, replica, replica.parsedPolicy!, input.BypassPolicyLockoutSafetyCheck);
  ctx.tx.addKey(replica);
  ctx.audit.resources.push(replica.arn);
  return { ReplicaKeyMetadata: ctx.metadata(replica), ReplicaPolicy: replica.policy, ReplicaTags: replica.tags };
};
