/**
 * kmskit as a dependency, the way a platform team meets it: `npm pack` this repository, install the
 * tarball into a new project (its own package.json, `type: module`, TypeScript, the cdktf peers), and
 * in that project run the CLI, import every entry point with plain node, type-check a strict NodeNext
 * file against the published .d.ts, and run the README's "Use kmskit in your project" examples —
 * taken from the README inside the installed package, so the documentation users read is what runs.
 *
 * The pack happens in a copy of the repository (its node_modules linked): `prepack` rebuilds dist/
 * from scratch, and the repo's own dist/, which other test files run at the same time, stays as it is.
 * Installs reuse the npm cache `npm ci` filled (`--prefer-offline`); only when the registry and the
 * cache both fail to supply a package are the tests skipped, with the reason printed.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(import.meta.dirname, 'consumer');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
/** Not copied into the staging copy: build output, state and caches (the pack must not depend on them). */
const NOT_STAGED = new Set(['node_modules', 'dist', '.git', 'cdktf.out', '.kmskit', 'coverage', 'kmskit-demo', 'test-results.json', '.out']);
/** npm failures that mean "the registry and the cache could not supply a package", not a broken package. */
const UNREACHABLE = /\b(ENOTCACHED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|E404|E50[234])\b/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let work: string;
let consumer: string;
let skipReason: string | undefined;
let packed: { filename: string; size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string }> };
let compile: Run;

/** The environment of a user's shell: no vitest worker variables, no path into this repo's node_modules. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$|AWS_|npm_(?!config_(cache|registry|.*proxy|strict_ssl|cafile)$))/i.test(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((p) => !p.startsWith(ROOT))
    .join(delimiter);
  return { ...env, CI: 'true', NO_COLOR: '1', CHECKPOINT_DISABLE: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const show = (r: Run): string => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** The version of a package this repo's `npm ci` installed, so the consumer gets it from the cache. */
const installed = (name: string): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** The README's consumer examples: each `<!-- consumer-test: FILE -->` and the code block after it. */
function readmeExamples(readme: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- consumer-test: (\S+) -->\n```[a-z]*\n([\s\S]*?)```\n/g)) out.set(m[1]!, m[2]!);
  return out;
}

function skipIfNeeded(ctx: { skip: (note?: string) => void }): void {
  if (skipReason === undefined) return;
  console.log(`skipped: ${skipReason}`);
  ctx.skip(skipReason);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kmskit-consumer-'));

  // 1. npm pack, in a copy of the repository.
  const stage = join(work, 'kmskit');
  cpSync(ROOT, stage, { recursive: true, filter: (src) => !NOT_STAGED.has(src.slice(ROOT.length + 1).split('/').pop() ?? '') || src === ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], stage);
  if (pack.code !== 0) throw new Error(`npm pack failed\n${show(pack)}`);
  // Lifecycle scripts may print before npm's JSON; the JSON array is the last thing on stdout.
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.lastIndexOf('\n[') + 1)) as (typeof packed)[])[0]!;
  console.log(`kmskit tarball: ${packed.filename}, ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.entryCount} files`);

  // 2. A new project that installs the tarball and the peers, from the npm cache where it can.
  consumer = join(work, 'consumer');
  cpSync(FIXTURE, consumer, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'kmskit-consumer', private: true, type: 'module' }, null, 2));
  const deps = ['cdktf', '@cdktf/provider-aws', 'constructs', 'typescript', 'vitest', '@types/node', '@aws-sdk/client-kms'].map((n) => `${n}@${installed(n)}`);
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, packed.filename), ...deps], consumer);
  if (install.code !== 0) {
    const why = UNREACHABLE.exec(install.stderr + install.stdout);
    if (!why) throw new Error(`npm install of the tarball failed\n${show(install)}`);
    skipReason = `the npm registry and cache could not supply a dependency of the consumer project (${why[1]}): ${install.stderr.trim().split('\n').slice(-3).join(' ')}`;
    return;
  }

  // 3. The README's examples, from the installed package, as the consumer's files.
  const examples = readmeExamples(readFileSync(join(consumer, 'node_modules', 'kmskit', 'README.md'), 'utf8'));
  for (const [file, code] of examples) {
    mkdirSync(dirname(join(consumer, file)), { recursive: true });
    writeFileSync(join(consumer, file), code);
  }
  // The same app with a statement that allows kms:* to everyone.
  const main = examples.get('src/main.ts') ?? '';
  const users = "users: ['arn:aws:iam::111122223333:role/App'] });";
  if (!main.includes(users)) throw new Error(`README's src/main.ts example no longer contains ${users}`);
  const open = "users: ['arn:aws:iam::111122223333:role/App'], policy: { Version: '2012-10-17', Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] } });";
  writeFileSync(join(consumer, 'src', 'main-open.ts'), main.replace(users, open));

  // 4. tsc: strict NodeNext, the installed .d.ts checked too; emits out/ for node to run.
  compile = await run('npx', ['tsc', '-p', 'tsconfig.json'], consumer);
}, 900_000);

