import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lint, positionOf, read } from './helpers.js';
import { tmpdirWith } from './tmp.js';

const STATE = 'test/fixtures/iac/state/terraform.tfstate';
const PLAN = 'test/fixtures/lint/plan.json';
const stateText = readFileSync(STATE, 'utf8');

describe('terraform.tfstate (version 4)', () => {
  it('reads the managed keys of every module and instance, with their addresses', async () => {
    const { model, sources } = await read([STATE]);
    expect(model.units[0]!.input).toBe('terraform-state');
    expect(sources.map((s) => s.resource)).toEqual(['aws_kms_key.orders', 'module.audit.aws_kms_key.logs["eu"]']);
  });

  it('takes the own account from data.aws_caller_identity in the state', async () => {
    const { sources } = await read([STATE]);
    expect(sources[0]!.account).toEqual({ id: '111122223333', source: 'state' });
  });

  it('reports at the policy string and at the attribute, in the state file', async () => {
    const { findings } = await lint([STATE]);
    const open = findings.find((f) => f.ruleId === 'public-principal')!;
    expect({ line: open.line, column: open.column }).toEqual(positionOf(stateText, '"{\\"Statement', '"name": "orders"'));
    const rotation = findings.find((f) => f.ruleId === 'rotation-disabled')!;
    expect(rotation.line).toBe(positionOf(stateText, '"enable_key_rotation": false').line);
    expect(findings.find((f) => f.ruleId === 'cross-account-admin')!.resource).toBe('module.audit.aws_kms_key.logs["eu"]');
    // The provider's 0 for "no rotation period" is not a period out of range.
    expect(findings.map((f) => f.ruleId)).not.toContain('rotation-period-out-of-range');
  });

  it('is read as a state by its content, whatever its name', async () => {
    const dir = tmpdirWith({ 'backup.json': stateText });
    const { model } = await read([dir]);
    expect(model.units.map((u) => u.input)).toEqual(['terraform-state']);
  });
});

describe('terraform show -json', () => {
  it('reads a plan (planned values, configuration, prior state)', async () => {
    const { model, sources } = await read([PLAN]);
    expect(model.units[0]!.input).toBe('terraform-plan');
    expect(sources.map((s) => s.resource)).toContain('aws_kms_key.app');
  });

  it('reads the state view (values.root_module)', async () => {
    const plan = JSON.parse(readFileSync(PLAN, 'utf8')) as { format_version: string; terraform_version: string; planned_values: unknown };
    const dir = tmpdirWith({ 'state.json': JSON.stringify({ format_version: plan.format_version, terraform_version: plan.terraform_version, values: plan.planned_values }, null, 2) });
    const { model, sources } = await read([dir]);
    expect(model.units.map((u) => u.input)).toEqual(['terraform-state']);
    expect(sources.map((s) => s.resource)).toContain('aws_kms_key.app');
  });
});
