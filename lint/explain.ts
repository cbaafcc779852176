/**
 * `kmskit explain`: who can do what with a key, read from its key policy. Every cell of the table is
 * a call to `policies/evaluate.ts` with a representative action; nothing here re-implements policy
 * logic. A cell the policy allows only under conditions is found by evaluating the same request
 * against the policy with its Allow statements' conditions removed, and shows the conditions of the
 * statements that then allow it. What anyone else can do (the PUBLIC line) is `exposure.ts`, the same
 * analysis the public-principal rule reports, so that the two agree. Principals that cannot exist
 * (arn.ts `judgePrincipal`) get no row: they grant nothing; the explanation lists them as ignored.
 */
import { evaluate } from '../policies/evaluate.js';
import type { EvaluationResult, NormalizedCondition, NormalizedPolicy, NormalizedStatement } from '../policies/model.js';
import { parsePolicy } from '../policies/parse.js';
import { describeAccount } from '../iac/account.js';
import { keyArnFor, publicExposure, strangerPrincipal } from './exposure.js';
import { ownAccountOf, principalEntries } from './rule-helpers.js';
import type { PolicySource } from './types.js';

/** Access columns and the action that stands for each. */
export const ACCESS_COLUMNS = [
  { column: 'admin', action: 'kms:PutKeyPolicy' },
  { column: 'encrypt', action: 'kms:Encrypt' },
  { column: 'decrypt', action: 'kms:Decrypt' },
  { column: 'grant', action: 'kms:CreateGrant' },
  { column: 'sign', action: 'kms:Sign' },
  { column: 'mac', action: 'kms:GenerateMac' },
] as const;
export type AccessColumn = (typeof ACCESS_COLUMNS)[number]['column'];

/**
 * - `allow`: the key policy allows it by itself;
 * - `iam`: the policy names the caller's account, so the caller's IAM policies decide;
 * - `conditional`: allowed only when `conditions` hold;
 * - `deny`: explicitly denied; `none`: nothing allows it.
 */
export type AccessDecision = 'allow' | 'iam' | 'conditional' | 'deny' | 'none';

export interface AccessCell {
  decision: AccessDecision;
  /** Conditions that gate the cell (for `conditional`; for others, conditions of a Deny that may apply: "unless"). */
  conditions: string[];
  /** Conditions under which an explicit Deny would take the access away again. */
  unless: string[];
  /** Sids (or pointers) of the statements that decided. */
  statements: string[];
}

export interface PrincipalRow {
  /** How the table names the row: the principal as written, or a description. */
  label: string;
  /** The principal the requests were made as. */
  principal: string;
  kind: 'named' | 'account-principals' | 'anyone';
  cells: Record<AccessColumn, AccessCell>;
}

export interface KeyExplanation {
  file: string;
  resource?: string;
  rows: PrincipalRow[];
  /**
   * What anyone (a principal the policy does not name, in an account it does not name) can get:
   * unconditionally, or under conditions the caller can meet (not tied to its identity). One entry
   * per access column; exposed actions outside the columns (DescribeKey, ...) come as one `other`
   * entry listing them.
   */
  publicAccess: Array<{ column: AccessColumn | 'other'; conditional: boolean; conditions: string[]; actions?: string[] }>;
  /** Principal entries that cannot exist and so grant nothing (no row), with the reason. */
  ignoredPrincipals?: Array<{ principal: string; reason: string }>;
  /** Why there is no table (the policy does not parse). */
  error?: string;
}


function formatCondition(c: NormalizedCondition): string {
  const values = c.values.length === 1 ? c.values[0]! : `[${c.values.join(', ')}]`;
  return `${c.operator} ${c.key} ${values}`;
}

function label(st: NormalizedStatement | undefined, pointer: string): string {
  return st?.sid !== undefined && st.sid !== '' ? st.sid : pointer;
}

/** The policy with conditions removed from its statements of `effect` ("what if they held?"). */
function withoutConditions(policy: NormalizedPolicy, effect: 'Allow' | 'Deny' | 'both'): NormalizedPolicy {
  return { ...policy, statements: policy.statements.map((s) => (effect === 'both' || s.effect === effect ? { ...s, conditions: [] } : s)) };
}

function statementOf(policy: NormalizedPolicy, pointer: string): NormalizedStatement | undefined {
  return policy.statements.find((s) => s.pointer === pointer);
}

