/**
 * Vault ACL policies: parsing (HCL or JSON) and evaluation, with Vault's semantics.
 *
 * - A policy is a list of `path "<pattern>" { capabilities = [...] }` rules. A pattern is an exact
 *   path, a prefix glob (`*` as its last character) or has `+` segment wildcards.
 * - Policies combine per pattern: the same pattern in several policies is the union of their
 *   capabilities, unless one of them says `deny`, which wins.
 * - A request is decided by one rule only: an exact match if there is one, else the most specific
 *   glob or wildcard pattern (later first wildcard, not a prefix, fewer `+`, longer, then
 *   lexicographically larger wins), as Vault's `CheckAllowedFromNonExactPaths` orders them.
 * - `allowed_parameters`, `denied_parameters` and `required_parameters` constrain the request body
 *   of create, update and read requests.
 * - The `root` policy allows everything; a path no rule matches is denied.
 */
import { userError } from './errors.js';
import { HclError, isHclObject, parseHcl, type HclItem, type HclValue } from './hcl.js';

export type Operation = 'create' | 'read' | 'update' | 'delete' | 'list' | 'patch' | 'help';

const CAP = { deny: 1, create: 2, read: 4, update: 8, delete: 16, list: 32, sudo: 64, patch: 128, scan: 256 } as const;
type CapName = keyof typeof CAP;
/** Capabilities newer Vault versions accept that grant nothing kmskit serves. */
const NO_OP_CAPS = new Set(['subscribe', 'recover']);
const OP_CAP: Record<Exclude<Operation, 'help'>, number> = { create: CAP.create, read: CAP.read, update: CAP.update, delete: CAP.delete, list: CAP.list, patch: CAP.patch };

const OLD_STYLE: Record<string, CapName[]> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

const PATH_KEYS = new Set(['comment', 'policy', 'capabilities', 'allowed_parameters', 'denied_parameters', 'required_parameters', 'min_wrapping_ttl', 'max_wrapping_ttl', 'mfa_methods', 'pagination_limit', 'expiration', 'list_scan_response_keys_filter_path', 'control_group']);

interface Permissions {
  caps: number;
  allowed?: Map<string, unknown[]>;
  denied?: Map<string, unknown[]>;
  required?: string[];
}

export interface PathRule extends Permissions {
  /** The pattern without its trailing `*` when it is a prefix glob. */
  path: string;
  isPrefix: boolean;
  hasSegmentWildcards: boolean;
}

export interface ParsedPolicy {
  name: string;
  rules: PathRule[];
}

/** Parses a policy document; a bad one fails as Vault's policy endpoint does (400). */
export function parsePolicy(name: string, text: string): ParsedPolicy {
  const fail = (msg: string): never => {
    throw userError(`failed to parse policy: ${msg}`);
  };
  let doc;
  try {
    doc = parseHcl(text);
  } catch (e) {
    if (e instanceof HclError) return fail(e.message);
    throw e;
  }
  const rules: PathRule[] = [];
  for (const item of doc.items) {
    const key = item.keys[0]!;
    if (key !== 'name' && key !== 'path') fail(`invalid key ${JSON.stringify(key)} on line ${item.line}`);
    if (key !== 'path') continue;
    for (const [pattern, body] of pathEntries(item, fail)) rules.push(parsePathRule(pattern, body, fail));
  }
  return { name, rules };
}

function pathEntries(item: HclItem, fail: (m: string) => never): Array<[string, HclItem[]]> {
  if (item.keys.length >= 2) {
    if (!isHclObject(item.value)) fail(`path ${JSON.stringify(item.keys[1])}: expected a block`);
    return [[item.keys[1]!, (item.value as { items: HclItem[] }).items]];
  }
  // `path = { "a" = { ... } }` and JSON's `"path": {"a": {...}}`.
  if (!isHclObject(item.value)) return fail(`path on line ${item.line}: expected a block`);
  return item.value.items.map((inner) => {
    if (!isHclObject(inner.value)) fail(`path ${JSON.stringify(inner.keys[0])}: expected a block`);
    const rest = inner.keys.slice(1);
    const items = (inner.value as { items: HclItem[] }).items;
    return [inner.keys[0]!, rest.length ? [{ keys: rest, value: inner.value, line: inner.line }] : items] as [string, HclItem[]];
  });
}

