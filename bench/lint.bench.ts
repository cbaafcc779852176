/**
 * The linter's figures from issue 3, measured in one run:
 * - policies per second in-process (sources already loaded → engine → config), target ≥ 10,000/s;
 * - `kmskit lint cdktf.out --format json` cold start (a fresh node process), target ≤ 0.5 s;
 * - the same documents wrapped as CloudFormation `AWS::KMS::Key` templates (KeyPolicy) through
 *   cfn-lint, next to `kmskit lint` on the same documents as policy files: both as CLI runs over a
 *   folder, so the ratio compares like with like (process start-up included on both sides).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './types.js';
import { lintSources } from '../lint/run.js';
import { readInputs } from '../iac/load.js';
import { policySources } from '../lint/documents.js';
import type { PolicySource } from '../lint/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_RUNS = 7;
const CFN_DOCUMENTS = 2000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Wall seconds of one run, and its CPU seconds (user + system, from /usr/bin/time when present: the
 * machines are shared, and CPU time is what a busy neighbour does not inflate). Throws when the
 * command fails for a reason other than findings.
 */
function run(command: string, args: string[], okCodes: number[]): { wall: number; cpu?: number } {
  const timed = TIME !== undefined;
  const [cmd, argv] = timed ? [TIME, ['-f', 'kmskit-bench-cpu %U %S', command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status ?? -1)) throw new Error(`${command} ${args.slice(0, 3).join(' ')} … exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`);
  const m = /kmskit-bench-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return m ? { wall, cpu: Number(m[1]) + Number(m[2]) } : { wall };
}

function timeOnce(command: string, args: string[], okCodes: number[]): number {
  return run(command, args, okCodes).wall;
}

/** The documents the figures are measured on: the project's reference policies and the lint fixtures. */
async function corpus(): Promise<PolicySource[]> {
  const paths = [join(ROOT, 'policies/examples'), join(ROOT, 'test/fixtures/lint/policies'), join(ROOT, 'test/fixtures/lint/synth'), join(ROOT, 'test/fixtures/lint/plan.json')].filter((p) => existsSync(p));
  if (existsSync(join(ROOT, 'cdktf.out'))) paths.push(join(ROOT, 'cdktf.out'));
  const model = await readInputs(paths);
  return policySources(model.units.flatMap((u) => u.resources));
}

function policyValue(s: PolicySource): unknown {
  if (s.value !== undefined) return s.value;
  try {
    return JSON.parse(s.text ?? '');
  } catch {
    return undefined;
  }
}

/** Builds dist/ when it is missing, so the CLI figures measure the current code. */
function ensureBuilt(): string | undefined {
  if (existsSync(join(ROOT, 'dist/lint/run.js')) && existsSync(join(ROOT, 'dist/cli/lint.js'))) return undefined;
  timeOnce(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], [0]);
  return 'built dist/ first';
}

/** cdktf.out, synthesized when absent; undefined (with why) when it cannot be. */
function ensureSynth(): { ok: boolean; note?: string } {
  if (existsSync(join(ROOT, 'cdktf.out/manifest.json'))) return { ok: true };
  try {
    timeOnce(process.execPath, [join(ROOT, 'node_modules/cdktf-cli/bundle/bin/cdktf'), 'synth', '--output', 'cdktf.out'], [0]);
    return { ok: existsSync(join(ROOT, 'cdktf.out/manifest.json')), note: 'ran `cdktf synth` first' };
  } catch (e) {
    return { ok: false, note: `cdktf.out is absent and synth failed: ${(e as Error).message}` };
  }
}

