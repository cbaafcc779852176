/**
 * Terraform's evaluated views: a plan or state as `terraform show -json` prints it, and the state
 * file itself (`terraform.tfstate`, format version 4). Values there are final, so a policy is plain
 * JSON text (a `${` in it is literal, e.g. an IAM policy variable); a policy the plan knows only
 * after apply is reported as not linted.
 */
import { resolveOwnAccount } from '../account.js';
import type { IacUnit, IacValue, InputKind, KeyResource, KmsResource } from '../model.js';
import type { Location } from '../positions.js';
import { entries, literalString, member } from '../values.js';
import { TERRAFORM_KMS_TYPES } from './config.js';

interface Instance {
  address: string;
  type: string;
  mode: string;
  values: IacValue | undefined;
  at: Location;
  /** The configuration's expressions for the resource (plan only). */
  expressions?: IacValue;
  /** Module prefix of the address (`module.a.`), for resolving configuration references. */
  prefix: string;
}

function items(v: IacValue | undefined): IacValue[] {
  return v?.kind === 'tuple' ? v.items : [];
}

/** `show -json`: resources of root_module and child_modules, recursively. */
function showResources(module: IacValue | undefined, out: Instance[]): void {
  for (const r of items(member(module, 'resources'))) {
    const type = literalString(member(r, 'type'));
    if (type === undefined) continue;
    const address = literalString(member(r, 'address')) ?? `${type}.${literalString(member(r, 'name')) ?? ''}`;
    out.push({ address, type, mode: literalString(member(r, 'mode')) ?? 'managed', values: member(r, 'values'), at: r.at, prefix: splitAddress(address).prefix });
  }
  for (const c of items(member(module, 'child_modules'))) showResources(c, out);
}

/** A state file (version 4): resources with their instances. */
function stateResources(root: IacValue, out: Instance[]): void {
  for (const r of items(member(root, 'resources'))) {
    const type = literalString(member(r, 'type'));
    const name = literalString(member(r, 'name'));
    if (type === undefined || name === undefined) continue;
    const module = literalString(member(r, 'module'));
    const mode = literalString(member(r, 'mode')) ?? 'managed';
    const prefix = module ? `${module}.` : '';
    const base = `${prefix}${mode === 'data' ? 'data.' : ''}${type}.${name}`;
    for (const inst of items(member(r, 'instances'))) {
      const key = member(inst, 'index_key');
      const suffix = key?.kind === 'literal' && key.value !== null ? `[${typeof key.value === 'string' ? JSON.stringify(key.value) : String(key.value)}]` : '';
      out.push({ address: base + suffix, type, mode, values: member(inst, 'attributes'), at: inst.at, prefix });
    }
  }
}

/**
 * Splits `module.a[0].module.b.aws_kms_key.k["x"]` into its module prefix (`module.a[0].module.b.`),
 * the module names (`a`, `b`) and the configuration address (`aws_kms_key.k`).
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

/** The configured expressions of a resource, when the plan carries its configuration. */
function configurationOf(config: IacValue | undefined, address: string): IacValue | undefined {
  if (!config) return undefined;
  const { modules, local } = splitAddress(address);
  let module = member(config, 'root_module');
  for (const name of modules) module = member(member(member(module, 'module_calls'), name), 'module');
  if (!module) return undefined;
  for (const r of items(member(module, 'resources'))) {
    if (literalString(member(r, 'address')) === local) return member(r, 'expressions') ?? { kind: 'object', members: [], at: r.at };
  }
  return undefined;
}

export interface StateResult {
  unit: IacUnit;
  notes: string[];
}