function parsePathRule(pattern: string, items: HclItem[], fail: (m: string) => never): PathRule {
  const where = `path ${JSON.stringify(pattern)}`;
  const fields = new Map<string, HclValue>();
  for (const it of items) {
    const k = it.keys[0]!;
    if (!PATH_KEYS.has(k)) fail(`${where}: invalid key ${JSON.stringify(k)} on line ${it.line}`);
    fields.set(k, it.value);
  }
  let path = pattern.startsWith('/') ? pattern.slice(1) : pattern;
  if (path.includes('+*')) fail(`${where}: invalid use of wildcards ('+*' is forbidden)`);
  const hasSegmentWildcards = path === '+' || path.includes('/+') || path.startsWith('+/');
  let isPrefix = false;
  if (path.endsWith('*') && !hasSegmentWildcards) {
    path = path.slice(0, -1);
    isPrefix = true;
  }
  let names: string[] = [];
  const old = fields.get('policy');
  if (old !== undefined) {
    if (typeof old !== 'string' || !OLD_STYLE[old]) fail(`${where}: invalid policy ${JSON.stringify(old)}`);
    names = [...OLD_STYLE[old as string]!];
  }
  const caps = fields.get('capabilities');
  if (caps !== undefined) {
    if (!Array.isArray(caps) || caps.some((c) => typeof c !== 'string')) fail(`${where}: capabilities must be a list of strings`);
    names.push(...(caps as string[]));
  }
  let bits = 0;
  for (const c of names) {
    if (c === 'deny') {
      bits = CAP.deny;
      break;
    }
    if (NO_OP_CAPS.has(c)) continue;
    if (!(c in CAP)) fail(`${where}: invalid capability ${JSON.stringify(c)}`);
    bits |= CAP[c as CapName];
  }
  const rule: PathRule = { path, isPrefix, hasSegmentWildcards, caps: bits };
  if (bits !== CAP.deny) {
    const allowed = parameterMap(fields.get('allowed_parameters'), `${where}: allowed_parameters`, fail);
    const denied = parameterMap(fields.get('denied_parameters'), `${where}: denied_parameters`, fail);
    if (allowed) rule.allowed = allowed;
    if (denied) rule.denied = denied;
  }
  const required = fields.get('required_parameters');
  if (required !== undefined) {
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) fail(`${where}: required_parameters must be a list of strings`);
    if ((required as string[]).length) rule.required = required as string[];
  }
  return rule;
}

function parameterMap(v: HclValue | undefined, where: string, fail: (m: string) => never): Map<string, unknown[]> | undefined {
  if (v === undefined) return undefined;
  if (!isHclObject(v)) return fail(`${where} must be a map of parameter names to lists of values`);
  const m = new Map<string, unknown[]>();
  for (const it of v.items) {
    const values = it.value;
    m.set(it.keys[0]!.toLowerCase(), Array.isArray(values) ? values.map(plain) : [plain(values)]);
  }
  return m;
}

function plain(v: HclValue): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (isHclObject(v)) return Object.fromEntries(v.items.map((i) => [i.keys[0], plain(i.value)]));
  return v;
}

function cloneRule(r: PathRule): Permissions {
  return {
    caps: r.caps,
    ...(r.allowed ? { allowed: new Map([...r.allowed].map(([k, v]) => [k, [...v]])) } : {}),
    ...(r.denied ? { denied: new Map([...r.denied].map(([k, v]) => [k, [...v]])) } : {}),
    ...(r.required ? { required: [...r.required] } : {}),
  };
}

function mergeParams(into: Map<string, unknown[]> | undefined, from: Map<string, unknown[]> | undefined): Map<string, unknown[]> | undefined {
  if (!from || from.size === 0) return into;
  if (!into) return new Map([...from].map(([k, v]) => [k, [...v]]));
  for (const [k, v] of from) {
    const existing = into.get(k);
    // An empty list means "any value" and absorbs the other side.
    if (v.length === 0 || (existing && existing.length === 0)) into.set(k, []);
    else into.set(k, [...v, ...(existing ?? [])]);
  }
  return into;
}

/** The combined rules of a token's policies. */
export class Acl {
  readonly root: boolean;
  private readonly exact = new Map<string, Permissions>();
  private readonly prefix = new Map<string, Permissions>();
  private readonly wildcard = new Map<string, Permissions>();

  constructor(policies: ParsedPolicy[], root = false) {
    this.root = root;
    for (const p of policies) {
      for (const r of p.rules) {
        const table = r.hasSegmentWildcards ? this.wildcard : r.isPrefix ? this.prefix : this.exact;
        const key = r.hasSegmentWildcards ? `${r.path}${r.isPrefix ? '*' : ''}` : r.path;
        const existing = table.get(key);
        if (!existing) {
          table.set(key, cloneRule(r));
          continue;
        }
        if (existing.caps & CAP.deny) continue;
        if (r.caps & CAP.deny) {
          table.set(key, { caps: CAP.deny });
          continue;
        }
        existing.caps |= r.caps;
        existing.allowed = mergeParams(existing.allowed, r.allowed);
        existing.denied = mergeParams(existing.denied, r.denied);
        if (r.required) existing.required = [...new Set([...(existing.required ?? []), ...r.required])];
      }
    }
  }

