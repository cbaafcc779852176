/**
 * Paths → the neutral model. The one entry point of iac/: `kmskit lint`, `explain` and `apply` call
 * `readInputs`.
 *
 * What a path is, is decided by content, not only by its name: a folder is searched recursively
 * (a folder of `.tf` files is one Terraform module; a `cdktf.out` or `cdk.out` folder is read through
 * its manifest); a JSON file is a policy, a Terraform JSON configuration, a plan, a state, a
 * CloudFormation template or a manifest; a YAML file is a CloudFormation template. A file that
 * cannot be read, decoded or parsed is an input problem at its line and column (never a silent
 * skip); an explicitly named file of no supported kind is a SourceError naming the kinds read.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { type OwnAccount, resolveOwnAccount } from './account.js';
import { isTemplate, readTemplate } from './cloudformation/template.js';
import { readJson } from './json.js';
import type { IacModel, IacUnit, IacValue, InputKind, InputProblem } from './model.js';
import { LineIndex } from './positions.js';
import { readModule, type ModuleFile } from './terraform/config.js';
import { hclParserLoaded, loadHclParser, readHclFile, readTemplateString, templateNeedsParser } from './terraform/hcl.js';
import { readState } from './terraform/state.js';
import { literalString, member } from './values.js';

/** The default limit on one input file. A key policy is at most 32 KB; plans and states can be large. */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Folders never searched: dependencies and tool caches. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform', '.terragrunt-cache']);

/** What kmskit reads, for messages. */
export const SUPPORTED_INPUTS =
  'key policy JSON, Terraform (.tf, .tf.json, cdktf.out, cdk.tf.json, plan or state JSON, terraform.tfstate), CloudFormation templates (JSON or YAML), cdk.out';

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export interface ReadOptions {
  /** Paths (as the user named them) to leave out. */
  ignore?: (path: string) => boolean;
  /** `--account`: the deployment account. */
  account?: string;
  /** Largest input file read, in bytes (default DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes?: number;
  /** How the CLI tells users to raise the limit, for the message. */
  raiseHint?: (neededMb: number) => string;
}

export interface ReadResult extends IacModel {
  /** Named paths left out by an ignore pattern, and similar remarks. */
  warnings: string[];
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

const decoder = new TextDecoder('utf-8', { fatal: true });
const MB = 1024 * 1024;

/** Terraform folder and file names read as HCL; CloudFormation/YAML extensions. */
const TF = /\.tf$/i;
const TF_JSON = /\.tf\.json$/i;
const YAML = /\.(ya?ml|template)$/i;
const JSON_NAME = /\.(json|tfstate)$/i;

/** A first look at text that is not JSON: does it look like an input a user meant us to read? */
const LOOKS_LIKE_INPUT = /"Statement"\s*:|"AWSTemplateFormatVersion"|"Resources"\s*:|"format_version"|"terraform_version"|"resource"\s*:/;

type Read = { text: string } | { problem: string };

class Loader {
  readonly units: IacUnit[] = [];
  readonly problems: InputProblem[] = [];
  readonly notes: string[] = [];
  readonly warnings: string[] = [];
  readonly files: string[] = [];
  private readonly seenFiles = new Set<string>();
  private readonly seenDirs = new Set<string>();
  private readonly maxBytes: number;
  /** .tf files by folder: each folder is one module, read once every path is walked. */
  private readonly modules = new Map<string, string[]>();

