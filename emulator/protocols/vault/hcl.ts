/**
 * The part of HCL (version 1, which Vault policies are written in) that policy documents use:
 * `key "label" { ... }` blocks, `key = value` attributes, strings (with escapes and `<<EOF`
 * heredocs), numbers, booleans, lists, nested objects, and `#`, `//`, `/* *\/` comments. HCL1 also
 * reads JSON; `parseHcl` accepts both and returns the same tree for either. Errors name the line.
 */

export type HclValue = string | number | boolean | HclValue[] | HclObject;

export interface HclItem {
  /** The key and any labels: `path "transit/*" { }` has keys `["path", "transit/*"]`. */
  keys: string[];
  value: HclValue;
  line: number;
}

export interface HclObject {
  items: HclItem[];
}

export class HclError extends Error {}

export function isHclObject(v: HclValue): v is HclObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses HCL or JSON text into a list of items. */
export function parseHcl(text: string): HclObject {
  const t = text.trim();
  if (t.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(t);
    } catch (e) {
      throw new HclError(`invalid JSON: ${(e as Error).message}`);
    }
    return fromJson(doc);
  }
  return new Parser(text).document();
}

function fromJson(v: unknown, line = 1): HclObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new HclError('JSON policy must be an object');
  const items: HclItem[] = [];
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) items.push({ keys: [k], value: jsonValue(val), line });
  return { items };
}

function jsonValue(v: unknown): HclValue {
  if (Array.isArray(v)) {
    // A list of objects is how JSON writes repeated blocks; HCL merges them into one object list.
    if (v.length && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
      return { items: v.flatMap((x) => fromJson(x).items) };
    }
    return v.map(jsonValue);
  }
  if (v !== null && typeof v === 'object') return fromJson(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new HclError('null is not a valid HCL value');
}

type Token =
  | { kind: 'ident' | 'string' | 'number'; value: string; line: number }
  | { kind: 'punct'; value: '{' | '}' | '[' | ']' | '=' | ',' | ':'; line: number }
  | { kind: 'eof'; value: ''; line: number };

class Parser {
  private pos = 0;
  private line = 1;
  private peeked: Token | undefined;

  constructor(private readonly src: string) {}

  document(): HclObject {
    const items = this.itemsUntil('eof');
    return { items };
  }

  private fail(message: string, line = this.line): never {
    throw new HclError(`At ${line}: ${message}`);
  }

  private itemsUntil(end: 'eof' | '}'): HclItem[] {
    const items: HclItem[] = [];
    for (;;) {
      const t = this.peek();
      if (end === 'eof' && t.kind === 'eof') return items;
      if (end === '}' && t.kind === 'punct' && t.value === '}') return items;
      if (t.kind === 'eof') this.fail('unexpected end of input, expected "}"');
      items.push(this.item());
      const after = this.peek();
      if (after.kind === 'punct' && after.value === ',') this.next();
    }
  }

  private item(): HclItem {
    const first = this.next();
    if (first.kind !== 'ident' && first.kind !== 'string') this.fail(`expected a key, got ${JSON.stringify(first.value)}`, first.line);
    const keys = [first.value];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'string' || t.kind === 'ident') {
        keys.push(this.next().value);
        continue;
      }
      break;
    }
    const t = this.peek();
    if (t.kind === 'punct' && (t.value === '=' || t.value === ':')) {
      this.next();
      return { keys, value: this.value(), line: first.line };
    }
    if (t.kind === 'punct' && t.value === '{') return { keys, value: this.object(), line: first.line };
    return this.fail(`expected "=" or "{" after ${JSON.stringify(keys.join(' '))}`, t.line);
  }

  private object(): HclObject {
    this.next(); // {
    const items = this.itemsUntil('}');
    this.next(); // }
    return { items };
  }

  private value(): HclValue {
    const t = this.peek();
    if (t.kind === 'punct' && t.value === '{') return this.object();
    if (t.kind === 'punct' && t.value === '[') {
      this.next();
      const list: HclValue[] = [];
      for (;;) {
        const n = this.peek();
        if (n.kind === 'punct' && n.value === ']') {
          this.next();
          return list;
        }
        list.push(this.value());
        const sep = this.peek();
        if (sep.kind === 'punct' && sep.value === ',') this.next();
        else if (!(sep.kind === 'punct' && sep.value === ']')) this.fail(`expected "," or "]" in a list, got ${JSON.stringify(sep.value)}`, sep.line);
      }
    }
    this.next();
    if (t.kind === 'string') return t.value;
    if (t.kind === 'number') return Number(t.value);
    if (t.kind === 'ident' && (t.value === 'true' || t.value === 'false')) return t.value === 'true';
    return this.fail(`unexpected ${JSON.stringify(t.value)}, expected a value`, t.line);
  }

  private peek(): Token {
    this.peeked ??= this.lex();
    return this.peeked;
  }

  private next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private lex(): Token {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) return { kind: 'eof', value: '', line: this.line };
      if (c === '\n') {
        this.line++;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('comment not terminated');
        for (let i = this.pos; i < end; i++) if (s[i] === '\n') this.line++;
        this.pos = end + 2;
      } else break;
    }
    const line = this.line;
    const c = s[this.pos]!;
    if ('{}[]=,:'.includes(c)) {
      this.pos++;
      return { kind: 'punct', value: c as '{', line };
    }
    if (c === '"') return { kind: 'string', value: this.quoted(), line };
    if (c === '<' && s.startsWith('<<', this.pos)) return { kind: 'string', value: this.heredoc(), line };
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(this.pos, this.pos + 64));
    if (num) {
      this.pos += num[0].length;
      return { kind: 'number', value: num[0], line };
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.\-]*/.exec(s.slice(this.pos, this.pos + 256));
    if (ident) {
      this.pos += ident[0].length;
      return { kind: 'ident', value: ident[0], line };
    }
    return this.fail(`illegal char ${JSON.stringify(c)}`);
  }

  private quoted(): string {
    const s = this.src;
    let out = '';
    this.pos++; // opening quote
    for (;;) {
      const c = s[this.pos];
      if (c === undefined || c === '\n') this.fail('literal not terminated');
      this.pos++;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = s[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'r') out += '\r';
      else if (e === '"' || e === '\\' || e === '/') out += e;
      else if (e === 'u') {
        const hex = s.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid unicode escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else this.fail(`invalid escape \\${e ?? ''}`);
    }
  }

  private heredoc(): string {
    const s = this.src;
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(s.slice(this.pos, this.pos + 128));
    if (!m) this.fail('invalid heredoc');
    const indented = s[this.pos + 2] === '-';
    const marker = m[1]!;
    this.pos += m[0].length;
    this.line++;
    const lines: string[] = [];
    for (;;) {
      const end = s.indexOf('\n', this.pos);
      const lineText = (end < 0 ? s.slice(this.pos) : s.slice(this.pos, end)).replace(/\r$/, '');
      this.pos = end < 0 ? s.length : end + 1;
      if (end >= 0) this.line++;
      if ((indented ? lineText.trim() : lineText) === marker) break;
      if (end < 0) this.fail(`heredoc not terminated: expected ${marker}`);
      lines.push(lineText);
    }
    const body = lines.join('\n');
    return body.length ? `${body}\n` : '';
  }
}
