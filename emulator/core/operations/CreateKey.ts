import { defaultKeyPolicy, lockoutCheck, type Handler } from '../context.js';
import { isSupportedKeySpec, KEY_SPECS, UNSERVABLE_KEY_SPECS, type KeyUsage } from '../../crypto/index.js';
import { KmsError } from '../errors.js';
import { buildKey, validateTags } from '../keys.js';
import type { KeyOrigin } from '../store.js';

/**
 * Creates a KMS key: symmetric, HMAC, RSA, ECC (signing or key agreement) or Ed25519, with key
 * material KMS makes (Origin AWS_KMS) or none yet (Origin EXTERNAL: PendingImport until
 * ImportKeyMaterial). https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html
 */
export const CreateKey: Handler = (ctx, input) => {
  if (input.CustomKeyStoreId) throw new KmsError('CustomKeyStoreNotFoundException', `Custom key store ${input.CustomKeyStoreId} does not exist (kmskit does not emulate custom key stores).`);
  if (input.XksKeyId) throw new KmsError('XksKeyNotFoundException', 'kmskit does not emulate external key stores.');
  const origin: string = input.Origin ?? 'AWS_KMS';
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') throw new KmsError('UnsupportedOperationException', `Origin ${origin} needs a custom key store, which kmskit does not emulate; use AWS_KMS or EXTERNAL.`);
  if (input.KeySpec && input.CustomerMasterKeySpec && input.KeySpec !== input.CustomerMasterKeySpec) {
    throw new KmsError('ValidationException', 'You cannot specify both KeySpec and CustomerMasterKeySpec with different values.');
  }
  const spec: string = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (!isSupportedKeySpec(spec)) throw new KmsError('UnsupportedOperationException', `KeySpec ${spec} is not supported by kmskit: ${UNSERVABLE_KEY_SPECS[spec] ?? 'unknown key spec'}.`);
  // AWS's words (LocalStack's AWS-validated recordings test_hmac_create_key_invalid_operations and
  // test_derive_shared_secret "response-invalid-key-spec").
  if (input.KeyUsage === undefined && spec !== 'SYMMETRIC_DEFAULT') throw new KmsError('ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  const usage: string = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (!KEY_SPECS[spec].usages.includes(usage as KeyUsage)) throw new KmsError('ValidationException', `KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
  validateTags(input.Tags);
  const multiRegion = input.MultiRegion === true;
  const tagContext: Record<string, string | string[]> = {};
  for (const t of input.Tags ?? []) tagContext[`aws:RequestTag/${t.TagKey}`] = t.TagValue;
  if (input.Tags?.length) tagContext['aws:TagKeys'] = input.Tags.map((t: { TagKey: string }) => t.TagKey);
  ctx.authorize('kms:CreateKey', undefined, {
    resource: '*',
    context: { 'kms:KeySpec': spec, 'kms:KeyUsage': usage, 'kms:KeyOrigin': origin, 'kms:MultiRegion': String(multiRegion), ...(multiRegion ? { 'kms:MultiRegionKeyType': 'PRIMARY' } : {}), ...tagContext },
  });
  const key = buildKey({
    id: ctx.newKeyId(multiRegion),
    account: ctx.account,
    region: ctx.region,
    spec,
    usage: usage as KeyUsage,
    origin: origin as KeyOrigin,
    policy: input.Policy ?? defaultKeyPolicy(ctx.account),
    description: input.Description ?? '',
    tags: input.Tags ?? [],
    multiRegion,
    ...(multiRegion ? { multiRegionType: 'PRIMARY' as const, primaryRegion: ctx.region } : {}),
    createdAt: ctx.now,
  });
  if (input.Policy !== undefined) lockoutCheck(ctx, key, key.parsedPolicy!, input.BypassPolicyLockoutSafetyCheck);
  ctx.tx.addKey(key);
  ctx.audit.resources.push(key.arn);
  return { KeyMetadata: ctx.metadata(key) };
};
