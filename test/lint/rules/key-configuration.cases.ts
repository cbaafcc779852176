import { policy } from './table.js';
import type { RuleTable } from './table.js';
import type { KeyConfig } from '../../../lint/types.js';

const key = (k: Partial<KeyConfig>) => ({ key: { resourceType: 'aws_kms_key', ...k } as KeyConfig });

export const keyConfigurationTables: RuleTable[] = [
  {
    ruleId: 'rotation-disabled',
    valid: [
      { name: 'rotation on', doc: policy(), source: key({ enableKeyRotation: true }) },
      { name: 'an asymmetric key', doc: policy(), source: key({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }) },
      { name: 'a replica (rotation follows the primary)', doc: policy(), source: key({ resourceType: 'aws_kms_replica_key' }) },
      { name: 'rotation from an unresolved reference', doc: policy(), source: key({ enableKeyRotation: null }) },
      { name: 'a key spec from an unresolved reference', doc: policy(), source: key({ keySpec: null }) },
      { name: 'a policy file without key settings', doc: policy() },
    ],
    invalid: [
      { name: 'rotation not set', doc: policy(), source: key({}), findings: [{ ruleId: 'rotation-disabled', pointer: '/key/enable_key_rotation' }] },
      { name: 'rotation false on SYMMETRIC_DEFAULT', doc: policy(), source: key({ keySpec: 'SYMMETRIC_DEFAULT', enableKeyRotation: false }), findings: [{ ruleId: 'rotation-disabled', pointer: '/key/enable_key_rotation' }] },
    ],
  },
  {
    ruleId: 'rotation-unsupported',
    valid: [
      { name: 'a symmetric key', doc: policy(), source: key({ enableKeyRotation: true }) },
      { name: 'an HMAC key without rotation', doc: policy(), source: key({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }) },
    ],
    invalid: [
      { name: 'an HMAC key with rotation', doc: policy(), source: key({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', enableKeyRotation: true }), findings: [{ ruleId: 'rotation-unsupported', pointer: '/key/enable_key_rotation' }] },
      { name: 'imported key material with rotation', doc: policy(), source: key({ resourceType: 'aws_kms_external_key', enableKeyRotation: true }), findings: [{ ruleId: 'rotation-unsupported', pointer: '/key/enable_key_rotation' }] },
    ],
  },
  {
    ruleId: 'deletion-window-out-of-range',
    valid: [
      { name: '7 days', doc: policy(), source: key({ enableKeyRotation: true, deletionWindowInDays: 7 }) },
      { name: '30 days', doc: policy(), source: key({ enableKeyRotation: true, deletionWindowInDays: 30 }) },
      { name: 'unresolved', doc: policy(), source: key({ deletionWindowInDays: null }) },
    ],
    invalid: [
      { name: '6 days', doc: policy(), source: key({ deletionWindowInDays: 6 }), findings: [{ ruleId: 'deletion-window-out-of-range', pointer: '/key/deletion_window_in_days' }] },
      { name: '31 days', doc: policy(), source: key({ deletionWindowInDays: 31 }), findings: [{ ruleId: 'deletion-window-out-of-range', pointer: '/key/deletion_window_in_days' }] },
      { name: 'a fraction', doc: policy(), source: key({ deletionWindowInDays: 7.5 }), findings: [{ ruleId: 'deletion-window-out-of-range', pointer: '/key/deletion_window_in_days' }] },
    ],
  },
  {
    ruleId: 'rotation-period-out-of-range',
    valid: [
      { name: '90 days', doc: policy(), source: key({ enableKeyRotation: true, rotationPeriodInDays: 90 }) },
      { name: '2560 days', doc: policy(), source: key({ enableKeyRotation: true, rotationPeriodInDays: 2560 }) },
    ],
    invalid: [
      { name: '89 days', doc: policy(), source: key({ enableKeyRotation: true, rotationPeriodInDays: 89 }), findings: [{ ruleId: 'rotation-period-out-of-range', pointer: '/key/rotation_period_in_days' }] },
      { name: '2561 days', doc: policy(), source: key({ enableKeyRotation: true, rotationPeriodInDays: 2561 }), findings: [{ ruleId: 'rotation-period-out-of-range', pointer: '/key/rotation_period_in_days' }] },
    ],
  },
];
