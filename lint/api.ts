/**
 * The linter as a library (`kmskit/lint`): lint a policy document, a file or any mix of paths and get
 * what `kmskit lint` would report — the same findings, summary, warnings and exit code — and render it
 * in the CLI's formats. `kmskit lint` itself is a thin shell over these functions, so the two cannot
 * drift apart.
 *
 * Exit semantics, as in the CLI: `exitCode` is 1 when a finding is at or above `failOn` (default
 * `error`), else 0. Input the gate cannot read (a missing path, a bad config) is the CLI's exit 2: it
 * rejects with a `LintInputError` whose `exitCode` is 2 and whose message is the CLI's one line.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type LintConfig, ConfigError, parseConfig, resolveConfig } from './config.js';
import { type FormatName, FORMATS, formatResult } from './format/index.js';
import { rules } from './rules/index.js';
import { type LintRunResult, exitCodeFor, knownRuleIds, lintSources, runLint } from './run.js';
import { SourceError, SUPPORTED_INPUTS } from '../iac/load.js';
import { type KeyConfig, type PolicySource, type Rule, type Severity, SEVERITY_RANK } from './types.js';
import { kmskitVersion } from './version.js';

/** Options shared by `lintDocument`, `lintFile` and `lintPaths`. */
export interface LintOptions {
  /**
   * Rule settings, ignore globs and suppressions: a config object, or the path of a config file.
   * @default `.kmskitrc.json` in `cwd` when it exists, as `kmskit lint` does
   */
  config?: LintConfig | string;
  /** Base for relative paths, config globs and the default config file. @default process.cwd() */
  cwd?: string;
  /** `exitCode` is 1 when a finding is at or above this severity. @default "error" */
  failOn?: Severity;
}

/** Options of `lintPaths` and `lintFile`: how infrastructure code is read (iac/). */
export interface PathLintOptions extends LintOptions {
  /** The deployment account, as `--account`. @default the provider's allowed_account_ids, else "this account, id unknown" */
  account?: string;
  /** Largest input file read, in bytes; a larger one is an `unreadable-input` finding. @default 20 MiB */
  maxFileBytes?: number;
  /** How the size-limit message says to raise the limit. @default "raise it with the maxFileBytes option" */
  raiseHint?: (neededMb: number) => string;
}

/** Options of `lintDocument`: where the document came from, for findings and suppressions. */
export interface DocumentLintOptions extends LintOptions {
  /** The name findings carry as their `file`. @default "policy.json" */
  file?: string;
  /** The account the key lives in, for the own-account and cross-account rules. @default unknown */
  ownAccount?: string;
  /** The key's settings, for the key-configuration rules. @default none (those rules stay silent) */
  key?: KeyConfig;
}

/** What one lint run found, and the exit code `kmskit lint` would end with. */
export interface LintReport extends LintRunResult {
  /** 1 when a finding is at or above `failOn`, else 0 (unreadable input rejects with LintInputError). */
  exitCode: 0 | 1;
}

/** Options of `formatReport`. */
export interface FormatReportOptions {
  /** Base for the relative file paths SARIF reports. @default process.cwd() */
  cwd?: string;
  /** ANSI colours in the text format. @default false */
  colour?: boolean;
}

/** Input the linter cannot read (missing path, unreadable file, bad config or option): `kmskit lint` exits 2. */
export class LintInputError extends Error {
  /** The exit code `kmskit lint` ends with for this error. */
  readonly exitCode = 2 as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LintInputError';
  }
}

const SEVERITIES = Object.keys(SEVERITY_RANK) as Severity[];

function failOnOf(options: LintOptions): Severity {
  const failOn = options.failOn ?? 'error';
  if (!SEVERITIES.includes(failOn)) throw new LintInputError(`failOn must be one of error, warning, info; got ${JSON.stringify(failOn)}`);
  return failOn;
}

