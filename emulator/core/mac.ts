/** Checks shared by GenerateMac and VerifyMac. */
import type { RequestContext } from './context.js';
import { algorithmsFor } from '../crypto/index.js';
import { incompatibleAlgorithm } from './seal-plaintext.js';
import type { KeyRecord } from './store.js';

export function prepareMac(ctx: RequestContext, input: Record<string, any>, action: 'GenerateMac' | 'VerifyMac'): KeyRecord {
  const key = ctx.resolveKey(input.KeyId);
  ctx.authorize(`kms:${action}`, key, { grantOperation: action, grantTokens: input.GrantTokens, context: { 'kms:MacAlgorithm': input.MacAlgorithm, ...ctx.requestAliasContext(input.KeyId) } });
  ctx.requireUsable(key);
  ctx.requireUsage(key, 'GENERATE_VERIFY_MAC', action);
  const allowed = algorithmsFor(key.spec, key.usage).MacAlgorithms ?? [];
  // LocalStack's AWS-validated recordings test_invalid_generate_mac / test_invalid_verify_mac.
  if (!allowed.includes(input.MacAlgorithm)) throw incompatibleAlgorithm(input.MacAlgorithm, key.spec);
  return key;
}
