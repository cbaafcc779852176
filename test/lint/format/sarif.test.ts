import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../../../lint/format/sarif.js';
import { rules } from '../../../lint/rules/index.js';
import { fixtureRun } from './helpers.js';

const schema = JSON.parse(readFileSync('test/fixtures/sarif-2.1.0.schema.json', 'utf8')) as Record<string, unknown>;
// The vendored schema declares draft-04 (`id`); its keywords read the same under ajv's draft-07 (`$id`).
delete schema.$schema;
schema.$id = schema.id;
delete schema.id;
// One of its patterns is not valid under the `u` flag, so patterns compile without it.
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
// The formats the schema uses, checked the way a URI consumer would read them.
ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s) && URL.canParse(s, 'file:///base/'));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(schema);

interface Sarif {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<{ id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }> } };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>; partialFingerprints: Record<string, string> }>;
  }>;
}

async function sarif(): Promise<{ log: Sarif; text: string; result: Awaited<ReturnType<typeof fixtureRun>> }> {
  const result = await fixtureRun();
  const text = formatSarif(result, { rules: Object.values(rules), version: '1.2.3', notifications: result.warnings });
  return { log: JSON.parse(text) as Sarif, text, result };
}

describe('SARIF format', () => {
  it('validates against the SARIF 2.1.0 schema', async () => {
    const { log } = await sarif();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('lists every rule of the registry once, with its metadata', async () => {
    const { log } = await sarif();
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'kmskit', version: '1.2.3', informationUri: expect.stringMatching(/^https:\/\//) });
    expect(driver.rules.map((r) => r.id)).toEqual(Object.keys(rules));
    for (const r of driver.rules) {
      const rule = rules[r.id]!;
      expect(r.shortDescription.text).toBe(rule.docs.summary);
      expect(r.fullDescription.text).toBe(rule.docs.rationale);
      expect(r.help.text).toContain(rule.docs.rationale);
      expect(r.defaultConfiguration.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[rule.severity]);
    }
  });

  it('cites rules by index, with relative forward-slash locations and fingerprints', async () => {
    const { log, result } = await sarif();
    const run = log.runs[0]!;
    expect(run.results.length).toBe(result.findings.length);
    run.results.forEach((r, i) => {
      const f = result.findings[i]!;
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(r.ruleId).toBe(f.ruleId);
      const loc = r.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).toBe(f.file.replace(/\\/g, '/'));
      expect(loc.region).toEqual({ startLine: f.line, startColumn: f.column });
      expect(Object.values(r.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
    });
    const prints = run.results.map((r) => JSON.stringify(r.partialFingerprints));
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('reports policies not linted as tool notifications', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runLint } = await import('../../../lint/run.js');
    const dir = mkdtempSync(join(tmpdir(), 'kmskit-sarif-'));
    writeFileSync(join(dir, 'main.tf'), 'resource "aws_kms_key" "k" {\n  policy = var.policy\n}\n');
    const result = await runLint([dir]);
    const text = formatSarif(result, { rules: Object.values(rules), version: '1.2.3', notifications: result.warnings });
    expect(result.warnings.length).toBeGreaterThan(0);
    for (const w of result.warnings) expect(text).toContain(JSON.stringify(w).slice(1, -1));
  });

  it('locates findings in Terraform, CloudFormation and template files at their line and column', async () => {
    const { runLint } = await import('../../../lint/run.js');
    const result = await runLint(['test/fixtures/iac/terraform/app', 'test/fixtures/iac/cloudformation/data-key.yaml']);
    const log = JSON.parse(formatSarif(result, { rules: Object.values(rules), version: '1.2.3' })) as Sarif;
    const located = log.runs[0]!.results.map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`);
    for (const f of result.findings) expect(located).toContain(`${f.ruleId} ${f.file}:${f.line}`);
    expect(located.some((l) => l.includes('main.tf:'))).toBe(true);
    expect(located.some((l) => l.includes('key-policy.json.tpl:'))).toBe(true);
    expect(located.some((l) => l.includes('data-key.yaml:'))).toBe(true);
    expect(validate(log)).toBe(true);
  });

  it('lists an engine-reported rule (rule-error) too, so every result has a valid ruleIndex', () => {
    const finding = { ruleId: 'rule-error', severity: 'error' as const, message: 'Rule x failed', file: 'a/b.json', pointer: '', line: 1, column: 1 };
    const log = JSON.parse(formatSarif({ findings: [finding] }, { rules: Object.values(rules), version: '0.0.0' })) as Sarif;
    const run = log.runs[0]!;
    expect(run.tool.driver.rules[run.results[0]!.ruleIndex]!.id).toBe('rule-error');
    expect(run.tool.driver.rules.filter((r) => r.id === 'rule-error')).toHaveLength(1);
    expect(validate(log)).toBe(true);
  });

  it('gives a file outside the working directory as an absolute file URI', () => {
    const finding = { ruleId: 'public-principal', severity: 'error' as const, message: 'm', file: '/elsewhere/p.json', pointer: '/Statement/0', line: 2, column: 3 };
    const log = JSON.parse(formatSarif({ findings: [finding] }, { rules: Object.values(rules), version: '0.0.0', cwd: '/work/repo' })) as Sarif;
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('file:///elsewhere/p.json');
    expect(validate(log)).toBe(true);
  });
});
