/**
 * Renders a `data.aws_iam_policy_document` block (as cdktf synthesizes it into cdk.tf.json) to the
 * policy JSON Terraform would produce, following the provider's rules: single values collapse to a
 * string, a `*` principal with identifier `*` becomes `"Principal": "*"`, statements of
 * `source_policy_documents` come first and a statement with the same Sid in this document replaces
 * one of theirs, and `override_policy_documents` replace or append last.
 */
import { policyDocumentReference, wholeInterpolation } from './expressions.js';

export type RenderResult = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/** Looks up another document of the same file by name, for source/override references. */
export type DocumentLookup = (name: string) => unknown;

const oneOrMany = (values: unknown[]): unknown => (values.length === 1 ? values[0] : values);

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

class Unknown extends Error {}

function renderStatement(block: unknown, where: string): Record<string, unknown> {
  if (typeof block === 'string' && wholeInterpolation(block) !== undefined) throw new Unknown(`${where} is a reference (${block})`);
  if (block === null || typeof block !== 'object' || Array.isArray(block)) throw new Unknown(`${where} is not a block`);
  const b = block as Record<string, unknown>;
  if ('dynamic' in b) throw new Unknown(`${where} uses a dynamic block`);
  const st: Record<string, unknown> = {};
  if (typeof b.sid === 'string' && b.sid !== '') st.Sid = b.sid;
  st.Effect = typeof b.effect === 'string' && b.effect !== '' ? b.effect : 'Allow';
  const principals = (key: string, out: string): void => {
    const blocks = asList(b[key]);
    if (blocks.length === 0) return;
    const byType = new Map<string, string[]>();
    for (const p of blocks) {
      if (p === null || typeof p !== 'object') throw new Unknown(`${where}.${key} is not a block`);
      const { type, identifiers } = p as { type?: unknown; identifiers?: unknown };
      if (typeof type !== 'string') throw new Unknown(`${where}.${key} has no type`);
      if (typeof identifiers === 'string' && wholeInterpolation(identifiers) !== undefined) {
        throw new Unknown(`${where}.${key} identifiers are a reference (${identifiers})`);
      }
      const ids = asList(identifiers).map(String);
      byType.set(type, [...(byType.get(type) ?? []), ...ids]);
    }
    const star = byType.get('*');
    if (star && byType.size === 1 && star.every((id) => id === '*')) {
      st[out] = '*';
      return;
    }
    const principal: Record<string, unknown> = {};
    for (const [type, ids] of byType) principal[type] = oneOrMany(ids);
    st[out] = principal;
  };
  principals('principals', 'Principal');
  principals('not_principals', 'NotPrincipal');
  const list = (key: string, out: string): void => {
    const v = b[key];
    if (v === undefined || v === null) return;
    if (typeof v === 'string' && wholeInterpolation(v) !== undefined) throw new Unknown(`${where}.${key} is a reference (${v})`);
    const values = asList(v);
    if (values.length > 0) st[out] = oneOrMany(values);
  };
  list('actions', 'Action');
  list('not_actions', 'NotAction');
  list('resources', 'Resource');
  list('not_resources', 'NotResource');
  const conditions = asList(b.condition);
  if (conditions.length > 0) {
    const cond: Record<string, Record<string, unknown[]>> = {};
    for (const c of conditions) {
      if (c === null || typeof c !== 'object') throw new Unknown(`${where}.condition is not a block`);
      const { test, variable, values } = c as { test?: unknown; variable?: unknown; values?: unknown };
      if (typeof test !== 'string' || typeof variable !== 'string') throw new Unknown(`${where}.condition lacks test or variable`);
      if (typeof values === 'string' && wholeInterpolation(values) !== undefined) {
        throw new Unknown(`${where}.condition values are a reference (${values})`);
      }
      const op = (cond[test] ??= {});
      op[variable] = [...(op[variable] ?? []), ...asList(values)];
    }
    const out: Record<string, Record<string, unknown>> = {};
    for (const [op, keys] of Object.entries(cond)) {
      out[op] = {};
      for (const [k, v] of Object.entries(keys)) out[op][k] = oneOrMany(v);
    }
    st.Condition = out;
  }
  return st;
}

/** Statements of a policy given as a JSON string or a reference to another document. */
function statementsOf(doc: unknown, lookup: DocumentLookup, seen: Set<string>, where: string): Record<string, unknown>[] {
  if (typeof doc !== 'string') throw new Unknown(`${where} is not a string`);
  const ref = policyDocumentReference(doc);
  let value: unknown;
  if (ref !== undefined) {
    if (seen.has(ref)) throw new Unknown(`${where} refers back to data.aws_iam_policy_document.${ref}`);
    const block = lookup(ref);
    if (block === undefined) throw new Unknown(`${where} refers to data.aws_iam_policy_document.${ref}, which is not in this file`);
    const rendered = renderInner(block, lookup, new Set([...seen, ref]), `data.aws_iam_policy_document.${ref}`);
    value = rendered;
  } else if (wholeInterpolation(doc) !== undefined) {
    throw new Unknown(`${where} is a reference (${doc})`);
  } else {
    try {
      value = JSON.parse(doc);
    } catch {
      throw new Unknown(`${where} is not JSON`);
    }
  }
  const st = (value as { Statement?: unknown } | null)?.Statement;
  return asList(st) as Record<string, unknown>[];
}

function mergeBySid(base: Record<string, unknown>[], over: Record<string, unknown>[]): Record<string, unknown>[] {
  const out = [...base];
  for (const s of over) {
    const sid = typeof s.Sid === 'string' ? s.Sid : undefined;
    const at = sid === undefined ? -1 : out.findIndex((o) => o.Sid === sid);
    if (at >= 0) out[at] = s;
    else out.push(s);
  }
  return out;
}

function renderInner(block: unknown, lookup: DocumentLookup, seen: Set<string>, where: string): Record<string, unknown> {
  if (block === null || typeof block !== 'object' || Array.isArray(block)) throw new Unknown(`${where} is not a block`);
  const b = block as Record<string, unknown>;
  if ('dynamic' in b) throw new Unknown(`${where} uses a dynamic block`);
  const own = asList(b.statement).map((s, i) => renderStatement(s, `${where}.statement[${i}]`));
  let statements: Record<string, unknown>[] = [];
  asList(b.source_policy_documents).forEach((d, i) => {
    statements = mergeBySid(statements, statementsOf(d, lookup, seen, `${where}.source_policy_documents[${i}]`));
  });
  statements = mergeBySid(statements, own);
  asList(b.override_policy_documents).forEach((d, i) => {
    statements = mergeBySid(statements, statementsOf(d, lookup, seen, `${where}.override_policy_documents[${i}]`));
  });
  const doc: Record<string, unknown> = { Version: typeof b.version === 'string' && b.version !== '' ? b.version : '2012-10-17' };
  if (typeof b.policy_id === 'string' && b.policy_id !== '') doc.Id = b.policy_id;
  doc.Statement = statements;
  return doc;
}

/** Renders the block named `name`; an unknown part (a reference, a dynamic block) makes the whole unknown. */
export function renderPolicyDocument(name: string, block: unknown, lookup: DocumentLookup): RenderResult {
  try {
    return { ok: true, value: renderInner(block, lookup, new Set([name]), `data.aws_iam_policy_document.${name}`) };
  } catch (e) {
    if (e instanceof Unknown) return { ok: false, reason: e.message };
    throw e;
  }
}
