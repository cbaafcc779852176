#!/usr/bin/env node
// Builds dist/: compiled ESM JavaScript and .d.ts (tsconfig.build.json), plus the files the code reads
// at run time, which tsc does not copy (the AWS KMS API model, the demo stack's Lambda asset).
//
// `npm run build`, `prepack` (so `npm pack` / `npm publish` always ship a fresh build) and `prepare`
// (so the repo's own `npm ci` leaves a runnable bin/kmskit.js) all run this. dist/ is emptied first:
// tsc never deletes the output of a source file that was moved or removed, and that would ship.
// Exits non-zero when tsc reports errors (a broken build must not be packed); dist/ still holds tsc's output.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

// `npm pack` runs prepack and then prepare; building once is enough.
if (process.env.npm_lifecycle_event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

/** Files read at run time, copied beside their compiled modules: [source, destination under dist/]. */
const RUNTIME_FILES = [
  ['emulator/core/model/service-2.json', 'emulator/core/model/service-2.json'],
  ['emulator/core/model/NOTICE.md', 'emulator/core/model/NOTICE.md'],
  ['stacks/assets', 'stacks/assets'],
];

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const [from, to] of RUNTIME_FILES) cpSync(join(root, from), join(dist, to), { recursive: true });
if (result.status !== 0) {
  process.stderr.write(`build: tsc failed (exit ${result.status ?? result.signal}); run \`npm run typecheck\`\n`);
  process.exit(1);
}
