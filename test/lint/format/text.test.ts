import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatText } from '../../../lint/format/text.js';
import { fixtureRun, FIXTURE_POLICY } from './helpers.js';

describe('text format', () => {
  it('prints eslint-style lines file:line:col  severity  message  rule-id', async () => {
    const result = await fixtureRun();
    const out = formatText(result);
    for (const f of result.findings) {
      const line = out.split('\n').find((l) => l.startsWith(`${f.file}:${f.line}:${f.column} `) && l.includes(f.message));
      expect(line, `${f.ruleId} at ${f.file}:${f.line}:${f.column}`).toMatch(new RegExp(`^\\S+:\\d+:\\d+ +${f.severity} +.+  ${f.ruleId}$`));
    }
  });

  it('puts a finding in a policy file at the element it is about', async () => {
    const result = await fixtureRun();
    const finding = result.findings.find((f) => f.file === FIXTURE_POLICY && f.ruleId === 'public-principal')!;
    const text = readFileSync(FIXTURE_POLICY, 'utf8');
    const lines = text.split('\n');
    // The rule points into the statement that has "Principal": "*".
    const expectedLine = lines.findIndex((l) => l.includes('"Principal": "*"')) + 1;
    expect(formatText(result)).toContain(`${FIXTURE_POLICY}:${expectedLine}:${lines[expectedLine - 1]!.indexOf('"Principal"') + 1}  error`);
    expect(finding.line).toBe(expectedLine);
  });

  it('groups by file with a blank line between files and ends with the summary', async () => {
    const result = await fixtureRun();
    const out = formatText(result);
    const blocks = out.trimEnd().split('\n\n');
    const files = [...new Set(result.findings.map((f) => f.file))];
    expect(blocks.length).toBe(files.length + 1);
    const s = result.summary;
    const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
    expect(blocks.at(-1)).toContain(`${n(s.problems, 'problem')} (${n(s.errors, 'error')}, ${n(s.warnings, 'warning')}, ${n(s.infos, 'info')})`);
    expect(blocks.at(-1)).toContain(`Checked ${s.policiesScanned} policies in ${s.filesScanned} files`);
  });

  it('prints the summary alone when there is nothing to report', () => {
    const out = formatText({ findings: [], summary: { problems: 0, errors: 0, warnings: 0, infos: 0, suppressed: 0, filesScanned: 1, policiesScanned: 1 } });
    expect(out).toBe('0 problems (0 errors, 0 warnings, 0 infos)\nChecked 1 policy in 1 file.\n');
  });

  it('colours only when asked', async () => {
    const result = await fixtureRun();
    expect(formatText(result)).not.toContain('\x1b[');
    expect(formatText(result, { colour: true })).toContain('\x1b[31merror');
  });
});
