#!/usr/bin/env node
// The only place that calls process.exit: everything else returns an exit code (cli/program.ts).
// Runs the compiled CLI from dist/ (in the installed package always; in a checkout, built by `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'program.js');
if (!existsSync(compiled)) {
  process.stderr.write('kmskit: the compiled CLI (dist/) is missing: in a kmskit checkout run `npm ci` or `npm run build`; an installed kmskit always has it, so reinstall it\n');
  process.exit(2);
}
// `kmskit lint ... | head`: once the reader has gone, further output has nowhere to go. Drop it and
// let the command finish with its own exit code, instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
process.env.CHECKPOINT_DISABLE ??= '1';
// The lock file pins SDK versions that support Node 20; the SDK's notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { run } = await import(pathToFileURL(compiled).href);
const code = await run(process.argv);
process.exitCode = code;
