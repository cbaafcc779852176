import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEAM = 'stacks/provider.ts';
const SKIP = new Set(['node_modules', 'dist', 'cdktf.out', '.git', 'coverage', '.gen']);
// `import ... from 'x'`, `export ... from 'x'`, `import('x')`, `require('x')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
const CDKTF = /^(cdktf|constructs|@cdktf\/provider-aws)(\/|$)/;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (/\.(m|c)?tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] as string);
}

describe('the provider seam', () => {
  const files = tsFiles(ROOT).map((f) => relative(ROOT, f).split('\\').join('/'));

  it('scans the whole repository', () => {
    expect(files).toContain(SEAM);
    expect(files).toContain('main.ts');
    expect(files.length).toBeGreaterThan(20);
  });

  it('is the only file that imports cdktf, @cdktf/provider-aws or constructs', () => {
    const offenders = files.filter((f) => f !== SEAM).flatMap((f) => imports(join(ROOT, f)).filter((s) => CDKTF.test(s)).map((s) => `${f} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('imports the provider only by deep paths, one resource each', () => {
    const specifiers = imports(join(ROOT, SEAM)).filter((s) => s.startsWith('@cdktf/provider-aws'));
    expect(specifiers.length).toBeGreaterThan(0);
    for (const s of specifiers) expect(s).toMatch(/^@cdktf\/provider-aws\/lib\/[a-z0-9-]+\/index\.js$/);
  });
});
