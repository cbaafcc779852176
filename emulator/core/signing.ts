/** Checks shared by Sign and Verify. */
import type { RequestContext } from './context.js';
import { algorithmsFor, digestLength, REQUIRED_MESSAGE_TYPE } from '../crypto/index.js';
import { KmsError } from './errors.js';
import { incompatibleAlgorithm } from './seal-plaintext.js';
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
  if (!allowed.includes(algorithm)) throw incompatibleAlgorithm(algorithm, key.spec);
  if (messageType !== 'RAW' && messageType !== 'DIGEST') throw new KmsError('ValidationException', `MessageType ${messageType} is valid only for ML-DSA keys, not for ${key.spec}.`);
  const required = REQUIRED_MESSAGE_TYPE[algorithm];
  if (required && messageType !== required) throw new KmsError('ValidationException', `The ${algorithm} signing algorithm requires MessageType ${required}.`);
  // AWS's words (LocalStack's AWS-validated recordings test_sign_verify[...] "bad-digest").
  if (messageType === 'DIGEST' && input.Message.length !== digestLength(algorithm)) throw new KmsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
  return { key, algorithm, messageType };
}
