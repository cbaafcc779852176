/**
 * A small JSON parser that, unlike JSON.parse, remembers where every value is. The linter must put a
 * finding on the line and column of the element it is about, and report malformed JSON at the place
 * it breaks, so we cannot use JSON.parse and lose the positions.
 *
 * Positions are keyed by JSON Pointer (RFC 6901). For an object member the position is that of its
 * key (where an editor should put the cursor); for an array element, that of the element; "" is the
 * start of the document. Duplicate keys are reported (JSON.parse silently keeps the last one, and so
 * does IAM, which makes a duplicated "Effect" a classic review trap).
 *
 * Speed: the linter parses every policy it lints (10,000+ a second). When JSON.parse provably reads
 * a text as this parser would (see parseNative), JSON.parse reads it, and the positions are computed
 * only when first asked for.
 */
import type { SourcePosition } from './model.js';

export interface JsonParseError {
  message: string;
  position: SourcePosition;
  offset: number;
}

export interface JsonParseOutput {
  /** Present only when the text is valid JSON. */
  value?: unknown;
  positions: Map<string, SourcePosition>;
  duplicateKeys: Array<{ pointer: string; position: SourcePosition }>;
  error?: JsonParseError;
}

/** Escapes one reference token of a JSON Pointer (RFC 6901 §4). */
export function escapePointerToken(token: string): string {
  // Fast path: pointers are built for every value a position is asked of, and almost no key holds '~' or '/'.
  if (token.indexOf('~') < 0 && token.indexOf('/') < 0) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends a token to a pointer. */
export function pointerJoin(pointer: string, token: string | number): string {
  return `${pointer}/${typeof token === 'number' ? token : escapePointerToken(token)}`;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 256;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

/**
 * A positions map that is filled on first use of any Map method. Most policies lint clean, and then
 * nobody asks where a value is: building a pointer string, a map entry and a {line, column} object
 * for every value was about a third of parsing. The fill sets exactly the entries, in the same order,
 * that an eager parser would have set.
 */
class LazyPositions extends Map<string, SourcePosition> {
  private pending: (() => void) | undefined;

  constructor(fill: () => void) {
    super();
    this.pending = fill;
  }

  private ready(): void {
    const fill = this.pending;
    if (fill === undefined) return;
    this.pending = undefined;
    fill();
  }

  override get(key: string): SourcePosition | undefined {
    this.ready();
    return super.get(key);
  }
  override has(key: string): boolean {
    this.ready();
    return super.has(key);
  }
  override set(key: string, value: SourcePosition): this {
    this.ready();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.ready();
    return super.delete(key);
  }
  override clear(): void {
    this.pending = undefined;
    super.clear();
  }
  override get size(): number {
    this.ready();
    return super.size;
  }
  override forEach(cb: (value: SourcePosition, key: string, map: Map<string, SourcePosition>) => void, thisArg?: unknown): void {
    this.ready();
    super.forEach(cb, thisArg);
  }
  override keys(): MapIterator<string> {
    this.ready();
    return super.keys();
  }
  override values(): MapIterator<SourcePosition> {
    this.ready();
    return super.values();
  }
  override entries(): MapIterator<[string, SourcePosition]> {
    this.ready();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[string, SourcePosition]> {
    this.ready();
    return super[Symbol.iterator]();
  }
}

/** Parses JSON text with positions. Never throws. */
export function parseJsonWithPositions(text: string): JsonParseOutput {
  return parseNative(text) ?? parseWithPositions(text);
}

// A run this long may hold a number token longer than the 64 characters parseNumber reads. Numbers
// sit between strings, so only a long stretch between two strings needs the test.
const LONG_NUMBER = /[-+.0-9eE]{64}/;

/**
 * The fast path: JSON.parse, several times faster than this parser, when its answer is provably the
 * one parseWithPositions would give. That holds when JSON.parse accepts the text (it accepts a
 * superset of what parseWithPositions accepts: the differences are a BOM, nesting deeper than
 * MAX_DEPTH and over-long numbers, all sent to the slow path) and no object has a duplicate key
 * (counted: members in the text against own keys in the value). Positions are only needed when there
 * is something to report, so they come from a full parse, on first read. Undefined when in doubt.
 */
function parseNative(text: string): JsonParseOutput | undefined {
  if (text.charCodeAt(0) === 0xfeff || inheritsEnumerable()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const members = membersInText(text);
  if (members < 0 || ownKeysIn(value, 0) !== members) return undefined;
  const positions: Map<string, SourcePosition> = new LazyPositions(() => {
    for (const [pointer, position] of parseWithPositions(text).positions) positions.set(pointer, position);
  });
  return { value, positions, duplicateKeys: [] };
}

/** An enumerable property on Object.prototype (pollution) would be counted by ownKeysIn's for-in. */
function inheritsEnumerable(): boolean {
  for (const _ in {}) return true;
  return false;
}

/**
 * Object members in a valid JSON text: strings followed by ':'. -1 if the text is not as expected,
 * or when a stretch between strings is long enough to hide an over-long number.
 */
function membersInText(text: string): number {
  // Without a backslash no string can hold an escaped quote, so every quote is a delimiter.
  const escapes = text.indexOf('\\') >= 0;
  let count = 0;
  let after = 0; // where the text after the previous string starts
  for (let open = text.indexOf('"'); open >= 0; ) {
    if (open - after >= 64 && LONG_NUMBER.test(text.slice(after, open))) return -1;
    let close = text.indexOf('"', open + 1);
    while (escapes && close >= 0 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
    if (close < 0) return -1;
    let j = close + 1;
    for (let c = text.charCodeAt(j); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++j));
    if (text.charCodeAt(j) === 58) count++;
    after = j;
    open = text.indexOf('"', j);
  }
  if (text.length - after >= 64 && LONG_NUMBER.test(text.slice(after))) return -1;
  return count;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let k = quote - 1; k >= 0 && text.charCodeAt(k) === 92; k--) backslashes++;
  return backslashes % 2 === 1;
}

/** Own keys of every object in a JSON value; -1 when a value sits deeper than parseWithPositions allows. */
function ownKeysIn(value: unknown, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const n = ownKeysIn(item, depth + 1);
      if (n < 0) return -1;
      count += n;
    }
    return count;
  }
  // for-in rather than Object.keys (no array per object): JSON.parse makes plain objects whose own
  // properties are all enumerable, and parseNative has checked that Object.prototype adds none.
  for (const key in value) {
    const n = ownKeysIn((value as Record<string, unknown>)[key], depth + 1);
    if (n < 0) return -1;
    count += n + 1;
  }
  return count;
}

/** The parser proper: every value's position, duplicate keys, and where malformed JSON breaks. */
function parseWithPositions(text: string): JsonParseOutput {
  const duplicateKeys: Array<{ pointer: string; position: SourcePosition }> = [];
  // One record per value, in the order an eager parser would have set its position: the parent
  // record (-1 for the document), the token under the parent, and the offset of the key or element.
  // Recording three numbers/strings per value is cheap; LazyPositions turns them into pointers.
  const parents: number[] = [];
  const tokens: Array<string | number> = [];
  const offsets: number[] = [];
  const record = (parent: number, token: string | number, offset: number): number => {
    parents.push(parent);
    tokens.push(token);
    offsets.push(offset);
    return parents.length - 1;
  };
  // Parents come before their children, so one pass builds every pointer from its parent's.
  const pointers: string[] = [];
  const pointerOf = (index: number): string => {
    for (let k = pointers.length; k <= index; k++) {
      const parent = parents[k] ?? -1;
      const token = tokens[k] ?? '';
      pointers.push(parent < 0 ? '' : pointerJoin(pointers[parent] ?? '', token));
    }
    return pointers[index] ?? '';
  };
  // Line starts, for offset → line/column in O(log n); found only when a position is needed.
  let lineStarts: number[] | undefined;
  const posAt = (offset: number): SourcePosition => {
    if (lineStarts === undefined) {
      lineStarts = [0];
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lineStarts.push(nl + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };
  const positions: Map<string, SourcePosition> = new LazyPositions(() => {
    for (let k = 0; k < offsets.length; k++) positions.set(pointerOf(k), posAt(offsets[k] ?? 0));
  });

  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 BOM is not an error
  const describe = (at: number): string => {
    if (at >= text.length) return 'end of input';
    const ch = text[at] ?? '';
    return `'${ch === '\n' ? '\\n' : ch}'`;
  };
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  // Pretty-printed policies are mostly indentation: a sticky regex skips a run of it in one step.
  const WS = /[ \t\n\r]*/y;
  const ws = () => {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
    WS.lastIndex = i;
    WS.test(text);
    i = WS.lastIndex;
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    // Fast path: no escape and no control character before the closing quote (nearly every string).
    const close = text.indexOf('"', i);
    if (close >= 0) {
      const raw = text.slice(i, close);
      if (raw.indexOf('\\') < 0 && !CONTROL.test(raw)) {
        i = close + 1;
        return raw;
      }
    }
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= text.length) fail('Unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\u escape in string', i);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            fail(`Invalid escape '\\${e ?? ''}' in string`, i);
        }
        i += 2;
        chunk = i;
        continue;
      }
      if (c < 0x20) fail('Control character in string (escape it, e.g. \\n)', i);
      i++;
    }
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) fail(`Unexpected ${describe(i)}`);
    i += m![0].length;
    return Number(m![0]);
  };

  const parseValue = (self: number, depth: number): unknown => {
    if (depth > MAX_DEPTH) fail(`Nesting deeper than ${MAX_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`Expected a property name in double quotes, found ${describe(i)}`);
        const keyStart = i;
        const key = parseString();
        const child = record(self, key, keyStart);
        if (Object.prototype.hasOwnProperty.call(obj, key)) duplicateKeys.push({ pointer: pointerOf(child), position: posAt(keyStart) });
        ws();
        if (text[i] !== ':') fail(`Expected ':' after property name, found ${describe(i)}`);
        i++;
        const v = parseValue(child, depth + 1);
        // Keep the last value, as JSON.parse and IAM do. A "__proto__" key is defined as an own
        // property: assigning it would set the object's prototype instead.
        if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[key] = v;
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('Trailing comma before }');
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail(`Expected ',' or '}' after property value, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        const child = record(self, arr.length, i);
        arr.push(parseValue(child, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('Trailing comma before ]');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(`Expected ',' or ']' after array element, found ${describe(i)}`);
      }
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    return fail(i >= text.length ? 'Unexpected end of input' : `Unexpected ${describe(i)}`);
  };

  try {
    ws();
    const value = parseValue(record(-1, '', i), 0);
    ws();
    if (i < text.length) fail(`Unexpected ${describe(i)} after the JSON value`);
    return { value, positions, duplicateKeys };
  } catch (e) {
    const offset = e instanceof JsonSyntaxError ? e.offset : i;
    const message = e instanceof Error ? e.message : String(e);
    const position = posAt(Math.min(offset, text.length));
    return { positions, duplicateKeys, error: { message, position, offset } };
  }
}
