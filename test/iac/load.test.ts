import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInputs, SourceError } from '../../iac/load.js';
import { lint, read } from './helpers.js';
import { tmpdirWith } from './tmp.js';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] });

const dir = tmpdirWith({
  'a/key.json': POLICY,
  'a/b/deep.json': POLICY,
  'a/package.json': '{"name": "not-a-policy"}',
  'a/notes.txt': POLICY,
  'a/b/broken-policy.json': '{"Statement": [ {"Effect": "Allow" ',
  'a/b/broken-other.json': '{"name": ',
  'a/workflow.yaml': 'on: push\njobs: {}\n',
  'node_modules/pkg/policy.json': POLICY,
  '.git/policy.json': POLICY,
  '.terraform/modules/m/main.tf': 'resource "aws_kms_key" "k" {}\n',
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputs: folders', () => {
  it('searches recursively, skipping node_modules, .git, .terraform and files of no supported kind', async () => {
    const { sources, model } = await read([join(dir, 'a')]);
    expect(sources.map((s) => s.file)).toEqual([join(dir, 'a/b/broken-policy.json'), join(dir, 'a/b/deep.json'), join(dir, 'a/key.json')]);
    expect(model.problems).toEqual([]);
    const all = await read([dir]);
    expect(all.sources.some((s) => s.file.includes('node_modules') || s.file.includes('.git') || s.file.includes('.terraform'))).toBe(false);
  });

  it('keeps the path as the user named it: relative stays relative', async () => {
    const { sources } = await read(['test/fixtures/lint/plan.json']);
    expect(sources.every((s) => s.file === 'test/fixtures/lint/plan.json')).toBe(true);
  });

  it('reads each file once, even when named twice or through a link', async () => {
    const link = join(dir, 'link.json');
    symlinkSync(join(dir, 'a/key.json'), link);
    try {
      const { sources } = await read([join(dir, 'a/key.json'), link, join(dir, 'a')]);
      expect(sources.filter((s) => s.text === POLICY)).toHaveLength(2);
    } finally {
      rmSync(link);
    }
  });

  it('finds nothing in a folder of no supported input (the CLI then exits 2)', async () => {
    const empty = tmpdirWith({ 'package.json': '{"name": "x"}', 'README.md': '# x' });
    const model = await readInputs([empty]);
    expect(model.units).toEqual([]);
    expect(model.problems).toEqual([]);
  });
});

describe('readInputs: named files', () => {
  it('lints an explicitly named JSON file as a policy even when it does not look like one', async () => {
    const { sources } = await read([join(dir, 'a/package.json')]);
    expect(sources.map((s) => s.file)).toEqual([join(dir, 'a/package.json')]);
  });

  it('detects the kind by content, not by name: a policy in a .txt file', async () => {
    const { sources } = await read([join(dir, 'a/notes.txt')]);
    expect(sources.map((s) => s.text)).toEqual([POLICY]);
  });

  it('refuses a named file of no supported kind, naming the file and what kmskit reads', async () => {
    await expect(readInputs([join(dir, 'a/workflow.yaml')])).rejects.toThrow(SourceError);
    await expect(readInputs([join(dir, 'a/workflow.yaml')])).rejects.toThrow(/workflow\.yaml: not a supported input \(kmskit reads key policy JSON, Terraform .*CloudFormation templates .*cdk\.out\)/);
  });

  it('refuses a path that does not exist', async () => {
    await expect(readInputs([join(dir, 'nope')])).rejects.toThrow(/cannot read .*nope: no such file or directory/);
  });
});

describe('readInputs: never a silent skip', () => {
  it('reports a file over the size limit with the limit and how to raise it', async () => {
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '{"Statement": "' + 'x'.repeat(2 * 1024 * 1024) + '"}');
    try {
      const { findings } = await lint([huge], { maxFileBytes: 1024 * 1024, raiseHint: (mb) => `raise it with --max-file-size ${mb}` });
      expect(findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['unreadable-input', huge, 1]]);
      expect(findings[0]!.message).toBe(`2.0 MB is over the 1 MB limit for one input file; raise it with --max-file-size 3`);
    } finally {
      rmSync(huge);
    }
  });

  it('reports a binary file and a file that is not UTF-8', async () => {
    const bin = join(dir, 'blob.json');
    const latin = join(dir, 'latin.json');
    writeFileSync(bin, Buffer.from([0x7b, 0x00, 0x01, 0xff, 0xfe, 0x7d]));
    writeFileSync(latin, Buffer.from('{"Statement": "caf\xe9"}', 'latin1'));
    try {
      const { findings } = await lint([bin, latin]);
      expect(findings.map((f) => [f.ruleId, f.message])).toEqual([
        ['unreadable-input', 'is a binary file, not text'],
        ['unreadable-input', 'is not UTF-8 text'],
      ]);
    } finally {
      rmSync(bin);
      rmSync(latin);
    }
  });

  it('ignores an unreadable file in a folder that is no input (a large lock file), but not one that is', async () => {
    const d = tmpdirWith({ 'package-lock.json': '{"name": "x", "lockfileVersion": 3, "x": "' + 'y'.repeat(4096) + '"}', 'plan.json': '{"format_version": "1.2", "planned_values": {"x": "' + 'y'.repeat(4096) + '"}}' });
    const { findings } = await lint([d], { maxFileBytes: 1024 });
    expect(findings.map((f) => f.file)).toEqual([join(d, 'plan.json')]);
  });

  it('reports almost-JSON as invalid-json at its place and still reads the rest (a missing comma)', async () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow" "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}\n  ]\n}\n';
    const d = tmpdirWith({ 'key.json': text });
    const { findings } = await lint([join(d, 'key.json')]);
    expect(findings.find((f) => f.ruleId === 'invalid-json')).toMatchObject({ line: 4, column: 24 });
    expect(findings.find((f) => f.ruleId === 'public-principal')).toMatchObject({ line: 4, column: 24 });
  });

  it('reports a broken Terraform JSON file as a parse error and reads what the tolerant parse recovers', async () => {
    const d = tmpdirWith({ 'main.tf.json': '{"resource": {"aws_kms_key": {"k": {"policy": "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"kms:*\\", \\"Resource\\": \\"*\\"}]}",}}}}' });
    const { findings } = await lint([d]);
    expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['parse-error', 'public-principal']));
  });

  it('reports a cdktf.out stack the manifest lists but that is missing', async () => {
    const d = tmpdirWith({ 'cdktf.out/manifest.json': JSON.stringify({ version: '0.21.0', stacks: { gone: { synthesizedStackPath: 'stacks/gone/cdk.tf.json' } } }) });
    mkdirSync(join(d, 'cdktf.out/stacks'), { recursive: true });
    const { findings } = await lint([join(d, 'cdktf.out')]);
    expect(findings.map((f) => f.ruleId)).toEqual(['unreadable-input']);
    expect(findings[0]!.message).toMatch(/cannot be read: no such file or directory \(stack gone of .*manifest\.json\)/);
  });
});
