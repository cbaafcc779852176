/**
 * IAM condition operators, evaluated against a request context.
 *
 * The rules followed (IAM User Guide, "Condition operators" and "Conditions with multiple context keys
 * or values"):
 * - several operators in a Condition AND; several keys under one operator AND; several values for one
 *   key OR — except for negated operators (StringNotEquals, NotIpAddress, ...), whose values NOR;
 * - a key absent from the request makes a positive operator false and a negated operator true, unless
 *   the operator ends in `IfExists` (absent → true) or is `Null` (which tests presence itself);
 * - `ForAllValues:` is true when the key is absent or empty, `ForAnyValue:` false; otherwise every
 *   (resp. some) request value must satisfy the operator against the policy values;
 * - an unknown operator never matches (so an Allow with it never applies, and neither does a Deny);
 * - policy variables (`${aws:username}`) are substituted in String*, Arn* and Bool values when the
 *   document's Version is 2012-10-17; a value whose variable is absent from the request (and has no
 *   `${key, 'default'}`) cannot be compared: it never matches, and it makes a negated operator false.
 *
 * Nothing here throws.
 */
import type { ContextValue, NormalizedCondition } from './model.js';
import { parseArn } from './arn.js';
import { literalTokens, matchTokens, tokenize, tokensToString, type WildcardToken } from './wildcard.js';

/** Condition keys, folded for lookup, to their values as strings. Absent key = no entry. */
export type ConditionContext = Map<string, string[]>;

export interface ConditionOptions {
  /** Substitute policy variables (true for Version 2012-10-17 documents). */
  variables?: boolean;
}

/**
 * Folds a condition-key name for lookup: names are case-insensitive, the encryption-context key
 * name after `kms:EncryptionContext:` included (KMS Developer Guide, kms:EncryptionContext:context-key;
 * a case-sensitive key name needs kms:EncryptionContextKeys). Values stay case-sensitive.
 */
export function foldConditionKey(key: string): string {
  if (typeof key !== 'string') return '';
  return key.toLowerCase();
}

/** A context value as the list of strings IAM compares (true → "true", 10 → "10"). */
export function contextValueStrings(value: ContextValue | undefined | null): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of list) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  return out;
}

