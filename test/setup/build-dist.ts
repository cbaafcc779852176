/**
 * vitest global setup: the CLI tests and the reliability suite run the real `kmskit` binary
 * (bin/kmskit.js → dist/). `npm ci` builds dist/ through the prepare script; during development a
 * source edit would leave it stale and the tests would exercise old code. Rebuild when any source
 * file is newer than the build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['cli', 'policies', 'lint', 'emulator', 'apply', 'stacks', 'demo', 'testing', 'scripts'];
const STAMP = join(ROOT, 'dist', 'cli', 'program.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|json|mjs)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function setup(): void {
  const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
  const source = Math.max(...SOURCES.map((d) => (existsSync(join(ROOT, d)) ? newestMtime(join(ROOT, d)) : 0)));
  if (source <= built) return;
  process.stderr.write('test setup: dist/ is older than the sources; rebuilding (npm run build)\n');
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  } catch {
    // tsc still emits on type errors (and the build copies the run-time files); the typecheck script is where those fail. Tests run on what was emitted.
    process.stderr.write('test setup: tsc reported type errors (see above); run `npm run typecheck`\n');
  }
}
