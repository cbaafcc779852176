/**
 * Reading synthesized CDK for Terraform output (`cdktf.out`, a stack directory, or one
 * `cdk.tf.json`) and resolving the `${...}` expressions in it, for `kmskit apply`.
 *
 * Only the expressions CDKTF emits for references are understood: `${type.name.attribute}`,
 * `${data.type.name.attribute}`, and interpolations of those inside strings (policy JSON).
 * `$${` is Terraform's escape for a literal `${` (IAM policy variables). Anything else, such as a
 * function call, is reported as unresolvable with the expression and where it was.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export interface TerraformStackFile {
  /** Stack name: the manifest's, or the directory name holding cdk.tf.json. */
  name: string;
  file: string;
  json: TerraformJson;
}

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, Array<Record<string, unknown>> | Record<string, unknown>>;
  [k: string]: unknown;
}

/** A problem with the input; the message names the file and what is wrong. */
export class TerraformInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformInputError';
  }
}

/** Finds every stack in the given paths: cdktf.out (via manifest.json), stack dirs, cdk.tf.json files. */
export function loadStacks(paths: string[]): TerraformStackFile[] {
  const out: TerraformStackFile[] = [];
  const seen = new Set<string>();
  const add = (file: string, name: string) => {
    const abs = resolve(file);
    if (seen.has(abs)) return;
    seen.add(abs);
    out.push({ name, file, json: readTerraformJson(file) });
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new TerraformInputError(`${p}: no such file or directory`);
    if (statSync(p).isFile()) {
      add(p, basename(dirname(resolve(p))));
      continue;
    }
    const manifest = join(p, 'manifest.json');
    if (existsSync(manifest)) {
      let stacks: Record<string, { synthesizedStackPath?: string; name?: string }>;
      try {
        stacks = (JSON.parse(readFileSync(manifest, 'utf8')) as { stacks?: typeof stacks }).stacks ?? {};
      } catch (e) {
        throw new TerraformInputError(`${manifest}: not valid JSON (${(e as Error).message})`);
      }
      for (const [name, s] of Object.entries(stacks)) {
        const file = s.synthesizedStackPath ? join(p, s.synthesizedStackPath) : join(p, 'stacks', name, 'cdk.tf.json');
        if (!existsSync(file)) throw new TerraformInputError(`${manifest}: stack ${name} points at ${file}, which does not exist`);
        add(file, s.name ?? name);
      }
      continue;
    }
    const direct = join(p, 'cdk.tf.json');
    if (existsSync(direct)) {
      add(direct, basename(resolve(p)));
      continue;
    }
    const found = findStackFiles(p, 3);
    if (found.length === 0) throw new TerraformInputError(`${p}: no cdk.tf.json found (expected cdktf.out, a stack directory or a cdk.tf.json file)`);
    for (const f of found) add(f, basename(dirname(f)));
  }
  return out;
}

function findStackFiles(dir: string, depth: number): string[] {
  if (depth < 0) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isFile() && entry.name === 'cdk.tf.json') files.push(full);
    else if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) files.push(...findStackFiles(full, depth - 1));
  }
  return files;
}

function readTerraformJson(file: string): TerraformJson {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TerraformInputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TerraformInputError(`${file}: expected a Terraform JSON object`);
  const doc = json as TerraformJson;
  for (const block of ['resource', 'data'] as const) {
    const b = doc[block];
    if (b !== undefined && (typeof b !== 'object' || b === null || Array.isArray(b))) throw new TerraformInputError(`${file}: "${block}" must be an object`);
  }
  return doc;
}

/** A provider configuration: its region and default tags, by `aws` or `aws.<alias>`. */
export interface ProviderConfig {
  region: string | undefined;
  defaultTags: Record<string, string>;
}

export function awsProviders(json: TerraformJson): Map<string, ProviderConfig> {
  const map = new Map<string, ProviderConfig>();
  const raw = json.provider?.aws;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const p of list) {
    const alias = typeof p.alias === 'string' ? `aws.${p.alias}` : 'aws';
    const dt = p.default_tags;
    const dtBlock = (Array.isArray(dt) ? dt[0] : dt) as { tags?: Record<string, string> } | undefined;
    map.set(alias, { region: typeof p.region === 'string' ? p.region : undefined, defaultTags: { ...(dtBlock?.tags ?? {}) } });
  }
  return map;
}

/** `${a.b.c}` expressions a value refers to (including inside interpolated strings). */
export function references(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      for (const e of expressions(v)) out.push(e);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return out;
}

/** The `${...}` expressions in a template string, skipping `$${` escapes. */
function expressions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$' && s[i + 2] === '{') {
      i += 2;
      continue;
    }
    if (s[i] === '$' && s[i + 1] === '{') {
      const end = matchingBrace(s, i + 1);
      if (end < 0) break;
      out.push(s.slice(i + 2, end).trim());
      i = end;
    }
  }
  return out;
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Replaces every `${expr}` in a value by `lookup(expr)`. A string that is exactly one expression
 * takes the looked-up value as is (it may be a list); otherwise values are interpolated as text.
 * `$${` becomes `${`. `lookup` throws TerraformInputError for what it cannot resolve.
 */
export function interpolate(value: unknown, lookup: (expr: string) => unknown): unknown {
  if (typeof value === 'string') return interpolateString(value, lookup);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, lookup));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '//') out[k] = interpolate(v, lookup);
    return out;
  }
  return value;
}

function interpolateString(s: string, lookup: (expr: string) => unknown): unknown {
  const whole = /^\$\{([^{}]*)\}$/.exec(s);
  if (whole) return lookup(whole[1]!.trim());
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$' && s[i + 2] === '{') {
      out += '${';
      i += 2;
      continue;
    }
    if (s[i] === '$' && s[i + 1] === '{') {
      const end = matchingBrace(s, i + 1);
      if (end < 0) {
        out += s.slice(i);
        break;
      }
      const v = lookup(s.slice(i + 2, end).trim());
      out += typeof v === 'string' ? v : JSON.stringify(v);
      i = end;
      continue;
    }
    out += s[i];
  }
  return out;
}
