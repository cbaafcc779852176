import { describe, expect, it } from 'vitest';
import { formatJson } from '../../../lint/format/json.js';
import { fixtureRun } from './helpers.js';

describe('json format', () => {
  it('is exactly the contract object: findings with the contract fields, and a summary', async () => {
    const result = await fixtureRun();
    const out = JSON.parse(formatJson(result)) as { findings: Array<Record<string, unknown>>; summary: Record<string, number> };
    expect(Object.keys(out)).toEqual(['findings', 'summary']);
    expect(out.findings.length).toBe(result.findings.length);
    for (const f of out.findings) {
      const keys = Object.keys(f);
      expect(keys.slice(0, 7)).toEqual(['ruleId', 'severity', 'message', 'file', 'pointer', 'line', 'column']);
      expect(keys.length === 7 || (keys.length === 8 && keys[7] === 'resource')).toBe(true);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.column).toBeGreaterThanOrEqual(1);
      expect(String(f.pointer)).toMatch(/^(\/.*)?$/);
    }
    const count = (s: string): number => out.findings.filter((f) => f.severity === s).length;
    expect(out.summary).toEqual({
      problems: out.findings.length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: 0,
      filesScanned: result.summary.filesScanned,
      policiesScanned: result.sources.length,
    });
  });

  it('carries the resource address for findings from Terraform sources', async () => {
    const result = await fixtureRun();
    const out = JSON.parse(formatJson(result)) as { findings: Array<{ file: string; resource?: string }> };
    const fromStack = out.findings.filter((f) => f.file.endsWith('cdk.tf.json'));
    expect(fromStack.length).toBeGreaterThan(0);
    expect(fromStack.every((f) => /^(keyring|replicas)\/aws_kms_/.test(f.resource ?? ''))).toBe(true);
  });
});
