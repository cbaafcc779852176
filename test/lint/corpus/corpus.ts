/**
 * The corpus of real-world key policies (key-policies.json): policies people wrote, collected from
 * AWS documentation, public repositories and other tools' test fixtures, each with where it came
 * from (`source`: a URL, for a repository pinned to a commit; `at`: where in that file). Policy
 * documents are data; nothing else of those projects is copied.
 *
 * `defects` is the reviewed verdict: the findings a careful reviewer would raise on the policy as
 * written (rule id + JSON Pointer into the linted document). The corpus test asserts that the linter
 * reports exactly these; `report.ts` counts, for any version of the linter, what it misses and what
 * it raises beyond them.
 */
import { readFileSync } from 'node:fs';
import type { PolicySource } from '../../../lint/types.js';

export interface CorpusEntry {
  id: string;
  source: string;
  at: string;
  /** Present for a statement or statements shown on their own: they are added after AWS's default root statement. */
  addTo?: 'default-root-statement';
  /** The key owner of the page or project, for the added root statement. */
  rootAccount?: string;
  /** What was changed from the source (documentation placeholders), when anything was. */
  edited?: string;
  note?: string;
  policy?: unknown;
  statement?: unknown;
  /** A policy that is not valid JSON, as written. */
  text?: string;
  defects: Defect[];
  /** Real defects the linter does not report, with why. */
  knownMisses?: Array<Defect & { why: string }>;
}

export interface Defect {
  rule: string;
  pointer: string;
}

/**
 * Does a finding report this defect? The same rule at the same pointer; an invalid principal also
 * counts as reported by the schema check (invalid-element) on its element, which is how earlier
 * versions of the linter reported a principal list or a bare string in place of the block.
 */
export function reports(finding: { ruleId: string; pointer: string }, d: Defect): boolean {
  if (finding.ruleId === d.rule && finding.pointer === d.pointer) return true;
  return d.rule === 'invalid-principal' && finding.ruleId === 'invalid-element' && (d.pointer === finding.pointer || d.pointer.startsWith(finding.pointer + '/'));
}

export const CORPUS_FILE = new URL('./key-policies.json', import.meta.url);

export function loadCorpus(): CorpusEntry[] {
  return (JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as { entries: CorpusEntry[] }).entries;
}

/** AWS's default "Enable IAM User Permissions" statement, which documentation snippets are added to. */
function rootStatement(account: string): Record<string, unknown> {
  return { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' };
}

/** The document the linter sees for an entry. */
export function documentOf(e: CorpusEntry): unknown {
  if (e.text !== undefined) return undefined;
  if (e.addTo !== 'default-root-statement') return e.policy;
  const root = rootStatement(e.rootAccount ?? '111122223333');
  if (e.statement !== undefined) return { Version: '2012-10-17', Statement: [root, e.statement] };
  const p = e.policy as { Version?: string; Statement: unknown };
  const list = Array.isArray(p.Statement) ? p.Statement : [p.Statement];
  return { ...p, Version: p.Version ?? '2012-10-17', Statement: [root, ...list] };
}

export function sourceOf(e: CorpusEntry): PolicySource {
  const file = `corpus/${e.id}`;
  return e.text !== undefined ? { file, text: e.text } : { file, text: JSON.stringify(documentOf(e), null, 2) };
}
