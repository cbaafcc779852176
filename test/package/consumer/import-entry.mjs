// Imports one kmskit entry point with plain node and prints its export names and which packages
// got loaded: { "exports": [...], "packages": [...] }, or { "error": code } when the import fails.
import { createRequire } from 'node:module';

const subpath = process.argv[2];
let exported;
try {
  exported = Object.keys(await import(subpath)).sort();
} catch (e) {
  console.log(JSON.stringify({ error: e.code ?? e.message }));
  process.exit(0);
}
// Let the hooks' last messages arrive.
await new Promise((r) => setTimeout(r, 50));
const urls = [...(globalThis.kmskitLoaded ?? []), ...Object.keys(createRequire(import.meta.url).cache).map((p) => `file://${p}`)];
const packages = new Set();
for (const url of urls) {
  const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (m) packages.add(m[1]);
}
console.log(JSON.stringify({ exports: exported, packages: [...packages].sort() }));
