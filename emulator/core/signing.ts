/** Checks shared by Sign and Verify. */
import type { RequestContext } from './context.js';
import { algorithmsFor, digestLength } from '../crypto/index.js';
import { KmsError } from './errors.js';
import type { KeyRecord } from './store.js';

export function prepareSigning(ctx: RequestContext, input: Record<string, any>, action: 'Sign' | 'Verify'): { key: KeyRecord; algorithm: string; messageType: 'RAW' | 'DIGEST' } {
  const key = ctx.resolveKey(input.KeyId);
  const algorithm: string = input.SigningAlgorithm;
  const messageType: string = input.MessageType ?? 'RAW';
  ctx.authorize(`kms:${action}`, key, {
    grantOperation: action,
    grantTokens: input.GrantTokens,
    context: { 'kms:SigningAlgorithm': algorithm, 'kms:MessageType': messageType, ...ctx.requestAliasContext(input.KeyId) },
  });
  ctx.requireUsable(key);
  ctx.requireUsage(key, 'SIGN_VERIFY', action);
  const allowed = algorithmsFor(key.spec, key.usage).SigningAlgorithms ?? [];
  if (!allowed.includes(algorithm)) throw new KmsError('InvalidKeyUsageException', `The signing algorithm ${algorithm} is not valid for ${key.arn} (${key.spec}); valid: ${allowed.join(', ')}.`);
  if (messageType !== 'RAW' && messageType !== 'DIGEST') throw new KmsError('InvalidKeyUsageException', `MessageType ${messageType} is not valid for ${key.spec} keys.`);
  if (messageType === 'DIGEST' && input.Message.length !== digestLength(algorithm)) {
    throw new KmsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}: expected ${digestLength(algorithm)} bytes, got ${input.Message.length}.`);
  }
  return { key, algorithm, messageType };
}

