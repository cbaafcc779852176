import { isSymmetricEncryption } from '../rule-helpers.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  id: 'rotation-disabled',
  severity: 'warning',
  group: 'key-configuration',
  docs: {
    summary: 'A symmetric encryption key without automatic rotation (aws_kms_key without enable_key_rotation = true). Reported at /key/enable_key_rotation.',
    rationale:
      'Automatic rotation creates new key material every year (or rotation_period_in_days) while old ciphertexts still decrypt; it is a common compliance requirement (CIS AWS Foundations 3.6) and costs nothing in code changes. Terraform\'s default is false. Replica keys follow their primary and imported-material keys cannot rotate, so they are not checked.',
  },
  check(_policy, ctx) {
    const key = ctx.source.key;
    if (!key || key.resourceType !== 'aws_kms_key' || key.enableKeyRotation === true || key.enableKeyRotation === null) return [];
    if (!isSymmetricEncryption(key)) return [];
    return [{ pointer: '/key/enable_key_rotation', message: 'Automatic rotation is off for this symmetric key; set enable_key_rotation = true.' }];
  },
};
