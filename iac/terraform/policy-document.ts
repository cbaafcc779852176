/**
 * `data "aws_iam_policy_document"` → the policy JSON Terraform would produce, as an IacValue whose
 * nodes stay where the user wrote them (a statement at its `statement` block, an action at its item
 * of `actions`). The provider's rules: a single value collapses to a string; a `*` principal with
 * identifier `*` becomes `"Principal": "*"`; statements of `source_policy_documents` come first and a
 * statement of this document with the same Sid replaces one of theirs; `override_policy_documents`
 * replace by Sid or append, last. A `dynamic` block makes the document unknown.
 */
import { readJson } from '../json.js';
import type { IacMember, IacObject, IacValue } from '../model.js';
import type { Location } from '../positions.js';
import { member, objects } from '../values.js';

/** Another document of the same module, by name. */
export type DocumentLookup = (name: string) => IacObject | undefined;

export type RenderedDocument = { ok: true; value: IacObject } | { ok: false; reason: string };

class Unknown extends Error {}

function lit(value: string, at: Location): IacValue {
  return { kind: 'literal', value, at };
}

/** One item alone collapses to that item, as the provider writes single values. */
function oneOrMany(items: IacValue[], at: Location): IacValue {
  return items.length === 1 ? items[0]! : { kind: 'tuple', items, at };
}

function listItems(v: IacValue, where: string): IacValue[] {
  if (v.kind === 'tuple') return v.items;
  if (v.kind === 'literal' && v.value === null) return [];
  if (v.kind === 'reference' || v.kind === 'call' || v.kind === 'unknown') throw new Unknown(`${where} is ${v.kind === 'unknown' ? 'an expression' : 'a reference'} (${v.expr}) known only at apply time`);
  return [v];
}

function memberAt(body: IacObject, key: string): IacMember | undefined {
  return body.members.find((m) => m.key === key);
}

/** `/^dynamic$/` blocks generate statements at apply time. */
function rejectDynamic(body: IacObject, where: string): void {
  if (memberAt(body, 'dynamic')) throw new Unknown(`${where} uses a dynamic block`);
}

function renderStatement(block: IacObject, where: string): IacObject {
  rejectDynamic(block, where);
  const out: IacMember[] = [];
  const add = (key: string, value: IacValue, at: Location): void => {
    out.push({ key, value, at });
  };
  const sid = memberAt(block, 'sid');
  if (sid && !(sid.value.kind === 'literal' && (sid.value.value === '' || sid.value.value === null))) add('Sid', sid.value, sid.at);
  const effect = memberAt(block, 'effect');
  if (effect && !(effect.value.kind === 'literal' && (effect.value.value === '' || effect.value.value === null))) add('Effect', effect.value, effect.at);
  else add('Effect', lit('Allow', block.at), block.at);

  for (const [key, element] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const entry = memberAt(block, key);
    const blocks = objects(entry?.value);
    if (!entry || blocks.length === 0) continue;
    const byType = new Map<string, { items: IacValue[]; at: Location }>();
    const order: string[] = [];
    for (const p of blocks) {
      const type = member(p, 'type');
      if (type?.kind !== 'literal' || typeof type.value !== 'string') throw new Unknown(`${where}.${key} has a type that is not a literal string`);
      const ids = member(p, 'identifiers');
      const items = ids ? listItems(ids, `${where}.${key}.identifiers`) : [];
      const slot = byType.get(type.value);
      if (slot) slot.items.push(...items);
      else {
        byType.set(type.value, { items: [...items], at: p.at });
        order.push(type.value);
      }
    }
    const star = byType.get('*');
    if (star && byType.size === 1 && star.items.every((i) => i.kind === 'literal' && i.value === '*')) {
      add(element, lit('*', star.items[0]?.at ?? entry.at), entry.at);
      continue;
    }
    const principal: IacMember[] = order.map((type) => {
      const slot = byType.get(type)!;
      return { key: type, value: oneOrMany(slot.items, slot.at), at: slot.at };
    });
    add(element, { kind: 'object', members: principal, at: blocks[0]!.at }, entry.at);
  }

  for (const [key, element] of [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ] as const) {
    const entry = memberAt(block, key);
    if (!entry) continue;
    const items = listItems(entry.value, `${where}.${key}`);
    if (items.length > 0) add(element, oneOrMany(items, entry.value.at), entry.at);
  }

  const conditionEntry = memberAt(block, 'condition');
  const conditions = objects(conditionEntry?.value);
  if (conditionEntry && conditions.length > 0) {
    const byTest = new Map<string, { at: Location; keys: Map<string, { at: Location; items: IacValue[] }> }>();
    for (const c of conditions) {
      const test = member(c, 'test');
      const variable = member(c, 'variable');
      if (test?.kind !== 'literal' || typeof test.value !== 'string' || variable?.kind !== 'literal' || typeof variable.value !== 'string') {
        throw new Unknown(`${where}.condition has a test or variable that is not a literal string`);
      }
      const values = member(c, 'values');
      const items = values ? listItems(values, `${where}.condition.values`) : [];
      let op = byTest.get(test.value);
      if (!op) {
        op = { at: c.at, keys: new Map() };
        byTest.set(test.value, op);
      }
      const slot = op.keys.get(variable.value);
      if (slot) slot.items.push(...items);
      else op.keys.set(variable.value, { at: c.at, items: [...items] });
    }
    const operators: IacMember[] = [...byTest].map(([test, op]) => ({
      key: test,
      at: op.at,
      value: { kind: 'object', at: op.at, members: [...op.keys].map(([variable, slot]) => ({ key: variable, at: slot.at, value: oneOrMany(slot.items, slot.at) })) },
    }));
    add('Condition', { kind: 'object', members: operators, at: conditionEntry.at }, conditionEntry.at);
  }
  return { kind: 'object', members: out, at: block.at };
}

