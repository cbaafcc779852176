/**
 * The supported-operations table of README.md (between `<!-- operations:start -->` and
 * `<!-- operations:end -->`), from `operations/index.ts` and the KMS API model, so the README cannot
 * drift from what the emulator implements. `npm run docs` (cli/readme.ts) writes it.
 */
import { allOperationNames } from './core/model/index.js';
import { operations } from './core/operations/index.js';

const GROUPS: Array<[string, string[]]> = [
  ['Keys', ['CreateKey', 'DescribeKey', 'ListKeys', 'UpdateKeyDescription', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion']],
  ['Aliases', ['CreateAlias', 'UpdateAlias', 'DeleteAlias', 'ListAliases']],
  ['Key policies', ['GetKeyPolicy', 'PutKeyPolicy', 'ListKeyPolicies']],
  ['Grants', ['CreateGrant', 'ListGrants', 'ListRetirableGrants', 'RetireGrant', 'RevokeGrant']],
  ['Rotation', ['EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'ListKeyRotations']],
  ['Cryptography', ['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom', 'Sign', 'Verify', 'GetPublicKey', 'GenerateMac', 'VerifyMac']],
  ['Tags', ['TagResource', 'UntagResource', 'ListResourceTags']],
  ['Multi-Region', ['ReplicateKey']],
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
  lines.push('');
  lines.push(`${supported.size} of ${allOperationNames().length} KMS operations are implemented. Not implemented (absent from the table: emulator.send answers UnknownOperationException, the HTTP server UnsupportedOperationException naming the operation): ${unsupported.join(', ')}.`);
  return lines.join('\n');
}
