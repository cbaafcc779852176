/**
 * kmskit's version, read from the package.json of the installed package (or of the checkout), for
 * `kmskit --version` and SARIF's `tool.driver.version`. Found by walking up from this module, so it
 * holds from source (tsx, vitest) and from the compiled dist/ tree alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The `version` of the nearest package.json named "kmskit" above this module ("0.0.0" if none). */
export function kmskitVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kmskit' && typeof pkg.version === 'string') return (cached = pkg.version);
    }
    const up = dirname(dir);
    if (up === dir) return (cached = '0.0.0');
    dir = up;
  }
}
