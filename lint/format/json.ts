/**
 * `--format json`: exactly the contract object of ARCHITECTURE.md, one finding per entry with the
 * contract's fields in the contract's order, and a summary of counts.
 */
import type { Finding } from '../types.js';
import type { LintSummary } from '../run.js';

/** A finding as the contract shows it: everything but the internal `sid` (used by suppressions). */
export type JsonFinding = Omit<Finding, 'sid'>;

export function toJsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = { ruleId: f.ruleId, severity: f.severity, message: f.message, file: f.file, pointer: f.pointer, line: f.line, column: f.column };
  if (f.resource !== undefined) out.resource = f.resource;
  return out;
}

/** `--format json`: one object, `{"findings": [...], "summary": {...}}` (the CLI contract). */
export function formatJson(result: { findings: readonly Finding[]; summary: LintSummary }): string {
  const s = result.summary;
  const summary: LintSummary = {
    problems: s.problems,
    errors: s.errors,
    warnings: s.warnings,
    infos: s.infos,
    suppressed: s.suppressed,
    filesScanned: s.filesScanned,
    policiesScanned: s.policiesScanned,
  };
  return JSON.stringify({ findings: result.findings.map(toJsonFinding), summary }, null, 2) + '\n';
}