/** Builds a lookup context from a request's `context` record. Keys differing only in case merge. */
export function buildConditionContext(record: Record<string, ContextValue | undefined> | undefined | null): ConditionContext {
  const ctx: ConditionContext = new Map();
  if (!record || typeof record !== 'object') return ctx;
  for (const [key, value] of Object.entries(record)) {
    const values = contextValueStrings(value);
    if (values === undefined) continue;
    const folded = foldConditionKey(key);
    const existing = ctx.get(folded);
    ctx.set(folded, existing ? [...existing, ...values] : values);
  }
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// Policy variables
// ---------------------------------------------------------------------------------------------

const ESCAPES = new Map([['*', '*'], ['?', '?'], ['$', '$']]);
// `${key}` or `${key, 'default'}`; a key (tag keys included) may hold anything but `,` `'` `}`.
const VARIABLE = /^\s*([^,'\s](?:[^,']*[^,'\s])?)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;

/**
 * Turns a policy value into wildcard tokens, substituting `${key}` from the context and the escapes
 * `${*}`, `${?}`, `${$}`. Substituted text is always literal. `wildcards` says whether a bare `*`/`?`
 * in the policy text is a wildcard (Like operators, Resource) or a plain character.
 * Returns undefined when a variable's key is absent (or multi-valued) and has no default.
 */
export function resolvePolicyValue(
  text: string,
  ctx: ConditionContext,
  options: { variables: boolean; wildcards: boolean },
): WildcardToken[] | undefined {
  if (typeof text !== 'string') return undefined;
  if (!options?.variables || !text.includes('${')) return tokenize(text, options?.wildcards !== false);
  if (!(ctx instanceof Map)) return undefined;
  const tokens: WildcardToken[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start === -1) {
      tokens.push(...tokenize(text.slice(i), options.wildcards));
      break;
    }
    tokens.push(...tokenize(text.slice(i, start), options.wildcards));
    const end = text.indexOf('}', start + 2);
    if (end === -1) {
      tokens.push(...tokenize(text.slice(start), options.wildcards));
      break;
    }
    const inner = text.slice(start + 2, end);
    const escape = ESCAPES.get(inner);
    const variable = VARIABLE.exec(inner);
    if (escape !== undefined) {
      tokens.push(...literalTokens(escape));
    } else if (variable) {
      const values = ctx.get(foldConditionKey(variable[1] ?? ''));
      // IAM substitutes single-valued keys only; a multi-valued key behaves as absent.
      if (values && values.length === 1) tokens.push(...literalTokens(values[0] ?? ''));
      else if (variable[2] !== undefined) tokens.push(...literalTokens(variable[2].replace(/''/g, "'")));
      else return undefined;
    } else {
      // Not variable syntax (e.g. `${}`): IAM would reject the document; keep the text literally.
      tokens.push(...literalTokens(text.slice(start, end + 1)));
    }
    i = end + 1;
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Value comparisons
// ---------------------------------------------------------------------------------------------

const NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export function parseNumber(text: string): number | undefined {
  if (typeof text !== 'string' || !NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH = /^[+-]?\d+(\.\d+)?$/;

/** ISO 8601 (date, date-time, with or without zone; no zone means UTC) or epoch seconds → ms. */
export function parseDate(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  if (EPOCH.test(s)) {
    const n = Number(s) * 1000;
    return Number.isFinite(n) ? n : undefined;
  }
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return undefined;
  let z = zone === undefined || zone === 'z' ? 'Z' : zone;
  if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${z}`);
  return Number.isNaN(ms) ? undefined : ms;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

function decodeBase64(text: string): Buffer | undefined {
  const s = text.trim();
  if (!BASE64.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

interface IpValue {
  family: 4 | 6;
  value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(text: string): bigint | undefined {
  let s = text;
  let tail: number[] = [];
  if (s.includes('.')) {
    // An embedded IPv4 address supplies the last two groups (`::ffff:192.0.2.1`).
    const lastColon = s.lastIndexOf(':');
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const groups = h.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const explicit = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - explicit).fill(0), ...rest, ...tail];
  } else {
    if (explicit !== 8) return undefined;
    groups = [...head, ...tail];
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) becomes IPv4. */
export function parseIp(text: string): IpValue | undefined {
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  if (!s.includes(':')) {
    const v4 = parseIpv4(s);
    return v4 === undefined ? undefined : { family: 4, value: v4 };
  }
  const v6 = parseIpv6(s);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

/** Does `address` fall in `cidr` (a CIDR block, or a single address meaning /32 or /128)? */
export function ipInCidr(address: string, cidr: string): boolean {
  if (typeof address !== 'string' || typeof cidr !== 'string') return false;
  const slash = cidr.indexOf('/');
  const net = parseIp(slash === -1 ? cidr : cidr.slice(0, slash));
  const ip = parseIp(address);
  if (!net || !ip || net.family !== ip.family) return false;
  const bits = net.family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const p = cidr.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(p)) return false;
    prefix = Number(p);
    // A mapped-IPv4 network written in IPv6 carries its prefix in IPv6 bits.
    if (net.family === 4 && cidr.includes(':')) prefix -= 96;
    if (prefix < 0 || prefix > bits) return false;
  }
  const shift = BigInt(bits - prefix);
  return net.value >> shift === ip.value >> shift;
}

/**
 * ARN matching as ArnEquals/ArnLike and Resource do it: each of the first five colon-separated parts
 * is matched on its own (a wildcard never spans a colon there), and the last pattern part is matched
 * against the rest of the ARN (the resource part may contain colons). Case-sensitive.
 * A pattern with fewer than six parts lets its last part take the remainder (so `*` matches any ARN).
 */
export function arnTokensMatch(pattern: readonly WildcardToken[], value: string): boolean {
  if (!Array.isArray(pattern) || typeof value !== 'string') return false;
  if (pattern.length === 1 && pattern[0]?.kind === 'star') return true;
  if (!parseArn(value)) return false;
  const segments: WildcardToken[][] = [[]];
  for (const t of pattern) {
    const current = segments[segments.length - 1] as WildcardToken[];
    if (t.kind === 'char' && t.char === ':' && segments.length < 6) segments.push([]);
    else current.push(t);
  }
  const valueParts = value.split(':');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as WildcardToken[];
    if (i === segments.length - 1) return matchTokens(segment, valueParts.slice(i).join(':'));
    const part = valueParts[i];
    if (part === undefined || !matchTokens(segment, part)) return false;
  }
  return false;
}

/** `arnMatch('arn:aws:iam::*:role/Admin*', arn)`: ArnLike with a plain pattern string. */
export function arnMatch(pattern: string, value: string): boolean {
  if (typeof pattern !== 'string' || typeof value !== 'string') return false;
  return arnTokensMatch(tokenize(pattern), value);
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

type ValueMode = 'string' | 'like' | 'arn' | 'raw';

interface OperatorDef {
  /** For a negated operator, the comparison of its positive twin (StringNotEquals → StringEquals). */
  compare: (requestValue: string, policy: WildcardToken[]) => boolean;
  negated: boolean;
  /** How policy values are read: substitute variables? are `*`/`?` wildcards? */
  mode: ValueMode;
}

const text = (tokens: WildcardToken[]) => tokensToString(tokens);

function numeric(test: (a: number, b: number) => boolean) {
  return (v: string, p: WildcardToken[]) => {
    const a = parseNumber(v);
    const b = parseNumber(text(p));
    return a !== undefined && b !== undefined && test(a, b);
  };
}

function date(test: (a: number, b: number) => boolean) {
  return (v: string, p: WildcardToken[]) => {
    const a = parseDate(v);
    const b = parseDate(text(p));
    return a !== undefined && b !== undefined && test(a, b);
  };
}

const stringEquals = (v: string, p: WildcardToken[]) => v === text(p);
const stringEqualsIgnoreCase = (v: string, p: WildcardToken[]) => v.toLowerCase() === text(p).toLowerCase();
const stringLike = (v: string, p: WildcardToken[]) => matchTokens(p, v);
const numericEquals = numeric((a, b) => a === b);
const dateEquals = date((a, b) => a === b);
const ipAddress = (v: string, p: WildcardToken[]) => ipInCidr(v, text(p));
const arnLike = (v: string, p: WildcardToken[]) => arnTokensMatch(p, v);
const bool = (v: string, p: WildcardToken[]) => {
  const a = v.toLowerCase();
  const b = text(p).toLowerCase();
  return (a === 'true' || a === 'false') && a === b;
};
const binaryEquals = (v: string, p: WildcardToken[]) => {
  const a = decodeBase64(v);
  const b = decodeBase64(text(p));
  return a !== undefined && b !== undefined && a.equals(b);
};

const OPERATORS: Record<string, OperatorDef> = {
  StringEquals: { compare: stringEquals, negated: false, mode: 'string' },
  StringNotEquals: { compare: stringEquals, negated: true, mode: 'string' },
  StringEqualsIgnoreCase: { compare: stringEqualsIgnoreCase, negated: false, mode: 'string' },
  StringNotEqualsIgnoreCase: { compare: stringEqualsIgnoreCase, negated: true, mode: 'string' },
  StringLike: { compare: stringLike, negated: false, mode: 'like' },
  StringNotLike: { compare: stringLike, negated: true, mode: 'like' },
  NumericEquals: { compare: numericEquals, negated: false, mode: 'raw' },
  NumericNotEquals: { compare: numericEquals, negated: true, mode: 'raw' },
  NumericLessThan: { compare: numeric((a, b) => a < b), negated: false, mode: 'raw' },
  NumericLessThanEquals: { compare: numeric((a, b) => a <= b), negated: false, mode: 'raw' },
  NumericGreaterThan: { compare: numeric((a, b) => a > b), negated: false, mode: 'raw' },
  NumericGreaterThanEquals: { compare: numeric((a, b) => a >= b), negated: false, mode: 'raw' },
  DateEquals: { compare: dateEquals, negated: false, mode: 'raw' },
  DateNotEquals: { compare: dateEquals, negated: true, mode: 'raw' },
  DateLessThan: { compare: date((a, b) => a < b), negated: false, mode: 'raw' },
  DateLessThanEquals: { compare: date((a, b) => a <= b), negated: false, mode: 'raw' },
  DateGreaterThan: { compare: date((a, b) => a > b), negated: false, mode: 'raw' },
  DateGreaterThanEquals: { compare: date((a, b) => a >= b), negated: false, mode: 'raw' },
  Bool: { compare: bool, negated: false, mode: 'string' },
  BinaryEquals: { compare: binaryEquals, negated: false, mode: 'raw' },
  IpAddress: { compare: ipAddress, negated: false, mode: 'raw' },
  NotIpAddress: { compare: ipAddress, negated: true, mode: 'raw' },
  ArnEquals: { compare: arnLike, negated: false, mode: 'arn' },
  ArnLike: { compare: arnLike, negated: false, mode: 'arn' },
  ArnNotEquals: { compare: arnLike, negated: true, mode: 'arn' },
  ArnNotLike: { compare: arnLike, negated: true, mode: 'arn' },
};

/** Every IAM condition operator name (without set prefix or IfExists), as AWS spells it. */
export const CONDITION_OPERATORS: readonly string[] = [...Object.keys(OPERATORS), 'Null'];

const BY_LOWER = new Map(CONDITION_OPERATORS.map((name) => [name.toLowerCase(), name]));

export interface ParsedOperator {
  /** The operator's canonical name (`StringEquals`), or the base text as written when unknown. */
  base: string;
  setOperator?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
  /** False for an unknown operator, or a combination IAM does not have (`NullIfExists`, `ForAllValues:Null`). */
  known: boolean;
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; names match case-insensitively. */
export function parseConditionOperator(operator: string): ParsedOperator {
  if (typeof operator !== 'string') return { base: '', ifExists: false, known: false };
  let rest = operator.trim();
  let setOperator: ParsedOperator['setOperator'];
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') setOperator = 'ForAllValues';
    else if (prefix === 'foranyvalue') setOperator = 'ForAnyValue';
    else return { base: rest, ifExists: false, known: false };
    rest = rest.slice(colon + 1);
  }
  let base = BY_LOWER.get(rest.toLowerCase());
  let ifExists = false;
  if (base === undefined && rest.toLowerCase().endsWith('ifexists')) {
    base = BY_LOWER.get(rest.slice(0, -'ifexists'.length).toLowerCase());
    ifExists = true;
  }
  const known = base !== undefined && !(base === 'Null' && (ifExists || setOperator !== undefined));
  const result: ParsedOperator = { base: base ?? rest, ifExists, known };
  if (setOperator) result.setOperator = setOperator;
  return result;
}

/**
 * Evaluates one condition (one operator, one key, its values) against the context. Never throws;
 * an unknown operator is false.
 */
export function evaluateCondition(condition: NormalizedCondition, ctx: ConditionContext, options: ConditionOptions = {}): boolean {
  try {
    return evaluateConditionUnsafe(condition, ctx, options);
  } catch {
    return false;
  }
}

function evaluateConditionUnsafe(condition: NormalizedCondition, ctx: ConditionContext, options: ConditionOptions): boolean {
  const op = parseConditionOperator(condition.operator ?? '');
  if (!op.known) return false;
  const key = typeof condition.key === 'string' ? foldConditionKey(condition.key) : condition.keyLower;
  const requestValues = ctx.get(key);
  // An empty multi-valued key is as good as absent (ForAllValues true, ForAnyValue false, Null true).
  const missing = requestValues === undefined || requestValues.length === 0;
  const policyValues = Array.isArray(condition.values) ? condition.values.filter((v) => typeof v === 'string') : [];

  if (op.base === 'Null') {
    return policyValues.some((v) => {
      const b = v.toLowerCase();
      return b === 'true' ? missing : b === 'false' ? !missing : false;
    });
  }

  const def = OPERATORS[op.base];
  if (!def) return false;
  if (missing) {
    if (op.ifExists) return true;
    if (op.setOperator === 'ForAllValues') return true;
    if (op.setOperator === 'ForAnyValue') return false;
    return def.negated;
  }

  const variables = options.variables === true && def.mode !== 'raw';
  const wildcards = def.mode === 'like' || def.mode === 'arn';
  const resolved = policyValues.map((v) => resolvePolicyValue(v, ctx, { variables, wildcards }));
  const positive = (value: string) => resolved.some((p) => p !== undefined && def.compare(value, p));
  // A negated operator holds for a request value when no policy value matches it (NOR); a policy value
  // that could not be resolved cannot vouch for "not equal", so it makes the negation fail.
  const perValue = def.negated
    ? (value: string) => resolved.every((p) => p !== undefined && !def.compare(value, p))
    : positive;

  const values = requestValues as string[];
  if (op.setOperator === 'ForAllValues') return values.every(perValue);
  if (op.setOperator === 'ForAnyValue') return values.some(perValue);
  // Without a set operator a multi-valued key matches a positive operator when any of its values does,
  // and a negated operator when none does.
  return def.negated ? values.every(perValue) : values.some(perValue);
}

/** All conditions of a statement: AND over operators and keys. An empty list is true. */
export function evaluateConditions(
  conditions: readonly NormalizedCondition[] | undefined,
  ctx: ConditionContext,
  options: ConditionOptions = {},
): boolean {
  if (!Array.isArray(conditions)) return true;
  return conditions.every((c) => c !== null && typeof c === 'object' && evaluateCondition(c, ctx, options));
}
