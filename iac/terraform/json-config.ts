/**
 * Key policies in a Terraform JSON configuration: a stack's cdk.tf.json as `cdktf synth` writes
 * it (or any *.tf.json). One source per key policy, with the key's settings for the key-configuration
 * rules and the position of the policy string in the file for findings.
 */
import type { KeyConfig, PolicySource } from '../../lint/types.js';
import {
  mentionsCallerAccount,
  OWN_ACCOUNT_MARKER,
  policyDocumentReference,
  readJsonencode,
  resourceReference,
  renderTerraformString,
  renderTerraformStringsDeep,
  substituteCallerAccountDeep,
  wholeInterpolation,
} from './expressions.js';
import { renderPolicyDocument } from './policy-document.js';
import { type JsonPositions, pointerOf, positionOf, scanPositions } from '../json-locate.js';

export const KEY_RESOURCE_TYPES = ['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_external_key', 'aws_kms_replica_external_key', 'aws_kms_key_policy'] as const;
type KeyResourceType = (typeof KEY_RESOURCE_TYPES)[number];

/** The KeyConfig type of a Terraform resource type: a replica of an external key is an external key. */
export function configTypeOf(type: string): KeyConfig['resourceType'] {
  return type === 'aws_kms_replica_external_key' ? 'aws_kms_external_key' : (type as KeyConfig['resourceType']);
}

/**
 * The policy AWS attaches to a key created without one ("default key policy"): the account root
 * with kms:*. A key resource without a policy gets this one, so that its settings are still
 * checked and the policy it really has is what the rules see.
 */
export function defaultKeyPolicy(account: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
}

export interface SourcesResult {
  sources: PolicySource[];
  warnings: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const str = (v: unknown): string | null | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return wholeInterpolation(v) !== undefined || v.includes('${') ? null : v;
  return String(v);
};
const bool = (v: unknown): boolean | null | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
};
const num = (v: unknown): number | null | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return null;
};

type PositionAttr = keyof NonNullable<KeyConfig['attributePositions']>;
const POSITION_ATTRS: PositionAttr[] = ['enable_key_rotation', 'rotation_period_in_days', 'deletion_window_in_days', 'key_spec', 'customer_master_key_spec'];

/** The key settings of a key resource's attributes. `at(attr)` gives an attribute's position, if known. */
export function keyConfigOf(
  resourceType: KeyConfig['resourceType'],
  attrs: Record<string, unknown>,
  at?: (attr: string) => { line: number; column: number } | undefined,
): KeyConfig {
  const config: KeyConfig = { resourceType };
  const set = <K extends 'keySpec' | 'keyUsage' | 'enableKeyRotation' | 'rotationPeriodInDays' | 'deletionWindowInDays' | 'multiRegion'>(key: K, value: KeyConfig[K]): void => {
    // Absent and JSON null both mean "not set": the provider default applies.
    if (value !== undefined) config[key] = value;
  };
  set('keySpec', str(attrs.key_spec ?? attrs.customer_master_key_spec));
  set('keyUsage', str(attrs.key_usage));
  set('enableKeyRotation', bool(attrs.enable_key_rotation));
  set('rotationPeriodInDays', num(attrs.rotation_period_in_days));
  set('deletionWindowInDays', num(attrs.deletion_window_in_days));
  set('multiRegion', bool(attrs.multi_region));
  if (at) {
    const positions: NonNullable<KeyConfig['attributePositions']> = {};
    for (const a of POSITION_ATTRS) {
      if (attrs[a] === undefined || attrs[a] === null) continue;
      const p = at(a);
      if (p) positions[a] = p;
    }
    if (Object.keys(positions).length > 0) config.attributePositions = positions;
  }
  return config;
}

/**
 * The value or text of a `policy` attribute, or why it cannot be read. Caller-identity account
 * references become the own-account marker.
 */
export function readPolicyAttribute(
  policy: string,
  lookupDocument: (name: string) => unknown,
): { text: string; ownAccount?: string } | { value: unknown; ownAccount?: string; document?: string } | { unknown: string } {
  const docName = policyDocumentReference(policy);
  if (docName !== undefined) {
    const block = lookupDocument(docName);
    if (block === undefined) return { unknown: `a reference to data.aws_iam_policy_document.${docName}, which is not in this file` };
    const rendered = renderPolicyDocument(docName, block, lookupDocument);
    if (!rendered.ok) return { unknown: `rendered from data.aws_iam_policy_document.${docName}, but ${rendered.reason}` };
    return withAccount(renderTerraformStringsDeep(rendered.value), docName);
  }
  const encoded = readJsonencode(policy);
  if (encoded !== undefined) {
    if (!encoded.ok) return { unknown: `a jsonencode() expression this linter cannot read (${encoded.reason})` };
    if (typeof encoded.value === 'string' && encoded.value.includes('${')) return { unknown: `an expression known only at apply time (${policy})` };
    return withAccount(encoded.value);
  }
  if (wholeInterpolation(policy) !== undefined) return { unknown: `an expression known only at apply time (${policy})` };
  const text = renderTerraformString(policy);
  return mentionsCallerAccount(policy) ? { text, ownAccount: OWN_ACCOUNT_MARKER } : { text };
}

function withAccount(value: unknown, document?: string): { value: unknown; ownAccount?: string; document?: string } {
  const before = JSON.stringify(value);
  const after = substituteCallerAccountDeep(value);
  const out: { value: unknown; ownAccount?: string; document?: string } = { value: after };
  // The jsonencode reader already maps bare caller-identity references to the marker.
  if (before.includes(OWN_ACCOUNT_MARKER) || mentionsCallerAccount(before)) out.ownAccount = OWN_ACCOUNT_MARKER;
  if (document !== undefined) out.document = document;
  return out;
}

