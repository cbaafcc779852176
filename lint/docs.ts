/**
 * Generates lint/RULES.md from the rule metadata in the registry, the only place rule documentation
 * lives. `npm run docs` (cli/readme.ts) rewrites the file; test/lint/rules-doc.test.ts fails when it is stale.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules as registry } from './rules/index.js';
import type { Rule, RuleGroup } from './types.js';

const GROUPS: Array<{ group: RuleGroup; title: string; intro: string }> = [
  { group: 'grammar', title: 'Grammar', intro: 'The policy language as KMS accepts it: what KMS rejects, and what it accepts but silently never matches.' },
  { group: 'security', title: 'Security', intro: 'Policies KMS accepts that give away more than intended, or lock everybody out.' },
  {
    group: 'key-configuration',
    title: 'Key configuration',
    intro: 'Settings of the key a policy belongs to, for Terraform and CDKTF sources. Their pointers name the Terraform attribute (`/key/<attribute>`), not a place in the policy document.',
  },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The full RULES.md text for a set of rules. */
export function renderRulesMarkdown(rules: Record<string, Rule> = registry): string {
  const list = Object.values(rules);
  const lines: string[] = [
    '# kmskit lint rules',
    '',
    '<!-- Generated from the rule metadata in lint/rules/*.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    `${list.length} rules. Severity is the default; \`.kmskitrc.json\` can turn a rule \`off\` or change its severity. Values that Terraform fills in at apply time (\`\${...}\`) are unknown to every rule and never raise a finding.`,
    '',
  ];
  for (const g of GROUPS) {
    const inGroup = list.filter((r) => r.group === g.group);
    if (inGroup.length === 0) continue;
    lines.push(`## ${g.title}`, '', g.intro, '', '| Rule | Severity | What it finds |', '|---|---|---|');
    for (const r of inGroup) lines.push(`| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${cell(r.docs.summary)} |`);
    lines.push('');
  }
  lines.push('## Details', '');
  for (const r of list) {
    lines.push(`### ${r.id}`, '', `*${r.severity}* · ${GROUPS.find((g) => g.group === r.group)?.title ?? r.group}`, '', r.docs.summary, '', r.docs.rationale, '');
  }
  return lines.join('\n');
}

export const RULES_MD_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RULES.md');
