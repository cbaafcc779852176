/**
 * Turns the paths a user names into policy sources: policy files, folders (searched recursively),
 * cdktf.out (its manifest lists the stacks), a stack folder or its cdk.tf.json, and Terraform plan
 * JSON. A file that cannot be linted (too large, binary) is skipped with a warning; a path that
 * cannot be read at all is a SourceError, which the CLI reports as a usage/read error.
 */
import { closeSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import type { PolicySource } from '../lint/types.js';
import { sourcesFromTerraformJson } from './terraform/json-config.js';
import { classifyJson, looksLikePolicyText, policyFileSource } from './json-kind.js';
import { sourcesFromPlan } from './terraform/plan.js';

export { OWN_ACCOUNT_MARKER } from './terraform/expressions.js';

/** Files above this size are skipped: no key policy is near it (KMS caps them at 32 KB). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Folders never searched. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform']);

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export interface LoadOptions {
  /** Paths (as the user would name them: relative to the cwd) to leave out. */
  ignore?: (path: string) => boolean;
}

export interface LoadResult {
  sources: PolicySource[];
  warnings: string[];
  /** The files that were read and yielded at least one policy. */
  files: string[];
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return err?.message ?? String(e);
  }
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    const hint = basename(path) === 'cdktf.out' ? ' (run `cdktf synth` to create it)' : '';
    throw new SourceError(`cannot read ${path}: ${describe(e)}${hint}`);
  }
}

/** True when the first bytes hold a NUL, which no JSON text has: a binary file. */
function looksBinary(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

class Loader {
  readonly sources: PolicySource[] = [];
  readonly warnings: string[] = [];
  readonly files: string[] = [];
  private readonly seenFiles = new Set<string>();
  private readonly seenDirs = new Set<string>();

  constructor(private readonly options: LoadOptions) {}

  private ignored(path: string): boolean {
    return this.options.ignore?.(path) ?? false;
  }

  /** A named path the config ignores is left out, with a note so the user knows why. */
  ignoredExplicit(path: string): boolean {
    if (!this.ignored(path)) return false;
    this.warnings.push(`${path}: ignored by an "ignore" pattern in the config`);
    return true;
  }

  /** Reads a file as text, or returns undefined with a warning when it is not lintable text. */
  private readText(path: string, size: number): string | undefined {
    if (size > MAX_FILE_BYTES) {
      this.warnings.push(`${path}: skipped, ${(size / 1024 / 1024).toFixed(1)} MB is over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`);
      return undefined;
    }
    let buf: Buffer;
    try {
      if (looksBinary(path)) {
        this.warnings.push(`${path}: skipped, binary file`);
        return undefined;
      }
      buf = readFileSync(path);
    } catch (e) {
      throw new SourceError(`cannot read ${path}: ${describe(e)}`);
    }
    try {
      return decoder.decode(buf);
    } catch {
      this.warnings.push(`${path}: skipped, not UTF-8 text`);
      return undefined;
    }
  }

  private firstVisit(path: string): boolean {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = path;
    }
    if (this.seenFiles.has(real)) return false;
    this.seenFiles.add(real);
    return true;
  }

  /** `explicit`: the user named this file, so it is linted even when it does not look like a policy. */
  file(path: string, stats: Stats, explicit: boolean): void {
    if (!this.firstVisit(path)) return;
    const text = this.readText(path, stats.size);
    if (text === undefined) return;
    let json: unknown;
    let parsed = true;
    try {
      json = JSON.parse(text);
    } catch {
      parsed = false;
    }
    const before = this.sources.length;
    if (!parsed) {
      // Broken JSON is an invalid-json finding when it is (or is meant to be) a policy.
      if (explicit || looksLikePolicyText(text)) this.sources.push(policyFileSource(path, text));
    } else {
      const kind = classifyJson(json, basename(path));
      try {
        if (kind === 'terraform') this.collect(sourcesFromTerraformJson(path, text, json));
        else if (kind === 'plan') this.collect(sourcesFromPlan(path, text, json));
        else if (kind === 'policy' || explicit) this.sources.push(policyFileSource(path, text));
      } catch (e) {
        // A shape no reader expected (e.g. nesting deeper than the position scanner follows).
        this.warnings.push(`${path}: skipped, cannot be read as ${kind === 'plan' ? 'a Terraform plan' : 'Terraform JSON'} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    if (this.sources.length > before || (parsed && explicit)) this.files.push(path);
  }

  private collect(result: { sources: PolicySource[]; warnings: string[] }): void {
    this.sources.push(...result.sources);
    this.warnings.push(...result.warnings);
  }

  /** A cdktf.out folder: the stacks its manifest lists, in the manifest's order. */
  private cdktfOut(dir: string, manifest: Record<string, unknown>): void {
    const stacks = manifest.stacks as Record<string, { synthesizedStackPath?: unknown }>;
    for (const [name, stack] of Object.entries(stacks)) {
      const rel = typeof stack?.synthesizedStackPath === 'string' ? stack.synthesizedStackPath : join('stacks', name, 'cdk.tf.json');
      const path = join(dir, rel);
      if (this.ignored(path)) continue;
      let stats: Stats;
      try {
        stats = statSync(path);
      } catch (e) {
        this.warnings.push(`${path}: stack ${name} listed in ${join(dir, 'manifest.json')} cannot be read (${describe(e)}); skipped`);
        continue;
      }
      this.file(path, stats, true);
    }
  }

  private manifestOf(dir: string): Record<string, unknown> | undefined {
    const path = join(dir, 'manifest.json');
    try {
      const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (value !== null && typeof value === 'object' && typeof (value as { stacks?: unknown }).stacks === 'object') return value as Record<string, unknown>;
    } catch {
      // No manifest (or not cdktf's): an ordinary folder.
    }
    return undefined;
  }

  dir(path: string, explicit: boolean): void {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = path;
    }
    if (this.seenDirs.has(real)) return;
    this.seenDirs.add(real);
    const manifest = this.manifestOf(path);
    if (manifest) {
      this.cdktfOut(path, manifest);
      return;
    }
    let entries: string[];
    try {
      entries = readdirSync(path).sort();
    } catch (e) {
      if (explicit) throw new SourceError(`cannot read ${path}: ${describe(e)}`);
      this.warnings.push(`${path}: cannot be read (${describe(e)}); skipped`);
      return;
    }
    for (const name of entries) {
      const child = join(path, name);
      if (this.ignored(child)) continue;
      let stats: Stats;
      try {
        stats = statSync(child);
      } catch {
        continue; // a dangling symlink: nothing to lint
      }
      if (stats.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) this.dir(child, false);
      } else if (stats.isFile() && name.toLowerCase().endsWith('.json')) {
        this.file(child, stats, false);
      }
    }
  }
}

/**
 * Loads the policies under `paths`. Throws SourceError when a named path does not exist or cannot
 * be read; everything else that cannot be linted becomes a warning.
 */
export async function loadSources(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const loader = new Loader(options);
  for (const path of paths) {
    const stats = statOrThrow(path);
    if (loader.ignoredExplicit(path)) continue;
    if (stats.isDirectory()) loader.dir(path, true);
    else if (stats.isFile()) loader.file(path, stats, true);
    else throw new SourceError(`cannot read ${path}: not a file or folder`);
  }
  return { sources: loader.sources, warnings: loader.warnings, files: loader.files };
}
