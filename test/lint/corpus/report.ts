/**
 * Counts, on the corpus, what a version of the linter reports against the reviewed defects:
 *   npx tsx test/lint/corpus/report.ts [path/to/a/kmskit/checkout]
 * (default: this checkout; the checkout needs this folder and node_modules). Prints, as JSON, the
 * findings per rule, the defects found and missed, and the findings that are no defect (false
 * alarms), per rule and listed.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCorpus, reports, sourceOf, type Defect } from './corpus.js';

async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? '.');
  const { lintPolicy } = (await import(pathToFileURL(resolve(root, 'lint/engine.ts')).href)) as typeof import('../../../lint/engine.js');
  type Count = Record<string, number>;
  const bump = (c: Count, k: string): void => {
    c[k] = (c[k] ?? 0) + 1;
  };
  const perRule: Count = {};
  const found: Count = {};
  const missed: Count = {};
  const falseAlarms: Count = {};
  const missedList: string[] = [];
  const falseAlarmList: string[] = [];
  const entries = loadCorpus();
  for (const e of entries) {
    const findings = lintPolicy(sourceOf(e));
    const defects: Defect[] = [...e.defects, ...(e.knownMisses ?? [])];
    for (const f of findings) bump(perRule, f.ruleId);
    for (const d of defects) {
      if (findings.some((f) => reports(f, d))) bump(found, d.rule);
      else {
        bump(missed, d.rule);
        missedList.push(`${e.id}: ${d.rule} ${d.pointer}`);
      }
    }
    for (const f of findings) {
      if (defects.some((d) => reports(f, d))) continue;
      bump(falseAlarms, f.ruleId);
      falseAlarmList.push(`${e.id}: ${f.ruleId} ${f.pointer}`);
    }
  }
  const total = (c: Count): number => Object.values(c).reduce((a, b) => a + b, 0);
  const out = {
    linter: root,
    policies: entries.length,
    defects: entries.reduce((n, e) => n + e.defects.length + (e.knownMisses?.length ?? 0), 0),
    findings: total(perRule),
    found: total(found),
    missed: total(missed),
    falseAlarms: total(falseAlarms),
    findingsPerRule: perRule,
    foundPerRule: found,
    missedPerRule: missed,
    falseAlarmsPerRule: falseAlarms,
    missedList,
    falseAlarmList,
  };
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
}

void main();