  constructor(private readonly options: ReadOptions) {
    this.maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  private ignored(path: string): boolean {
    return this.options.ignore?.(path) ?? false;
  }

  ignoredExplicit(path: string): boolean {
    if (!this.ignored(path)) return false;
    this.warnings.push(`${path}: ignored by an "ignore" pattern in the config`);
    return true;
  }

  private problem(file: string, message: string, code: InputProblem['code'] = 'unreadable-input', line = 1, column = 1): void {
    this.problems.push({ code, message, at: { file, line, column } });
  }

  private tooLarge(path: string, size: number): string {
    const need = Math.ceil(size / MB);
    const hint = this.options.raiseHint?.(need) ?? `raise it with maxFileBytes`;
    return `${path}: ${(size / MB).toFixed(1)} MB is over the ${(this.maxBytes / MB).toFixed(0)} MB limit for one input file; ${hint}`;
  }

  /** Reads a file as UTF-8 text, or says why it cannot be. `peek`: for a walk, read only the head of an oversize file. */
  read(path: string, size?: number): Read {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      return { problem: `${path}: cannot be read: ${describe(e)}` };
    }
    try {
      const bytes = size ?? fstatSync(fd).size;
      if (bytes > this.maxBytes) return { problem: this.tooLarge(path, bytes) };
      const buf = Buffer.allocUnsafe(bytes);
      let n = 0;
      while (n < bytes) {
        const got = readSync(fd, buf, n, bytes - n, n);
        if (got === 0) break;
        n += got;
      }
      const data = buf.subarray(0, n);
      if (data.indexOf(0) >= 0) return { problem: `${path}: is a binary file, not text` };
      try {
        return { text: decoder.decode(data) };
      } catch {
        return { problem: `${path}: is not UTF-8 text` };
      }
    } catch (e) {
      return { problem: `${path}: cannot be read: ${describe(e)}` };
    } finally {
      closeSync(fd);
    }
  }

  /** The first bytes of a file, to decide whether an unreadable file in a folder is an input at all. */
  private head(path: string): string {
    try {
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.alloc(65536);
        const n = readSync(fd, buf, 0, buf.length, 0);
        return buf.subarray(0, n).toString('latin1');
      } finally {
        closeSync(fd);
      }
    } catch {
      return '';
    }
  }

  private firstVisit(path: string): boolean {
    const key = resolve(path);
    if (this.seenFiles.has(key)) return false;
    this.seenFiles.add(key);
    // A link to a file already read is the same input.
    let real = key;
    try {
      real = realpathSync(path);
    } catch {
      // dangling: reported when read
    }
    if (real !== key) {
      if (this.seenFiles.has(real)) return false;
      this.seenFiles.add(real);
    }
    return true;
  }

  /** `explicit`: the user named the file, so a file of no supported kind is an error. */
  file(path: string, stats: Stats | undefined, explicit: boolean): void {
    if (!this.firstVisit(path)) return;
    if (TF.test(path) || TF_JSON.test(path)) {
      const dir = dirname(path);
      const list = this.modules.get(dir) ?? [];
      list.push(path);
      this.modules.set(dir, list);
      return;
    }
    const isJsonName = JSON_NAME.test(path);
    const isYamlName = YAML.test(path);
    if (!explicit && !isJsonName && !isYamlName) return;
    const read = this.read(path, stats?.size);
    if ('problem' in read) {
      // In a folder, only a file that looks like an input is worth a problem (a large lock file is not).
      if (explicit || LOOKS_LIKE_INPUT.test(this.head(path)) || /AWS::|terraform/i.test(this.head(path).slice(0, 4096))) this.problem(path, read.problem);
      return;
    }
    const before = this.units.length + this.problems.length;
    const known = this.text(path, read.text, explicit, isYamlName);
    if (known) {
      if (this.units.length + this.problems.length > before) this.files.push(path);
      return;
    }
    if (explicit) throw unsupported(path);
  }

  /** Reads one file's text by its content. False when it is no input kmskit reads. */
  private text(path: string, text: string, explicit: boolean, yamlName: boolean): boolean {
    const trimmed = text.trimStart();
    const jsonLike = trimmed.startsWith('{') || trimmed.startsWith('[');
    if (jsonLike || JSON_NAME.test(path)) {
      let json: unknown;
      let valid = true;
      try {
        json = JSON.parse(text);
      } catch {
        valid = false;
      }
      if (valid) return this.json(path, text, json, explicit);
      if (jsonLike || !yamlName) return this.brokenJson(path, text, explicit);
    }
    if (yamlName || explicit) {
      // YAML is read once its parser is loaded (see finish()).
      this.yamlPending.push({ path, text, explicit });
      return true;
    }
    return false;
  }

