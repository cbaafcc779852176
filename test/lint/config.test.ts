import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, globToRegExp, loadConfigFile, parseConfig, resolveConfig, suppresses } from '../../lint/config.js';
import { knownRuleIds } from '../../lint/run.js';
import type { Finding } from '../../lint/types.js';

const known = knownRuleIds();
const parse = (value: unknown): ReturnType<typeof parseConfig> => parseConfig(JSON.stringify(value), '.kmskitrc.json', known);

describe('parseConfig', () => {
  it('accepts rule settings, ignore globs and suppressions with reasons', () => {
    const config = { rules: { 'rotation-disabled': 'off', 'missing-version': 'error' }, ignore: ['fixtures/**'], suppressions: [{ rule: 'public-principal', file: 'policies/*.json', sid: 'Public', reason: 'a public bucket key, reviewed' }] };
    expect(parse(config)).toEqual(config);
  });

  it('requires a reason on every suppression', () => {
    expect(() => parse({ suppressions: [{ rule: 'public-principal' }] })).toThrow(new ConfigError('.kmskitrc.json: suppressions[0] has no "reason": every suppression must say why'));
  });

  it('rejects an empty or blank reason', () => {
    expect(() => parse({ suppressions: [{ rule: 'public-principal', reason: '  ' }] })).toThrow('.kmskitrc.json: suppressions[0].reason is empty: every suppression must say why');
  });

  it('names an unknown rule id with a did-you-mean', () => {
    expect(() => parse({ rules: { 'rotation-disbled': 'off' } })).toThrow('.kmskitrc.json: rules names an unknown rule "rotation-disbled" (did you mean "rotation-disabled"?)');
    expect(() => parse({ suppressions: [{ rule: 'public-principle', reason: 'x' }] })).toThrow(/suppressions\[0\]\.rule names an unknown rule "public-principle" \(did you mean "public-principal"\?\)/);
  });

  it('rejects a severity that is not off, info, warning or error', () => {
    expect(() => parse({ rules: { 'rotation-disabled': 'warn' } })).toThrow('.kmskitrc.json: rules.rotation-disabled must be one of "off", "info", "warning", "error"');
  });

  it('rejects unknown properties, suggesting the near one', () => {
    expect(() => parse({ suppresions: [] })).toThrow('.kmskitrc.json: the top level has an unknown property "suppresions" (did you mean "suppressions"?)');
  });

  it('rejects text that is not JSON, naming the file', () => {
    expect(() => parseConfig('{ rules: ', 'my.json', known)).toThrow(/^my\.json: not valid JSON/);
  });
});

describe('resolveConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kmskit-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is empty when the folder has no .kmskitrc.json', () => {
    expect(resolveConfig(undefined, dir, known)).toEqual({ config: {} });
  });

  it('reads .kmskitrc.json from the folder', () => {
    writeFileSync(join(dir, '.kmskitrc.json'), JSON.stringify({ rules: { 'rotation-disabled': 'off' } }));
    try {
      expect(resolveConfig(undefined, dir, known)).toEqual({ config: { rules: { 'rotation-disabled': 'off' } }, file: '.kmskitrc.json' });
    } finally {
      rmSync(join(dir, '.kmskitrc.json'));
    }
  });

  it('requires a --config file to exist', () => {
    const missing = join(dir, 'nope.json');
    expect(() => resolveConfig(missing, dir, known)).toThrow(`cannot read config ${missing}: no such file`);
    expect(() => loadConfigFile(dir, known)).toThrow(`cannot read config ${dir}: is a directory`);
  });
});

describe('globs', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.json', 'a/b/c.json', true],
    ['*.json', 'a/b/c.txt', false],
    ['policies/*.json', 'policies/x.json', true],
    ['policies/*.json', 'policies/sub/x.json', false],
    ['policies/**/*.json', 'policies/sub/deeper/x.json', true],
    ['policies/**/*.json', 'policies/x.json', true],
    ['fixtures', 'test/fixtures/a.json', true],
    ['test/fixtures/', 'test/fixtures/a/b.json', true],
    ['./cdktf.out/**', 'cdktf.out/stacks/a/cdk.tf.json', true],
    ['**/cdk.tf.json', 'cdktf.out/stacks/a/cdk.tf.json', true],
    ['{a,b}.json', 'b.json', true],
    ['key-?.json', 'key-1.json', true],
    ['key-[0-9].json', 'key-x.json', false],
  ];
  it.each(cases)('%s matches %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});

describe('suppresses', () => {
  const finding: Finding = { ruleId: 'public-principal', severity: 'error', message: 'm', file: 'cdktf.out/stacks/keyring/cdk.tf.json', pointer: '/Statement/1', line: 1, column: 1, resource: 'keyring/aws_kms_key.data', sid: 'Public' };
  const cwd = process.cwd();
  it('matches by rule and every selector given', () => {
    expect(suppresses({ rule: 'public-principal', reason: 'r' }, finding, cwd)).toBe(true);
    expect(suppresses({ rule: 'public-principal', file: 'cdktf.out/**', sid: 'Public', reason: 'r' }, finding, cwd)).toBe(true);
    expect(suppresses({ rule: 'public-principal', sid: 'Other', reason: 'r' }, finding, cwd)).toBe(false);
    expect(suppresses({ rule: 'rotation-disabled', reason: 'r' }, finding, cwd)).toBe(false);
    expect(suppresses({ rule: 'public-principal', file: 'policies/**', reason: 'r' }, finding, cwd)).toBe(false);
  });

  it('matches a resource with or without its stack, and by wildcard', () => {
    expect(suppresses({ rule: 'public-principal', resource: 'keyring/aws_kms_key.data', reason: 'r' }, finding, cwd)).toBe(true);
    expect(suppresses({ rule: 'public-principal', resource: 'aws_kms_key.data', reason: 'r' }, finding, cwd)).toBe(true);
    expect(suppresses({ rule: 'public-principal', resource: 'keyring/*', reason: 'r' }, finding, cwd)).toBe(true);
    expect(suppresses({ rule: 'public-principal', resource: 'aws_kms_key.other', reason: 'r' }, finding, cwd)).toBe(false);
  });
});