export const benchmark: Benchmark = {
  name: 'lint',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    const sources = await corpus();

    // 1. In-process throughput: warm up, then lint the corpus over and over for about two seconds.
    // The warm-up is by time: the optimizing compiler works on background threads whose CPU time
    // counts, and 20 passes left most of it inside the measured window (a one-time cost the CLI
    // cold-start figure below already shows).
    const warmUntil = process.hrtime.bigint() + 1_500_000_000n;
    for (let i = 0; i < 20 || process.hrtime.bigint() < warmUntil; i++) lintSources(sources);
    let linted = 0;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < 2) {
      linted += lintSources(sources).summary.policiesScanned;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    }
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const perCpuSecond = linted / cpuSeconds;
    results.push({
      figure: 'lint: policies per CPU second, in-process',
      value: perCpuSecond,
      unit: 'policies/s',
      target: '≥ 10,000/s',
      met: perCpuSecond >= 10_000,
      note: `${Math.round(linted / elapsed).toLocaleString('en-US')}/s by wall clock on the shared machine; ${sources.length} documents (policies/examples, lint fixtures${existsSync(join(ROOT, 'cdktf.out')) ? ', cdktf.out' : ''}) linted ${Math.round(linted / sources.length)} times, one thread`,
    });

    const built = ensureBuilt();
    const bin = join(ROOT, 'bin/kmskit.js');

    // 2. Cold start on this repo's cdktf.out.
    const synth = ensureSynth();
    if (synth.ok) {
      run(process.execPath, [bin, 'lint', 'cdktf.out', '--format', 'json'], [0, 1]);
      const runs = Array.from({ length: CLI_RUNS }, () => run(process.execPath, [bin, 'lint', 'cdktf.out', '--format', 'json'], [0, 1]));
      const cold = median(runs.map((r) => r.wall));
      const cpuTimes = runs.map((r) => r.cpu).filter((c): c is number => c !== undefined);
      results.push({
        figure: 'lint: CLI cold start, `kmskit lint cdktf.out --format json`',
        value: cold,
        unit: 's',
        target: '≤ 0.5 s',
        met: cold <= 0.5,
        note: [`wall time, median of ${CLI_RUNS} fresh node processes`, cpuTimes.length > 0 ? `CPU time (user+sys) median ${median(cpuTimes).toFixed(2)} s` : undefined, built, synth.note].filter(Boolean).join('; '),
      });
    } else {
      results.push({ figure: 'lint: CLI cold start, `kmskit lint cdktf.out --format json`', value: Number.NaN, unit: 's', target: '≤ 0.5 s', note: `skipped: ${synth.note}` });
    }

    // 3. cfn-lint on the same documents as CloudFormation templates, kmskit on them as policy files.
    const docs = sources.map(policyValue).filter((v): v is object => v !== null && typeof v === 'object');
    const scratch = mkdtempSync(join(tmpdir(), 'kmskit-bench-lint-'));
    try {
      const cfnDir = join(scratch, 'cfn');
      const kmsDir = join(scratch, 'policies');
      mkdirSync(cfnDir);
      mkdirSync(kmsDir);
      for (let i = 0; i < CFN_DOCUMENTS; i++) {
        const doc = docs[i % docs.length]!;
        const template = { AWSTemplateFormatVersion: '2010-09-09', Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: doc } } } };
        writeFileSync(join(cfnDir, `key-${i}.json`), JSON.stringify(template, null, 2));
        writeFileSync(join(kmsDir, `key-${i}.json`), JSON.stringify(doc, null, 2));
      }
      const cfnFiles = readdirSync(cfnDir).map((n) => join(cfnDir, n));
      const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
      if (version.error || version.status !== 0) {
        results.push({ figure: 'lint: CLI throughput vs cfn-lint, same documents', value: Number.NaN, unit: 'policies/s', note: 'skipped: cfn-lint is not installed' });
      } else {
        const cfnVersion = version.stdout.trim();
        // cfn-lint exits 2/4/8/… for findings; only a crash (or a missing binary) is a failure here.
        const cfnOk = [0, 2, 4, 6, 8, 10, 12, 14];
        // Interleaved rounds (the machine is shared); cfn-lint takes a minute and more per run, so two of its.
        const cfnRuns: Array<{ wall: number; cpu?: number }> = [];
        const kmsRuns: Array<{ wall: number; cpu?: number }> = [];
        run(process.execPath, [bin, 'lint', kmsDir, '--format', 'json'], [0, 1]);
        for (let r = 0; r < 3; r++) {
          kmsRuns.push(run(process.execPath, [bin, 'lint', kmsDir, '--format', 'json'], [0, 1]));
          if (r < 2) cfnRuns.push(run('cfn-lint', ['--format', 'json', '--', ...cfnFiles], cfnOk));
        }
        const cfn = median(cfnRuns.map((r) => r.wall));
        const kms = median(kmsRuns.map((r) => r.wall));
        const cpuOf = (runs: Array<{ cpu?: number }>): number | undefined => (runs.every((r) => r.cpu !== undefined) ? median(runs.map((r) => r.cpu!)) : undefined);
        const cfnCpu = cpuOf(cfnRuns);
        const kmsCpu = cpuOf(kmsRuns);
        results.push({
          figure: `lint: CLI throughput, ${CFN_DOCUMENTS} documents`,
          value: CFN_DOCUMENTS / kms,
          unit: 'policies/s',
          peer: `${cfnVersion} (AWS::KMS::Key templates)`,
          peerValue: CFN_DOCUMENTS / cfn,
          ratio: cfn / kms,
          target: '≥ 50× cfn-lint',
          met: cfn / kms >= 50,
          note:
            `wall time, median: kmskit (3 runs) ${kms.toFixed(2)} s, cfn-lint ${cfn.toFixed(2)} s` +
            (cfnCpu !== undefined && kmsCpu !== undefined ? `; CPU time: kmskit ${kmsCpu.toFixed(2)} s, cfn-lint ${cfnCpu.toFixed(2)} s` : '') +
            '; one process over all files on both sides, start-up included',
        });
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return results;
  },
};
