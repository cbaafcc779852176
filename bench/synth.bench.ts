/**
 * `npm run synth` wall time (cdktf-cli → main.ts → cdktf.out), the figure, next to running
 * the app directly (`node --import tsx main.ts`), which shows how much of it is cdktf-cli's own
 * start-up. Each is run a few times into a scratch output directory and the median is reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `command args` in the repo RUNS times; returns the median seconds, or throws with its stderr. */
function timeRuns(command: string, args: string[], outdir: string, env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(outdir, { recursive: true, force: true });
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0 || !existsSync(join(outdir, 'stacks', 'keyring', 'cdk.tf.json'))) {
      throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    }
    times.push(seconds);
  }
  return median(times);
}

export const benchmark: Benchmark = {
  name: 'synth',
  async run(): Promise<BenchResult[]> {
    const scratch = mkdtempSync(join(tmpdir(), 'kmskit-synth-'));
    try {
      const cliOut = join(scratch, 'cli');
      // Same as `npm run synth` (cdktf synth --output ...) without npm's own start-up in the figure.
      const cli = timeRuns(process.execPath, [join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), 'synth', '--output', cliOut], cliOut, {});
      const directOut = join(scratch, 'direct');
      const direct = timeRuns(process.execPath, ['--import', 'tsx', 'main.ts'], directOut, { CDKTF_OUTDIR: directOut });
      return [
        {
          figure: 'synth: `cdktf synth` wall time, both stacks',
          value: cli,
          unit: 's',
          peer: 'node --import tsx main.ts (no cdktf-cli)',
          peerValue: direct,
          ratio: direct / cli,
          target: '≤ 5 s',
          met: cli <= 5,
          note: `median of ${RUNS}; npm adds its own start-up on top`,
        },
      ];
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
