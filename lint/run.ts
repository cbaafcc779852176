/**
 * One lint run: sources → engine → config (severity overrides, ignores, suppressions) → sorted
 * findings with a summary. The CLI, `npm run lint:policies` and the demo all go through here.
 */
import { resolve } from 'node:path';
import { type LintConfig, matchesGlob, suppresses, type Suppression } from './config.js';
import { lintPolicy } from './engine.js';
import { rules } from './rules/index.js';
import type { InputProblem } from '../iac/model.js';
import { readInputs, type ReadOptions } from '../iac/load.js';
import { policySources } from './documents.js';
import { type Finding, type PolicySource, type Severity, SEVERITY_RANK } from './types.js';

/** Counts of one lint run, as `--format json` prints them. */
export interface LintSummary {
  problems: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Findings a suppression in the config covered (not in `problems`). */
  suppressed: number;
  filesScanned: number;
  policiesScanned: number;
}

/** What a lint run returns: sorted findings, suppressed ones, the summary, warnings and the sources read. */
export interface LintRunResult {
  findings: Finding[];
  suppressed: Array<{ finding: Finding; suppression: Suppression }>;
  summary: LintSummary;
  /** Policies not linted (known only at deploy time) and paths left out, one line each. */
  warnings: string[];
  sources: PolicySource[];
  /** True when the paths held no input kmskit reads (the CLI exits 2: a gate must not pass on nothing). */
  noInput: boolean;
}

export interface LintRunOptions {
  config?: LintConfig;
  /** Base for relative paths in globs; defaults to process.cwd(). */
  cwd?: string;
  /** `--account`: the deployment account. */
  account?: string;
  /** Largest input file, in bytes. */
  maxFileBytes?: number;
  /** How to tell the user to raise the size limit. */
  raiseHint?: ReadOptions['raiseHint'];
}

/** An input problem (unreadable, syntax error) as the finding that fails the run at its place. */
export function problemFinding(p: InputProblem): Finding {
  // The finding names the file already: the message says only what is wrong with it.
  const message = p.message.startsWith(`${p.at.file}: `) ? p.message.slice(p.at.file.length + 2) : p.message;
  return { ruleId: p.code === 'parse-error' ? 'parse-error' : 'unreadable-input', severity: 'error', message, file: p.at.file, pointer: '', line: p.at.line, column: p.at.column, ...(p.resource !== undefined ? { resource: p.resource } : {}) };
}

/** Ids a config may name: the registry plus the ones the engine itself reports. */
export function knownRuleIds(): string[] {
  return [...Object.keys(rules), 'rule-error'];
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0);
}

/** Lints already-loaded sources with a config (no file-system access). */
export function lintSources(sources: PolicySource[], options: LintRunOptions = {}, problems: readonly Finding[] = []): Omit<LintRunResult, 'warnings' | 'sources' | 'summary' | 'noInput'> & { summary: Omit<LintSummary, 'filesScanned'> } {
  const config = options.config ?? {};
  const cwd = options.cwd ?? process.cwd();
  const settings = config.rules ?? {};
  const engineConfig = Object.keys(settings).length > 0 ? { rules: settings } : undefined;
  const findings: Finding[] = [];
  const suppressed: LintRunResult['suppressed'] = [];
  const suppressions = config.suppressions ?? [];
  const take = (finding: Finding): void => {
    const by = suppressions.find((s) => suppresses(s, finding, cwd));
    if (by) suppressed.push({ finding, suppression: by });
    else findings.push(finding);
  };
  for (const p of problems) {
    const setting = settings[p.ruleId];
    if (setting === 'off') continue;
    take(setting === 'warning' || setting === 'info' || setting === 'error' ? { ...p, severity: setting } : p);
  }
  for (const source of sources) {
    // The engine applies per-rule settings (off, or a severity); run.ts adds only suppressions.
    for (const finding of lintPolicy(source, engineConfig)) {
      take(finding);
    }
  }
  findings.sort(compareFindings);
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  return {
    findings,
    suppressed,
    summary: {
      problems: findings.length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: suppressed.length,
      policiesScanned: sources.length,
    },
  };
}

/** Reads `paths` (through iac/) and lints them. Throws SourceError for a path that cannot be read. */
export async function runLint(paths: string[], options: LintRunOptions = {}): Promise<LintRunResult> {
  const cwd = options.cwd ?? process.cwd();
  const ignore = options.config?.ignore ?? [];
  const model = await readInputs(paths, {
    ...(ignore.length > 0 ? { ignore: (path: string) => ignore.some((g) => matchesGlob(resolve(cwd, path), g, cwd)) } : {}),
    ...(options.account !== undefined ? { account: options.account } : {}),
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    ...(options.raiseHint ? { raiseHint: options.raiseHint } : {}),
  });
  const sources = policySources(model.units.flatMap((u) => u.resources));
  const result = lintSources(sources, options, model.problems.map(problemFinding));
  return {
    ...result,
    summary: { ...result.summary, filesScanned: model.files.length },
    warnings: [...model.warnings, ...model.notes],
    sources,
    noInput: model.units.length === 0 && model.problems.length === 0,
  };
}

/** 1 when any finding is at or above `failOn`, else 0. */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity): 0 | 1 {
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
