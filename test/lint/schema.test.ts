import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { KEY_POLICY_SCHEMA, validateKeyPolicySchema } from '../../lint/schema/index.js';

const dir = new URL('../../policies/examples/', import.meta.url);
const examples = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('the key-policy JSON Schema', () => {
  it('is itself a valid draft-07 schema', () => {
    const ajv = new Ajv({ strict: true, strictTypes: false });
    expect(ajv.validateSchema(KEY_POLICY_SCHEMA)).toBe(true);
  });

  it('accepts every AWS-documented example', () => {
    for (const f of examples) expect(validateKeyPolicySchema(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))), f).toEqual([]);
  });

  it('reports a violation at the element that is wrong, once', () => {
    const doc = { Version: '2012-10-17', Statement: { Effect: 'Permit', Principal: { AWS: ['a', 3] }, Action: [], Resource: '*', Condition: { StringEquals: { k: { nested: 1 } } } } };
    expect(validateKeyPolicySchema(doc).map((v) => v.pointer).sort()).toEqual(['/Statement/Action', '/Statement/Condition/StringEquals/k', '/Statement/Effect', '/Statement/Principal/AWS/1']);
  });

  it('names a missing or unknown element at its own pointer', () => {
    const violations = validateKeyPolicySchema({ Statement: [{ Principal: '*', Action: 'kms:*', Resource: '*', Extra: 1 }] });
    expect(violations.map((v) => v.pointer).sort()).toEqual(['/Statement/0/Effect', '/Statement/0/Extra']);
    expect(violations.find((v) => v.pointer === '/Statement/0/Effect')?.message).toContain('missing the required element Effect');
  });

  it('reports a wrong-typed parent without repeating its children', () => {
    expect(validateKeyPolicySchema({ Statement: 'all of it' })).toEqual([{ pointer: '/Statement', message: expect.stringContaining('must be of type object') }]);
    expect(validateKeyPolicySchema(42).map((v) => v.pointer)).toEqual(['']);
  });
});
