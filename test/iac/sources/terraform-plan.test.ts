import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSources } from '../../../iac/load.js';
import { lineColAt } from './helpers.js';

// `terraform show -json` of a real plan of test/fixtures/lint/terraform (provider hashicorp/aws 5.100).
const PLAN = 'test/fixtures/lint/plan.json';
const text = readFileSync(PLAN, 'utf8');
const plan = JSON.parse(text) as { planned_values: { root_module: { resources: Array<{ address: string; values: { policy?: string } }>; child_modules: Array<{ resources: Array<{ address: string; values: { policy?: string } }> }> } } };

describe('Terraform plan JSON sources', () => {
  it('lints planned key policies in the root module and in child modules', async () => {
    const { sources, files } = await loadSources([PLAN]);
    expect(files).toEqual([PLAN]);
    expect(sources.map((s) => s.resource)).toEqual(['aws_kms_key.app', 'aws_kms_key.plain', 'module.signing.aws_kms_key_policy.sign']);
  });

  it('takes the policy text from values.policy and places it at that string in the file', async () => {
    const { sources } = await loadSources([PLAN]);
    const app = sources.find((s) => s.resource === 'aws_kms_key.app')!;
    const planned = plan.planned_values.root_module.resources.find((r) => r.address === 'aws_kms_key.app')!;
    expect(app.text).toBe(planned.values.policy);
    expect(app.embeddedAt).toEqual(lineColAt(text, text.indexOf(JSON.stringify(planned.values.policy))));
    expect(app.key).toMatchObject({ resourceType: 'aws_kms_key', enableKeyRotation: true, deletionWindowInDays: 10, keySpec: 'SYMMETRIC_DEFAULT' });
  });

  it('attaches a module key policy to its key through the configuration references', async () => {
    const { sources } = await loadSources([PLAN]);
    const policy = sources.find((s) => s.resource === 'module.signing.aws_kms_key_policy.sign')!;
    expect(policy.key).toMatchObject({ resourceType: 'aws_kms_key_policy', keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' });
    expect(JSON.parse(policy.text!)).toMatchObject({ Statement: [{ Sid: 'Root' }] });
  });

  it('gives a key configured without a policy the AWS default key policy', async () => {
    const { sources, warnings } = await loadSources([PLAN]);
    const plain = sources.find((s) => s.resource === 'aws_kms_key.plain')!;
    expect(plain.value).toMatchObject({ Statement: [{ Action: 'kms:*' }] });
    expect(plain.key).toMatchObject({ enableKeyRotation: false });
    expect(warnings).toEqual([]);
  });

  it('warns when a policy is known only after apply', async () => {
    const { sourcesFromPlan } = await import('../../../iac/terraform/plan.js');
    const p = {
      format_version: '1.2',
      planned_values: { root_module: { resources: [{ address: 'aws_kms_key.k', mode: 'managed', type: 'aws_kms_key', name: 'k', values: { enable_key_rotation: true } }] } },
      configuration: { root_module: { resources: [{ address: 'aws_kms_key.k', expressions: { policy: { references: ['aws_iam_policy.p'] } } }] } },
    };
    const t = JSON.stringify(p);
    const out = sourcesFromPlan('plan.json', t, p);
    expect(out.sources).toEqual([]);
    expect(out.warnings).toEqual(['plan.json: aws_kms_key.k.policy is known only after apply; not linted']);
  });
});
