/**
 * The linter engine: one policy source in, findings out.
 *
 * text or value → `parsePolicy` → rules (the first of which, invalid-element, is the JSON Schema
 * check) → findings with severity, file, resource, position and Sid. Never throws: a rule that throws
 * becomes a `rule-error` finding, and a failure of the engine itself becomes one too.
 *
 * Positions. Policy file (`text`, no `embeddedAt`): the position of the pointer in the text, else of
 * its nearest ancestor that has one. Embedded policy (`embeddedAt`): the position of the string in
 * its file, for every finding (the JSON contract). Key-configuration findings point at
 * `/key/<terraform attribute>` (not a pointer into the policy: the key's settings are not part of the
 * document) and take `key.attributePositions[<attribute>]` when the source knows it.
 */
import { LineIndex } from '../iac/positions.js';
import type { SourcePosition } from '../policies/model.js';
import { parsePolicy, positionOf } from '../policies/parse.js';
import { statementAt } from './rule-helpers.js';
import { rules as registry } from './rules/index.js';
import type { Finding, PolicySource, Rule, RuleContext, RuleFinding, Severity } from './types.js';

export type RuleSetting = 'off' | Severity;

export interface LintConfig {
  /** Per-rule override: `off` disables a rule, a severity replaces the rule's own. */
  rules?: Record<string, RuleSetting>;
}

/** Findings of these rules give way to a more specific rule's finding on the same element. */
const GENERIC = new Set(['invalid-element']);
const KEY_POINTER = /^\/key\/([a-z_]+)$/;

interface RawFinding extends RuleFinding {
  ruleId: string;
}

/** Drops a generic finding when another finding sits at the same pointer or inside it. */
function dedupe(findings: RawFinding[]): RawFinding[] {
  if (findings.length === 0) return findings;
  const specific = findings.filter((f) => !GENERIC.has(f.ruleId));
  return findings.filter((f) => {
    if (!GENERIC.has(f.ruleId)) return true;
    return !specific.some((s) => s.pointer === f.pointer || s.pointer.startsWith(f.pointer + '/'));
  });
}

/** A position, in `file` when it names one (a template file, a variant's own positions). */
type FindingPosition = SourcePosition & { file?: string };

function positionFor(source: PolicySource, ctx: RuleContext, f: RawFinding, lines: () => LineIndex): FindingPosition {
  const key = KEY_POINTER.exec(f.pointer);
  if (key && source.key) {
    const attr = key[1] as keyof NonNullable<NonNullable<PolicySource['key']>['attributePositions']>;
    const at = source.key.attributePositions?.[attr] ?? (attr === 'key_spec' ? source.key.attributePositions?.customer_master_key_spec : undefined);
    if (at) return at;
  }
  if (source.embeddedAt) return source.embeddedAt;
  if (source.positions) return positionOf(source.positions, f.pointer) ?? { line: 1, column: 1 };
  if (source.text === undefined) return { line: 1, column: 1 };
  const { positions, problems } = ctx.parse;
  let at: SourcePosition | undefined;
  const exact = positions.get(f.pointer);
  if (exact && f.ruleId !== 'invalid-json') at = exact;
  else {
    const problem = problems.find((p) => p.pointer === f.pointer && p.position && (f.ruleId !== 'invalid-json' || p.code === 'invalid-json'));
    at = problem?.position ?? positionOf(positions, f.pointer);
  }
  at ??= { line: 1, column: 1 };
  // A text assembled from pieces (a heredoc with interpolations): back to where the piece is written.
  if (source.locate) return source.locate(lines().offsetOf(at.line, at.column)) ?? at;
  return at;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return 'unknown error';
  }
}

/**
 * Lints one policy source. The registry's rules run in order; `config.rules` can switch a rule off
 * or change its severity. Findings come back sorted by position, then rule id.
 */
export function lintPolicy(source: PolicySource, config: LintConfig = {}): Finding[] {
  const findings = lintReading(source, config);
  if (!source.variants || source.variants.length === 0) return findings;
  // Every reading is judged; a finding all readings share is reported once.
  const seen = new Set(findings.map(findingKey));
  for (const variant of source.variants) {
    const { variants: _, locate: __, text: ___, ...rest } = source;
    const reading: PolicySource = { ...rest, value: variant.value, ...(variant.positions ? { positions: variant.positions } : {}) };
    for (const f of lintReading(reading, config)) {
      const k = findingKey(f);
      if (seen.has(k)) continue;
      seen.add(k);
      findings.push(f);
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
}

function findingKey(f: Finding): string {
  return `${f.ruleId}\u0000${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.message}`;
}

function lintReading(source: PolicySource, config: LintConfig): Finding[] {
  const settings = config.rules ?? {};
  const base = { file: source.file, ...(source.resource !== undefined ? { resource: source.resource } : {}) };
  try {
    const parse = parsePolicy(source.text ?? source.value);
    let index: LineIndex | undefined;
    const lines = (): LineIndex => (index ??= new LineIndex(source.file, source.text ?? ''));
    const ctx: RuleContext = {
      source,
      parse,
      raw: parse.policy?.raw,
      ...(source.ownAccount !== undefined ? { ownAccount: source.ownAccount } : {}),
    };
    const raw: RawFinding[] = [];
    const ruleList: Rule[] = Object.values(registry);
    // Most runs have no overrides: then no rule is off, and the per-rule lookup is skipped.
    const anyOff = Object.values(settings).includes('off');
    for (let r = 0; r < ruleList.length; r++) {
      const rule = ruleList[r]!;
      if (anyOff && settings[rule.id] === 'off') continue;
      try {
        const found = rule.check(parse.policy, ctx);
        for (let k = 0; k < found.length; k++) {
          const f = found[k]!;
          raw.push({ ruleId: rule.id, pointer: f.pointer, message: f.message });
        }
      } catch (e) {
        if (settings['rule-error'] !== 'off') raw.push({ ruleId: 'rule-error', pointer: '', message: `Rule ${rule.id} failed on this policy: ${errorText(e)}` });
      }
    }
    const findings: Finding[] = dedupe(raw).map((f) => {
      const rule = registry[f.ruleId];
      const setting = settings[f.ruleId];
      // Only a real severity overrides (a config validated elsewhere could still hand over junk at runtime).
      const severity: Severity = setting === 'error' || setting === 'warning' || setting === 'info' ? setting : (rule?.severity ?? 'error');
      const { line, column, file } = positionFor(source, ctx, f, lines);
      // A heredoc's "line 3" is not the file's: say where it is in the file.
      const message = f.ruleId === 'invalid-json' && source.locate ? f.message.replace(/at line \d+, column \d+/, `at line ${line}, column ${column}`) : f.message;
      const sid = KEY_POINTER.test(f.pointer) ? undefined : statementAt(parse.policy, f.pointer)?.sid;
      return { ruleId: f.ruleId, severity, message, ...base, ...(file !== undefined ? { file } : {}), pointer: f.pointer, line, column, ...(sid !== undefined ? { sid } : {}) };
    });
    return findings.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  } catch (e) {
    const at = source.embeddedAt ?? { line: 1, column: 1 };
    return [{ ruleId: 'rule-error', severity: 'error', message: `The linter failed on this policy: ${errorText(e)}`, ...base, pointer: '', line: at.line, column: at.column }];
  }
}