  private readonly yamlPending: Array<{ path: string; text: string; explicit: boolean }> = [];

  private json(path: string, text: string, json: unknown, explicit: boolean): boolean {
    const kind = classifyJson(json, basename(path));
    switch (kind) {
      case 'policy':
        this.policyFile(path, text, true);
        return true;
      case 'terraform-json':
        this.terraformJson(path, text, basename(dirname(path)), kind, undefined, json);
        return true;
      case 'terraform-plan':
      case 'terraform-state': {
        const value = readJson(text, path).value;
        if (!value) return false;
        const read = readState(value, path, kind, this.accountOption());
        this.units.push(read.unit);
        this.notes.push(...read.notes);
        return true;
      }
      case 'cloudformation':
        this.template(path, readJson(text, path).value!, basename(path).replace(/\.(template\.json|json|ya?ml|template)$/i, ''), 'cloudformation');
        return true;
      case 'cdktf-manifest':
        this.cdktfOut(dirname(path), json as Record<string, unknown>);
        return true;
      case 'cdk-manifest':
        this.cdkOut(dirname(path), json as Record<string, unknown>);
        return true;
      default:
        // An explicitly named JSON file of no known kind is linted as a policy: the user said it is one.
        if (explicit && JSON_NAME.test(path)) {
          this.policyFile(path, text, true);
          return true;
        }
        return false;
    }
  }

  /**
   * Almost-JSON: the document is reported where it breaks, and read by the tolerant parse, so an
   * exposure in it is still found. Only a file that is (or was meant to be) an input counts.
   */
  private brokenJson(path: string, text: string, explicit: boolean): boolean {
    const read = readJson(text, path);
    const plain = read.value ? plainValue(read.value) : undefined;
    const kind = plain === undefined ? 'other' : classifyJson(plain, basename(path));
    if (kind === 'policy' || ((explicit || /"Statement"\s*:/.test(text)) && kind === 'other')) {
      this.policyFile(path, text);
      return true;
    }
    if (kind === 'other') return false;
    const first = read.errors[0];
    this.problems.push({ code: 'parse-error', message: `${path}: invalid JSON: ${first?.message ?? 'malformed'}`, at: first?.at ?? { file: path, line: 1, column: 1 } });
    if (kind === 'terraform-json') this.terraformJson(path, text, basename(dirname(path)), kind);
    else if (kind === 'cloudformation' && read.value) this.template(path, read.value, basename(path).replace(/\.[^.]+$/, ''), 'cloudformation');
    else if ((kind === 'terraform-plan' || kind === 'terraform-state') && read.value) {
      const state = readState(read.value, path, kind, this.accountOption());
      this.units.push(state.unit);
      this.notes.push(...state.notes);
    }
    return true;
  }

  private yaml(path: string, text: string, explicit: boolean, readYaml: typeof import('./cloudformation/yaml.js').readYaml): boolean {
    const read = readYaml(text, path);
    const plain = read.value ? plainValue(read.value) : undefined;
    if (plain !== undefined && isTemplate(plain)) {
      this.problems.push(...read.problems);
      this.template(path, read.value!, basename(path).replace(/\.(ya?ml|template)$/i, ''), 'cloudformation');
      return true;
    }
    // A broken YAML file that mentions CloudFormation types was meant to be a template.
    if (read.problems.length > 0 && (explicit || /AWSTemplateFormatVersion|AWS::KMS::/.test(text))) {
      this.problems.push(...read.problems);
      return true;
    }
    return false;
  }

  private accountOption(): { account?: string } {
    return this.options.account !== undefined ? { account: this.options.account } : {};
  }

  private policyFile(path: string, text: string, validJson = false): void {
    const account = resolveOwnAccount(this.accountOption().account !== undefined ? { flag: this.options.account! } : {});
    const at = { file: path, line: 1, column: 1 };
    this.units.push({
      input: 'policy',
      file: path,
      name: path,
      account,
      otherResources: {},
      resources: [{ kind: 'policy', sourceType: 'policy', address: path, file: path, at, input: 'policy', account, attributes: {}, policy: { form: 'text', value: { kind: 'literal', value: text, at, verbatim: true }, file: path, ...(validJson ? { validJson } : {}) } }],
    });
  }

