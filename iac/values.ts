/**
 * Reading IacValues the way Terraform-shaped configuration nests them: an object, or (HCL blocks,
 * hcl2json-style JSON) a list of objects under the same key.
 */
import type { IacMember, IacObject, IacValue } from './model.js';

export function member(v: IacValue | undefined, key: string): IacValue | undefined {
  if (v?.kind === 'object') {
    for (let i = v.members.length - 1; i >= 0; i--) if (v.members[i]!.key === key) return v.members[i]!.value;
    return undefined;
  }
  if (v?.kind === 'tuple') {
    for (const item of v.items) {
      const found = member(item, key);
      if (found) return found;
    }
  }
  return undefined;
}

/** The members of an object, or of every object of a list, in order. */
export function entries(v: IacValue | undefined): IacMember[] {
  if (v?.kind === 'object') return v.members;
  if (v?.kind === 'tuple') return v.items.flatMap(entries);
  return [];
}

/** The objects a block key holds: one object, or each object of a list. */
export function objects(v: IacValue | undefined): IacObject[] {
  if (v?.kind === 'object') return [v];
  if (v?.kind === 'tuple') return v.items.filter((i): i is IacObject => i.kind === 'object');
  return [];
}

/** The first object a block key holds (a resource body written as `[{...}]` in JSON). */
export function body(v: IacValue | undefined): IacObject | undefined {
  return objects(v)[0];
}

export function literalString(v: IacValue | undefined): string | undefined {
  return v?.kind === 'literal' && typeof v.value === 'string' ? v.value : undefined;
}

/** The literal strings of a list (or of a single string). Undefined when any item is not literal. */
export function literalStrings(v: IacValue | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (v.kind === 'literal' && typeof v.value === 'string') return [v.value];
  if (v.kind !== 'tuple') return undefined;
  const out: string[] = [];
  for (const item of v.items) {
    const s = literalString(item);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** Applies `fn` to every node, bottom-up; `fn` returns a replacement or undefined to keep the node. */
export function mapValue(v: IacValue, fn: (v: IacValue) => IacValue | undefined): IacValue {
  let next: IacValue = v;
  switch (v.kind) {
    case 'object':
      next = { ...v, members: v.members.map((m) => ({ ...m, value: mapValue(m.value, fn) })) };
      break;
    case 'tuple':
      next = { ...v, items: v.items.map((i) => mapValue(i, fn)) };
      break;
    case 'template':
      next = { ...v, parts: v.parts.map((p) => mapValue(p, fn)) };
      break;
    case 'call':
      next = { ...v, args: v.args.map((a) => mapValue(a, fn)) };
      break;
    case 'choice':
      next = { ...v, options: v.options.map((o) => mapValue(o, fn)) };
      break;
    default:
      break;
  }
  return fn(next) ?? next;
}

/** True when any node satisfies `test`. */
export function someValue(v: IacValue, test: (v: IacValue) => boolean): boolean {
  if (test(v)) return true;
  switch (v.kind) {
    case 'object':
      return v.members.some((m) => someValue(m.value, test));
    case 'tuple':
      return v.items.some((i) => someValue(i, test));
    case 'template':
      return v.parts.some((p) => someValue(p, test));
    case 'call':
      return v.args.some((a) => someValue(a, test));
    case 'choice':
      return v.options.some((o) => someValue(o, test));
    default:
      return false;
  }
}
