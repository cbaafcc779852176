/**
 * `npm start` end to end, in-process: synth → lint → apply → flows. This is the product's smoke test:
 * every flow must hold, the report must be plain text off a TTY, and a corrupt state file must end
 * the run with a way out rather than a stack trace.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../cli/io.js';
import { runDemo } from '../../demo/run.js';

describe('kmskit demo', () => {
  const root = mkdtempSync(join(tmpdir(), 'kmskit-demo-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs every step and flow and exits 0', async () => {
    const io = captureIo();
    const code = await runDemo({ io, root });
    const out = io.stdout();
    expect(out, out).not.toMatch(/^\s*FAIL /m);
    expect(code).toBe(0);
    for (const title of ['Synthesize the stacks', 'Lint the key policies', 'Start the emulator', 'Apply the stacks', 'Password storage', 'Config file', 'Envelope encryption', 'Rotation', 'Access control', 'Vault Transit', 'Audit trail']) {
      expect(out).toContain(title);
    }
    expect(out).toContain('is not authorized to perform: kms:Decrypt');
    expect(out).toContain("alice's v1 ciphertext still decrypts after the rotation");
    expect(out).toContain('Every step held.');
    // Off a TTY the report is plain text: no ANSI escapes.
    expect(out).not.toMatch(/\x1b\[/);
    // The committed config holds ciphertext only, and the state file no secret of the flows.
    const config = readFileSync(join(root, '.kmskit', 'demo', 'billing.config.json'), 'utf8');
    expect(config).toContain('"password": "kms:');
    expect(readFileSync(join(root, '.kmskit', 'state.json'), 'latin1')).not.toContain('s3cr3t-db-password');
  }, 120_000);

  it('applies idempotently on a second run against the same state file', async () => {
    const io = captureIo();
    const code = await runDemo({ io, root });
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/\b0 created, 0 updated, \d+ unchanged/);
  }, 120_000);

  it('stops with a way out when the state file is corrupt', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'kmskit-demo-corrupt-'));
    try {
      mkdirSync(join(broken, '.kmskit'), { recursive: true });
      writeFileSync(join(broken, '.kmskit', 'state.json'), '{"this is": not a state file');
      const io = captureIo();
      const code = await runDemo({ io, root: broken });
      expect(code).toBe(1);
      expect(io.stdout()).toContain('the state file is unusable');
      expect(io.stdout()).toContain('--reset');
      const again = captureIo();
      expect(await runDemo({ io: again, root: broken, reset: true })).toBe(0);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 120_000);
});