  /** Terraform JSON strings are templates, read with the HCL parser: read once it is loaded. */
  private readonly pending: Array<() => void> = [];

  private terraformJson(path: string, text: string, name: string, input: InputKind, stack?: string, parsed?: unknown): void {
    // The parser costs start-up time: only a string with an expression beyond a reference waits for it.
    if (!hclParserLoaded() && (parsed === undefined || someString(parsed, templateNeedsParser))) {
      this.pending.push(() => this.terraformJson(path, text, name, input, stack));
      return;
    }
    const index = new LineIndex(path, text);
    const read = readJson(text, path, readTemplateString, index);
    if (!read.value) return;
    const meta = member(member(read.value, '//'), 'metadata');
    const stackName = stack ?? literalString(member(meta, 'stackName'));
    this.module([{ file: path, config: read.value as ModuleFile['config'] }], dirname(path), stackName ?? name, input, stackName);
  }

  private module(files: ModuleFile[], dir: string, name: string, input: InputKind, stack?: string): void {
    const result = readModule(files, {
      input,
      name,
      dir,
      ...this.accountOption(),
      ...(stack !== undefined ? { stack } : {}),
      readFile: (p) => {
        const r = this.read(p);
        return 'problem' in r ? { error: r.problem.replace(`${p}: `, '').replace(/^cannot be read: /, 'cannot be read: ') } : r;
      },
    });
    this.units.push(result.unit);
    this.problems.push(...result.problems);
    this.notes.push(...result.notes);
  }

  private template(path: string, value: IacValue, stack: string, input: InputKind, account?: OwnAccount, region?: string): void {
    this.units.push(
      readTemplate(value, {
        file: path,
        input,
        stack,
        account: account ?? resolveOwnAccount(this.accountOption().account !== undefined ? { flag: this.options.account! } : {}),
        ...(region !== undefined ? { region } : {}),
      }),
    );
  }

  /** A cdktf.out folder: the stacks its manifest lists, in the manifest's order. */
  private cdktfOut(dir: string, manifest: Record<string, unknown>): void {
    const stacks = manifest.stacks as Record<string, { synthesizedStackPath?: unknown; name?: unknown }>;
    for (const [name, stack] of Object.entries(stacks)) {
      const rel = typeof stack?.synthesizedStackPath === 'string' ? stack.synthesizedStackPath : join('stacks', name, 'cdk.tf.json');
      const path = join(dir, rel);
      if (this.ignored(path) || !this.firstVisit(path)) continue;
      const read = this.read(path);
      if ('problem' in read) {
        this.problem(path, `${read.problem} (stack ${name} of ${join(dir, 'manifest.json')})`);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(read.text);
      } catch (e) {
        const r = readJson(read.text, path);
        this.problems.push({ code: 'parse-error', message: `${path}: invalid JSON: ${r.errors[0]?.message ?? (e as Error).message}`, at: r.errors[0]?.at ?? { file: path, line: 1, column: 1 } });
      }
      this.terraformJson(path, read.text, name, 'cdktf-out', typeof stack?.name === 'string' ? stack.name : name, parsed);
      this.files.push(path);
    }
  }