  /** Whether `op` on `path` (no leading slash; list paths end in `/`) with this body is allowed. */
  allows(op: Operation, path: string, data: Record<string, unknown>): boolean {
    if (this.root || op === 'help') return true;
    const perms = this.permissionsFor(op, path);
    if (!perms) return false;
    if (perms.caps & CAP.deny) return false;
    if (!(perms.caps & OP_CAP[op])) return false;
    if (op === 'read' || op === 'update' || op === 'create' || op === 'patch') return parametersAllowed(perms, data);
    return true;
  }

  /** The capability names on a path, as `sys/capabilities-self` reports them. */
  capabilities(path: string): string[] {
    if (this.root) return ['root'];
    const perms = this.permissionsFor('list', path);
    const caps = perms?.caps ?? 0;
    if (caps & CAP.deny || caps === 0) return ['deny'];
    return (['sudo', 'read', 'list', 'update', 'delete', 'create', 'patch', 'scan'] as const).filter((c) => caps & CAP[c]);
  }

  private permissionsFor(op: Operation, path: string): Permissions | undefined {
    const p = path.replace(/^\/+/, '');
    const isList = op === 'list';
    const exact = this.exact.get(p) ?? (isList ? this.exact.get(p.replace(/\/$/, '')) : undefined);
    if (exact) return exact;
    const nonExact = this.nonExact(p);
    if (nonExact) return nonExact;
    if (isList && p.endsWith('/')) return this.nonExact(p.slice(0, -1));
    return undefined;
  }

  private nonExact(path: string): Permissions | undefined {
    type Candidate = { firstWildcard: number; wildcards: number; isPrefix: boolean; pattern: string; perms: Permissions };
    const candidates: Candidate[] = [];
    let longest: string | undefined;
    for (const prefix of this.prefix.keys()) if (path.startsWith(prefix) && (longest === undefined || prefix.length > longest.length)) longest = prefix;
    if (longest !== undefined) {
      if (this.wildcard.size === 0) return this.prefix.get(longest);
      candidates.push({ firstWildcard: longest.length, wildcards: 0, isPrefix: true, pattern: longest, perms: this.prefix.get(longest)! });
    }
    if (this.wildcard.size === 0) return undefined;
    const parts = path.split('/');
    next: for (const [full, perms] of this.wildcard) {
      const isPrefix = full.endsWith('*');
      const pattern = isPrefix ? full.slice(0, -1) : full;
      const segs = pattern.split('/');
      if (parts.length < segs.length) continue;
      if (!isPrefix && segs.length !== parts.length) continue;
      let wildcards = 0;
      for (let i = 0; i < segs.length; i++) {
        const s = segs[i]!;
        if (s === '+') wildcards++;
        else if (s === parts[i]) continue;
        else if (isPrefix && i === segs.length - 1 && parts[i]!.startsWith(s)) continue;
        else continue next;
      }
      candidates.push({ firstWildcard: full.indexOf('+'), wildcards, isPrefix, pattern, perms });
    }
    if (!candidates.length) return undefined;
    // Vault sorts ascending by specificity and takes the last: the most specific pattern wins.
    const less = (a: Candidate, b: Candidate): number => {
      if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard - b.firstWildcard;
      if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
      if (a.wildcards !== b.wildcards) return b.wildcards - a.wildcards;
      if (a.pattern.length !== b.pattern.length) return a.pattern.length - b.pattern.length;
      return a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0;
    };
    candidates.sort(less);
    return candidates[candidates.length - 1]!.perms;
  }
}

function parametersAllowed(perms: Permissions, data: Record<string, unknown>): boolean {
  for (const r of perms.required ?? []) if (!(r.toLowerCase() in data)) return false;
  const entries = Object.entries(data);
  if (entries.length === 0) return true;
  if (perms.denied && perms.denied.size) {
    if (perms.denied.has('*')) return false;
    for (const [k, v] of entries) {
      const list = perms.denied.get(k.toLowerCase());
      if (list && valueInList(v, list)) return false;
    }
  }
  if (!perms.allowed || perms.allowed.size === 0) return true;
  const allowAll = perms.allowed.has('*');
  if (perms.allowed.size === 1 && allowAll) return true;
  for (const [k, v] of entries) {
    const list = perms.allowed.get(k.toLowerCase());
    if (!list && !allowAll) return false;
    if (list && !valueInList(v, list)) return false;
  }
  return true;
}

function valueInList(v: unknown, list: unknown[]): boolean {
  if (list.length === 0) return true;
  return list.some((el) => {
    if (el === null || v === null) return el === v;
    if (typeof el === 'string' && typeof v === 'string') return globMatch(el, v);
    return JSON.stringify(el) === JSON.stringify(v);
  });
}

/** go-secure-stdlib's GlobbedStringsMatch: `*` only at the start and/or end. */
function globMatch(item: string, val: string): boolean {
  if (item.length < 2) return item === '*' || item === val;
  const start = item.startsWith('*');
  const end = item.endsWith('*');
  if (start && end) return val.includes(item.slice(1, -1));
  if (start) return val.endsWith(item.slice(1));
  if (end) return val.startsWith(item.slice(0, -1));
  return item === val;
}
