/**
 * The neutral model (iac/) → the documents the linter judges: one PolicySource per key policy, with
 * the key's settings for the key-configuration rules, the own account, and the file position of
 * every value. A key without a policy is judged with AWS's default key policy.
 */
import { OWN_ACCOUNT_MARKER, ownAccountText } from '../iac/account.js';
import type { IacValue, KeyResource, KmsResource, PolicyInput } from '../iac/model.js';
import { isKey } from '../iac/model.js';
import { branchCombinations, choices, render, renderText } from '../iac/render.js';
import { readJson } from '../iac/json.js';
import { LineIndex, type Location } from '../iac/positions.js';
import { someValue } from '../iac/values.js';
import type { KeyConfig, PolicySource } from './types.js';

/**
 * The policy AWS attaches to a key created without one ("default key policy"): the account root
 * with kms:*. A key resource without a policy gets this one, so that its settings are still
 * checked and the policy it really has is what the rules see.
 */
export function defaultKeyPolicy(account: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

type PositionAttr = keyof NonNullable<KeyConfig['attributePositions']>;
const POSITION_ATTRS: PositionAttr[] = ['enable_key_rotation', 'rotation_period_in_days', 'deletion_window_in_days', 'key_spec', 'customer_master_key_spec'];

const str = (v: IacValue | undefined): string | null | undefined => {
  if (v === undefined || (v.kind === 'literal' && v.value === null)) return undefined;
  if (v.kind === 'literal') return String(v.value);
  return null;
};
const bool = (v: IacValue | undefined): boolean | null | undefined => {
  if (v === undefined || (v.kind === 'literal' && v.value === null)) return undefined;
  if (v.kind === 'literal' && typeof v.value === 'boolean') return v.value;
  if (v.kind === 'literal' && (v.value === 'true' || v.value === 'false')) return v.value === 'true';
  return null;
};
const num = (v: IacValue | undefined): number | null | undefined => {
  if (v === undefined || (v.kind === 'literal' && v.value === null)) return undefined;
  if (v.kind === 'literal' && typeof v.value === 'number') return v.value;
  if (v.kind === 'literal' && typeof v.value === 'string' && /^-?\d+$/.test(v.value)) return Number(v.value);
  return null;
};

const CONFIG_TYPE: Record<KeyResource['kind'], KeyConfig['resourceType']> = {
  key: 'aws_kms_key',
  'replica-key': 'aws_kms_replica_key',
  'external-key': 'aws_kms_external_key',
  'replica-external-key': 'aws_kms_external_key',
};

/** The key settings the key-configuration rules read, from a key's attributes. */
export function keyConfigOf(key: KeyResource, resourceType: KeyConfig['resourceType'] = CONFIG_TYPE[key.kind], primary?: KeyResource): KeyConfig {
  const a = key.attributes;
  const config: KeyConfig = { resourceType };
  const set = <K extends 'keySpec' | 'keyUsage' | 'enableKeyRotation' | 'rotationPeriodInDays' | 'deletionWindowInDays' | 'multiRegion'>(k: K, value: KeyConfig[K]): void => {
    if (value !== undefined) config[k] = value;
  };
  set('keySpec', str(a.key_spec ?? a.customer_master_key_spec));
  set('keyUsage', str(a.key_usage));
  set('enableKeyRotation', bool(a.enable_key_rotation));
  set('rotationPeriodInDays', num(a.rotation_period_in_days));
  set('deletionWindowInDays', num(a.deletion_window_in_days));
  set('multiRegion', key.kind === 'replica-key' || key.kind === 'replica-external-key' ? (bool(a.multi_region) ?? true) : bool(a.multi_region));
  if (primary) {
    // A replica shares its primary's key material, so spec and usage come from the primary.
    const p = keyConfigOf(primary, 'aws_kms_key');
    if (config.keySpec === undefined && p.keySpec !== undefined) config.keySpec = p.keySpec;
    if (config.keyUsage === undefined && p.keyUsage !== undefined) config.keyUsage = p.keyUsage;
  }
  const positions: NonNullable<KeyConfig['attributePositions']> = {};
  for (const attr of POSITION_ATTRS) {
    const v = a[attr];
    if (v === undefined || (v.kind === 'literal' && v.value === null)) continue;
    positions[attr] = { line: v.at.line, column: v.at.column, file: v.at.file };
  }
  if (Object.keys(positions).length > 0) config.attributePositions = positions;
  return config;
}

function mentionsOwnAccount(v: IacValue): boolean {
  return someValue(v, (n) => n.kind === 'own-account');
}

function qualified(r: KmsResource): string {
  return r.stack !== undefined ? `${r.stack}/${r.address}` : r.address;
}

/** One policy input → a source (text with its way back to the file, or a value with positions). */
function policySource(r: KmsResource, policy: PolicyInput, key: KeyConfig | undefined): PolicySource | undefined {
  const own = ownAccountText(r.account);
  const mentionsOwn = mentionsOwnAccount(policy.value);
  const base: PolicySource = {
    file: policy.form === 'text' ? policy.file : r.file,
    ...(r.kind !== 'policy' ? { resource: qualified(r) } : {}),
    ...(key ? { key } : {}),
    account: r.account,
    ...(r.account.id !== undefined ? { ownAccount: r.account.id } : mentionsOwn ? { ownAccount: OWN_ACCOUNT_MARKER } : {}),
  };
  if (policy.form === 'text') {
    const v = policy.value;
    if (v.kind === 'literal' && typeof v.value === 'string') {
      // A policy file, a file(): the text as it is. A JSON string in a JSON file: findings at the string.
      if (v.verbatim && v.at.line === 1 && v.at.column === 1 && v.at.file === base.file) return policy.validJson ? { ...base, text: v.value } : withTolerantReading({ ...base, text: v.value });
      if (v.verbatim) {
        const text = renderText(v, { ownAccount: own });
        return withTolerantReading({ ...base, text: text.text, locate: (o) => text.locate(o) });
      }
      return withTolerantReading({ ...base, text: v.value, embeddedAt: { line: v.at.line, column: v.at.column } });
    }
    const text = renderText(v, { ownAccount: own });
    const verbatim = text.pieces.some((p) => p.verbatim);
    if (!verbatim) return withTolerantReading({ ...base, text: text.text, embeddedAt: { line: v.at.line, column: v.at.column } });
    return withTolerantReading({ ...base, text: text.text, locate: (o) => text.locate(o) });
  }
  const combos = branchCombinations(choices(policy.value));
  const [first, ...others] = combos.map((c) => render(policy.value, { ownAccount: own, choices: c }));
  if (!first) return undefined;
  const source: PolicySource = { ...base, value: first.value, positions: first.positions };
  if (others.length > 0) source.variants = others.map((o) => ({ value: o.value, positions: o.positions }));
  return source;
}

/**
 * A policy text that is not valid JSON (a trailing comma in a heredoc) is also read by the tolerant
 * parse, so an exposure in the rest of it is still found; its positions map back like the text's.
 */
function withTolerantReading(source: PolicySource): PolicySource {
  const text = source.text ?? '';
  try {
    JSON.parse(text);
    return source;
  } catch {
    const index = new LineIndex(source.file, text);
    const read = readJson(text, source.file, undefined, index);
    if (!read.value || read.value.kind !== 'object') return source;
    const r = render(read.value, { ownAccount: source.ownAccount ?? OWN_ACCOUNT_MARKER });
    let positions: ReadonlyMap<string, Location> = r.positions;
    if (source.embeddedAt) {
      const at: Location = { file: source.file, ...source.embeddedAt };
      positions = new Map([...r.positions].map(([k]) => [k, at]));
    } else if (source.locate) {
      const locate = source.locate;
      positions = new Map([...r.positions].map(([k, p]) => [k, locate(index.offsetOf(p.line, p.column)) ?? p]));
    }
    return { ...source, variants: [{ value: r.value, positions }] };
  }
}

/** The key policies of the resources, in order, as lint sources. */
export function policySources(resources: readonly KmsResource[]): PolicySource[] {
  const out: PolicySource[] = [];
  const keys = new Map(resources.filter(isKey).map((k) => [k.address, k]));
  const primaryOf = (k: KeyResource): KeyResource | undefined => {
    const ref = k.attributes.primary_key_arn;
    return ref?.kind === 'reference' && ref.path.length >= 2 ? keys.get(`${ref.path[0]}.${ref.path[1]}`) : ref?.kind === 'reference' && ref.path[0] === 'GetAtt' ? keys.get(ref.path[1]!) : undefined;
  };
  for (const r of resources) {
    if (isKey(r)) {
      if (r.policyManagedElsewhere || r.policyUnreadable) continue;
      const key = keyConfigOf(r, CONFIG_TYPE[r.kind], r.kind === 'replica-key' ? primaryOf(r) : undefined);
      if (!r.policy) {
        const own = ownAccountText(r.account);
        out.push({ file: r.file, resource: qualified(r), value: defaultKeyPolicy(own), embeddedAt: { line: r.at.line, column: r.at.column }, key, account: r.account, ownAccount: own });
        continue;
      }
      const s = policySource(r, r.policy, key);
      if (s) out.push(s);
    } else if ((r.kind === 'key-policy' || r.kind === 'policy') && r.policy) {
      const key = r.kind === 'key-policy' ? (r.key ? { ...keyConfigOf(r.key), resourceType: 'aws_kms_key_policy' as const } : { resourceType: 'aws_kms_key_policy' as const }) : undefined;
      const s = policySource(r, r.policy, key);
      if (s) out.push(s);
    }
  }
  return out;
}
