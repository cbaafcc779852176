/**
 * Where `kmskit demo` writes: in kmskit's checkout, the checkout (as `npm start` does); anywhere else
 * a folder of its own, and never a folder that holds files it did not make (a project's own
 * cdktf.out/ or .kmskit/). The consumer test runs the installed `npx kmskit demo` in a project.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_FOLDER, DEMO_MARKER, demoRoot, ownCheckout } from '../../cli/demo.js';
import { CliError } from '../../cli/errors.js';

const base = mkdtempSync(join(tmpdir(), 'kmskit-demo-root-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('kmskit demo folder', () => {
  it('recognises this checkout', () => {
    expect(ownCheckout()).toBe(join(import.meta.dirname, '..', '..'));
  });

  it('in the checkout, writes into the checkout itself', () => {
    const checkout = join(base, 'checkout');
    mkdirSync(join(checkout, 'cdktf.out'), { recursive: true });
    expect(demoRoot(undefined, checkout, checkout)).toEqual({ root: checkout, inCheckout: true });
    expect(existsSync(join(checkout, DEMO_MARKER))).toBe(false);
  });

  it('elsewhere, makes ./kmskit-demo and marks it as its own; a second run may reuse it', () => {
    const project = join(base, 'project');
    mkdirSync(join(project, 'cdktf.out'), { recursive: true });
    writeFileSync(join(project, 'cdktf.out', 'manifest.json'), '{}');
    const first = demoRoot(undefined, project, join(base, 'elsewhere'));
    expect(first).toEqual({ root: join(project, DEMO_FOLDER), inCheckout: false });
    expect(readdirSync(first.root)).toEqual([DEMO_MARKER]);
    writeFileSync(join(first.root, 'state'), 'x');
    expect(demoRoot(undefined, project, undefined).root).toBe(first.root);
  });

  it("refuses a folder holding files it did not make, and changes nothing there", () => {
    const project = join(base, 'busy');
    mkdirSync(join(project, '.kmskit'), { recursive: true });
    let error: unknown;
    try {
      demoRoot('.', project, undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toBe(
      'the demo writes cdktf.out/ and .kmskit/ into a folder of its own, and . already holds files the demo did not make; nothing was changed. Run it with --root <a new or empty folder> (default: ./kmskit-demo).',
    );
    expect(readdirSync(project)).toEqual(['.kmskit']);
  });

  it('takes --root when it is new or empty', () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    expect(demoRoot(empty, base, undefined)).toEqual({ root: empty, inCheckout: false });
    expect(demoRoot('fresh/dir', base, undefined).root).toBe(join(base, 'fresh', 'dir'));
  });
});