/** Key policy sources of one Terraform JSON configuration. `text` has already parsed as `json`. */
export function sourcesFromTerraformJson(file: string, text: string, json: unknown): SourcesResult {
  const sources: PolicySource[] = [];
  const warnings: string[] = [];
  if (!isObject(json)) return { sources, warnings };
  let positions: JsonPositions | undefined;
  const pos = (tokens: string[]): { line: number; column: number } => {
    positions ??= scanPositions(text);
    return positionOf(positions, pointerOf(tokens));
  };
  const meta = json['//'];
  const stack = isObject(meta) && isObject(meta.metadata) && typeof meta.metadata.stackName === 'string' ? meta.metadata.stackName : undefined;
  const address = (type: string, name: string): string => (stack ? `${stack}/${type}.${name}` : `${type}.${name}`);

  const data = isObject(json.data) ? json.data : {};
  const documents = isObject(data.aws_iam_policy_document) ? data.aws_iam_policy_document : {};
  const lookupDocument = (name: string): unknown => (Object.hasOwn(documents, name) ? documents[name] : undefined);

  const resources = isObject(json.resource) ? json.resource : {};
  const blocksOf = (type: string): [string, Record<string, unknown>][] => {
    const byName = resources[type];
    if (!isObject(byName)) return [];
    return Object.entries(byName).filter((e): e is [string, Record<string, unknown>] => isObject(e[1]));
  };
  const configOf = (type: KeyResourceType, name: string, attrs: Record<string, unknown>): KeyConfig =>
    keyConfigOf(configTypeOf(type), attrs, (a) => pos(['resource', type, name, a]));

  // Which keys have their policy set by a separate aws_kms_key_policy.
  const policyTargets = new Map<string, string>();
  for (const [name, attrs] of blocksOf('aws_kms_key_policy')) {
    const ref = typeof attrs.key_id === 'string' ? resourceReference(attrs.key_id) : undefined;
    if (ref) policyTargets.set(`${ref.type}.${ref.name}`, name);
  }

  for (const type of KEY_RESOURCE_TYPES) {
    for (const [name, attrs] of blocksOf(type)) {
      const resource = address(type, name);
      let key: KeyConfig;
      if (type === 'aws_kms_key_policy') {
        const ref = typeof attrs.key_id === 'string' ? resourceReference(attrs.key_id) : undefined;
        const target = ref && ref.type !== 'aws_kms_key_policy' && (KEY_RESOURCE_TYPES as readonly string[]).includes(ref.type) ? resources[ref.type] : undefined;
        const targetAttrs = ref && isObject(target) && isObject(target[ref.name]) ? (target[ref.name] as Record<string, unknown>) : undefined;
        key = targetAttrs
          ? { ...keyConfigOf(configTypeOf(ref!.type), targetAttrs, (a) => pos(['resource', ref!.type, ref!.name, a])), resourceType: 'aws_kms_key_policy' }
          : { resourceType: 'aws_kms_key_policy' };
      } else {
        key = configOf(type, name, attrs);
        if (type === 'aws_kms_replica_key' && typeof attrs.primary_key_arn === 'string') {
          // A replica shares its primary's key material, so spec and usage come from the primary.
          const ref = resourceReference(attrs.primary_key_arn);
          const primaries = ref ? resources[ref.type] : undefined;
          const primary = ref && isObject(primaries) && isObject(primaries[ref.name]) ? (primaries[ref.name] as Record<string, unknown>) : undefined;
          if (primary) {
            const p = keyConfigOf('aws_kms_key', primary);
            if (key.keySpec === undefined && p.keySpec !== undefined) key.keySpec = p.keySpec;
            if (key.keyUsage === undefined && p.keyUsage !== undefined) key.keyUsage = p.keyUsage;
          }
        }
      }

      const policy = attrs.policy;
      if (policy === undefined || policy === null) {
        if (type === 'aws_kms_key_policy') {
          warnings.push(`${file}: ${resource} has no policy attribute; not linted`);
          continue;
        }
        // The key's policy is set elsewhere; that source carries the key's settings.
        if (policyTargets.has(`${type}.${name}`)) continue;
        sources.push({
          file,
          resource,
          value: defaultKeyPolicy(OWN_ACCOUNT_MARKER),
          embeddedAt: pos(['resource', type, name]),
          key,
          ownAccount: OWN_ACCOUNT_MARKER,
        });
        continue;
      }
      if (typeof policy !== 'string') {
        warnings.push(`${file}: ${resource}.policy is not a string; not linted`);
        continue;
      }
      const read = readPolicyAttribute(policy, lookupDocument);
      if ('unknown' in read) {
        warnings.push(`${file}: ${resource}.policy is ${read.unknown}; not linted`);
        continue;
      }
      const source: PolicySource = { file, resource, key };
      if ('text' in read) {
        source.text = read.text;
        source.embeddedAt = pos(['resource', type, name, 'policy']);
      } else {
        source.value = read.value;
        // A rendered document is fixed where it is written, so findings point at its block.
        source.embeddedAt = read.document !== undefined ? pos(['data', 'aws_iam_policy_document', read.document]) : pos(['resource', type, name, 'policy']);
      }
      if (read.ownAccount !== undefined) source.ownAccount = read.ownAccount;
      sources.push(source);
    }
  }
  return { sources, warnings };
}
