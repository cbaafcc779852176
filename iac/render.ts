/**
 * IacValue → the JSON a rule or the emulator reads, with the file position of every value by JSON
 * Pointer. Two ways to meet what is not known:
 * - for linting (`unknown: 'mark'`), an unknown becomes the string `${<expression>}`, which the rules
 *   treat as unknown while judging the known parts around it (`arn:aws:kms:${var.region}:...`);
 * - for `kmskit apply`, a resolver turns references into values, and what is still unknown throws.
 *
 * A CloudFormation `Fn::If` is one of several values: `choices()` lists them and each combination is
 * rendered as its own variant, so every branch is judged.
 */
import { pointerJoin } from '../policies/parse.js';
import type { IacChoice, IacValue } from './model.js';
import { AssembledText, type Location } from './positions.js';

export interface RenderOptions {
  /** What an own-account reference becomes (the id, or the marker). */
  ownAccount: string;
  /** Replaces a reference or call by another value, when it can. */
  resolve?: (v: IacValue) => IacValue | undefined;
  /** What to do with what stays unknown: mark it `${expr}` (lint), or throw (apply). */
  unknown?: 'mark' | ((v: IacValue) => never);
  /** The branch to take per choice (default: the first). */
  choices?: ReadonlyMap<IacChoice, number>;
}

export interface Rendered {
  value: unknown;
  /** JSON Pointer → where the value (for an object member: its key) is written. */
  positions: Map<string, Location>;
}

const ABSENT = Symbol('absent');
const MAX_DEPTH = 64;

class Renderer {
  readonly positions = new Map<string, Location>();
  private depth = 0;

  constructor(private readonly options: RenderOptions) {}

  private unknown(v: IacValue & { expr?: string }): string {
    const handler = this.options.unknown ?? 'mark';
    if (handler !== 'mark') handler(v);
    return '${' + (v.expr ?? v.kind) + '}';
  }

  private resolved(v: IacValue): IacValue | undefined {
    if (this.depth > MAX_DEPTH) return undefined;
    return this.options.resolve?.(v);
  }

  value(v: IacValue, pointer: string, at: Location | undefined): unknown {
    if (at) this.positions.set(pointer, at);
    switch (v.kind) {
      case 'literal':
        return v.value;
      case 'own-account':
        return this.options.ownAccount;
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const m of v.members) {
          const item = this.value(m.value, pointerJoin(pointer, m.key), m.at);
          if (item === ABSENT) continue;
          // `__proto__` must be an own property, not the prototype.
          Object.defineProperty(out, m.key, { value: item, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      case 'tuple': {
        const out: unknown[] = [];
        for (const item of v.items) {
          const rendered = this.value(item, pointerJoin(pointer, out.length), item.at);
          if (rendered !== ABSENT) out.push(rendered);
        }
        return out;
      }
      case 'template':
        return this.string(v);
      case 'choice': {
        const option = v.options[this.options.choices?.get(v) ?? 0] ?? v.options[0];
        return option ? this.value(option, pointer, option.at) : ABSENT;
      }
      case 'absent':
        return ABSENT;
      case 'reference':
      case 'call':
      case 'unknown': {
        const r = this.resolved(v);
        if (r) {
          this.depth++;
          try {
            return this.value(r, pointer, at);
          } finally {
            this.depth--;
          }
        }
        if (v.kind === 'call' && v.name === 'jsonencode' && v.args.length === 1) {
          const inner = new Renderer(this.options).value(v.args[0]!, '', undefined);
          return JSON.stringify(inner === ABSENT ? null : inner);
        }
        return this.unknown(v);
      }
    }
  }

  /** A value in a string context (a template part). */
  string(v: IacValue): string {
    switch (v.kind) {
      case 'literal':
        return v.value === null ? '' : String(v.value);
      case 'template':
        return v.parts.map((p) => this.string(p)).join('');
      default: {
        const value = this.value(v, '', undefined);
        if (typeof value === 'string') return value;
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        return this.unknown(v as IacValue & { expr?: string });
      }
    }
  }
}

/** Renders a value to JSON with positions. */
export function render(v: IacValue, options: RenderOptions): Rendered {
  const r = new Renderer(options);
  const value = r.value(v, '', v.at);
  return { value: value === ABSENT ? undefined : value, positions: r.positions };
}

/**
 * Renders a string value — JSON text assembled from literal lines and interpolations — keeping the
 * way back from each offset to the file. An interpolation outside a JSON string (`"Principal":
 * ${jsonencode(var.p)}`) is written as a JSON string, so the text stays JSON and the unknown stays
 * one value.
 */
export function renderText(v: IacValue, options: RenderOptions): AssembledText {
  const out = new AssembledText();
  const r = new Renderer(options);
  let inString = false;
  const track = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92 && inString) i++;
      else if (c === 34) inString = !inString;
    }
  };
  const visit = (part: IacValue): void => {
    if (part.kind === 'literal') {
      const text = part.value === null ? '' : String(part.value);
      out.add(text, part.at, part.verbatim === true);
      track(text);
    } else if (part.kind === 'template') {
      part.parts.forEach(visit);
    } else {
      const resolved = part.kind === 'reference' || part.kind === 'call' || part.kind === 'unknown' ? options.resolve?.(part) : undefined;
      if (resolved && resolved.kind === 'literal') {
        visit({ ...resolved, at: part.at, verbatim: false });
        return;
      }
      // jsonencode() between JSON tokens (`"Principal": {"AWS": ${jsonencode(list)}}`) is JSON itself.
      const call = resolved ?? part;
      if (!inString && call.kind === 'call' && call.name === 'jsonencode' && call.args.length === 1) {
        out.add(JSON.stringify(r.value(call.args[0]!, '', undefined) ?? null), part.at, false);
        return;
      }
      let text = r.string(part);
      if (!inString) text = JSON.stringify(text);
      else text = JSON.stringify(text).slice(1, -1);
      out.add(text, part.at, false);
    }
  };
  visit(v);
  return out;
}

/** The choices (`Fn::If`) in a value, outermost first. */
export function choices(v: IacValue, out: IacChoice[] = []): IacChoice[] {
  switch (v.kind) {
    case 'object':
      for (const m of v.members) choices(m.value, out);
      break;
    case 'tuple':
      for (const item of v.items) choices(item, out);
      break;
    case 'template':
      for (const p of v.parts) choices(p, out);
      break;
    case 'call':
      for (const a of v.args) choices(a, out);
      break;
    case 'choice':
      out.push(v);
      for (const o of v.options) choices(o, out);
      break;
    default:
      break;
  }
  return out;
}

/** Every combination of branches, while there are at most `limit` (the remaining choices then take their first branch). */
export function branchCombinations(list: IacChoice[], limit = 16): Array<Map<IacChoice, number>> {
  let combos: Array<Map<IacChoice, number>> = [new Map()];
  for (const c of list) {
    if (combos.length * c.options.length > limit) break;
    combos = combos.flatMap((combo) => c.options.map((_, i) => new Map([...combo, [c, i]])));
  }
  return combos;
}
