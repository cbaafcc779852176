/**
 * `npm run bench`: runs every benchmark in one process run, side by side with its peers, and rewrites
 * BENCHMARKS.md as one table (figure, value, peer, ratio, target, machine, date). Benchmarks are listed
 * explicitly; a benchmark whose module is missing or that fails is reported in the table as such, so a
 * regression is visible rather than silently dropped.
 */
import { writeFileSync, renameSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './types.js';

// The lock file pins SDK versions that support Node 20; the SDK's notice about later releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MODULES = ['./lint.bench.js', './iac.bench.js', './emulator-core.bench.js', './clients.bench.js', './server.bench.js', './vault.bench.js', './synth.bench.js'];

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length}× ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}`;
}

function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(3);
}

function row(r: BenchResult, bench: string): string {
  const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`;
  const met = r.met === undefined ? '' : r.met ? 'met' : '**missed**';
  const peer = r.peer ? `${r.peer}: ${fmt(r.peerValue)} ${r.unit}` : '';
  return `| ${bench} | ${r.figure} | ${fmt(r.value)} ${r.unit} | ${peer} | ${ratio} | ${r.target ?? ''} | ${met} | ${r.note ?? ''} |`;
}

export async function runAll(only?: string[]): Promise<Array<{ bench: string; results: BenchResult[]; error?: string }>> {
  const out: Array<{ bench: string; results: BenchResult[]; error?: string }> = [];
  for (const mod of MODULES) {
    const name = mod.replace('./', '').replace('.bench.js', '');
    if (only && only.length && !only.includes(name)) continue;
    let benchmark: Benchmark | undefined;
    try {
      benchmark = ((await import(mod)) as { benchmark?: Benchmark }).benchmark;
    } catch (e) {
      out.push({ bench: name, results: [], error: `could not load: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    if (!benchmark) {
      out.push({ bench: name, results: [], error: 'module exports no benchmark' });
      continue;
    }
    process.stderr.write(`bench: ${benchmark.name} ...\n`);
    try {
      const results = await benchmark.run();
      for (const r of results) process.stderr.write(`  ${r.figure}: ${fmt(r.value)} ${r.unit}${r.ratio !== undefined ? ` (${r.ratio.toFixed(2)}× ${r.peer})` : ''}\n`);
      out.push({ bench: benchmark.name, results });
    } catch (e) {
      out.push({ bench: benchmark.name, results: [], error: `failed: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const started = new Date();
  const all = await runAll(only);
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Every figure below was measured in one',
    'run, each next to its peer, because the machines are shared and noisy: read the ratios, not the',
    'absolute numbers.',
    '',
    `- Machine: ${machine()}`,
    `- Date: ${started.toISOString().slice(0, 10)} (run started ${started.toISOString()})`,
    '',
    '| benchmark | figure | kmskit | peer | ratio | target | target met | note |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const b of all) {
    if (b.error) lines.push(`| ${b.bench} | — | | | | | **not measured** | ${b.error} |`);
    for (const r of b.results) lines.push(row(r, b.bench));
  }
  lines.push('');
  const file = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
  writeFileSync(`${file}.tmp`, lines.join('\n'));
  renameSync(`${file}.tmp`, file);
  process.stderr.write(`bench: wrote ${file}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
