import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../lint/engine.js';

const dir = new URL('../../policies/examples/', import.meta.url);
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];

describe('AWS-documented key policies (policies/examples)', () => {
  it('are present', () => {
    if (files.length === 0) console.warn('policies/examples has no .json files yet: the no-finding checks below did not run');
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file} raises no finding`, () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const findings = lintPolicy({ file, text });
      expect(findings.map((f) => `${f.ruleId} ${f.pointer}: ${f.message}`)).toEqual([]);
    });

    it(`${file} raises no finding when the own account is known`, () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(lintPolicy({ file, text, ownAccount: '111122223333' }).map((f) => `${f.ruleId} ${f.pointer}: ${f.message}`)).toEqual([]);
    });
  }
});
