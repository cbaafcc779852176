import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSources, MAX_FILE_BYTES, SourceError } from '../../../iac/load.js';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmskit-sources-'));
  mkdirSync(join(dir, 'a/b'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/pkg'), { recursive: true });
  mkdirSync(join(dir, '.git'), { recursive: true });
  writeFileSync(join(dir, 'a/key.json'), POLICY);
  writeFileSync(join(dir, 'a/b/deep.json'), POLICY);
  writeFileSync(join(dir, 'a/package.json'), '{"name": "not-a-policy"}');
  writeFileSync(join(dir, 'a/notes.txt'), POLICY);
  writeFileSync(join(dir, 'a/b/broken-policy.json'), '{"Statement": [ {"Effect": "Allow" ');
  writeFileSync(join(dir, 'a/b/broken-other.json'), '{"name": ');
  writeFileSync(join(dir, 'node_modules/pkg/policy.json'), POLICY);
  writeFileSync(join(dir, '.git/policy.json'), POLICY);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadSources', () => {
  it('searches folders recursively for policy files, skipping node_modules, .git and other JSON', async () => {
    const { sources, warnings } = await loadSources([join(dir, 'a')]);
    expect(sources.map((s) => s.file)).toEqual([join(dir, 'a/b/broken-policy.json'), join(dir, 'a/b/deep.json'), join(dir, 'a/key.json')]);
    expect(warnings).toEqual([]);
  });

  it('keeps broken JSON that looks like a policy, so the engine reports invalid-json at its position', async () => {
    const { sources } = await loadSources([join(dir, 'a/b')]);
    expect(sources.find((s) => s.file.endsWith('broken-policy.json'))?.text).toBe('{"Statement": [ {"Effect": "Allow" ');
  });

  it('lints a file named explicitly even when it does not look like a policy', async () => {
    const { sources } = await loadSources([join(dir, 'a/package.json'), join(dir, 'a/b/broken-other.json')]);
    expect(sources.map((s) => s.file)).toEqual([join(dir, 'a/package.json'), join(dir, 'a/b/broken-other.json')]);
  });

  it('keeps the path as the user named it, relative stays relative', async () => {
    const { sources } = await loadSources(['test/fixtures/lint/plan.json']);
    expect(sources.every((s) => s.file === 'test/fixtures/lint/plan.json')).toBe(true);
  });

  it('reads each file once even when named twice or through a link', async () => {
    const link = join(dir, 'link.json');
    symlinkSync(join(dir, 'a/key.json'), link);
    try {
      const { sources } = await loadSources([join(dir, 'a/key.json'), link, join(dir, 'a')]);
      expect(sources.filter((s) => s.text === POLICY).length).toBe(2); // key.json and b/deep.json
    } finally {
      rmSync(link);
    }
  });

  it('skips a huge file with a warning instead of reading it', async () => {
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '{"Statement": "' + 'x'.repeat(MAX_FILE_BYTES) + '"}');
    try {
      const { sources, warnings } = await loadSources([huge]);
      expect(sources).toEqual([]);
      expect(warnings).toEqual([expect.stringMatching(/huge\.json: skipped, 5\.0 MB is over the 5 MB limit/)]);
    } finally {
      rmSync(huge);
    }
  });

  it('skips a binary file with a warning', async () => {
    const bin = join(dir, 'a/b/blob.json');
    writeFileSync(bin, Buffer.from([0x7b, 0x00, 0x01, 0xff, 0xfe, 0x7d]));
    try {
      const { sources, warnings } = await loadSources([bin, join(dir, 'a')]);
      expect(sources.some((s) => s.file === bin)).toBe(false);
      expect(warnings).toEqual([`${bin}: skipped, binary file`]);
    } finally {
      rmSync(bin);
    }
  });

  it('skips a file that is not UTF-8 with a warning', async () => {
    const latin = join(dir, 'latin1.json');
    writeFileSync(latin, Buffer.from('{"Statement": "caf\xe9"}', 'latin1'));
    try {
      const { sources, warnings } = await loadSources([latin]);
      expect(sources).toEqual([]);
      expect(warnings).toEqual([`${latin}: skipped, not UTF-8 text`]);
    } finally {
      rmSync(latin);
    }
  });

  it('throws a SourceError naming a path that does not exist', async () => {
    const missing = join(dir, 'nope');
    await expect(loadSources([missing])).rejects.toThrow(new SourceError(`cannot read ${missing}: no such file or directory`));
  });

  it('hints at `cdktf synth` when cdktf.out is missing', async () => {
    await expect(loadSources([join(dir, 'cdktf.out')])).rejects.toThrow(/cdktf\.out: no such file or directory \(run `cdktf synth` to create it\)/);
  });

  it('leaves out paths the ignore option matches, noting explicitly named ones', async () => {
    const { sources, warnings } = await loadSources([join(dir, 'a'), join(dir, 'a/key.json')], { ignore: (p) => p.endsWith('key.json') || p.endsWith('/b') });
    expect(sources).toEqual([]);
    expect(warnings).toEqual([`${join(dir, 'a/key.json')}: ignored by an "ignore" pattern in the config`]);
  });
});

describe('loadSources on hostile input', () => {
  it('refuses a path that is neither a file nor a folder', async () => {
    await expect(loadSources(['/dev/null'])).rejects.toThrow('cannot read /dev/null: not a file or folder');
  });

  it('never throws on mutated Terraform JSON and plans, whatever their shape', async () => {
    const { sourcesFromTerraformJson } = await import('../../../iac/terraform/json-config.js');
    const { sourcesFromPlan } = await import('../../../iac/terraform/plan.js');
    const seeds = [readFileSync('test/fixtures/lint/synth/stacks/keyring/cdk.tf.json', 'utf8'), readFileSync('test/fixtures/lint/plan.json', 'utf8')];
    const values: unknown[] = [null, 0, 'x', '${jsonencode({', '${data.aws_iam_policy_document.nope.json}', [], {}, [{}], { statement: 'x' }, true];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const mutate = (v: unknown, depth: number): unknown => {
      if (v === null || typeof v !== 'object') return random(8) === 0 ? values[random(values.length)] : v;
      if (Array.isArray(v)) return v.map((x) => mutate(x, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const r = random(20);
        if (r === 0) continue;
        out[k] = r === 1 ? values[random(values.length)] : mutate(x, depth + 1);
      }
      return out;
    };
    for (let i = 0; i < 300; i++) {
      const json = mutate(JSON.parse(seeds[i % 2]!), 0);
      const text = JSON.stringify(json, null, 1);
      const out = i % 2 === 0 ? sourcesFromTerraformJson('f.json', text, json) : sourcesFromPlan('p.json', text, json);
      expect(Array.isArray(out.sources) && Array.isArray(out.warnings)).toBe(true);
    }
  });
});
