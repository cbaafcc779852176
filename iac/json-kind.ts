/**
 * Plain policy files, and the test that decides what a JSON file is: a key policy, a Terraform JSON
 * configuration (cdk.tf.json), a Terraform plan or state (`terraform show -json`), or something else.
 */
import type { PolicySource } from '../lint/types.js';

export type JsonKind = 'policy' | 'terraform' | 'plan' | 'other';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** What `value` (the parsed file) is. `fileName` matters only for `*.tf.json`. */
export function classifyJson(value: unknown, fileName: string): JsonKind {
  if (!isObject(value)) return 'other';
  if ('Statement' in value) return 'policy';
  if (typeof value.format_version === 'string' && (isObject(value.planned_values) || isObject(value.values))) return 'plan';
  if (fileName.endsWith('.tf.json')) return 'terraform';
  if (isObject(value.resource) || isObject(value.data)) {
    // cdktf marks its output with a "//" metadata block; a bare resource/data map is Terraform JSON too.
    if (isObject(value['//']) || isObject(value.terraform) || isObject(value.provider) || isObject(value.resource)) return 'terraform';
  }
  return 'other';
}

/**
 * A guess for text that is not valid JSON: in a folder, only files that look like a policy are
 * reported (as invalid JSON), so a broken unrelated file does not fail the run.
 */
export function looksLikePolicyText(text: string): boolean {
  return /"Statement"\s*:/.test(text);
}

export function policyFileSource(file: string, text: string): PolicySource {
  return { file, text };
}