function conditionsOf(policy: NormalizedPolicy, result: EvaluationResult['allowedBy']): string[] {
  const out = new Set<string>();
  for (const m of result) for (const c of statementOf(policy, m.pointer)?.conditions ?? []) out.add(formatCondition(c));
  return [...out];
}

function cell(views: PolicyViews, principal: string, action: string, resource: string): AccessCell {
  const { policy, firmDenies, relaxedAllow, relaxedAll } = views;
  const request = { principal, action, resource };
  const names = (ms: EvaluationResult['allowedBy']): string[] => ms.map((m) => label(statementOf(policy, m.pointer), m.pointer));
  // A Deny with conditions depends on the request; it is shown as "unless", and only an
  // unconditional Deny makes the cell a denial.
  const actual = evaluate(request, [firmDenies]);
  if (actual.decision === 'explicit-deny') return { decision: 'deny', conditions: [], unless: [], statements: names(actual.deniedBy) };
  const direct = actual.allowedBy.filter((m) => m.principalMatch !== 'account');
  let decision: AccessDecision;
  let conditions: string[] = [];
  let statements: string[];
  if (direct.length > 0) {
    decision = 'allow';
    statements = names(direct);
  } else {
    const relaxed = evaluate(request, [relaxedAllow]).allowedBy.filter((m) => m.principalMatch !== 'account');
    if (relaxed.length > 0) {
      decision = 'conditional';
      conditions = conditionsOf(policy, relaxed);
      statements = names(relaxed);
    } else if (actual.decision === 'allow') {
      // The policy names only the caller's account: the caller's IAM policies decide.
      decision = 'iam';
      statements = names(actual.allowedBy);
    } else {
      return { decision: 'none', conditions: [], unless: [], statements: [] };
    }
  }
  const unless = new Set<string>();
  for (const m of evaluate(request, [relaxedAll]).deniedBy) for (const c of statementOf(policy, m.pointer)?.conditions ?? []) unless.add(formatCondition(c));
  return { decision, conditions, unless: [...unless], statements };
}

interface PolicyViews {
  policy: NormalizedPolicy;
  /** Without the Deny statements that have conditions. */
  firmDenies: NormalizedPolicy;
  /** Allow statements without their conditions. */
  relaxedAllow: NormalizedPolicy;
  /** Every statement without its conditions. */
  relaxedAll: NormalizedPolicy;
}

function views(policy: NormalizedPolicy): PolicyViews {
  const firmDenies = { ...policy, statements: policy.statements.filter((s) => s.effect !== 'Deny' || s.conditions.length === 0) };
  return { policy, firmDenies, relaxedAllow: withoutConditions(firmDenies, 'Allow'), relaxedAll: withoutConditions(policy, 'both') };
}

export function explainPolicy(source: PolicySource): KeyExplanation {
  const base: KeyExplanation = { file: source.file, rows: [], publicAccess: [] };
  if (source.resource !== undefined) base.resource = source.resource;
  const parsed = parsePolicy(source.text ?? source.value);
  const policy = parsed.policy;
  if (!policy) {
    base.error = parsed.problems[0]?.message ?? 'not a policy document';
    return base;
  }
  const ownAccount = ownAccountOf(policy, { source, parse: parsed, raw: policy.raw });
  const resource = keyArnFor(ownAccount);
  const v = views(policy);

  const rows: Array<Omit<PrincipalRow, 'cells'>> = [];
  const seen = new Set<string>();
  const add = (row: Omit<PrincipalRow, 'cells'>): void => {
    if (seen.has(row.principal)) return;
    seen.add(row.principal);
    rows.push(row);
  };
  const ignored = new Map<string, string>();
  const accounts: string[] = [];
  for (const st of policy.statements) {
    for (const element of ['Principal', 'NotPrincipal'] as const) {
      for (const e of principalEntries(st, element)) {
        if (e.kind === 'everyone') continue;
        if (e.kind === 'invalid') {
          ignored.set(e.value, e.problem ?? 'cannot exist');
          continue;
        }
        if (e.kind === 'root' && e.account !== undefined) {
          add({ label: e.value, principal: /^\d{12}$/.test(e.value) ? `arn:aws:iam::${e.value}:root` : e.value, kind: 'named' });
          if (!accounts.includes(e.account)) accounts.push(e.account);
        } else add({ label: e.value, principal: e.value, kind: 'named' });
      }
    }
  }
  // An account principal opens the key to that account's IAM principals, subject to their IAM policies.
  for (const account of accounts) {
    add({ label: `IAM principals of ${describeAccount(account)}`, principal: `arn:aws:iam::${account}:role/any-role-in-${account}`, kind: 'account-principals' });
  }
  add({ label: '* (anyone else)', principal: strangerPrincipal(policy), kind: 'anyone' });

  base.rows = rows.map((row) => {
    const cells = {} as Record<AccessColumn, AccessCell>;
    for (const { column, action } of ACCESS_COLUMNS) cells[column] = cell(v, row.principal, action, resource);
    return { ...row, cells };
  });
  if (ignored.size > 0) base.ignoredPrincipals = [...ignored].map(([principal, reason]) => ({ principal, reason }));
  base.publicAccess = publicAccessOf(publicExposure(policy, ownAccount));
  return base;
}

