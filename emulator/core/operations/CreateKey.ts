import { defaultKeyPolicy, lockoutCheck, type Handler } from '../context.js';
import { isSupportedKeySpec, KEY_SPECS, type KeyUsage } from '../../crypto/index.js';
import { KmsError } from '../errors.js';
import { buildKey, validateTags } from '../keys.js';
import { validationError } from '../model/index.js';

/** Creates a KMS key. https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html */
export const CreateKey: Handler = (ctx, input) => {
  if (input.CustomKeyStoreId) throw new KmsError('CustomKeyStoreNotFoundException', `Custom key store ${input.CustomKeyStoreId} does not exist (kmskit does not emulate custom key stores).`);
  if (input.XksKeyId) throw new KmsError('XksKeyNotFoundException', 'kmskit does not emulate external key stores.');
  const origin = input.Origin ?? 'AWS_KMS';
  if (origin !== 'AWS_KMS') throw new KmsError('UnsupportedOperationException', `Origin ${origin} is not supported by kmskit; only AWS_KMS.`);
  if (input.KeySpec && input.CustomerMasterKeySpec && input.KeySpec !== input.CustomerMasterKeySpec) {
    throw new KmsError('ValidationException', 'You cannot specify both KeySpec and CustomerMasterKeySpec with different values.');
  }
  const spec: string = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (!isSupportedKeySpec(spec)) throw new KmsError('UnsupportedOperationException', `KeySpec ${spec} is not supported by kmskit.`);
  const usage: string = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (usage === 'KEY_AGREEMENT') throw new KmsError('UnsupportedOperationException', 'KeyUsage KEY_AGREEMENT is not supported by kmskit.');
  if (!KEY_SPECS[spec].usages.includes(usage as KeyUsage)) {
    throw validationError('KeyUsage', usage, `be one of [${KEY_SPECS[spec].usages.join(', ')}] for KeySpec ${spec}`);
  }
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
