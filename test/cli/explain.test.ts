import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { ACCESS_COLUMNS, explainPolicy, formatExplanation, type KeyExplanation } from '../../lint/explain.js';
import { evaluate } from '../../policies/evaluate.js';
import { parsePolicy } from '../../policies/parse.js';

const ROOT = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
const doc = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ...statements] }, null, 2);

let dir: string;
const files: Record<string, string> = {};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmskit-explain-'));
  const write = (name: string, text: string): void => {
    files[name] = join(dir, `${name}.json`);
    writeFileSync(files[name], text);
  };
  write('public', doc({ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }));
  write('via-service-only', doc({ Sid: 'ViaS3', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }));
  write(
    'ebs',
    doc({
      Sid: 'Ebs',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:CreateGrant'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com', 'kms:CallerAccount': '111122223333' } },
    }),
  );
  write(
    'users',
    doc(
      { Sid: 'App', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
      { Sid: 'AppGrants', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
      { Sid: 'NoDecryptOffNetwork', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'kms:Decrypt', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      { Sid: 'Signer', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/Signer' }, Action: 'kms:Sign', Resource: '*' },
      { Sid: 'NoSign', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/Signer' }, Action: 'kms:Sign', Resource: '*' },
    ),
  );
  write('broken', '{"Statement": [');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const explain = (name: string): KeyExplanation => explainPolicy({ file: files[name]!, text: readFileSync(files[name]!, 'utf8') });

async function kmskit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await run(['node', 'kmskit', ...args], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('explainPolicy', () => {
  it('agrees with evaluate() on every cell', () => {
    for (const name of ['public', 'users', 'ebs', 'via-service-only']) {
      const e = explain(name);
      const policy = parsePolicy(readFileSync(files[name]!, 'utf8')).policy!;
      for (const row of e.rows) {
        for (const { column, action } of ACCESS_COLUMNS) {
          const r = evaluate({ principal: row.principal, action, resource: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' }, [policy]);
          const direct = r.allowedBy.some((m) => m.principalMatch !== 'account');
          const cell = row.cells[column];
          const where = `${name}: ${row.label} × ${column}`;
          if (cell.decision === 'deny') expect(r.decision, where).toBe('explicit-deny');
          // A conditional Deny (listed under "unless") may deny the bare request; otherwise it must allow.
          if (cell.decision === 'allow') expect(cell.unless.length > 0 || (r.decision === 'allow' && direct), where).toBe(true);
          if (cell.decision === 'iam') expect(cell.unless.length > 0 || (r.decision === 'allow' && !direct), where).toBe(true);
          if (cell.decision === 'conditional' || cell.decision === 'none') expect(r.decision === 'allow' && direct, where).toBe(false);
        }
      }
    }
  });

  it('lists every named principal, the IAM principals of named accounts, and anyone else', () => {
    const e = explain('users');
    expect(e.rows.map((r) => [r.label, r.kind])).toEqual([
      ['arn:aws:iam::111122223333:root', 'named'],
      ['arn:aws:iam::111122223333:role/App', 'named'],
      ['arn:aws:iam::111122223333:role/Signer', 'named'],
      ['IAM principals of 111122223333', 'account-principals'],
      ['* (anyone else)', 'anyone'],
    ]);
  });

  it('shows the conditions that gate a cell, and the conditions of a Deny that may take it away', () => {
    const app = explain('users').rows.find((r) => r.label.endsWith('role/App'))!;
    expect(app.cells.encrypt).toMatchObject({ decision: 'allow', unless: [] });
    expect(app.cells.grant).toMatchObject({ decision: 'conditional', conditions: ['Bool kms:GrantIsForAWSResource true'], statements: ['AppGrants'] });
    expect(app.cells.decrypt).toMatchObject({ decision: 'allow', unless: ['NotIpAddress aws:SourceIp 10.0.0.0/8'], statements: ['App'] });
    const signer = explain('users').rows.find((r) => r.label.endsWith('role/Signer'))!;
    expect(signer.cells.sign).toMatchObject({ decision: 'deny', statements: ['NoSign'] });
  });

  it('marks access delegated to IAM policies of the named account', () => {
    const iam = explain('users').rows.find((r) => r.kind === 'account-principals')!;
    expect(iam.cells.admin.decision).toBe('iam');
  });

  it('flags a wildcard principal without conditions as public', () => {
    const e = explain('public');
    expect(e.publicAccess).toEqual([{ column: 'decrypt', conditional: false, conditions: [] }]);
  });

  it('flags public access gated only by conditions the caller controls (kms:ViaService alone)', () => {
    const e = explain('via-service-only');
    expect(e.publicAccess.map((p) => [p.column, p.conditional])).toEqual([
      ['encrypt', true],
      ['decrypt', true],
    ]);
  });

  it('does not flag the documented EBS pattern, where kms:CallerAccount keeps strangers out', () => {
    const e = explain('ebs');
    const anyone = e.rows.find((r) => r.kind === 'anyone')!;
    expect(anyone.cells.decrypt.decision).toBe('conditional');
    expect(e.publicAccess).toEqual([]);
  });

  const explainDoc = (statements: object[], withRoot = true): KeyExplanation =>
    explainPolicy({ file: 'inline.json', text: JSON.stringify({ Version: '2012-10-17', Statement: withRoot ? [ROOT, ...statements] : statements }) });

  it('shows no administrator for a malformed root, and says it was ignored (it grants nothing)', () => {
    const e = explainDoc([{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::account-id:root' }, Action: 'kms:*', Resource: '*' }], false);
    expect(e.rows.map((r) => r.label)).toEqual(['* (anyone else)']);
    expect(e.rows.every((r) => r.cells.admin.decision === 'none')).toBe(true);
    expect(e.ignoredPrincipals?.map((p) => p.principal)).toEqual(['arn:aws:iam::account-id:root']);
    expect(formatExplanation(e)).toContain('ignored: arn:aws:iam::account-id:root (cannot exist, grants nothing');
  });

  it('flags Allow + NotPrincipal as public (IAM User Guide, "NotPrincipal")', () => {
    const e = explainDoc([{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'kms:Decrypt', Resource: '*' }]);
    expect(e.publicAccess).toEqual([{ column: 'decrypt', conditional: false, conditions: [] }]);
  });

  it('flags public access to actions outside the columns, such as DescribeKey', () => {
    const e = explainDoc([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:DescribeKey', Resource: '*' }]);
    expect(e.publicAccess).toEqual([{ column: 'other', conditional: false, conditions: [], actions: ['kms:DescribeKey'] }]);
    expect(formatExplanation(e)).toContain('PUBLIC: anyone can kms:DescribeKey with this key');
  });

  it('does not flag "*" behind a data-perimeter Deny on aws:PrincipalOrgID', () => {
    const e = explainDoc([
      { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
    ]);
    expect(e.publicAccess).toEqual([]);
  });

  it('says why it cannot explain a policy that does not parse', () => {
    expect(explain('broken').error).toBeTruthy();
  });
});

describe('kmskit explain', () => {
  it('prints one table per key policy with the public flag', async () => {
    const { code, stdout } = await kmskit('explain', files.public!, files.users!);
    expect(code).toBe(0);
    expect(stdout).toContain(`${files.public}\n  PRINCIPAL `);
    expect(stdout).toMatch(/^ {2}PRINCIPAL +ADMIN +ENCRYPT +DECRYPT +GRANT +SIGN +MAC$/m);
    expect(stdout).toMatch(/^ {2}\* \(anyone else\) +- +- +yes +- +- +-$/m);
    expect(stdout).toContain('PUBLIC: anyone can decrypt with this key');
    expect(stdout).toMatch(/\[\d\] Bool kms:GrantIsForAWSResource true/);
  });

  it('explains the keys of a synthesized stack, by resource', async () => {
    const { code, stdout, stderr } = await kmskit('explain', 'test/fixtures/lint/synth');
    expect(code).toBe(0);
    expect(stdout).toContain('(keyring/aws_kms_key.public_key)');
    expect(stderr).toBe('');
  });

  it('explains a Terraform folder and a CloudFormation template', async () => {
    const { code, stdout } = await kmskit('explain', 'test/fixtures/iac/terraform/app', 'test/fixtures/iac/cloudformation/data-key.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('(aws_kms_key.ledger)');
    expect(stdout).toContain('(data-key/DataKey, reading 2 of 2)');
    expect(stdout).toContain('PUBLIC: anyone can decrypt with this key');
  });

  it('exits 2 on input it cannot read, naming the place', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n');
    const { code, stderr } = await kmskit('explain', broken);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`kmskit: error: ${broken.replace(/[.]/g, '\\.')}:\\d+:\\d+: .*YAML syntax error`));
  });

  it('prints JSON with --format json', async () => {
    const { stdout } = await kmskit('explain', files.public!, '--format', 'json');
    const out = JSON.parse(stdout) as { keys: KeyExplanation[] };
    expect(out.keys).toHaveLength(1);
    expect(out.keys[0]!.publicAccess[0]!.column).toBe('decrypt');
  });

  it('exits 2 naming a path that does not exist', async () => {
    const { code, stderr } = await kmskit('explain', join(dir, 'nope.json'));
    expect(code).toBe(2);
    expect(stderr).toBe(`kmskit: cannot read ${join(dir, 'nope.json')}: no such file or directory\n`);
  });
});
