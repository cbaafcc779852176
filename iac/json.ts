/**
 * JSON documents with the position of every value, read with Microsoft's jsonc-parser (the parser
 * behind VS Code's JSON support): it records offsets and, on malformed input, reports each error
 * and recovers, so an almost-JSON document (a trailing comma, a missing comma) is still read.
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { IacValue } from './model.js';
import { LineIndex, type Location } from './positions.js';

export interface JsonReadError {
  message: string;
  at: Location;
}

/** Turns a JSON string into a value; Terraform JSON strings are templates, plain JSON strings literals. */
export type StringReader = (value: string, at: Location) => IacValue;

export const literalString: StringReader = (value, at) => ({ kind: 'literal', value, at });

const ERROR_TEXT: Record<string, string> = {
  CommaExpected: "expected ','",
  ColonExpected: "expected ':'",
  ValueExpected: 'expected a value',
  PropertyNameExpected: 'expected a property name in double quotes',
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected text after the JSON value',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfComment: 'unterminated comment',
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
  InvalidCommentToken: 'comments are not allowed in JSON',
};

/**
 * Reads JSON text into an IacValue tree. Errors (none for valid JSON) come with their positions;
 * the value is what the tolerant parse recovered, or undefined when nothing could be.
 */
export function readJson(text: string, file: string, strings: StringReader = literalString, index = new LineIndex(file, text)): { value?: IacValue; errors: JsonReadError[] } {
  const errors: ParseError[] = [];
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tree = parseTree(start ? ' ' + text.slice(1) : text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const out: JsonReadError[] = errors.map((e) => {
    const code = printParseErrorCode(e.error);
    return { message: ERROR_TEXT[code] ?? code, at: index.at(e.offset) };
  });
  if (!tree) return { errors: out };
  const convert = (node: Node, depth: number): IacValue => {
    const at = index.at(node.offset);
    if (depth > 512) return { kind: 'unknown', expr: 'nesting deeper than 512 levels', at };
    switch (node.type) {
      case 'object': {
        const members = [];
        for (const prop of node.children ?? []) {
          const [keyNode, valueNode] = prop.children ?? [];
          if (!keyNode || typeof keyNode.value !== 'string') continue;
          const keyAt = index.at(keyNode.offset);
          members.push({ key: keyNode.value, at: keyAt, value: valueNode ? convert(valueNode, depth + 1) : { kind: 'unknown' as const, expr: 'a missing value', at: keyAt } });
        }
        return { kind: 'object', members, at };
      }
      case 'array':
        return { kind: 'tuple', items: (node.children ?? []).map((c) => convert(c, depth + 1)), at };
      case 'string':
        return strings(node.value as string, at);
      default:
        return { kind: 'literal', value: (node.value ?? null) as number | boolean | null, at };
    }
  };
  return { value: convert(tree, 0), errors: out };
}
