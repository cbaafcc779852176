/**
 * A small JSON parser that, unlike JSON.parse, remembers where every value is. The linter must put a
 * finding on the line and column of the element it is about, and report malformed JSON at the place
 * it breaks, so we cannot use JSON.parse and lose the positions.
 *
 * Positions are keyed by JSON Pointer (RFC 6901). For an object member the position is that of its
 * key (where an editor should put the cursor); for an array element, that of the element; "" is the
 * start of the document. Duplicate keys are reported (JSON.parse silently keeps the last one, and so
 * does IAM, which makes a duplicated "Effect" a classic review trap).
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
  // Fast path: the linter builds a pointer for every value, and almost no key holds '~' or '/'.
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

/** Parses JSON text with positions. Never throws. */
export function parseJsonWithPositions(text: string): JsonParseOutput {
  const positions = new Map<string, SourcePosition>();
  const duplicateKeys: Array<{ pointer: string; position: SourcePosition }> = [];
  // Line starts, for offset → line/column in O(log n).
  const lineStarts = [0];
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lineStarts.push(nl + 1);
  const posAt = (offset: number): SourcePosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };

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

  const parseValue = (pointer: string, depth: number): unknown => {
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
        const child = pointerJoin(pointer, key);
        if (Object.prototype.hasOwnProperty.call(obj, key)) duplicateKeys.push({ pointer: child, position: posAt(keyStart) });
        positions.set(child, posAt(keyStart));
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
        const child = pointerJoin(pointer, arr.length);
        positions.set(child, posAt(i));
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
    positions.set('', posAt(i));
    const value = parseValue('', 0);
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
