/**
 * The demo's terminal report: aligned tables, colour on a TTY, plain text otherwise (CI logs, pipes,
 * NO_COLOR). Kept free of dependencies on purpose: a few ANSI codes are all it needs.
 */
import type { Io } from '../cli/io.js';

export type Tone = 'ok' | 'fail' | 'dim' | 'bold' | 'warn';

const ANSI: Record<Tone, [string, string]> = {
  ok: ['\x1b[32m', '\x1b[39m'],
  fail: ['\x1b[31m', '\x1b[39m'],
  warn: ['\x1b[33m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
};

// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\x1b\[[0-9;]*m/g;
const visibleLength = (s: string) => s.replace(ANSI_PATTERN, '').length;

export class Report {
  constructor(private readonly io: Io) {}

  paint(text: string, tone: Tone): string {
    if (!this.io.isTty) return text;
    const [on, off] = ANSI[tone];
    return `${on}${text}${off}`;
  }

  heading(step: string, title: string): void {
    this.io.out(`\n${this.paint(`${step}  ${title}`, 'bold')}\n`);
  }

  line(text = ''): void {
    this.io.out(`${text}\n`);
  }

  /** A check mark line: "  ✓ text   12 ms". */
  result(ok: boolean, text: string, ms?: number): void {
    const mark = ok ? this.paint(this.io.isTty ? '✓' : 'ok', 'ok') : this.paint(this.io.isTty ? '✗' : 'FAIL', 'fail');
    const time = ms === undefined ? '' : this.paint(`  ${formatMs(ms)}`, 'dim');
    this.io.out(`  ${mark} ${text}${time}\n`);
  }

  table(headers: string[], rows: string[][], indent = 2): void {
    const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
    const pad = (cells: string[]) =>
      ' '.repeat(indent) +
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visibleLength(c))))
        .join('  ')
        .trimEnd();
    this.io.out(`${this.paint(pad(headers), 'dim')}\n`);
    for (const r of rows) this.io.out(`${pad(r)}\n`);
  }
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Times an async step. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}
