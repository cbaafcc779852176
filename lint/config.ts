/**
 * `.kmskitrc.json`: per-rule severities, ignore globs, and suppressions that must say why. The file
 * is validated with a JSON Schema (ajv, compiled on first use so a run without a config never pays
 * for it); rule ids are checked against the registry with a did-you-mean.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { didYouMean } from './catalog.js';
import type { Finding, Severity } from './types.js';

/** The config file `kmskit lint` reads from the current folder when present. */
export const CONFIG_FILE_NAME = '.kmskitrc.json';

/** A per-rule setting: `off`, or the severity to report it at. */
export type RuleSetting = 'off' | Severity;

/** A suppression: a rule, optional selectors (file glob, resource, Sid), and the reason it is accepted. */
export interface Suppression {
  rule: string;
  file?: string;
  resource?: string;
  sid?: string;
  reason: string;
}

/** A lint config (`.kmskitrc.json`): per-rule settings, ignore globs and suppressions. */
export interface LintConfig {
  rules?: Record<string, RuleSetting>;
  ignore?: string[];
  suppressions?: Suppression[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'kmskit lint configuration (.kmskitrc.json)',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    rules: {
      type: 'object',
      additionalProperties: { enum: ['off', 'info', 'warning', 'error'] },
    },
    ignore: { type: 'array', items: { type: 'string', minLength: 1 } },
    suppressions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'reason'],
        properties: {
          rule: { type: 'string', minLength: 1 },
          file: { type: 'string', minLength: 1 },
          resource: { type: 'string', minLength: 1 },
          sid: { type: 'string' },
          reason: { type: 'string', pattern: '\\S' },
        },
      },
    },
  },
} as const;

let validator: ValidateFunction | undefined;
function validateConfig(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/** `/suppressions/0/reason` → `suppressions[0].reason`, the way a user reads their file. */
function where(pointer: string): string {
  if (pointer === '') return 'the top level';
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, t) => (/^\d+$/.test(t) ? `${acc}[${t}]` : acc === '' ? t : `${acc}.${t}`), '');
}

function describeError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  const at = where(e.instancePath);
  switch (e.keyword) {
    case 'required':
      if (params.missingProperty === 'reason') return `${at} has no "reason": every suppression must say why`;
      return `${at} is missing "${String(params.missingProperty)}"`;
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const known = e.instancePath === '' ? ['rules', 'ignore', 'suppressions'] : ['rule', 'file', 'resource', 'sid', 'reason'];
      const hint = didYouMean(extra, known);
      return `${at} has an unknown property "${extra}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
    }
    case 'enum':
      return `${at} must be one of "off", "info", "warning", "error"`;
    case 'pattern':
    case 'minLength':
      return e.instancePath.endsWith('/reason') ? `${at} is empty: every suppression must say why` : `${at} must not be empty`;
    case 'type':
      return `${at} must be ${params.type === 'object' ? 'an object' : params.type === 'array' ? 'an array' : `a ${String(params.type)}`}`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * Parses and validates config text. `knownRules` are the rule ids a config may name. Throws
 * ConfigError with one line naming `file` and the first problem.
 */
export function parseConfig(text: string, file: string, knownRules: readonly string[]): LintConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const errors = validateConfig(value);
  if (errors.length > 0) {
    // The most specific error reads best: `suppressions[0] has no "reason"` rather than a type error on a parent.
    errors.sort((a, b) => b.instancePath.length - a.instancePath.length);
    throw new ConfigError(`${file}: ${describeError(errors[0]!)}`);
  }
  const config = value as LintConfig;
  const known = new Set(knownRules);
  const checkRule = (id: string, at: string): void => {
    if (known.has(id)) return;
    const hint = didYouMean(id, knownRules);
    throw new ConfigError(`${file}: ${at} names an unknown rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
  };
  for (const id of Object.keys(config.rules ?? {})) checkRule(id, 'rules');
  (config.suppressions ?? []).forEach((s, i) => checkRule(s.rule, `suppressions[${i}].rule`));
  return config;
}

/** Reads `file`; a missing or unreadable file is a ConfigError. */
export function loadConfigFile(file: string, knownRules: readonly string[]): LintConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new ConfigError(`cannot read config ${file}: ${why}`);
  }
  return parseConfig(text, file, knownRules);
}

/**
 * The config for a run: `explicit` (from --config) must exist; otherwise `.kmskitrc.json` in `cwd`
 * is used when present, and no config at all is an empty one.
 */
export function resolveConfig(explicit: string | undefined, cwd: string, knownRules: readonly string[]): { config: LintConfig; file?: string } {
  if (explicit !== undefined) return { config: loadConfigFile(explicit, knownRules), file: explicit };
  const implicit = resolve(cwd, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(implicit, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { config: {} };
    throw new ConfigError(`cannot read config ${CONFIG_FILE_NAME}: ${(e as Error).message}`);
  }
  return { config: parseConfig(text, CONFIG_FILE_NAME, knownRules), file: CONFIG_FILE_NAME };
}

// ---------------------------------------------------------------------------------------------
// Globs
// ---------------------------------------------------------------------------------------------

const globCache = new Map<string, RegExp>();

/**
 * A gitignore-flavoured glob as a RegExp over forward-slash paths: `**` spans folders, `*` and `?`
 * stay within one, `{a,b}` alternates, `[...]` is a class. A pattern without a `/` matches a name
 * at any depth; a pattern that matches a folder matches everything under it.
 */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = g.replace(/\/$/, '').includes('/');
  g = g.replace(/\/$/, '');
  if (g.startsWith('/')) g = g.slice(1);
  let re = '';
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        i++;
        if (g[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '[') {
      const end = g.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + g.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  const out = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}(?:/.*)?$`);
  globCache.set(glob, out);
  return out;
}

/** `path` relative to `base`, with forward slashes (the form globs and SARIF URIs use). */
export function relativePath(path: string, base: string): string {
  const rel = relative(base, resolve(base, path));
  return sep === '/' ? rel : rel.split(sep).join('/');
}

export function matchesGlob(path: string, glob: string, base: string): boolean {
  return globToRegExp(glob).test(relativePath(path, base));
}

/** A value-level wildcard match (`*` anything, `?` one character), used for resource addresses. */
function wildcard(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(value);
}

/** Whether `finding` is covered by `s`: same rule, and every selector the suppression gives matches. */
export function suppresses(s: Suppression, finding: Finding, base: string): boolean {
  if (s.rule !== finding.ruleId) return false;
  if (s.file !== undefined && !matchesGlob(finding.file, s.file, base)) return false;
  if (s.resource !== undefined) {
    if (finding.resource === undefined) return false;
    // A suppression may name the bare address even when the finding carries the stack prefix.
    const bare = finding.resource.includes('/') ? finding.resource.slice(finding.resource.indexOf('/') + 1) : finding.resource;
    if (!wildcard(s.resource, finding.resource) && !wildcard(s.resource, bare)) return false;
  }
  if (s.sid !== undefined && s.sid !== finding.sid) return false;
  return true;
}