  /** A cdk.out folder: its manifest's CloudFormation stacks, with their environments' accounts. */
  private cdkOut(dir: string, manifest: Record<string, unknown>): void {
    const artifacts = manifest.artifacts as Record<string, { type?: unknown; environment?: unknown; properties?: { templateFile?: unknown; stackName?: unknown } }>;
    for (const [id, artifact] of Object.entries(artifacts)) {
      if (artifact?.type !== 'aws:cloudformation:stack' || typeof artifact.properties?.templateFile !== 'string') continue;
      const path = join(dir, artifact.properties.templateFile);
      if (this.ignored(path) || !this.firstVisit(path)) continue;
      const read = this.read(path);
      if ('problem' in read) {
        this.problem(path, `${read.problem} (stack ${id} of ${join(dir, 'manifest.json')})`);
        continue;
      }
      const env = typeof artifact.environment === 'string' ? /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment) : null;
      const account = resolveOwnAccount({ ...(this.options.account !== undefined ? { flag: this.options.account } : {}), ...(env?.[1] ? { environment: env[1] } : {}) });
      const region = env?.[2] && !env[2].startsWith('unknown') ? env[2] : undefined;
      const parsed = readJson(read.text, path);
      if (parsed.errors.length > 0) this.problems.push({ code: 'parse-error', message: `${path}: invalid JSON: ${parsed.errors[0]!.message}`, at: parsed.errors[0]!.at });
      if (!parsed.value) continue;
      const stackName = typeof artifact.properties.stackName === 'string' ? artifact.properties.stackName : id;
      this.template(path, parsed.value, stackName, 'cdk-out', account, region);
      this.files.push(path);
    }
  }

  private manifestOf(dir: string): Record<string, unknown> | undefined {
    const path = join(dir, 'manifest.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const value = JSON.parse(text) as unknown;
      const kind = classifyJson(value, 'manifest.json');
      if (kind === 'cdktf-manifest' || kind === 'cdk-manifest') return value as Record<string, unknown>;
    } catch {
      // An unreadable manifest: the folder is searched like any other.
    }
    return undefined;
  }

  dir(path: string, explicit: boolean): void {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = resolve(path);
    }
    if (this.seenDirs.has(real)) return;
    this.seenDirs.add(real);
    const manifest = this.manifestOf(path);
    if (manifest) {
      this.firstVisit(join(path, 'manifest.json'));
      if (classifyJson(manifest, 'manifest.json') === 'cdktf-manifest') this.cdktfOut(path, manifest);
      else this.cdkOut(path, manifest);
      return;
    }
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      if (explicit) throw new SourceError(`cannot read ${path}: ${describe(e)}`);
      this.problem(path, `${path}: folder cannot be read: ${describe(e)}`);
      return;
    }
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (this.ignored(child)) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const s = statSync(child);
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch {
          continue; // a dangling link: nothing to read
        }
      }
      if (isDir) {
        if (!SKIPPED_DIRS.has(entry.name)) this.dir(child, false);
      } else if (isFile && (TF.test(entry.name) || JSON_NAME.test(entry.name) || YAML.test(entry.name))) {
        this.file(child, undefined, false);
      }
    }
  }

  /** Reads the .tf modules collected while walking (after every path, so a folder's files form one module). */
  async finish(): Promise<void> {
    if (this.yamlPending.length > 0) {
      const { readYaml } = await import('./cloudformation/yaml.js');
      for (const { path, text, explicit } of this.yamlPending.splice(0)) {
        const before = this.units.length + this.problems.length;
        if (this.yaml(path, text, explicit, readYaml)) {
          if (this.units.length + this.problems.length > before) this.files.push(path);
        } else if (explicit) throw unsupported(path);
      }
    }
    if (this.modules.size === 0 && this.pending.length === 0) return;
    await loadHclParser();
    for (const read of this.pending.splice(0)) read();
    for (const [dir, paths] of this.modules) {
      // A folder's .tf and .tf.json files are one module, as Terraform reads them.
      const files: ModuleFile[] = [];
      let stack: string | undefined;
      for (const path of paths.sort()) {
        const read = this.read(path);
        if ('problem' in read) {
          this.problem(path, read.problem);
          continue;
        }
        if (TF_JSON.test(path)) {
          const parsed = readJson(read.text, path, readTemplateString);
          if (parsed.errors.length > 0) this.problems.push({ code: 'parse-error', message: `${path}: invalid JSON: ${parsed.errors[0]!.message}`, at: parsed.errors[0]!.at });
          if (!parsed.value || parsed.value.kind !== 'object') continue;
          stack ??= literalString(member(member(member(parsed.value, '//'), 'metadata'), 'stackName'));
          files.push({ file: path, config: parsed.value });
        } else {
          const parsed = readHclFile(read.text, path);
          this.problems.push(...parsed.problems);
          files.push({ file: path, config: parsed.config });
        }
        this.files.push(path);
      }
      const hcl = paths.some((p) => TF.test(p));
      // A module is known by its folder relative to where kmskit runs (apply's address tags use it).
      const name = stack ?? (hcl ? relative(process.cwd(), resolve(dir)) || basename(resolve(dir)) : basename(dir));
      if (files.length > 0) this.module(files, dir, name, hcl ? 'terraform-hcl' : 'terraform-json', stack);
    }
  }
}

