/**
 * `kmskit/lint`: the key policy linter as a library. `lintDocument`, `lintFile` and `lintPaths` return
 * what `kmskit lint` reports (findings, summary, exit code); `formatReport` renders it as text, JSON or
 * SARIF. Loads neither cdktf nor the AWS SDK.
 */
export { LintInputError, formatReport, lintDocument, lintFile, lintPaths, listRules } from './api.js';
export type { DocumentLintOptions, FormatReportOptions, LintOptions, LintReport, PathLintOptions, RuleInfo } from './api.js';
export { FORMATS, formatJson, formatSarif, formatText } from './format/index.js';
export type { FormatName } from './format/index.js';
export type { JsonFinding } from './format/json.js';
export { CONFIG_FILE_NAME } from './config.js';
export type { LintConfig, RuleSetting, Suppression } from './config.js';
export type { LintRunResult, LintSummary } from './run.js';
export type { Finding, KeyConfig, PolicySource, RuleGroup, Severity } from './types.js';
