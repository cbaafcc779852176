/**
 * One measured figure. Every benchmark module in bench/ exports `run(): Promise<BenchResult[]>`;
 * bench/run.ts calls them all in one process run and rewrites BENCHMARKS.md as one table.
 * Speed targets are ratios against a peer measured side by side in the same run, because the
 * machines are shared and noisy; absolute numbers are reported for information.
 */
export interface BenchResult {
  /** What was measured, e.g. "lint: policies per second, in-process". */
  figure: string;
  value: number;
  unit: string;
  /** The peer it is compared with, e.g. "cfn-lint 1.51", "raw node:crypto AES-256-GCM". */
  peer?: string;
  peerValue?: number;
  /** value / peerValue, oriented so that bigger is better for kmskit. */
  ratio?: number;
  /** The target from the issue, as text: "≥ 0.3× raw", "≤ 0.5 s". */
  target?: string;
  /** Whether the target held in this run (absent when there is no target). */
  met?: boolean;
  /** Anything a reader needs to read the number right. */
  note?: string;
}

export type Benchmark = { name: string; run: () => Promise<BenchResult[]> };
