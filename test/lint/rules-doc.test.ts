import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES_MD_PATH, renderRulesMarkdown } from '../../lint/docs.js';
import { rules } from '../../lint/rules/index.js';

describe('lint/RULES.md', () => {
  it('is up to date with the rule metadata (run `npm run docs` to regenerate)', () => {
    expect(readFileSync(RULES_MD_PATH, 'utf8')).toBe(renderRulesMarkdown());
  });

  it('documents every rule with its severity, summary and rationale', () => {
    const md = renderRulesMarkdown();
    for (const r of Object.values(rules)) {
      expect(md).toContain(`### ${r.id}\n`);
      expect(md).toContain(`| [\`${r.id}\`](#${r.id}) | ${r.severity} |`);
      expect(md).toContain(r.docs.rationale);
    }
  });

  it('changes when a rule\'s metadata changes', () => {
    const first = Object.values(rules)[0]!;
    const changed = { ...rules, [first.id]: { ...first, docs: { ...first.docs, summary: 'Something else.' } } };
    expect(renderRulesMarkdown(changed)).not.toBe(renderRulesMarkdown());
  });
});
