/** `kmskit rules`: the linter's rules, from the registry's own metadata. */
import type { RegisterCommand } from './commands.js';
import { CliError, EXIT_USAGE } from './errors.js';
import type { Rule } from '../lint/types.js';

export function rulesTable(list: readonly Rule[]): string {
  const header = ['RULE', 'SEVERITY', 'GROUP', 'SUMMARY'];
  const rows = list.map((r) => [r.id, r.severity, r.group, r.docs.summary]);
  const widths = header.slice(0, 3).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + `\n\n${list.length} rules\n`;
}

const GROUP_ORDER = { grammar: 0, security: 1, 'key-configuration': 2 } as const;

export const register: RegisterCommand = (program, ctx) =>
  program
    .command('rules')
    .description('list the lint rules (id, default severity, group, summary)')
    .option('-f, --format <format>', 'output format: text, json', 'text')
    .showHelpAfterError(false)
    .action(async (options: { format: string }) => {
      if (options.format !== 'text' && options.format !== 'json') {
        throw new CliError(`--format must be one of text, json; got "${options.format}"`, EXIT_USAGE);
      }
      const { rules } = await import('../lint/rules/index.js');
      const list = Object.values(rules).sort((a, b) => GROUP_ORDER[a.group] - GROUP_ORDER[b.group] || a.id.localeCompare(b.id));
      if (options.format === 'json') {
        const out = list.map((r) => ({ id: r.id, severity: r.severity, group: r.group, summary: r.docs.summary, rationale: r.docs.rationale }));
        ctx.io.out(JSON.stringify(out, null, 2) + '\n');
      } else {
        ctx.io.out(rulesTable(list));
      }
    });
