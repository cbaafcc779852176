/**
 * `npm run docs`: regenerates the parts of README.md that must not drift from the code — the CLI
 * reference (commander's own --help text), the lint rule table (rule metadata) and the supported
 * operations table (emulator/core/operations/index.ts) — plus lint/RULES.md. `--check` writes nothing and
 * exits 1 when anything is stale; test/docs.test.ts runs the same check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { captureIo } from './io.js';
import { buildProgram } from './program.js';

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body.trimEnd()}\n${text.slice(j)}`;
}

/** `kmskit --help` and each command's `--help`, as commander prints them. */
export function cliReference(): string {
  const io = captureIo();
  const program = buildProgram(io, { io, setExitCode: () => undefined });
  program.configureHelp({ helpWidth: 100 });
  const blocks = [['kmskit --help', program.helpInformation()]];
  for (const cmd of program.commands) {
    cmd.configureHelp({ helpWidth: 100 });
    blocks.push([`kmskit ${cmd.name()} --help`, cmd.helpInformation()]);
  }
  return blocks.map(([title, help]) => `<details><summary><code>${title}</code></summary>\n\n\`\`\`text\n${help!.trimEnd()}\n\`\`\`\n\n</details>`).join('\n');
}

export async function rulesTable(): Promise<string> {
  const { rules } = await import('../lint/rules/index.js');
  const lines = ['| Rule | Severity | Group | What it finds |', '|---|---|---|---|'];
  for (const r of Object.values(rules)) lines.push(`| [\`${r.id}\`](lint/RULES.md#${r.id}) | ${r.severity} | ${r.group} | ${r.docs.summary.replace(/\|/g, '\\|')} |`);
  return lines.join('\n');
}

/** README.md as it should be, from the code. */
export async function renderReadme(readme: string): Promise<string> {
  const { operationsTable } = await import('../emulator/docs.js');
  let next = replaceSection(readme, 'cli', cliReference());
  next = replaceSection(next, 'rules', await rulesTable());
  next = replaceSection(next, 'operations', operationsTable());
  return next;
}

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { renderRulesMarkdown, RULES_MD_PATH } = await import('../lint/docs.js');
  const targets: Array<[string, string, string]> = [
    [README_PATH, readFileSync(README_PATH, 'utf8'), await renderReadme(readFileSync(README_PATH, 'utf8'))],
    [RULES_MD_PATH, readFileSync(RULES_MD_PATH, 'utf8'), renderRulesMarkdown()],
  ];
  const stale = targets.filter(([, now, next]) => now !== next);
  if (process.argv.includes('--check')) {
    for (const [path] of stale) process.stderr.write(`${path} is stale: run npm run docs\n`);
    process.exitCode = stale.length ? 1 : 0;
  } else {
    for (const [path, , next] of stale) writeFileSync(path, next);
    process.stdout.write(stale.length ? `updated ${stale.map(([p]) => p).join(', ')}\n` : 'docs are up to date\n');
  }
}
