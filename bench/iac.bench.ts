/**
 * The reader's figures (issue 11), measured in one run: `kmskit lint` over a folder of 500 Terraform
 * `.tf` files (one module: heredoc, jsonencode and aws_iam_policy_document policies) and over 500
 * CloudFormation YAML templates (short-form tags, Fn::If), both as CLI runs, start-up included.
 * The CloudFormation half is timed next to cfn-lint on the same templates. checkov, the peer that
 * reads both, is a PyPI package and PyPI is not reachable here: it is reported as not measured.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchResult } from './types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = 500;
const ROUNDS = 3;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function run(command: string, args: string[], okCodes: number[]): { wall: number; cpu?: number } {
  const [cmd, argv] = TIME ? [TIME, ['-f', 'kmskit-bench-cpu %U %S', command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status ?? -1)) throw new Error(`${command} exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`);
  const m = /kmskit-bench-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return m ? { wall, cpu: Number(m[1]) + Number(m[2]) } : { wall };
}

/** One .tf file of the module: three keys with their policies in the three usual forms. */
function tfFile(i: number): string {
  return `data "aws_iam_policy_document" "doc_${i}" {
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "Use"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/app-${i}"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.eu-west-1.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "doc_${i}" {
  description         = "key ${i}"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.doc_${i}.json
}

resource "aws_kms_key" "encoded_${i}" {
  description         = "key ${i}"
  enable_key_rotation = ${i % 2 === 0}
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "App", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/app-${i}" }, Action = ["kms:Decrypt"], Resource = "arn:aws:kms:\${var.region}:111122223333:key/*" },
    ]
  })
}

resource "aws_kms_key" "heredoc_${i}" {
  enable_key_rotation = true
  policy              = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:root"}, "Action": "kms:*", "Resource": "*"}
      ]
    }
  EOF
}

resource "aws_kms_alias" "a_${i}" {
  name          = "alias/key-${i}"
  target_key_id = aws_kms_key.doc_${i}.key_id
}
`;
}

/** One CloudFormation template: a key with a conditional statement, an alias, a bucket using the key. */
function cfnTemplate(i: number): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: !Sub "key ${i} (\${Env})"
      EnableKeyRotation: ${i % 2 === 0}
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: Root
            Effect: Allow
            Principal:
              AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root"
            Action: "kms:*"
            Resource: "*"
          - Sid: App
            Effect: Allow
            Principal:
              AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:role/app-${i}"
            Action: [kms:Encrypt, kms:Decrypt, kms:GenerateDataKey*]
            Resource: "*"
          - !If
            - IsProd
            - !Ref AWS::NoValue
            - Sid: DevReaders
              Effect: Allow
              Principal:
                AWS: arn:aws:iam::111122223333:role/dev-readers
              Action: kms:Decrypt
              Resource: "*"
  Alias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/key-${i}
      TargetKeyId: !Ref Key
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt Key.Arn
`;
}

export const benchmark: Benchmark = {
  name: 'iac',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    const bin = join(ROOT, 'bin/kmskit.js');
    if (!existsSync(join(ROOT, 'dist/iac/load.js'))) run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], [0]);
    const scratch = mkdtempSync(join(tmpdir(), 'kmskit-bench-iac-'));
    try {
      const tf = join(scratch, 'terraform');
      const cfn = join(scratch, 'cloudformation');
      mkdirSync(tf);
      mkdirSync(cfn);
      writeFileSync(join(tf, 'providers.tf'), 'provider "aws" {\n  region = "eu-west-1"\n}\ndata "aws_caller_identity" "current" {}\nvariable "region" {\n  default = "eu-west-1"\n}\n');
      for (let i = 0; i < FILES; i++) {
        writeFileSync(join(tf, `key-${i}.tf`), tfFile(i));
        writeFileSync(join(cfn, `key-${i}.yaml`), cfnTemplate(i));
      }
      const policiesPerTf = 3;
      const kmskit = (path: string) => run(process.execPath, [bin, 'lint', path, '--format', 'json'], [0, 1]);
      kmskit(tf); // warm the file cache
      const tfRuns = Array.from({ length: ROUNDS }, () => kmskit(tf));
      const tfWall = median(tfRuns.map((r) => r.wall));
      results.push({
        figure: `lint: CLI throughput, ${FILES} Terraform .tf files (one module, ${FILES * policiesPerTf} key policies)`,
        value: FILES / tfWall,
        unit: 'files/s',
        peer: 'checkov',
        note: `wall time, median of ${ROUNDS}: ${tfWall.toFixed(2)} s (${((tfWall * 1000) / (FILES * policiesPerTf)).toFixed(2)} ms per policy, start-up included); checkov not measured: it is installed from PyPI, which is not reachable here`,
      });

      const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
      const cfnFiles = Array.from({ length: FILES }, (_, i) => join(cfn, `key-${i}.yaml`));
      const kmsRuns: Array<{ wall: number; cpu?: number }> = [];
      const peerRuns: Array<{ wall: number; cpu?: number }> = [];
      const peerOk = [0, 2, 4, 6, 8, 10, 12, 14];
      const havePeer = !version.error && version.status === 0;
      kmskit(cfn);
      // Interleaved rounds: the machine is shared, so each pair sees the same load.
      for (let r = 0; r < ROUNDS; r++) {
        kmsRuns.push(kmskit(cfn));
        if (havePeer && r < 2) peerRuns.push(run('cfn-lint', ['--format', 'json', '--', ...cfnFiles], peerOk));
      }
      const kmsWall = median(kmsRuns.map((r) => r.wall));
      if (havePeer) {
        const peerWall = median(peerRuns.map((r) => r.wall));
        const cpu = (runs: Array<{ cpu?: number }>) => (runs.every((x) => x.cpu !== undefined) ? median(runs.map((x) => x.cpu!)) : undefined);
        const kc = cpu(kmsRuns);
        const pc = cpu(peerRuns);
        results.push({
          figure: `lint: CLI throughput, ${FILES} CloudFormation YAML templates`,
          value: FILES / kmsWall,
          unit: 'templates/s',
          peer: `${version.stdout.trim()} (same templates)`,
          peerValue: FILES / peerWall,
          ratio: peerWall / kmsWall,
          note:
            `wall time, median: kmskit ${kmsWall.toFixed(2)} s (${ROUNDS} runs), cfn-lint ${peerWall.toFixed(2)} s (${peerRuns.length} runs)` +
            (kc !== undefined && pc !== undefined ? `; CPU time: kmskit ${kc.toFixed(2)} s, cfn-lint ${pc.toFixed(2)} s` : '') +
            '; one process over all files on both sides, start-up included; cfn-lint checks template grammar, kmskit the key policies',
        });
      } else {
        results.push({ figure: `lint: CLI throughput, ${FILES} CloudFormation YAML templates`, value: FILES / kmsWall, unit: 'templates/s', note: 'cfn-lint is not installed: no peer' });
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return results;
  },
};
