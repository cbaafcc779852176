/**
 * The package surface: every subpath in package.json `exports` maps to a source entry point, every
 * symbol an entry point exports carries a doc comment (shown in editors on hover), and no entry point
 * reaches into test/. (The consumer test installs the packed tarball and imports them for real.)
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }> };

/** Subpath → source file, from the `default` target (`./dist/x/y.js` → `x/y.ts`). */
const ENTRIES = Object.entries(pkg.exports)
  .filter((e): e is [string, { types: string; default: string }] => typeof e[1] === 'object')
  .map(([subpath, target]) => ({ subpath, source: join(ROOT, target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')), types: target.types }));

function program(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  return ts.createProgram(ENTRIES.map((e) => e.source), { ...config.options, noEmit: true });
}

describe('package exports', () => {
  it('lists the five documented entry points, each with types beside the JavaScript', () => {
    expect(ENTRIES.map((e) => e.subpath).sort()).toEqual(['./constructs', './emulator', './lint', './policies', './vitest']);
    for (const e of ENTRIES) expect(e.types).toBe(`./dist/${relative(ROOT, e.source).replace(/\.ts$/, '.d.ts')}`);
  });

  it('every public export has a doc comment', { timeout: 60_000 }, () => {
    const p = program();
    const checker = p.getTypeChecker();
    const missing: string[] = [];
    let count = 0;
    for (const entry of ENTRIES) {
      const file = p.getSourceFile(entry.source);
      expect(file, entry.source).toBeDefined();
      const moduleSymbol = checker.getSymbolAtLocation(file!)!;
      for (const exported of checker.getExportsOfModule(moduleSymbol)) {
        count++;
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
        if (doc === '') missing.push(`kmskit${entry.subpath.slice(1)}: ${exported.name}`);
      }
    }
    expect(count).toBeGreaterThan(80);
    expect(missing).toEqual([]);
  });

  it('no entry point imports anything from test/', { timeout: 60_000 }, () => {
    const files = program()
      .getSourceFiles()
      .map((f) => relative(ROOT, f.fileName))
      .filter((f) => !f.startsWith('node_modules') && !f.startsWith('..'));
    expect(files.filter((f) => f.startsWith('test/'))).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});
