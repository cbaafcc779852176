/**
 * Key policies in Terraform's machine-readable plan or state (`terraform show -json`). Values there
 * are already evaluated, so a policy is plain JSON text; one the plan cannot know until apply is
 * reported as not linted.
 */
import type { KeyConfig, PolicySource } from '../../lint/types.js';
import { configTypeOf, defaultKeyPolicy, KEY_RESOURCE_TYPES, keyConfigOf, type SourcesResult } from './json-config.js';
import { type JsonPositions, pointerOf, positionOf, scanPositions } from '../json-locate.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
  tokens: string[];
}

function collect(module: unknown, tokens: string[], out: PlannedResource[]): void {
  if (!isObject(module)) return;
  const resources = Array.isArray(module.resources) ? module.resources : [];
  resources.forEach((r, i) => {
    if (!isObject(r) || typeof r.type !== 'string' || r.mode === 'data') return;
    const address = typeof r.address === 'string' ? r.address : `${r.type}.${String(r.name)}`;
    out.push({ address, type: r.type, values: isObject(r.values) ? r.values : {}, tokens: [...tokens, 'resources', String(i)] });
  });
  const children = Array.isArray(module.child_modules) ? module.child_modules : [];
  children.forEach((c, i) => collect(c, [...tokens, 'child_modules', String(i)], out));
}

/** The account of `data.aws_caller_identity` as last read, when the plan carries prior state. */
function callerAccount(plan: Record<string, unknown>): string | undefined {
  const found: string[] = [];
  const walk = (module: unknown): void => {
    if (!isObject(module)) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (isObject(r) && r.type === 'aws_caller_identity' && isObject(r.values) && typeof r.values.account_id === 'string') found.push(r.values.account_id);
    }
    for (const c of Array.isArray(module.child_modules) ? module.child_modules : []) walk(c);
  };
  const prior = plan.prior_state;
  if (isObject(prior) && isObject(prior.values)) walk(prior.values.root_module);
  if (isObject(plan.values)) walk(plan.values.root_module);
  return found[0];
}

/**
 * Splits `module.a[0].module.b.aws_kms_key.k["x"]` into its module path (`module.a[0].module.b`, ''
 * at the root), the module names (`a`, `b`) and the configuration address (`aws_kms_key.k`).
 */
function splitAddress(address: string): { prefix: string; modules: string[]; local: string } {
  const modules: string[] = [];
  let rest = address;
  let prefix = '';
  for (;;) {
    const m = /^module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\./.exec(rest);
    if (!m) break;
    modules.push(m[1]!);
    prefix += m[0];
    rest = rest.slice(m[0].length);
  }
  return { prefix, modules, local: rest.replace(/\[[^\]]*\]$/, '') };
}

/** The configured expressions of a resource (in whichever module), when the plan carries them. */
function configurationOf(plan: Record<string, unknown>, address: string): Record<string, unknown> | undefined {
  const config = plan.configuration;
  if (!isObject(config)) return undefined;
  const { modules, local } = splitAddress(address);
  let module: unknown = config.root_module;
  for (const name of modules) {
    const calls = isObject(module) && isObject(module.module_calls) ? module.module_calls : undefined;
    const call = calls?.[name];
    module = isObject(call) ? call.module : undefined;
  }
  if (!isObject(module)) return undefined;
  for (const r of Array.isArray(module.resources) ? module.resources : []) {
    if (isObject(r) && r.address === local) return isObject(r.expressions) ? r.expressions : {};
  }
  return undefined;
}

/** Addresses a key policy's key_id refers to, e.g. ["module.m.aws_kms_key.a.id", "module.m.aws_kms_key.a"]. */
function keyIdReferences(plan: Record<string, unknown>, address: string): string[] {
  const keyId = configurationOf(plan, address)?.key_id;
  if (!isObject(keyId) || !Array.isArray(keyId.references)) return [];
  const { prefix } = splitAddress(address);
  return keyId.references.filter((x): x is string => typeof x === 'string').map((ref) => prefix + ref);
}

export function sourcesFromPlan(file: string, text: string, plan: unknown): SourcesResult {
  const sources: PolicySource[] = [];
  const warnings: string[] = [];
  if (!isObject(plan)) return { sources, warnings };
  const rootTokens = isObject(plan.planned_values) ? ['planned_values', 'root_module'] : ['values', 'root_module'];
  const root = isObject(plan.planned_values) ? plan.planned_values.root_module : isObject(plan.values) ? plan.values.root_module : undefined;
  const all: PlannedResource[] = [];
  collect(root, rootTokens, all);
  let positions: JsonPositions | undefined;
  const pos = (tokens: string[]): { line: number; column: number } => {
    positions ??= scanPositions(text);
    return positionOf(positions, pointerOf(tokens));
  };
  const account = callerAccount(plan);
  const byAddress = new Map(all.map((r) => [r.address, r]));
  const types = new Set<string>(KEY_RESOURCE_TYPES);

  const targetOf = (r: PlannedResource): PlannedResource | undefined => {
    const keyId = r.values.key_id;
    if (typeof keyId === 'string') {
      const hit = all.find((k) => k !== r && types.has(k.type) && (k.values.key_id === keyId || k.values.id === keyId || k.values.arn === keyId));
      if (hit) return hit;
    }
    for (const ref of keyIdReferences(plan, r.address)) {
      const hit = byAddress.get(ref) ?? byAddress.get(ref.split('.').slice(0, 2).join('.'));
      if (hit && hit !== r) return hit;
    }
    return undefined;
  };
  const withPolicyResource = new Set<PlannedResource>();
  for (const r of all) {
    if (r.type !== 'aws_kms_key_policy') continue;
    const t = targetOf(r);
    if (t) withPolicyResource.add(t);
  }

  for (const r of all) {
    if (!types.has(r.type)) continue;
    const type = configTypeOf(r.type);
    let key: KeyConfig;
    if (type === 'aws_kms_key_policy') {
      const t = targetOf(r);
      key = t ? { ...keyConfigOf(configTypeOf(t.type), t.values, (a) => pos([...t.tokens, 'values', a])), resourceType: 'aws_kms_key_policy' } : { resourceType: type };
    } else {
      key = keyConfigOf(type, r.values, (a) => pos([...r.tokens, 'values', a]));
    }
    const policy = r.values.policy;
    if (typeof policy === 'string' && policy !== '') {
      const source: PolicySource = { file, resource: r.address, text: policy, embeddedAt: pos([...r.tokens, 'values', 'policy']), key };
      if (account !== undefined) source.ownAccount = account;
      sources.push(source);
    } else if (type === 'aws_kms_key_policy') {
      warnings.push(`${file}: ${r.address}.policy is known only after apply; not linted`);
    } else if (!withPolicyResource.has(r)) {
      const expressions = configurationOf(plan, r.address);
      if (expressions !== undefined && !('policy' in expressions)) {
        // Configured without a policy: AWS gives the key its default key policy.
        const own = account ?? '000000000000';
        sources.push({ file, resource: r.address, value: defaultKeyPolicy(own), embeddedAt: pos(r.tokens), key, ownAccount: own });
      } else {
        warnings.push(`${file}: ${r.address}.policy is known only after apply; not linted`);
      }
    }
  }
  return { sources, warnings };
}
