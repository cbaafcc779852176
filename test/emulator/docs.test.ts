import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replaceSection } from '../../cli/readme.js';
import { operationsTable } from '../../emulator/docs.js';
import { operations, UNSUPPORTED_OPERATIONS } from '../../emulator/core/operations/index.js';
import { allOperationNames } from '../../emulator/core/model/index.js';

describe('README operations table', () => {
  it('is generated from operations/index.ts and is up to date (run npm run docs)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(replaceSection(readme, 'operations', operationsTable())).toBe(readme);
  });

  it('lists every supported operation with its AWS reference link', () => {
    const table = operationsTable();
    for (const op of Object.keys(operations)) expect(table).toContain(`[${op}](https://docs.aws.amazon.com/kms/latest/APIReference/API_${op}.html)`);
    expect(table).toContain('ImportKeyMaterial');
  });

  it('accounts for every operation of the KMS model: implemented, or refused with a reason, never both', () => {
    for (const op of allOperationNames()) {
      const implemented = Object.hasOwn(operations, op);
      const refused = Object.hasOwn(UNSUPPORTED_OPERATIONS, op);
      expect({ op, accountedFor: implemented !== refused }).toEqual({ op, accountedFor: true });
    }
    expect(Object.keys(UNSUPPORTED_OPERATIONS).filter((op) => !allOperationNames().includes(op))).toEqual([]);
  });
});
