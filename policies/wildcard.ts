/**
 * IAM's glob: `*` matches any run of characters (including none), `?` exactly one character, every
 * other character itself. Used for Action/NotAction, Resource/NotResource, StringLike and ArnLike.
 *
 * Patterns are matched as token lists rather than regular expressions so that a character which came
 * from a policy variable or an escape (`${*}`) stays literal even when it is `*` or `?`, and so that no
 * input can produce a pathological regex.
 */

export type WildcardToken = { kind: 'char'; char: string } | { kind: 'star' } | { kind: 'any' };

export interface WildcardOptions {
  /** Fold both sides to lower case first (actions are case-insensitive; ARNs are not). */
  caseInsensitive?: boolean;
}

/** Splits a pattern into tokens; with `wildcards: false` every character is literal. */
export function tokenize(pattern: string, wildcards = true): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  if (typeof pattern !== 'string') return tokens;
  for (const char of pattern) {
    if (wildcards && char === '*') tokens.push({ kind: 'star' });
    else if (wildcards && char === '?') tokens.push({ kind: 'any' });
    else tokens.push({ kind: 'char', char });
  }
  return tokens;
}

/** Literal tokens for a text that must match itself (a substituted variable value). */
export function literalTokens(text: string): WildcardToken[] {
  return tokenize(text, false);
}

/** The text the tokens stand for, with wildcards written back as `*` and `?`. */
export function tokensToString(tokens: readonly WildcardToken[]): string {
  let out = '';
  if (!Array.isArray(tokens)) return out;
  for (const t of tokens) if (t && typeof t === 'object') out += t.kind === 'char' ? t.char : t.kind === 'star' ? '*' : '?';
  return out;
}

/**
 * Greedy match with single-star backtracking: linear in the common case and O(n·m) at worst, with no
 * recursion, so a long value or a pattern full of stars cannot blow the stack.
 */
export function matchTokens(tokens: readonly WildcardToken[], value: string, options: WildcardOptions = {}): boolean {
  if (typeof value !== 'string' || !Array.isArray(tokens)) return false;
  const valid = tokens.every(
    (t) => t !== null && typeof t === 'object' && (t.kind === 'star' || t.kind === 'any' || (t.kind === 'char' && typeof t.char === 'string')),
  );
  if (!valid) return false;
  const ci = options?.caseInsensitive === true;
  // Lower-casing can turn one character into two ('İ'), so a folded literal may expand.
  const pattern = ci ? tokens.flatMap((t) => (t.kind === 'char' ? literalTokens(t.char.toLowerCase()) : [t])) : tokens;
  return matchPrepared(pattern, Array.from(ci ? value.toLowerCase() : value));
}

function matchPrepared(pattern: readonly WildcardToken[], chars: readonly string[]): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < chars.length) {
    const t = pattern[p];
    if (t !== undefined && (t.kind === 'any' || (t.kind === 'char' && t.char === chars[v]))) {
      p++;
      v++;
    } else if (t !== undefined && t.kind === 'star') {
      star = p;
      mark = v;
      p++;
    } else if (star !== -1) {
      p = star + 1;
      mark++;
      v = mark;
    } else {
      return false;
    }
  }
  while (pattern[p]?.kind === 'star') p++;
  return p === pattern.length;
}

const compiled = new Map<string, WildcardToken[]>();
const CACHE_LIMIT = 4096;

/** Tokens of a (pre-folded) pattern, remembered: the same few action and resource patterns recur on every request. */
function compile(pattern: string): WildcardToken[] {
  let tokens = compiled.get(pattern);
  if (tokens === undefined) {
    tokens = tokenize(pattern);
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(pattern, tokens);
  }
  return tokens;
}

/** `wildcardMatch('kms:Describe*', 'kms:DescribeKey', { caseInsensitive: true })` → true. Never throws. */
export function wildcardMatch(pattern: string, value: string, options: WildcardOptions = {}): boolean {
  if (typeof pattern !== 'string' || typeof value !== 'string') return false;
  if (pattern === '*') return true;
  const ci = options?.caseInsensitive === true;
  const p = ci ? pattern.toLowerCase() : pattern;
  const v = ci ? value.toLowerCase() : value;
  if (!p.includes('*') && !p.includes('?')) return p === v;
  return matchPrepared(compile(p), Array.from(v));
}
