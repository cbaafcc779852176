import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'kmskit-synth-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a command in the repo with a clean KMSKIT_* environment and no network-facing telemetry. */
function run(args: string[], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KMSKIT_') && !k.startsWith('CDKTF_')));
  return spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...base, CHECKPOINT_DISABLE: '1', ...env }, timeout: 120_000 });
}

describe('main.ts', () => {
  it('writes cdktf.out/stacks/<stack>/cdk.tf.json and manifest.json', () => {
    const outdir = join(scratch, 'direct');
    const result = run(['--import', 'tsx', 'main.ts'], { CDKTF_OUTDIR: outdir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(['data', 'keyring']);
    for (const stack of ['keyring', 'data']) expect(existsSync(join(outdir, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
  }, 60_000);

  it('reports a bad setting in one line, without a stack trace, and exits 1', () => {
    const outdir = join(scratch, 'bad');
    const result = run(['--import', 'tsx', 'main.ts'], { CDKTF_OUTDIR: outdir, KMSKIT_ACCOUNT: 'not-an-account' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('kmskit stacks: account (from environment variable KMSKIT_ACCOUNT) must be a 12-digit AWS account id, got "not-an-account"\n');
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
  }, 60_000);

  it('takes the regions from KMSKIT_* variables', () => {
    const outdir = join(scratch, 'env');
    const result = run(['--import', 'tsx', 'main.ts'], { CDKTF_OUTDIR: outdir, KMSKIT_PRIMARY_REGION: 'eu-west-1', KMSKIT_REPLICA_REGION: 'eu-central-1' });
    expect(result.status).toBe(0);
    const keyring = JSON.parse(readFileSync(join(outdir, 'stacks', 'keyring', 'cdk.tf.json'), 'utf8')) as { provider: { aws: Array<{ region: string }> } };
    expect(keyring.provider.aws.map((p) => p.region)).toEqual(['eu-west-1', 'eu-central-1']);
  }, 60_000);
});

describe('cdktf synth (npm run synth)', () => {
  it('synthesizes both stacks offline through cdktf-cli', () => {
    const outdir = join(scratch, 'cli');
    const cli = join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');
    const result = run([cli, 'synth', '--output', outdir]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Generated Terraform code for the stacks');
    for (const stack of ['keyring', 'data']) expect(existsSync(join(outdir, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
  }, 120_000);
});