/** The exposures as access columns (and one `other` entry for exposed actions outside them). */
function publicAccessOf(exposures: ReturnType<typeof publicExposure>): KeyExplanation['publicAccess'] {
  const out: KeyExplanation['publicAccess'] = [];
  const gating = (list: typeof exposures) => {
    const conditional = list.every((x) => x.conditions.length > 0);
    const conditions = conditional ? [...new Set(list.flatMap((x) => x.conditions.map(formatCondition)))] : [];
    return { conditional, conditions };
  };
  const inColumns = new Set<string>(ACCESS_COLUMNS.map((c) => c.action));
  for (const { column, action } of ACCESS_COLUMNS) {
    const through = exposures.filter((x) => x.actions.includes(action));
    if (through.length > 0) out.push({ column, ...gating(through) });
  }
  const others = exposures.filter((x) => x.actions.some((a) => !inColumns.has(a)));
  if (others.length > 0) {
    const actions = [...new Set(others.flatMap((x) => x.actions.filter((a) => !inColumns.has(a))))].sort();
    out.push({ column: 'other', ...gating(others), actions });
  }
  return out;
}

const MARK: Record<AccessDecision, string> = { allow: 'yes', iam: 'iam', conditional: 'if', deny: 'DENY', none: '-' };

/** The explanation as a text table, conditions as numbered notes under it. */
export function formatExplanation(e: KeyExplanation): string {
  const title = e.resource !== undefined ? `${e.file} (${e.resource})` : e.file;
  const lines = [title];
  if (e.error !== undefined) {
    lines.push(`  cannot explain: ${e.error}`, '');
    return lines.join('\n') + '\n';
  }
  const notes: string[] = [];
  const noteIndex = new Map<string, number>();
  const note = (text: string): number => {
    let n = noteIndex.get(text);
    if (n === undefined) {
      notes.push(text);
      n = notes.length;
      noteIndex.set(text, n);
    }
    return n;
  };
  const header = ['PRINCIPAL', ...ACCESS_COLUMNS.map((c) => c.column.toUpperCase())];
  const body = e.rows.map((r) => [
    r.label,
    ...ACCESS_COLUMNS.map(({ column }) => {
      const c = r.cells[column];
      let text = MARK[c.decision];
      if (c.decision === 'conditional') text += `[${note(c.conditions.join(' AND '))}]`;
      if (c.unless.length > 0 && c.decision !== 'deny' && c.decision !== 'none') text += `[unless ${note(c.unless.join(' OR '))}]`;
      return text;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmt = (cells: string[]): string => '  ' + cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  lines.push(fmt(header), ...body.map(fmt));
  if (notes.length > 0) lines.push('  conditions:', ...notes.map((n, i) => `    [${i + 1}] ${n}`));
  lines.push('  yes = the key policy allows it; iam = up to the IAM policies of that account; if[n] = only when conditions [n] hold;');
  lines.push('  unless[n] = a Deny applies when [n] holds; DENY = always denied; - = not allowed');
  for (const p of e.ignoredPrincipals ?? []) lines.push(`  ignored: ${p.principal} (cannot exist, grants nothing: ${p.reason})`);
  if (e.publicAccess.length > 0) {
    const named = (p: KeyExplanation['publicAccess'][number]): string => (p.column === 'other' ? (p.actions ?? []).join(', ') : p.column);
    const open = e.publicAccess.filter((p) => !p.conditional).map(named);
    const gated = e.publicAccess.filter((p) => p.conditional).map(named);
    if (open.length > 0) lines.push(`  PUBLIC: anyone can ${open.join(', ')} with this key`);
    if (gated.length > 0) lines.push(`  PUBLIC: anyone can ${gated.join(', ')} with this key by meeting conditions the caller controls`);
  }
  lines.push('');
  return lines.join('\n') + '\n';
}
