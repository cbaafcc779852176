import { isSymmetricEncryption } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'rotation-unsupported',
  severity: 'error',
  group: 'key-configuration',
  docs: {
    summary: 'Automatic rotation enabled on a key that cannot rotate: asymmetric, HMAC, or imported key material. Reported at /key/enable_key_rotation.',
    rationale:
      'KMS supports automatic rotation only for symmetric encryption keys with KMS-generated material. EnableKeyRotation on an asymmetric or HMAC key, or on an aws_kms_external_key, fails with UnsupportedOperationException, so the apply fails.',
  },
  check(_policy, ctx) {
    const key = ctx.source.key;
    if (!key || key.enableKeyRotation !== true) return [];
    if (key.resourceType === 'aws_kms_external_key') {
      return [{ pointer: '/key/enable_key_rotation', message: 'A key with imported key material cannot rotate automatically; remove enable_key_rotation and rotate by importing new material into a new key.' }];
    }
    if (isSymmetricEncryption(key) !== false) return [];
    return [{ pointer: '/key/enable_key_rotation', message: `Automatic rotation is not supported for ${key.keySpec ?? 'this'} keys with usage ${key.keyUsage ?? 'ENCRYPT_DECRYPT'}; only symmetric encryption keys rotate.` }];
  },
};
