import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { rules } from '../../lint/rules/index.js';

const PUBLIC = 'test/fixtures/lint/policies/public-decrypt.json';
const CLEAN = 'test/fixtures/lint/policies/default.json';
const WARN_ONLY = 'test/fixtures/lint/policies/default-no-version.json';
const SYNTH = 'test/fixtures/lint/synth';
const KEYRING = `${SYNTH}/stacks/keyring/cdk.tf.json`;
const PLAN = 'test/fixtures/lint/plan.json';

interface JsonReport {
  findings: Array<{ ruleId: string; severity: string; message: string; file: string; pointer: string; line: number; column: number; resource?: string }>;
  summary: { problems: number; errors: number; warnings: number; infos: number; suppressed: number; filesScanned: number; policiesScanned: number };
}

async function kmskit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await run(['node', 'kmskit', ...args], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

async function lintJson(...args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const { code, stdout, stderr } = await kmskit('lint', '--format', 'json', ...args);
  return { code, report: JSON.parse(stdout) as JsonReport, stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmskit-cli-lint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kmskit lint: exit codes', () => {
  it('exits 0 when nothing is at or above --fail-on', async () => {
    const { code, stdout } = await kmskit('lint', CLEAN);
    expect(code).toBe(0);
    expect(stdout).toContain('0 problems (0 errors, 0 warnings, 0 infos)');
  });

  it('exits 1 on an error finding', async () => {
    const { code, report } = await lintJson(PUBLIC);
    expect(report.findings.some((f) => f.severity === 'error')).toBe(true);
    expect(code).toBe(1);
  });

  it('lets --fail-on decide which severities fail the run', async () => {
    const { report } = await lintJson(WARN_ONLY);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect((await kmskit('lint', WARN_ONLY)).code).toBe(0);
    expect((await kmskit('lint', WARN_ONLY, '--fail-on', 'warning')).code).toBe(1);
    expect((await kmskit('lint', WARN_ONLY, '--fail-on', 'info')).code).toBe(1);
    expect((await kmskit('lint', WARN_ONLY, '--fail-on', 'error')).code).toBe(0);
  });

  it.each([
    [['--format', 'xml'], /^kmskit: --format must be one of text, json, sarif; got "xml"\n$/],
    [['--fail-on', 'fatal'], /^kmskit: --fail-on must be one of error, warning, info; got "fatal"\n$/],
    [['--bogus'], /^error: unknown option '--bogus'\n$/],
  ])('exits 2 with one line on a bad flag %j', async (flags, message) => {
    const { code, stdout, stderr } = await kmskit('lint', CLEAN, ...flags);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('exits 2 with one line when no path is given', async () => {
    const { code, stderr } = await kmskit('lint');
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 with one line naming a path that cannot be read', async () => {
    const missing = join(dir, 'missing-folder');
    const { code, stdout, stderr } = await kmskit('lint', missing, CLEAN);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`kmskit: cannot read ${missing}: no such file or directory\n`);
  });

  it('exits 2 with a hint when cdktf.out has not been synthesized', async () => {
    const { code, stderr } = await kmskit('lint', join(dir, 'cdktf.out'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^kmskit: cannot read .*cdktf\.out: no such file or directory \(run `cdktf synth` to create it\)\n$/);
  });
});

describe('kmskit lint: positions', () => {
  it('gives the line and column of the offending element in a policy file', async () => {
    const { report } = await lintJson(PUBLIC);
    const f = report.findings.find((x) => x.ruleId === 'public-principal')!;
    const lines = readFileSync(PUBLIC, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('"Principal": "*"')) + 1;
    expect([f.line, f.column]).toEqual([line, lines[line - 1]!.indexOf('"Principal"') + 1]);
    expect(f.pointer).toBe('/Statement/1/Principal');
    const text = (await kmskit('lint', PUBLIC)).stdout;
    expect(text).toMatch(new RegExp(`^${PUBLIC}:${f.line}:${f.column} +error +.+ +public-principal$`, 'm'));
  });

  it('gives the line and column of the policy string inside cdk.tf.json', async () => {
    const { report } = await lintJson(KEYRING);
    const f = report.findings.find((x) => x.ruleId === 'public-principal')!;
    expect(f.resource).toBe('keyring/aws_kms_key.public_key');
    const text = readFileSync(KEYRING, 'utf8');
    const at = text.indexOf('"policy": "', text.indexOf('"public_key"')) + '"policy": '.length;
    const line = text.slice(0, at).split('\n').length;
    const column = at - text.lastIndexOf('\n', at - 1);
    expect([f.line, f.column]).toEqual([line, column]);
    const out = (await kmskit('lint', KEYRING)).stdout;
    expect(out).toMatch(new RegExp(`^${KEYRING}:${line}:${column} +error +keyring/aws_kms_key\\.public_key: .+ +public-principal$`, 'm'));
  });

  it('gives the position of a key setting for key-configuration findings', async () => {
    const { report } = await lintJson(KEYRING);
    const f = report.findings.find((x) => x.ruleId === 'rotation-disabled' && x.resource === 'keyring/aws_kms_key.default_key')!;
    const text = readFileSync(KEYRING, 'utf8');
    const at = text.indexOf('false', text.indexOf('"enable_key_rotation"', text.indexOf('"default_key"')));
    expect(f.line).toBe(text.slice(0, at).split('\n').length);
  });

  it('reports malformed JSON as invalid-json at its position', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", }\n  ]\n}\n');
    const { code, report } = await lintJson(bad);
    expect(code).toBe(1);
    expect(report.findings.filter((f) => f.ruleId === 'invalid-json')).toEqual([expect.objectContaining({ file: bad, line: 4 })]);
    // The tolerant reading goes on: the statement lacks a principal, an action and a resource.
    expect(report.findings.map((f) => f.ruleId)).toContain('missing-principal');
  });
});

describe('kmskit lint: sources', () => {
  it('lints folders, cdktf.out and plans together, with resource addresses', async () => {
    const { report, stderr } = await lintJson(SYNTH, PLAN, 'test/fixtures/lint/policies');
    const files = new Set(report.findings.map((f) => f.file));
    for (const f of [KEYRING, PLAN, PUBLIC, WARN_ONLY]) expect(files.has(f), f).toBe(true);
    expect(files.has(CLEAN)).toBe(false);
    expect(report.findings.filter((f) => f.file === PLAN).map((f) => f.resource)).toContain('aws_kms_key.app');
    const stacks = Object.keys((JSON.parse(readFileSync(`${SYNTH}/manifest.json`, 'utf8')) as { stacks: object }).stacks).length;
    const policyFiles = readdirSync('test/fixtures/lint/policies').filter((n) => n.endsWith('.json')).length;
    expect(report.summary.filesScanned).toBe(stacks + 1 + policyFiles);
    // The one key whose policy is a file() call is read from the file next to its stack.
    expect(report.summary.policiesScanned).toBe(6 + 3 + policyFiles);
    expect(stderr).toBe('');
  });

  it('exits 2 when the paths hold no supported input at all: a gate must not pass on nothing', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    writeFileSync(join(empty, 'package.json'), '{"name": "x"}');
    const { code, stdout, stderr } = await kmskit('lint', empty);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^kmskit: no supported input in ${empty} \\(kmskit reads key policy JSON, Terraform .*\\)\n$`));
    expect(stdout).toBe('');
  });

  it('warns, and passes, on a Terraform module without key policies', async () => {
    const module = mkdtempSync(join(dir, 'tf-'));
    writeFileSync(join(module, 'main.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n');
    const { code, stderr } = await kmskit('lint', module);
    expect(code).toBe(0);
    expect(stderr).toBe(`kmskit: warning: no key policies found in ${module}\n`);
  });

  it('exits 2 naming a file of no supported kind', async () => {
    const notes = join(dir, 'notes.yaml');
    writeFileSync(notes, 'todo: [write policies]\n');
    const { code, stderr } = await kmskit('lint', notes);
    expect(code).toBe(2);
    expect(stderr).toContain(`${notes}: not a supported input (kmskit reads`);
  });

  it('lints a Terraform folder, a CloudFormation template and a cdk.out in one run', async () => {
    const { code, report } = await lintJson('test/fixtures/iac/terraform/app', 'test/fixtures/iac/cloudformation/data-key.yaml', 'test/fixtures/iac/cdk.out');
    expect(code).toBe(1);
    const files = new Set(report.findings.map((f) => f.file));
    for (const f of ['test/fixtures/iac/terraform/app/main.tf', 'test/fixtures/iac/cloudformation/data-key.yaml', 'test/fixtures/iac/cdk.out/KeysStack.template.json']) expect(files.has(f), f).toBe(true);
  });

  it('takes the deployment account from --account, and refuses one that is not 12 digits', async () => {
    const plain = mkdtempSync(join(dir, 'acct-'));
    writeFileSync(
      join(plain, 'main.tf'),
      'data "aws_caller_identity" "me" {}\nresource "aws_kms_key" "k" {\n  enable_key_rotation = true\n  policy = jsonencode({ Statement = [\n    { Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:root" }, Action = "kms:*", Resource = "*" },\n    { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/admin" }, Action = ["kms:PutKeyPolicy"], Resource = "*" },\n  ] })\n}\n',
    );
    expect((await lintJson(plain)).report.findings.map((f) => f.ruleId)).not.toContain('cross-account-admin');
    expect((await lintJson(plain, '--account', '111122223333')).report.findings.map((f) => f.ruleId)).not.toContain('cross-account-admin');
    expect((await lintJson(plain, '--account', '999999999999')).report.findings.map((f) => f.ruleId)).toContain('cross-account-admin');
    const bad = await kmskit('lint', plain, '--account', '1234');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('kmskit: --account must be a 12-digit AWS account id; got "1234"\n');
  });

  it('reports a huge or binary file as a finding, with the limit and how to raise it', async () => {
    const huge = join(dir, 'huge.json');
    const binary = join(dir, 'binary.json');
    writeFileSync(huge, '{"Statement": [' + ' '.repeat(6 * 1024 * 1024) + ']}');
    writeFileSync(binary, Buffer.from([0x7b, 0, 0, 0x7d]));
    try {
      const { code, stdout } = await kmskit('lint', huge, binary, CLEAN, '--max-file-size', '5');
      // Not a warning and exit 0: what cannot be read fails the gate, at its file.
      expect(code).toBe(1);
      expect(stdout).toContain(`${huge}:1:1  error  6.0 MB is over the 5 MB limit for one input file; raise it with --max-file-size 7  unreadable-input`);
      expect(stdout).toContain(`${binary}:1:1  error  is a binary file, not text  unreadable-input`);
      expect(stdout).toContain('Checked 1 policy in 1 file.');
      const raised = await kmskit('lint', huge, '--max-file-size', '7');
      expect(raised.stdout).not.toContain('unreadable-input');
    } finally {
      rmSync(huge);
      rmSync(binary);
    }
  });
});

describe('kmskit lint: --output', () => {
  it('writes the report to the file and nothing to stdout', async () => {
    const out = join(dir, 'report.sarif');
    const { code, stdout } = await kmskit('lint', PUBLIC, '--format', 'sarif', '--output', out);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const log = JSON.parse(readFileSync(out, 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('exits 2 when the file cannot be written, leaving no temporary file', async () => {
    const out = join(dir, 'no-such-dir', 'report.json');
    const { code, stderr } = await kmskit('lint', CLEAN, '--output', out);
    expect(code).toBe(2);
    expect(stderr).toBe(`kmskit: cannot write ${out}: no such directory\n`);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
});

describe('kmskit lint: config', () => {
  const writeConfig = (name: string, value: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it('turns rules off and changes severities', async () => {
    const off = writeConfig('off.json', { rules: { 'public-principal': 'off' } });
    const { code, report } = await lintJson(PUBLIC, '--config', off);
    expect(report.findings.some((f) => f.ruleId === 'public-principal')).toBe(false);
    expect(code).toBe(0);
    const warn = writeConfig('warn.json', { rules: { 'public-principal': 'warning' } });
    const downgraded = await lintJson(PUBLIC, '--config', warn);
    expect(downgraded.report.findings.find((f) => f.ruleId === 'public-principal')?.severity).toBe('warning');
    expect(downgraded.code).toBe(0);
  });

  it('suppresses findings by rule and Sid, counting them in the summary', async () => {
    const cfg = writeConfig('suppress.json', { suppressions: [{ rule: 'public-principal', sid: 'AnyoneMayDecrypt', reason: 'demo key, reviewed' }] });
    const before = await lintJson(PUBLIC);
    const { code, report } = await lintJson(PUBLIC, '--config', cfg);
    expect(report.findings.some((f) => f.ruleId === 'public-principal')).toBe(false);
    expect(report.summary.suppressed).toBe(before.report.findings.filter((f) => f.ruleId === 'public-principal').length);
    expect(code).toBe(0);
  });

  it('suppresses findings by resource in a stack', async () => {
    const cfg = writeConfig('resource.json', { suppressions: [{ rule: 'public-principal', resource: 'aws_kms_key.public_key', reason: 'shared read-only key' }] });
    const { report } = await lintJson(KEYRING, '--config', cfg);
    expect(report.findings.some((f) => f.ruleId === 'public-principal')).toBe(false);
    expect(report.summary.suppressed).toBe(1);
  });

  it('leaves out files matched by ignore globs', async () => {
    const cfg = writeConfig('ignore.json', { ignore: ['**/public-*.json'] });
    const { report } = await lintJson('test/fixtures/lint/policies', '--config', cfg);
    expect(report.findings.some((f) => f.file === PUBLIC)).toBe(false);
    expect(report.summary.filesScanned).toBe(readdirSync('test/fixtures/lint/policies').filter((n) => n.endsWith('.json')).length - 1);
  });

  it('exits 2 naming the config file and the problem: a suppression without a reason', async () => {
    const cfg = writeConfig('no-reason.json', { suppressions: [{ rule: 'public-principal', file: '*.json' }] });
    const { code, stdout, stderr } = await kmskit('lint', PUBLIC, '--config', cfg);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`kmskit: ${cfg}: suppressions[0] has no "reason": every suppression must say why\n`);
  });

  it('exits 2 on an unknown rule id, with a did-you-mean', async () => {
    const cfg = writeConfig('typo.json', { rules: { 'public-principle': 'off' } });
    const { code, stderr } = await kmskit('lint', PUBLIC, '--config', cfg);
    expect(code).toBe(2);
    expect(stderr).toBe(`kmskit: ${cfg}: rules names an unknown rule "public-principle" (did you mean "public-principal"?)\n`);
  });

  it('exits 2 when --config names a file that does not exist', async () => {
    const { code, stderr } = await kmskit('lint', PUBLIC, '--config', join(dir, 'absent.json'));
    expect(code).toBe(2);
    expect(stderr).toBe(`kmskit: cannot read config ${join(dir, 'absent.json')}: no such file\n`);
  });

  it('reads .kmskitrc.json from the current folder by default', async () => {
    const work = mkdtempSync(join(dir, 'cwd-'));
    writeFileSync(join(work, '.kmskitrc.json'), JSON.stringify({ rules: { 'public-principal': 'off' } }));
    const policy = join(process.cwd(), PUBLIC);
    const previous = process.cwd();
    process.chdir(work);
    try {
      const { report } = await lintJson(policy);
      expect(report.findings.some((f) => f.ruleId === 'public-principal')).toBe(false);
      writeFileSync(join(work, '.kmskitrc.json'), '{"rules": ');
      const broken = await kmskit('lint', policy);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/^kmskit: \.kmskitrc\.json: not valid JSON/);
    } finally {
      process.chdir(previous);
    }
  });
});

describe('kmskit rules', () => {
  it('lists every rule with its severity, group and summary', async () => {
    const { code, stdout } = await kmskit('rules');
    expect(code).toBe(0);
    for (const r of Object.values(rules)) {
      expect(stdout).toMatch(new RegExp(`^${r.id} +${r.severity} +${r.group} +${r.docs.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
  });

  it('prints JSON with --format json', async () => {
    const { code, stdout } = await kmskit('rules', '--format', 'json');
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as Array<{ id: string; severity: string; group: string; summary: string }>;
    expect(list.map((r) => r.id).sort()).toEqual(Object.keys(rules).sort());
    expect(list.find((r) => r.id === 'public-principal')).toMatchObject({ severity: rules['public-principal']!.severity, group: 'security' });
  });

  it('exits 2 on an unknown format', async () => {
    const { code, stderr } = await kmskit('rules', '--format', 'yaml');
    expect(code).toBe(2);
    expect(stderr).toBe('kmskit: --format must be one of text, json; got "yaml"\n');
  });
});

describe('kmskit lint: start-up', () => {
  it('loads neither cdktf nor the AWS SDK', () => {
    // A resolve hook logs every module the process imports; the CLI runs from source through tsx.
    const log = join(dir, 'imports.log');
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
    writeFileSync(join(dir, 'main.mjs'), `const { run } = await import(${JSON.stringify(pathToFileURL(resolve('cli/program.ts')).href)});\nprocess.exitCode = await run(process.argv);\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(dir, 'register.mjs'), join(dir, 'main.mjs'), 'lint', SYNTH, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    expect(r.status, r.stderr).toBe(1);
    const imported = readFileSync(log, 'utf8').split('\n');
    expect(imported.some((u) => u.includes('/lint/engine.'))).toBe(true);
    expect(imported.filter((u) => /node_modules\/(cdktf|@cdktf|@aws-sdk|constructs)\//.test(u))).toEqual([]);
  });
});