export type JsonKind = 'policy' | 'terraform-json' | 'terraform-plan' | 'terraform-state' | 'cloudformation' | 'cdktf-manifest' | 'cdk-manifest' | 'other';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** What a parsed JSON document is, by its content (and for `*.tf.json`, its name). */
export function classifyJson(value: unknown, fileName: string): JsonKind {
  if (!isObject(value)) return 'other';
  if ('Statement' in value) return 'policy';
  if (typeof value.format_version === 'string') {
    if (isObject(value.planned_values) || isObject(value.resource_changes) || isObject(value.prior_state)) return 'terraform-plan';
    if (isObject(value.values)) return 'terraform-state';
    if (Array.isArray(value.resource_changes)) return 'terraform-plan';
  }
  if (typeof value.version === 'number' && typeof value.terraform_version === 'string' && Array.isArray(value.resources)) return 'terraform-state';
  if (isTemplate(value)) return 'cloudformation';
  if (fileName === 'manifest.json' && isObject(value.stacks) && typeof value.version === 'string') return 'cdktf-manifest';
  if (fileName === 'manifest.json' && isObject(value.artifacts)) return 'cdk-manifest';
  if (fileName.toLowerCase().endsWith('.tf.json')) return 'terraform-json';
  if (isObject(value.resource) || isObject(value.data)) {
    // cdktf marks its output with a "//" metadata block; a bare resource/data map is Terraform JSON too.
    if (isObject(value['//']) || isObject(value.terraform) || isObject(value.provider) || isObject(value.resource)) return 'terraform-json';
  }
  return 'other';
}

/** An IacValue as plain JSON (for classifying recovered documents); unknowns become null. */
function plainValue(v: IacValue): unknown {
  switch (v.kind) {
    case 'literal':
      return v.value;
    case 'object':
      return Object.fromEntries(v.members.map((m) => [m.key, plainValue(m.value)]));
    case 'tuple':
      return v.items.map(plainValue);
    default:
      return null;
  }
}

/** True when some string in a parsed JSON value satisfies `test`. */
function someString(v: unknown, test: (s: string) => boolean): boolean {
  if (typeof v === 'string') return test(v);
  if (Array.isArray(v)) return v.some((x) => someString(x, test));
  if (v !== null && typeof v === 'object') return Object.values(v).some((x) => someString(x, test));
  return false;
}

function unsupported(path: string): SourceError {
  return new SourceError(`${path}: not a supported input (kmskit reads ${SUPPORTED_INPUTS})`);
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    const hint = basename(path) === 'cdktf.out' ? ' (run `cdktf synth` to create it)' : basename(path) === 'cdk.out' ? ' (run `cdk synth` to create it)' : '';
    throw new SourceError(`cannot read ${path}: ${describe(e)}${hint}`);
  }
}

/**
 * Reads everything under `paths`. Throws SourceError when a named path does not exist, cannot be
 * read, or is a file of no supported kind; every other problem is in `problems`.
 */
export async function readInputs(paths: string[], options: ReadOptions = {}): Promise<ReadResult> {
  const loader = new Loader(options);
  for (const path of paths) {
    const stats = statOrThrow(path);
    if (loader.ignoredExplicit(path)) continue;
    if (stats.isDirectory()) loader.dir(path, true);
    else if (stats.isFile()) loader.file(path, stats, true);
    else throw new SourceError(`cannot read ${path}: not a file or folder`);
  }
  await loader.finish();
  return { units: loader.units, problems: loader.problems, files: loader.files, notes: loader.notes, warnings: loader.warnings };
}

