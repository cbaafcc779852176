/**
 * The supported-operations table of README.md (between `<!-- operations:start -->` and
 * `<!-- operations:end -->`), from `operations/index.ts` and the KMS API model, so the README cannot
 * drift from what the emulator implements. `npm run docs` (cli/readme.ts) writes it.
 */
import { allOperationNames } from './core/model/index.js';
import { operations, UNSUPPORTED_OPERATIONS } from './core/operations/index.js';
import { UNSERVABLE_KEY_SPECS } from './crypto/index.js';

const GROUPS: Array<[string, string[]]> = [
  ['Keys', ['CreateKey', 'DescribeKey', 'ListKeys', 'UpdateKeyDescription', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion']],
  ['Aliases', ['CreateAlias', 'UpdateAlias', 'DeleteAlias', 'ListAliases']],
  ['Key policies', ['GetKeyPolicy', 'PutKeyPolicy', 'ListKeyPolicies']],
  ['Grants', ['CreateGrant', 'ListGrants', 'ListRetirableGrants', 'RetireGrant', 'RevokeGrant']],
  ['Rotation', ['EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'ListKeyRotations']],
  ['Cryptography', ['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom', 'Sign', 'Verify', 'GetPublicKey', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret']],
  ['Imported key material', ['GetParametersForImport', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial']],
  ['Tags', ['TagResource', 'UntagResource', 'ListResourceTags']],
  ['Multi-Region', ['ReplicateKey', 'UpdatePrimaryRegion']],
  ['Usage', ['GetKeyLastUsage']],
];

const link = (op: string): string => `[${op}](https://docs.aws.amazon.com/kms/latest/APIReference/API_${op}.html)`;

export function operationsTable(): string {
  const supported = new Set(Object.keys(operations));
  const grouped = new Set(GROUPS.flatMap(([, ops]) => ops));
  const lines = ['| Area | Supported operations |', '| --- | --- |'];
  for (const [area, ops] of GROUPS) {
    const present = ops.filter((op) => supported.has(op));
    if (present.length) lines.push(`| ${area} | ${present.map(link).join(', ')} |`);
  }
  const other = [...supported].filter((op) => !grouped.has(op)).sort();
  if (other.length) lines.push(`| Other | ${other.map(link).join(', ')} |`);
  const unsupported = allOperationNames().filter((op) => !supported.has(op));
  const reasons = new Map<string, string[]>();
  for (const op of unsupported) {
    // Every operation of the model is either implemented or refused for a stated reason.
    const why = UNSUPPORTED_OPERATIONS[op];
    if (why === undefined) throw new Error(`${op} is in the KMS model but neither implemented nor listed with a reason in UNSUPPORTED_OPERATIONS (emulator/core/operations/index.ts)`);
    reasons.set(why, [...(reasons.get(why) ?? []), op]);
  }
  const specs = new Map<string, string[]>();
  for (const [spec, why] of Object.entries(UNSERVABLE_KEY_SPECS)) specs.set(why, [...(specs.get(why) ?? []), spec]);
  lines.push('');
  lines.push(`${supported.size} of ${allOperationNames().length} KMS operations are implemented. Not implemented (absent from the table; they answer UnsupportedOperationException naming the operation):`);
  for (const [why, ops] of reasons) lines.push(`- ${ops.join(', ')}: ${why}.`);
  lines.push('');
  lines.push('Key specs of the model that node 20\'s node:crypto cannot serve (CreateKey answers UnsupportedOperationException):');
  for (const [why, list] of specs) lines.push(`- ${list.join(', ')}: ${why}.`);
  return lines.join('\n');
}
