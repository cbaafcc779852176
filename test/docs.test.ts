/** The generated parts of the docs match the code: CLI help, rule table, operations table, RULES.md. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_PATH, renderReadme } from '../cli/readme.js';
import { RULES_MD_PATH, renderRulesMarkdown } from '../lint/docs.js';

describe('generated docs', () => {
  it('README.md is up to date (run npm run docs)', async () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(await renderReadme(readme)).toBe(readme);
  });
  it('lint/RULES.md is up to date (run npm run docs)', () => {
    expect(readFileSync(RULES_MD_PATH, 'utf8')).toBe(renderRulesMarkdown());
  });
  it('lists every command in the CLI reference', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    for (const cmd of ['lint', 'rules', 'explain', 'serve', 'apply', 'demo']) expect(readme).toContain(`<code>kmskit ${cmd} --help</code>`);
  });
});
