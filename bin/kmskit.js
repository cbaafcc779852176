#!/usr/bin/env node
// The only place that calls process.exit: everything else returns an exit code (cli/program.ts).
// Runs the compiled CLI from dist/ (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'program.js');
if (!existsSync(compiled)) {
  process.stderr.write('kmskit: dist/ is missing; run `npm ci` (or `npm run build`) first\n');
  process.exit(2);
}
process.env.CHECKPOINT_DISABLE ??= '1';
// The lock file pins SDK versions that support Node 20; the SDK's notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { run } = await import(pathToFileURL(compiled).href);
const code = await run(process.argv);
process.exitCode = code;
