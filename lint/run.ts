/**
 * One lint run: sources → engine → config (severity overrides, ignores, suppressions) → sorted
 * findings with a summary. The CLI, `npm run lint:policies` and the demo all go through here.
 */
import { resolve } from 'node:path';
import { type LintConfig, matchesGlob, suppresses, type Suppression } from './config.js';
import { lintPolicy } from './engine.js';
import { rules } from './rules/index.js';
import { loadSources } from '../iac/load.js';
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
  /** Files skipped and policies not linted, one line each. */
  warnings: string[];
  sources: PolicySource[];
}

export interface LintRunOptions {
  config?: LintConfig;
  /** Base for relative paths in globs; defaults to process.cwd(). */
  cwd?: string;
}

/** Ids a config may name: the registry plus the ones the engine itself reports. */
export function knownRuleIds(): string[] {
  return [...Object.keys(rules), 'rule-error'];
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0);
}

/** Lints already-loaded sources with a config (no file-system access). */
export function lintSources(sources: PolicySource[], options: LintRunOptions = {}): Omit<LintRunResult, 'warnings' | 'sources' | 'summary'> & { summary: Omit<LintSummary, 'filesScanned'> } {
  const config = options.config ?? {};
  const cwd = options.cwd ?? process.cwd();
  const settings = config.rules ?? {};
  const engineConfig = Object.keys(settings).length > 0 ? { rules: settings } : undefined;
  const findings: Finding[] = [];
  const suppressed: LintRunResult['suppressed'] = [];
  const suppressions = config.suppressions ?? [];
  for (const source of sources) {
    // The engine applies per-rule settings (off, or a severity); run.ts adds only suppressions.
    for (const finding of lintPolicy(source, engineConfig)) {
      const by = suppressions.find((s) => suppresses(s, finding, cwd));
      if (by) suppressed.push({ finding, suppression: by });
      else findings.push(finding);
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

/** Loads `paths` and lints them. Throws SourceError for a path that cannot be read. */
export async function runLint(paths: string[], options: LintRunOptions = {}): Promise<LintRunResult> {
  const cwd = options.cwd ?? process.cwd();
  const ignore = options.config?.ignore ?? [];
  const loaded = await loadSources(
    paths.map((p) => p),
    ignore.length > 0 ? { ignore: (path) => ignore.some((g) => matchesGlob(resolve(cwd, path), g, cwd)) } : {},
  );
  const result = lintSources(loaded.sources, options);
  return {
    ...result,
    summary: { ...result.summary, filesScanned: loaded.files.length },
    warnings: loaded.warnings,
    sources: loaded.sources,
  };
}

/** 1 when any finding is at or above `failOn`, else 0. */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity): 0 | 1 {
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