/** Reads a plan, a `show -json` state or a state file (already read into `root`). */
export function readState(root: IacValue, file: string, input: InputKind, options: { account?: string }): StateResult {
  const notes: string[] = [];
  const all: Instance[] = [];
  const planned = member(root, 'planned_values');
  if (input === 'terraform-state' && member(root, 'version')?.kind === 'literal' && member(root, 'resources')) stateResources(root, all);
  else showResources(member(planned ?? member(root, 'values'), 'root_module'), all);
  const configuration = member(root, 'configuration');
  for (const i of all) {
    const e = configurationOf(configuration, i.address);
    if (e) i.expressions = e;
  }

  // The caller identity as last read: a plan's prior state, a state's data source.
  const identities: Instance[] = [];
  showResources(member(member(member(root, 'prior_state'), 'values'), 'root_module'), identities);
  const callerAccount = [...identities, ...all].filter((i) => i.type === 'aws_caller_identity').map((i) => literalString(member(i.values, 'account_id'))).find((a) => a !== undefined);
  const account = resolveOwnAccount({ ...(options.account !== undefined ? { flag: options.account } : {}), ...(callerAccount !== undefined ? { state: callerAccount } : {}) });

  const kms = all.filter((i) => i.mode !== 'data' && TERRAFORM_KMS_TYPES[i.type] !== undefined);
  const otherResources: Record<string, number> = {};
  for (const i of all) if (i.mode !== 'data' && TERRAFORM_KMS_TYPES[i.type] === undefined) otherResources[i.type] = (otherResources[i.type] ?? 0) + 1;

  const resources: KmsResource[] = [];
  const keys = new Map<Instance, KeyResource>();
  for (const i of kms) {
    const kind = TERRAFORM_KMS_TYPES[i.type]!;
    const attributes: Record<string, IacValue> = {};
    for (const m of entries(i.values)) {
      if (m.value.kind === 'literal' && m.value.value === null) continue;
      // The provider records 0 for a rotation period it was not given (rotation off or the default).
      if (m.key === 'rotation_period_in_days' && m.value.kind === 'literal' && m.value.value === 0) continue;
      attributes[m.key] = m.value;
    }
    const base = { sourceType: i.type, address: i.address, file, at: i.at, input, account, attributes };
    if (kind === 'alias' || kind === 'grant') {
      resources.push({ ...base, kind });
      continue;
    }
    const policyText = attributes.policy;
    const policy = policyText?.kind === 'literal' && typeof policyText.value === 'string' && policyText.value !== '' ? { form: 'text' as const, value: policyText, file } : undefined;
    if (kind === 'key-policy') {
      if (!policy) notes.push(`${file}: ${i.address}.policy is known only after apply; not linted`);
      resources.push({ ...base, kind, ...(policy ? { policy } : {}) });
      continue;
    }
    const key: KeyResource = { ...base, kind, ...(policy ? { policy } : {}) };
    if (!policy) {
      // Configured without a policy: the key gets AWS's default one. Otherwise it is known only after apply.
      const expressions = i.expressions;
      const configuredWithout = input === 'terraform-plan' ? expressions !== undefined && member(expressions, 'policy') === undefined : false;
      if (!configuredWithout) key.policyUnreadable = true;
    }
    keys.set(i, key);
    resources.push(key);
  }

  // aws_kms_key_policy → its key: by the key id value, or by the configuration's reference.
  for (const r of resources) {
    if (r.kind !== 'key-policy') continue;
    const inst = kms.find((i) => i.address === r.address)!;
    const keyId = literalString(member(inst.values, 'key_id'));
    let target: Instance | undefined;
    if (keyId !== undefined) {
      target = [...keys.keys()].find((k) => [member(k.values, 'key_id'), member(k.values, 'id'), member(k.values, 'arn')].some((v) => literalString(v) === keyId));
    }
    if (!target) {
      const refs = member(member(inst.expressions, 'key_id'), 'references');
      for (const ref of items(refs)) {
        const text = literalString(ref);
        if (text === undefined) continue;
        const full = inst.prefix + text;
        target = [...keys.keys()].find((k) => k.address === full || k.address === full.split('.').slice(0, -1).join('.') || splitAddress(k.address).prefix + splitAddress(k.address).local === full.split('.').slice(0, -1).join('.'));
        if (target) break;
      }
    }
    const key = target ? keys.get(target) : undefined;
    if (key) {
      r.key = key;
      key.policyManagedElsewhere = true;
    }
  }
  for (const key of keys.values()) {
    if (key.policyUnreadable && !key.policyManagedElsewhere) notes.push(`${file}: ${key.address}.policy is known only after apply; not linted`);
  }
  return { unit: { input, file, name: file, account, otherResources, resources }, notes };
}
