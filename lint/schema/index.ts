/**
 * The key-policy JSON Schema, compiled once with ajv, and its errors as (JSON Pointer, message) pairs
 * the linter can report.
 */
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import { pointerJoin } from '../../policies/parse.js';
import { KEY_POLICY_SCHEMA } from './key-policy.schema.js';

export { KEY_POLICY_SCHEMA } from './key-policy.schema.js';

export interface SchemaViolation {
  pointer: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(KEY_POLICY_SCHEMA);

function describe(pointer: string): string {
  return pointer === '' ? 'The policy document' : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

function toViolation(e: ErrorObject): SchemaViolation | undefined {
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      // Always accompanied by the then/else error that says what is actually wrong.
      return undefined;
    case 'required':
      return { pointer: pointerJoin(at, String(params.missingProperty)), message: `${describe(at)} is missing the required element ${String(params.missingProperty)}` };
    case 'additionalProperties':
      return { pointer: pointerJoin(at, String(params.additionalProperty)), message: `${describe(at)} has an element the policy grammar does not define: ${String(params.additionalProperty)}` };
    case 'enum':
      return { pointer: at, message: `${describe(at)} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { pointer: at, message: `${describe(at)} must be ${JSON.stringify(params.allowedValue)} or an object such as {"AWS": "<arn>"}` };
    case 'type':
      return { pointer: at, message: `${describe(at)} must be of type ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}` };
    case 'minItems':
      return { pointer: at, message: `${describe(at)} must not be an empty list` };
    case 'minProperties':
      return { pointer: at, message: `${describe(at)} must not be an empty object` };
    default:
      return { pointer: at, message: `${describe(at)} ${e.message ?? 'is invalid'}` };
  }
}

/**
 * Validates a parsed document against the key-policy schema. One violation per pointer, and none
 * below a pointer that already has one (a wrong-typed Statement needs one finding, not one per field).
 */
export function validateKeyPolicySchema(value: unknown): SchemaViolation[] {
  if (validate(value)) return [];
  const out: SchemaViolation[] = [];
  const seen = new Set<string>();
  const violations = (validate.errors ?? []).map(toViolation).filter((v): v is SchemaViolation => v !== undefined);
  // Shallow first, so a parent's violation suppresses its children's.
  violations.sort((a, b) => a.pointer.split('/').length - b.pointer.split('/').length);
  for (const v of violations) {
    if (seen.has(v.pointer)) continue;
    let covered = false;
    for (const s of seen) if (s !== '' && v.pointer.startsWith(s + '/')) covered = true;
    if (covered) continue;
    seen.add(v.pointer);
    out.push(v);
  }
  return out;
}
