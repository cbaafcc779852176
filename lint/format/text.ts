/**
 * `--format text`: eslint-style lines, `file:line:col  severity  message  rule-id`, grouped by file
 * with a blank line between files, then `N problems (E errors, W warnings, I infos)`, singular where a
 * count is 1 ("1 warning").
 */
import type { Finding, Severity } from '../types.js';
import type { LintSummary } from '../run.js';

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

export interface TextOptions {
  colour?: boolean;
}

export function summaryLine(s: Pick<LintSummary, 'problems' | 'errors' | 'warnings' | 'infos'>): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${n(s.problems, 'problem')} (${n(s.errors, 'error')}, ${n(s.warnings, 'warning')}, ${n(s.infos, 'info')})`;
}

/** `--format text`: eslint-style lines grouped by file, then the summary. */
export function formatText(result: { findings: readonly Finding[]; summary: LintSummary }, options: TextOptions = {}): string {
  const colour = options.colour ?? false;
  const lines: string[] = [];
  let group: Finding[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    const locs = group.map((f) => `${f.file}:${f.line}:${f.column}`);
    const locWidth = Math.max(...locs.map((l) => l.length));
    const sevWidth = Math.max(...group.map((f) => f.severity.length));
    group.forEach((f, i) => {
      const sev = f.severity.padEnd(sevWidth);
      const message = (f.resource !== undefined ? `${f.resource}: ` : '') + f.message.replace(/\s*\n\s*/g, ' ');
      lines.push(
        colour
          ? `${locs[i]!.padEnd(locWidth)}  ${COLOURS[f.severity]}${sev}${RESET}  ${message}  ${DIM}${f.ruleId}${RESET}`
          : `${locs[i]!.padEnd(locWidth)}  ${sev}  ${message}  ${f.ruleId}`,
      );
    });
    lines.push('');
    group = [];
  };
  for (const f of result.findings) {
    if (group.length > 0 && group[0]!.file !== f.file) flush();
    group.push(f);
  }
  flush();
  const s = result.summary;
  const summary = summaryLine(s);
  const worst: Severity | undefined = s.errors > 0 ? 'error' : s.warnings > 0 ? 'warning' : s.infos > 0 ? 'info' : undefined;
  lines.push(colour && worst ? `${COLOURS[worst]}${summary}${RESET}` : summary);
  const scanned = `Checked ${s.policiesScanned} ${s.policiesScanned === 1 ? 'policy' : 'policies'} in ${s.filesScanned} ${s.filesScanned === 1 ? 'file' : 'files'}`;
  lines.push(s.suppressed > 0 ? `${scanned}; ${s.suppressed} suppressed by the config.` : `${scanned}.`);
  return lines.join('\n') + '\n';
}
