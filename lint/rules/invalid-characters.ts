import { pointerJoin } from '../../policies/parse.js';
import type { Rule, RuleFinding } from '../types.js';

/** Tab, LF, CR, printable ASCII and Latin-1 (KMS PutKeyPolicy, "Policy" parameter). */
const OUTSIDE = /[^\t\n\r\x20-\x7e\xa0-\xff]/;

function badCharIndex(s: string): number {
  return s.search(OUTSIDE);
}

function describe(s: string, i: number): string {
  const cp = s.codePointAt(i) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Walks keys and strings; the path is built into a pointer only for a hit (this runs on every policy). */
function walk(value: unknown, path: Array<string | number>, out: RuleFinding[]): void {
  if (path.length > 200 || out.length > 50) return;
  if (typeof value === 'string') {
    const i = badCharIndex(value);
    if (i >= 0) out.push({ pointer: toPointer(path), message: `The value has the character ${describe(value, i)} at position ${i + 1}; KMS accepts only printable ASCII, Latin-1, tab, LF and CR in a key policy.` });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, out);
      path.pop();
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const k of Object.keys(value)) {
      path.push(k);
      const i = badCharIndex(k);
      if (i >= 0) out.push({ pointer: toPointer(path), message: `The name "${k}" has the character ${describe(k, i)}; KMS accepts only printable ASCII, Latin-1, tab, LF and CR in a key policy.` });
      walk((value as Record<string, unknown>)[k], path, out);
      path.pop();
    }
  }
}

function toPointer(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((p, t) => pointerJoin(p, t), '');
}

export const rule: Rule = {
  id: 'invalid-characters',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A character outside printable ASCII, Latin-1, tab, LF and CR.',
    rationale:
      'KMS rejects a key policy containing any other character (PutKeyPolicy, "Policy" parameter). Typical culprits are typographic quotes, non-breaking hyphens and zero-width spaces pasted from a document or chat.',
  },
  check(_policy, ctx) {
    const out: RuleFinding[] = [];
    if (ctx.raw === undefined) return out;
    // Parsed from text with no escape and no character outside the set: every key and string is a
    // run of that text's characters, so none can hold a bad character. One native scan of the text settles
    // nearly every policy file without walking the document.
    const text = ctx.source.text;
    if (text !== undefined && ctx.parse.source === text && ctx.raw === ctx.parse.policy?.raw && text.indexOf('\\') < 0 && !OUTSIDE.test(text)) return out;
    walk(ctx.raw, [], out);
    return out;
  },
};
