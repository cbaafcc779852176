/**
 * Where a JSON value sits in its file. Sources need the line and column of a policy string inside a
 * cdk.tf.json or a plan, which JSON.parse cannot give, so this is a small scanner that walks the
 * text once and records the position of every value (and of every member key) by JSON Pointer.
 * It validates only as much as it must to keep its place; the text has already been accepted by
 * JSON.parse when sources call it.
 */
import type { SourcePosition } from '../policies/model.js';

export interface JsonPositions {
  /** JSON Pointer → 1-based position of the value's first character. */
  values: Map<string, SourcePosition>;
  /** JSON Pointer of an object member → 1-based position of its key's opening quote. */
  keys: Map<string, SourcePosition>;
}

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(tokens: ReadonlyArray<string | number>): string {
  let out = '';
  for (const t of tokens) out += '/' + escapeToken(String(t));
  return out;
}

class ScanError extends Error {}

/** Scans `text` (one JSON value). Throws a SyntaxError-like Error naming the position on bad input. */
export function scanPositions(text: string): JsonPositions {
  const values = new Map<string, SourcePosition>();
  const keys = new Map<string, SourcePosition>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const len = text.length;
  // A leading BOM is not part of the JSON text; editors do not count it as a column.
  if (text.charCodeAt(0) === 0xfeff) {
    i = 1;
    lineStart = 1;
  }

  const here = (): SourcePosition => ({ line, column: i - lineStart + 1 });
  const fail = (what: string): never => {
    throw new ScanError(`${what} at line ${line}, column ${i - lineStart + 1}`);
  };

  const skipWs = (): void => {
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) i++;
      else if (c === 0x0a) {
        i++;
        line++;
        lineStart = i;
      } else break;
    }
  };

  const readString = (): string => {
    // i is at the opening quote. Strings cannot contain raw newlines, so line stays put.
    const start = i + 1;
    let j = start;
    let hasEscape = false;
    while (j < len) {
      const c = text.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) {
        hasEscape = true;
        j += 2;
        continue;
      }
      j++;
    }
    if (j >= len) fail('unterminated string');
    const raw = text.slice(start, j);
    i = j + 1;
    return hasEscape ? (JSON.parse(`"${raw}"`) as string) : raw;
  };

  const scanValue = (pointer: string, depth: number): void => {
    if (depth > 512) fail('nesting too deep');
    skipWs();
    values.set(pointer, here());
    const c = text[i];
    if (c === '{') {
      i++;
      skipWs();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWs();
        if (text[i] !== '"') fail('expected a member name');
        const keyPos = here();
        const key = readString();
        const child = pointer + '/' + escapeToken(key);
        keys.set(child, keyPos);
        skipWs();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        scanValue(child, depth + 1);
        skipWs();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail("expected ',' or '}'");
      }
    } else if (c === '[') {
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        scanValue(pointer + '/' + index, depth + 1);
        skipWs();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail("expected ',' or ']'");
      }
    } else if (c === '"') {
      readString();
    } else {
      // number, true, false, null: skip to the next structural character.
      const start = i;
      while (i < len && !/[\s,\]}]/.test(text[i]!)) i++;
      if (i === start) fail('expected a value');
    }
  };

  try {
    scanValue('', 0);
  } catch (e) {
    if (e instanceof ScanError) throw new Error(`invalid JSON: ${e.message}`);
    throw e;
  }
  return { values, keys };
}

/**
 * The position of `pointer` in `positions`, or of its nearest ancestor that has one (so a finding
 * never lacks a position), or 1:1.
 */
export function positionOf(positions: JsonPositions, pointer: string): SourcePosition {
  let p = pointer;
  for (;;) {
    const found = positions.values.get(p);
    if (found) return found;
    if (p === '') return { line: 1, column: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