function configOf(options: LintOptions, cwd: string): LintConfig {
  try {
    const given = options.config;
    if (typeof given === 'object' && given !== null) return parseConfig(JSON.stringify(given), 'the config option', knownRuleIds());
    return resolveConfig(given, cwd, knownRuleIds()).config;
  } catch (e) {
    if (e instanceof ConfigError) throw new LintInputError(e.message, { cause: e });
    throw e;
  }
}

/** Lints whatever `kmskit lint <paths...>` reads: policy JSON, Terraform (HCL, JSON, plan, state), CloudFormation, cdk.out. */
export async function lintPaths(paths: readonly string[], options: PathLintOptions = {}): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const failOn = failOnOf(options);
  const config = configOf(options, cwd);
  if (paths.length === 0) throw new LintInputError('no paths to lint');
  let result: LintRunResult;
  try {
    result = await runLint([...paths], {
      config,
      cwd,
      ...(options.account !== undefined ? { account: options.account } : {}),
      ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
      raiseHint: options.raiseHint ?? ((mb) => `raise it with the maxFileBytes option (${mb} MB)`),
    });
  } catch (e) {
    if (e instanceof SourceError) throw new LintInputError(e.message, { cause: e });
    throw e;
  }
  // Passing on nothing is how a CI job silently stops checking (a wrong path, an empty cdktf.out).
  if (result.noInput) throw new LintInputError(`no supported input in ${paths.join(', ')} (kmskit reads ${SUPPORTED_INPUTS})`);
  return { ...result, exitCode: exitCodeFor(result.findings, failOn) };
}

/** Lints one file (a policy JSON file, a cdk.tf.json, a plan, ...); a folder or a missing file is a LintInputError. */
export async function lintFile(file: string, options: PathLintOptions = {}): Promise<LintReport> {
  const info = await stat(resolve(options.cwd ?? process.cwd(), file)).catch(() => undefined);
  if (info === undefined) throw new LintInputError(`${file}: no such file`);
  if (!info.isFile()) throw new LintInputError(`${file}: not a file (use lintPaths for folders)`);
  return lintPaths([file], options);
}

/** Lints one key policy given as JSON text or as a value; never touches the file system except for the default config file. */
export function lintDocument(document: string | object, options: DocumentLintOptions = {}): LintReport {
  const cwd = options.cwd ?? process.cwd();
  const failOn = failOnOf(options);
  const config = configOf(options, cwd);
  const source: PolicySource = { file: options.file ?? 'policy.json', ...(typeof document === 'string' ? { text: document } : { value: document }) };
  if (options.ownAccount !== undefined) source.ownAccount = options.ownAccount;
  if (options.key !== undefined) source.key = options.key;
  const result = lintSources([source], { config, cwd });
  return { ...result, summary: { ...result.summary, filesScanned: 0 }, warnings: [], sources: [source], noInput: false, exitCode: exitCodeFor(result.findings, failOn) };
}

/** Renders a report as `kmskit lint --format <format>` prints it: "text", "json" or "sarif" (SARIF 2.1.0). */
export function formatReport(report: LintRunResult, format: FormatName = 'text', options: FormatReportOptions = {}): string {
  if (!(FORMATS as readonly string[]).includes(format)) throw new LintInputError(`format must be one of ${FORMATS.join(', ')}; got ${JSON.stringify(format)}`);
  return formatResult(format, report, {
    rules: Object.values(rules),
    version: kmskitVersion(),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.colour !== undefined ? { colour: options.colour } : {}),
  });
}

/** One lint rule as documentation: id, default severity, group, summary and rationale. */
export type RuleInfo = Pick<Rule, 'id' | 'severity' | 'group' | 'docs'>;

/** Every rule the linter runs, in the registry's order (the order of lint/RULES.md). */
export function listRules(): RuleInfo[] {
  return Object.values(rules).map(({ id, severity, group, docs }) => ({ id, severity, group, docs: { ...docs } }));
}
