/**
 * `npx tsx emulator/docs.ts`: rewrites the supported-operations table in README.md (between
 * `<!-- operations:start -->` and `<!-- operations:end -->`) from `operations/index.ts` and the
 * KMS API model, so the README cannot drift from what the emulator implements.
 * `--check` exits 1 when the README is stale instead of writing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allOperationNames } from './model/index.js';
import { operations } from './operations/index.js';

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

export function renderReadme(readme: string): string {
  const start = '<!-- operations:start -->';
  const end = '<!-- operations:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} markers under "## Emulator"`);
  return `${readme.slice(0, i + start.length)}\n${operationsTable()}\n${readme.slice(j)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = fileURLToPath(new URL('../README.md', import.meta.url));
  const current = readFileSync(path, 'utf8');
  const next = renderReadme(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      process.stderr.write('README.md operations table is stale: run npx tsx emulator/docs.ts\n');
      process.exitCode = 1;
    }
  } else if (next !== current) {
    writeFileSync(path, next);
    process.stdout.write('README.md operations table updated\n');
  } else {
    process.stdout.write('README.md operations table is up to date\n');
  }
}