afterAll(() => {
  if (!work) return;
  // KMSKIT_KEEP_CONSUMER=1 keeps the project for a look after a failure.
  if (process.env.KMSKIT_KEEP_CONSUMER) console.log(`consumer project kept in ${consumer}`);
  else rmSync(work, { recursive: true, force: true });
});

describe('kmskit installed as a dependency', { timeout: 300_000 }, () => {
  it('packs compiled JavaScript, types, README, LICENSE, the bin and the run-time data, and no tests, benchmarks or CI', () => {
    const files = packed.files.map((f) => f.path);
    for (const entry of ['stacks/constructs/index', 'policies/index', 'lint/index', 'emulator/index', 'testing/vitest']) {
      expect(files).toContain(`dist/${entry}.js`);
      expect(files).toContain(`dist/${entry}.d.ts`);
    }
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'bin/kmskit.js', 'dist/emulator/core/model/service-2.json', 'dist/emulator/core/model/NOTICE.md']));
    expect(files.filter((f) => /^(test|bench|\.ci|\.github|scripts)\/|fixtures|\.test\.|\.bench\.|(?<!\.d)\.ts$/.test(f))).toEqual([]);
    expect(files.filter((f) => !/^(dist|bin)\/|^(package\.json|README\.md|LICENSE|lint\/RULES\.md)$/.test(f))).toEqual([]);
    expect(packed.size).toBeLessThan(2 * 1024 * 1024);
  });

  it('npx kmskit works right after the install', async (ctx) => {
    skipIfNeeded(ctx);
    const r = await run('npx', ['kmskit', '--version'], consumer);
    expect(r.stdout.trim(), show(r)).toBe(PKG.version);
    expect(r.code).toBe(0);
  });

  it('npx kmskit lint exits 1 on a bad policy and names the finding', async (ctx) => {
    skipIfNeeded(ctx);
    const r = await run('npx', ['kmskit', 'lint', 'policies/bad-policy.json'], consumer);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toMatch(/^policies\/bad-policy\.json:\d+:\d+ +error +This Allow applies to every AWS principal .* public-principal$/m);
    expect(r.stderr).toBe('');
  });

  it('plain node imports every entry point; the linter and the emulator load neither cdktf nor the AWS SDK', async (ctx) => {
    skipIfNeeded(ctx);
    const load = async (subpath: string) => {
      const r = await run('node', ['--import', './record-loads.mjs', 'import-entry.mjs', subpath], consumer);
      expect(r.code, show(r)).toBe(0);
      return JSON.parse(r.stdout) as { exports?: string[]; packages?: string[]; error?: string };
    };
    const constructs = await load('kmskit/constructs');
    expect(constructs.exports).toEqual(expect.arrayContaining(['KmsKey', 'KmsReplicaKey', 'KeyPolicyChecks', 'encryptBucket', 'encryptQueue', 'EbsDefaultEncryption']));
    expect(constructs.packages).toEqual(expect.arrayContaining(['cdktf', '@cdktf/provider-aws', 'constructs']));
    const policies = await load('kmskit/policies');
    expect(policies.exports).toEqual(expect.arrayContaining(['keyPolicy', 'evaluate', 'parsePolicy', 'ADMIN_ACTIONS', 'SYMMETRIC_USER_ACTIONS']));
    const lint = await load('kmskit/lint');
    expect(lint.exports).toEqual(expect.arrayContaining(['lintPaths', 'lintFile', 'lintDocument', 'formatReport', 'formatSarif', 'LintInputError']));
    const emulator = await load('kmskit/emulator');
    expect(emulator.exports).toEqual(expect.arrayContaining(['createEmulator', 'startServer', 'KmsError', 'StateFileError', 'Clock']));
    const vitest = await load('kmskit/vitest');
    expect(vitest.exports).toEqual(expect.arrayContaining(['setup', 'kmskitGlobalSetup', 'startInProcessEmulator']));
    for (const [name, entry] of Object.entries({ policies, lint, emulator, vitest })) {
      expect(entry.packages!.filter((p) => /^(cdktf|constructs|@cdktf\/|@aws-sdk\/|@smithy\/)/.test(p)), `kmskit/${name}`).toEqual([]);
    }
    expect((await load('kmskit/dist/emulator/core/store.js')).error).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('a strict NodeNext consumer type-checks against the published types, and its values hold', async (ctx) => {
    skipIfNeeded(ctx);
    expect(compile.stdout + compile.stderr).toBe('');
    expect(compile.code).toBe(0);
    const r = await run('node', ['out/src/typed.js'], consumer);
    expect(r.code, show(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      decision: 'allow',
      exit: 0,
      sarif: '2.1.0',
      inputError: expect.stringMatching(/^2 the config option: rules names an unknown rule "no-such-rule"/),
      kmsError: 'NotFoundException',
      health: 'ok',
      synthFindings: 0,
      rules: true,
      admin: true,
      grantOps: true,
      constructs: ['function', 'function', 'function'],
    });
  });

  it('the README emulator example: CreateKey → Encrypt → Decrypt in-process', async (ctx) => {
    skipIfNeeded(ctx);
    const r = await run('node', ['out/src/roundtrip.js'], consumer);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toBe('secret\n');
  });

  it('the README cdktf app synthesizes with plain node, and fails synthesis naming the rule once its policy allows kms:* to "*"', async (ctx) => {
    skipIfNeeded(ctx);
    const ok = await run('node', ['out/src/main.js'], consumer);
    expect(ok.code, show(ok)).toBe(0);
    const stack = JSON.parse(readFileSync(join(consumer, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, { policy?: string }>> };
    expect(Object.keys(stack.resource.aws_kms_key ?? {})).toHaveLength(1);
    expect(Object.keys(stack.resource.aws_kms_alias ?? {})).toHaveLength(1);

    const open = await run('node', ['out/src/main-open.js'], consumer);
    expect(open.code, show(open)).not.toBe(0);
    expect(open.stderr).toMatch(/\[prod\/Orders\/Resource\] kms-star-non-root: .+ \[stack prod, aws_kms_key\.Orders_[0-9A-F]{8}, policy \/Statement\/3\/Action \(Sid "Open"\)\]/);
    expect(open.stderr).toMatch(/\[prod\/Orders\/Resource\] public-principal: .+ \[stack prod, aws_kms_key\.Orders_[0-9A-F]{8}, policy \/Statement\/3\/Principal \(Sid "Open"\)\]/);
  });

  it('the README CI lines lint cdktf.out and policy files, with SARIF', async (ctx) => {
    skipIfNeeded(ctx);
    expect(existsSync(join(consumer, 'cdktf.out', 'manifest.json')), 'the cdktf app test runs first').toBe(true);
    const lines = readFileSync(join(consumer, 'ci.sh'), 'utf8').split('\n').filter((l) => l.startsWith('npx kmskit '));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const r = await run('bash', ['-c', line], consumer);
      expect(r.code, `${line}\n${show(r)}`).toBe(1);
    }
    const sarif = JSON.parse(readFileSync(join(consumer, 'kmskit.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(sarif.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri])).toContainEqual(['public-principal', 'policies/bad-policy.json']);
  });

  it('the README lint example reports what the CLI reports, with the CLI exit code', async (ctx) => {
    skipIfNeeded(ctx);
    const api = await run('node', ['out/src/lint.js'], consumer);
    const cli = await run('npx', ['kmskit', 'lint', 'cdktf.out', 'policies'], consumer);
    expect(api.code, show(api)).toBe(1);
    expect(api.code).toBe(cli.code);
    // console.log(formatReport(...)), then the rule ids of the one document.
    const rules = api.stdout.trimEnd().split('\n').pop() ?? '';
    expect(api.stdout).toBe(`${cli.stdout}\n${rules}\n`);
    expect(rules.split(' ')).toEqual(expect.arrayContaining(['public-principal', 'kms-star-non-root']));
  });

  it('kmskit lint … | head exits quietly, with the lint exit code and no EPIPE trace', async (ctx) => {
    skipIfNeeded(ctx);
    // Far more output than a pipe buffers, so kmskit is still writing when head has gone.
    mkdirSync(join(consumer, 'many'));
    const policy = readFileSync(join(consumer, 'policies', 'bad-policy.json'), 'utf8');
    for (let i = 0; i < 400; i++) writeFileSync(join(consumer, 'many', `p${i}.json`), policy);
    const r = await run('bash', ['-c', 'set -o pipefail; npx kmskit lint many | head -n 1'], consumer);
    expect(r.stdout).toMatch(/^many\/p0\.json:\d+:\d+ /);
    expect(r.stderr, show(r)).toBe('');
    expect(r.code).toBe(1);
  });

  it("kmskit demo in a project works in a folder of its own and leaves the project's cdktf.out alone", async (ctx) => {
    skipIfNeeded(ctx);
    const own = join(consumer, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json');
    const before = readFileSync(own, 'utf8');
    const r = await run('npx', ['kmskit', 'demo'], consumer);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('Every step held.');
    expect(readFileSync(own, 'utf8')).toBe(before);
    expect(existsSync(join(consumer, 'cdktf.out', 'stacks', 'keyring'))).toBe(false);
    expect(existsSync(join(consumer, 'kmskit-demo', 'cdktf.out', 'stacks', 'keyring', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(consumer, 'kmskit-demo', '.kmskit', 'state.json'))).toBe(true);
    expect(existsSync(join(consumer, '.kmskit'))).toBe(false);
    const refused = await run('npx', ['kmskit', 'demo', '--root', '.'], consumer);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^kmskit: the demo writes cdktf\.out\/ and \.kmskit\/ into a folder of its own, and \. already holds files the demo did not make; nothing was changed\./);
    expect(readFileSync(own, 'utf8')).toBe(before);
  });

  it('a consumer vitest run with kmskit/vitest reaches the emulator with no client options', async (ctx) => {
    skipIfNeeded(ctx);
    const r = await run('npx', ['vitest', 'run', '--dir', 'test', '--reporter=json', '--outputFile=vitest.json'], consumer);
    expect(r.code, show(r)).toBe(0);
    const result = JSON.parse(readFileSync(join(consumer, 'vitest.json'), 'utf8')) as { numPassedTests: number; numFailedTests: number; testResults: Array<{ name: string }> };
    expect([result.numPassedTests, result.numFailedTests]).toEqual([1, 0]);
    expect(result.testResults.map((t) => t.name.slice(consumer.length + 1))).toEqual(['test/kms.test.ts']);
  });
});