function sidOf(statement: IacValue): string | undefined {
  const sid = member(statement, 'Sid');
  return sid?.kind === 'literal' && typeof sid.value === 'string' ? sid.value : undefined;
}

function mergeBySid(base: IacValue[], over: IacValue[]): IacValue[] {
  const out = [...base];
  for (const s of over) {
    const sid = sidOf(s);
    const at = sid === undefined ? -1 : out.findIndex((o) => sidOf(o) === sid);
    if (at >= 0) out[at] = s;
    else out.push(s);
  }
  return out;
}

/** `data.aws_iam_policy_document.<name>.json` (or `.minified_json`) → name. */
export function documentReference(v: IacValue): string | undefined {
  if (v.kind !== 'reference') return undefined;
  const [data, type, name, attr] = v.path;
  return data === 'data' && type === 'aws_iam_policy_document' && name !== undefined && (attr === 'json' || attr === 'minified_json') && v.path.length === 4 ? name : undefined;
}

/** The statements of a policy given as a reference to another document or as JSON text. */
function statementsOf(doc: IacValue, lookup: DocumentLookup, seen: Set<string>, where: string): IacValue[] {
  const ref = documentReference(doc);
  let value: IacValue | undefined;
  if (ref !== undefined) {
    if (seen.has(ref)) throw new Unknown(`${where} refers back to data.aws_iam_policy_document.${ref}`);
    const block = lookup(ref);
    if (!block) throw new Unknown(`${where} refers to data.aws_iam_policy_document.${ref}, which is not in this module`);
    value = renderInner(block, lookup, new Set([...seen, ref]), `data.aws_iam_policy_document.${ref}`);
  } else if (doc.kind === 'call' && doc.name === 'jsonencode' && doc.args.length === 1) {
    value = doc.args[0];
  } else if (doc.kind === 'literal' && typeof doc.value === 'string') {
    const read = readJson(doc.value, doc.at.file);
    if (read.errors.length > 0 || !read.value) throw new Unknown(`${where} is not JSON`);
    // Positions inside the string are not the file's: every value is reported at the string.
    value = relocate(read.value, doc.at);
  } else {
    throw new Unknown(`${where} is ${doc.kind === 'template' ? 'a template' : 'an expression'} known only at apply time`);
  }
  const st = member(value, 'Statement');
  if (!st) return [];
  return st.kind === 'tuple' ? st.items : [st];
}

function relocate(v: IacValue, at: Location): IacValue {
  switch (v.kind) {
    case 'object':
      return { ...v, at, members: v.members.map((m) => ({ ...m, at, value: relocate(m.value, at) })) };
    case 'tuple':
      return { ...v, at, items: v.items.map((i) => relocate(i, at)) };
    default:
      return { ...v, at };
  }
}

function renderInner(block: IacObject, lookup: DocumentLookup, seen: Set<string>, where: string): IacObject {
  rejectDynamic(block, where);
  const own = objects(member(block, 'statement')).map((s, i) => renderStatement(s, `${where}.statement[${i}]`));
  let statements: IacValue[] = [];
  const docs = (key: string): IacValue[] => {
    const v = member(block, key);
    return v ? listItems(v, `${where}.${key}`) : [];
  };
  docs('source_policy_documents').forEach((d, i) => {
    statements = mergeBySid(statements, statementsOf(d, lookup, seen, `${where}.source_policy_documents[${i}]`));
  });
  statements = mergeBySid(statements, own);
  docs('override_policy_documents').forEach((d, i) => {
    statements = mergeBySid(statements, statementsOf(d, lookup, seen, `${where}.override_policy_documents[${i}]`));
  });
  const members: IacMember[] = [];
  const version = memberAt(block, 'version');
  members.push(version && version.value.kind !== 'literal' ? { key: 'Version', value: version.value, at: version.at } : { key: 'Version', value: lit(version?.value.kind === 'literal' && version.value.value ? String(version.value.value) : '2012-10-17', version?.at ?? block.at), at: version?.at ?? block.at });
  const id = memberAt(block, 'policy_id');
  if (id && !(id.value.kind === 'literal' && (id.value.value === '' || id.value.value === null))) members.push({ key: 'Id', value: id.value, at: id.at });
  const statementAt = memberAt(block, 'statement')?.at ?? block.at;
  members.push({ key: 'Statement', value: { kind: 'tuple', items: statements, at: statementAt }, at: statementAt });
  return { kind: 'object', members, at: block.at };
}

/** Renders the document block named `name`. A part known only at apply time makes the whole unknown. */
export function renderPolicyDocument(name: string, block: IacObject, lookup: DocumentLookup): RenderedDocument {
  try {
    return { ok: true, value: renderInner(block, lookup, new Set([name]), `data.aws_iam_policy_document.${name}`) };
  } catch (e) {
    if (e instanceof Unknown) return { ok: false, reason: e.message };
    throw e;
  }
}
