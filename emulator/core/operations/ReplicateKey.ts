import { defaultKeyPolicy, lockoutCheck, type Handler } from '../context.js';
import { KmsError } from '../errors.js';
import { buildKey, validateTags } from '../keys.js';

/**
 * Creates a replica of a multi-Region primary key in another region: same key id, key spec, usage
 * and origin; the same key material (shared across rotations), or — for imported material — none
 * until the same material is imported into it; its own policy, description and tags. As AWS
 * answers (LocalStack's AWS-validated recording test_replicate_key): the replica is Creating (not
 * Enabled, no CurrentKeyMaterialId) in the response and becomes Enabled by the next request; it
 * gets no copy of the primary's description; ReplicaTags is absent when it has none.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html
 */
export const ReplicateKey: Handler = (ctx, input) => {
  const key = ctx.resolveKey(input.KeyId, { allowAlias: false });
  const region: string = input.ReplicaRegion;
  ctx.authorize('kms:ReplicateKey', key, { context: { 'kms:ReplicaRegion': region } });
  ctx.requireUsablePrimary(key);
  if (region === key.region) throw new KmsError('ValidationException', `The replica region ${region} is the primary key's region.`);
  if (ctx.store.related(key).some((k) => k.region === region)) throw new KmsError('AlreadyExistsException', `A replica of ${key.arn} already exists in ${region}.`);
  validateTags(input.Tags);
  // Creating the replica is a CreateKey in the replica region: an identity permission.
  ctx.authorize('kms:CreateKey', undefined, { resource: '*', context: { 'kms:KeySpec': key.spec, 'kms:KeyUsage': key.usage, 'kms:KeyOrigin': key.origin, 'kms:MultiRegion': 'true', 'kms:MultiRegionKeyType': 'REPLICA' } });
  const external = key.origin === 'EXTERNAL';
  const replica = buildKey({
    id: key.id,
    account: key.account,
    region,
    spec: key.spec,
    usage: key.usage,
    origin: key.origin,
    state: 'Creating',
    policy: input.Policy ?? defaultKeyPolicy(key.account),
    description: input.Description ?? '',
    tags: input.Tags ?? [],
    multiRegion: true,
    multiRegionType: 'REPLICA',
    primaryRegion: key.region,
    createdAt: ctx.now,
    versions: external ? [] : key.versions,
  });
  replica.rotations = key.rotations;
  if (input.Policy !== undefined) lockoutCheck(ctx, replica, replica.parsedPolicy!, input.BypassPolicyLockoutSafetyCheck);
  ctx.tx.addKey(replica);
  ctx.audit.resources.push(replica.arn);
  return { ReplicaKeyMetadata: ctx.metadata(replica), ReplicaPolicy: replica.policy, ...(replica.tags.length ? { ReplicaTags: replica.tags } : {}) };
};
