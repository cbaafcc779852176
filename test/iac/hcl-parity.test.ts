/**
 * The tree-sitter grammar is not HashiCorp's parser: this checks that it reads the fixture modules
 * as HashiCorp's hcl library does (through @cdktf/hcl2json, its WebAssembly build, a dependency of
 * cdktf-cli): the same blocks, attributes and values, heredocs rendered to the same text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../iac/render.js';
import { loadHclParser, readHclFile } from '../../iac/terraform/hcl.js';
import { entries, member, objects } from '../../iac/values.js';

const require = createRequire(import.meta.url);
let hcl2json: { parse: (file: string, text: string) => Promise<Record<string, unknown>> } | undefined;
try {
  hcl2json = require('@cdktf/hcl2json') as typeof hcl2json;
} catch {
  hcl2json = undefined;
}

const DIRS = ['test/fixtures/iac/terraform/app', 'test/fixtures/lint/terraform', 'test/fixtures/lint/terraform/signing'];
const files = DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.tf')).map((f) => join(d, f)));

/** Resource and data blocks → attribute → value, as plain JSON with expressions as `${...}`. */
function ours(file: string): Record<string, Record<string, unknown>> {
  const { config } = readHclFile(readFileSync(file, 'utf8'), file);
  const out: Record<string, Record<string, unknown>> = {};
  for (const block of ['resource', 'data'] as const) {
    for (const t of entries(member(config, block))) {
      for (const n of entries(t.value)) {
        const body = objects(n.value)[0]!;
        const attrs: Record<string, unknown> = {};
        for (const m of body.members) if (m.value.kind === 'literal' || m.value.kind === 'template') attrs[m.key] = render(m.value, { ownAccount: '' }).value;
        out[`${block}.${t.key}.${n.key}`] = attrs;
      }
    }
  }
  return out;
}

function theirs(json: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const block of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries((json[block] ?? {}) as Record<string, Record<string, Array<Record<string, unknown>>>>)) {
      for (const [name, [body]] of Object.entries(byName)) {
        const attrs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(body ?? {})) if (typeof v !== 'object' || v === null) attrs[k] = v;
        out[`${block}.${type}.${name}`] = attrs;
      }
    }
  }
  return out;
}

describe('HCL read by tree-sitter, as HashiCorp\'s parser reads it', () => {
  it.each(files)('%s', async (file) => {
    if (!hcl2json) {
      console.log('skipped: @cdktf/hcl2json is not installed (it comes with cdktf-cli, a devDependency)');
      return;
    }
    await loadHclParser();
    const mine = ours(file);
    const reference = theirs(await hcl2json.parse(file, readFileSync(file, 'utf8')));
    expect(Object.keys(mine).sort()).toEqual(Object.keys(reference).sort());
    if (Object.keys(mine).length > 0) expect(Object.values(mine).some((a) => Object.keys(a).length > 0)).toBe(true);
    for (const [address, attrs] of Object.entries(mine)) {
      // hcl2json writes expressions it does not evaluate as ${...}; we keep a string only when it is a literal or template.
      for (const [k, v] of Object.entries(attrs)) {
        const ref = reference[address]![k];
        if (typeof ref === 'string' && ref.startsWith('${') && ref.endsWith('}') && !String(v).startsWith('${')) continue;
        expect(v, `${address}.${k}`).toEqual(ref);
      }
    }
  });
});
