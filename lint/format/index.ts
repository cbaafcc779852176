/** The output formats of `kmskit lint`, by name. */
import type { Rule } from '../types.js';
import type { LintRunResult } from '../run.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export { formatJson, toJsonFinding } from './json.js';
export { formatSarif } from './sarif.js';
export { formatText, summaryLine } from './text.js';

/** The output formats of `kmskit lint --format`. */
export const FORMATS = ['text', 'json', 'sarif'] as const;
/** One of `FORMATS`: "text", "json" or "sarif". */
export type FormatName = (typeof FORMATS)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

export interface FormatContext {
  rules: readonly Rule[];
  version: string;
  cwd?: string;
  colour?: boolean;
}

export function formatResult(format: FormatName, result: LintRunResult, ctx: FormatContext): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'sarif': {
      const options: Parameters<typeof formatSarif>[1] = { rules: ctx.rules, version: ctx.version, notifications: result.warnings };
      if (ctx.cwd !== undefined) options.cwd = ctx.cwd;
      return formatSarif(result, options);
    }
    case 'text':
      return formatText(result, { colour: ctx.colour ?? false });
  }
}
