/**
 * One Terraform module — `.tf` files of a folder, a `.tf.json`, or a cdktf stack's cdk.tf.json — in
 * Terraform's JSON shape (see hcl.ts) → the KMS resources of the neutral model.
 *
 * Values: `data.aws_caller_identity.*.account_id` is the own account; `data.aws_partition.*.partition`
 * is `aws`; `local.*` is followed within the module; `var.*`, other data sources and resource
 * attributes stay references (unknown to the linter, resolved by `kmskit apply` where it can).
 * Policies: heredoc or quoted JSON text, `jsonencode({...})`, a `data.aws_iam_policy_document`
 * reference, `file()` / `templatefile()` of a path inside the module folder.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { type OwnAccount, resolveOwnAccount } from '../account.js';
import type { IacObject, IacUnit, IacValue, InputKind, InputProblem, KeyResource, KmsResource, PolicyInput } from '../model.js';
import type { Location } from '../positions.js';
import { body, entries, literalString, literalStrings, mapValue, member, objects } from '../values.js';
import { readJson } from '../json.js';
import { readTemplateFile, readTemplateString } from './hcl.js';
import { documentReference, renderPolicyDocument } from './policy-document.js';

/** Terraform resource type → the model's kind. */
export const TERRAFORM_KMS_TYPES: Record<string, Exclude<KmsResource['kind'], 'policy'>> = {
  aws_kms_key: 'key',
  aws_kms_replica_key: 'replica-key',
  aws_kms_external_key: 'external-key',
  aws_kms_replica_external_key: 'replica-external-key',
  aws_kms_key_policy: 'key-policy',
  aws_kms_alias: 'alias',
  aws_kms_grant: 'grant',
};

export interface ModuleFile {
  file: string;
  config: IacObject;
}

export interface ModuleOptions {
  input: InputKind;
  /** The folder (or stack) name the unit is known by. */
  name: string;
  /** The module's folder, for file() and templatefile(). */
  dir: string;
  /** `--account`. */
  account?: string;
  /** Reads a file of the module for file()/templatefile(): its text, or why not. */
  readFile: (path: string) => { text: string } | { error: string };
  /** A cdktf stack name, for addresses (`<stack>/aws_kms_key.a`). */
  stack?: string;
}

export interface ModuleResult {
  unit: IacUnit;
  problems: InputProblem[];
  notes: string[];
}

interface Declared {
  type: string;
  name: string;
  body: IacObject;
  file: string;
  at: Location;
}

function declared(files: ModuleFile[], block: 'resource' | 'data'): Declared[] {
  const out: Declared[] = [];
  for (const f of files) {
    for (const byType of entries(member(f.config, block))) {
      for (const byName of entries(byType.value)) {
        const b = body(byName.value);
        if (b) out.push({ type: byType.key, name: byName.key, body: b, file: f.file, at: byName.at });
      }
    }
  }
  return out;
}

interface Provider {
  alias: string;
  allowedAccountIds?: string[];
  region?: IacValue;
  defaultTags?: IacValue;
}

function providers(files: ModuleFile[]): Map<string, Provider> {
  const out = new Map<string, Provider>();
  for (const f of files) {
    for (const p of entries(member(f.config, 'provider'))) {
      if (p.key !== 'aws') continue;
      for (const block of objects(p.value)) {
        const alias = literalString(member(block, 'alias'));
        const name = alias ? `aws.${alias}` : 'aws';
        const allowed = literalStrings(member(block, 'allowed_account_ids'));
        const region = member(block, 'region');
        const defaultTags = member(member(block, 'default_tags'), 'tags');
        out.set(name, { alias: name, ...(allowed ? { allowedAccountIds: allowed } : {}), ...(region ? { region } : {}), ...(defaultTags ? { defaultTags } : {}) });
      }
    }
  }
  return out;
}

function providerRef(b: IacObject): string {
  const p = member(b, 'provider');
  if (p?.kind === 'reference') return p.path.join('.');
  return literalString(p) ?? 'aws';
}

/** References the reader knows the value of everywhere: the own account, the partition. */
function knownReferences(v: IacValue): IacValue {
  return mapValue(v, (n) => {
    if (n.kind !== 'reference' || n.path[0] !== 'data') return undefined;
    const [, type, , attr] = n.path;
    if (type === 'aws_caller_identity' && attr === 'account_id' && n.path.length === 4) return { kind: 'own-account', expr: n.expr, at: n.at };
    if (type === 'aws_partition' && attr === 'partition' && n.path.length === 4) return { kind: 'literal', value: 'aws', at: n.at };
    return undefined;
  });
}

/** The literal path of a file()/templatefile() argument: `"p.json"`, `"${path.module}/p.json"`. */
function literalPath(v: IacValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'literal' && typeof v.value === 'string') return v.value;
  if (v.kind !== 'template') return undefined;
  let out = '';
  for (const p of v.parts) {
    if (p.kind === 'literal' && typeof p.value === 'string') out += p.value;
    else if (p.kind === 'reference' && p.path.length === 2 && p.path[0] === 'path' && (p.path[1] === 'module' || p.path[1] === 'root' || p.path[1] === 'cwd')) out += '.';
    else return undefined;
  }
  return out;
}

export function readModule(files: ModuleFile[], options: ModuleOptions): ModuleResult {
  const problems: InputProblem[] = [];
  const notes: string[] = [];
  const resources = declared(files, 'resource');
  const data = declared(files, 'data');
  const provs = providers(files);
  const accountFor = (provider: string): OwnAccount =>
    resolveOwnAccount({ ...(options.account !== undefined ? { flag: options.account } : {}), ...(provs.get(provider)?.allowedAccountIds ? { allowedAccountIds: provs.get(provider)!.allowedAccountIds! } : {}) });
  const unitAccount = accountFor('aws');
  const documents = new Map(data.filter((d) => d.type === 'aws_iam_policy_document').map((d) => [d.name, d]));
  const locals = new Map<string, IacValue>();
  for (const f of files) for (const block of objects(member(f.config, 'locals'))) for (const m of block.members) locals.set(m.key, m.value);
  const variables = new Map<string, IacValue>();
  for (const f of files) for (const v of entries(member(f.config, 'variable'))) variables.set(v.key, v.value);

  const address = (type: string, name: string): string => `${type}.${name}`;
  const where = (d: Declared, attr?: string): string => `${d.file}:${(attr ? member(d.body, attr)?.at : d.at)?.line ?? d.at.line}: ${address(d.type, d.name)}${attr ? `.${attr}` : ''}`;

  const policyOf = (d: Declared, raw: IacValue): PolicyInput | undefined => {
    const v = knownReferences(resolveLocals(raw, locals));
    const doc = documentReference(v);
    if (doc !== undefined) {
      const block = documents.get(doc);
      if (!block) {
        notes.push(`${where(d, 'policy')} is data.aws_iam_policy_document.${doc}, which is not in this module; not linted`);
        return undefined;
      }
      const rendered = renderPolicyDocument(doc, block.body, (n) => documents.get(n)?.body);
      if (!rendered.ok) {
        notes.push(`${where(d, 'policy')} is rendered from data.aws_iam_policy_document.${doc}, but ${rendered.reason}; not linted`);
        return undefined;
      }
      return { form: 'value', value: knownReferences(resolveLocals(rendered.value, locals)), document: doc };
    }
    if (v.kind === 'call' && v.name === 'jsonencode' && v.args.length === 1) {
      if (v.args[0]!.kind === 'object') return { form: 'value', value: v.args[0]! };
      notes.push(`${where(d, 'policy')} is ${v.expr}, known only at apply time; not linted`);
      return undefined;
    }
    if (v.kind === 'call' && (v.name === 'file' || v.name === 'templatefile')) {
      const path = literalPath(v.args[0]);
      if (path === undefined) {
        notes.push(`${where(d, 'policy')} is ${v.expr}, whose path is known only at apply time; not linted`);
        return undefined;
      }
      const full = resolve(options.dir, path);
      const rel = relative(resolve(options.dir), full);
      if (rel.startsWith('..') || rel.split(sep).includes('..')) {
        notes.push(`${where(d, 'policy')} reads ${path}, outside the module folder; not linted`);
        return undefined;
      }
      const shown = join(options.dir, path);
      const read = options.readFile(shown);
      if ('error' in read) {
        const qualified = options.stack !== undefined ? `${options.stack}/${address(d.type, d.name)}` : address(d.type, d.name);
        problems.push({ code: 'unreadable-input', message: `${qualified}.policy reads ${shown}, which ${read.error}`, at: v.at, resource: qualified });
        return undefined;
      }
      if (v.name === 'file') return { form: 'text', value: { kind: 'literal', value: read.text, at: { file: shown, line: 1, column: 1 }, verbatim: true }, file: shown };
      const vars = v.args[1];
      const template = readTemplateFile(read.text, shown);
      const bound = mapValue(template, (n) => {
        if (n.kind !== 'reference' || n.path.length !== 1) return undefined;
        const given = member(vars, n.path[0]!);
        return given ? { ...knownReferences(resolveLocals(given, locals)), at: n.at } : undefined;
      });
      return { form: 'text', value: knownReferences(bound), file: shown };
    }
    if (v.kind === 'literal' && typeof v.value === 'string') return { form: 'text', value: v, file: d.file };
    if (v.kind === 'template') {
      // A template that is one unknown (`"${var.policy}"`) is not a text the linter can read.
      return { form: 'text', value: v, file: d.file };
    }
    if (v.kind === 'literal' && v.value === null) return undefined;
    notes.push(`${where(d, 'policy')} is ${'expr' in v ? v.expr : v.kind}, known only at apply time; not linted`);
    return undefined;
  };

  const out: KmsResource[] = [];
  const otherResources: Record<string, number> = {};
  const keysByAddress = new Map<string, KeyResource>();
  for (const d of resources) {
    const kind = TERRAFORM_KMS_TYPES[d.type];
    if (!kind) {
      otherResources[d.type] = (otherResources[d.type] ?? 0) + 1;
      continue;
    }
    const attributes: Record<string, IacValue> = {};
    for (const m of d.body.members) attributes[m.key] = knownReferences(resolveLocals(m.value, locals));
    const provider = providerRef(d.body);
    const region = provs.get(provider)?.region;
    const base = {
      sourceType: d.type,
      address: address(d.type, d.name),
      ...(options.stack !== undefined ? { stack: options.stack } : {}),
      file: d.file,
      at: d.at,
      input: options.input,
      account: accountFor(provider),
      ...(region ? { region } : {}),
      provider,
      attributes,
    };
    if (kind === 'alias' || kind === 'grant') {
      out.push({ ...base, kind });
      continue;
    }
    const policyValue = member(d.body, 'policy');
    const policy = policyValue ? policyOf(d, policyValue) : undefined;
    if (kind === 'key-policy') {
      if (!policyValue) notes.push(`${where(d)} has no policy attribute; not linted`);
      out.push({ ...base, kind, ...(policy ? { policy } : {}) });
    } else {
      const key: KeyResource = { ...base, kind, ...(policy ? { policy } : {}) };
      // Without a policy the key gets AWS's default one; with an unreadable one, nothing is judged.
      if (policyValue && !policy) key.policyUnreadable = true;
      keysByAddress.set(base.address, key);
      out.push(key);
    }
  }
  // aws_kms_key_policy → the key it manages.
  for (const r of out) {
    if (r.kind !== 'key-policy') continue;
    const target = r.attributes.key_id;
    if (target?.kind !== 'reference' || target.path.length < 2) continue;
    const key = keysByAddress.get(`${target.path[0]}.${target.path[1]}`);
    if (key) {
      r.key = key;
      key.policyManagedElsewhere = true;
    }
  }
  const dataBlocks = new Map(data.map((d) => [`data.${d.type}.${d.name}`, d]));
  const resourceBlocks = new Map(resources.map((d) => [`${d.type}.${d.name}`, d]));
  const unit: IacUnit = {
    input: options.input,
    file: files[0]?.file ?? options.dir,
    name: options.name,
    account: unitAccount,
    otherResources,
    resources: out,
    lookup: (path) => {
      if (path[0] === 'local' && path.length >= 2) return locals.get(path[1]!);
      if (path[0] === 'var' && path.length >= 2) return body(variables.get(path[1]!));
      const block = path[0] === 'data' ? dataBlocks.get(path.slice(0, 3).join('.')) : resourceBlocks.get(path.slice(0, 2).join('.'));
      return block?.body;
    },
    providers: [...provs.values()].map((p) => ({ name: p.alias, ...(p.region ? { region: p.region } : {}), ...(p.defaultTags ? { defaultTags: p.defaultTags } : {}) })),
  };
  return { unit, problems, notes };
}

/** Follows `local.<name>` within the module (a local naming itself is left as it is). */
function resolveLocals(v: IacValue, locals: Map<string, IacValue>, depth = 0): IacValue {
  if (locals.size === 0 || depth > 16) return v;
  return mapValue(v, (n) => {
    if (n.kind !== 'reference' || n.path[0] !== 'local' || n.path.length !== 2) return undefined;
    const target = locals.get(n.path[1]!);
    return target ? resolveLocals(target, locals, depth + 1) : undefined;
  });
}

/**
 * A Terraform JSON configuration given as a value (what the synth-time aspect resolves from the
 * construct tree), read synchronously. Strings with expressions beyond references need the HCL
 * parser: without `await loadHclParser()` first, such a policy is unknown (and noted).
 */
export function readTerraformConfig(json: unknown, options: { file: string; name: string; stack?: string; account?: string }): ModuleResult {
  const text = JSON.stringify(json, null, 2);
  const read = readJson(text, options.file, readTemplateString);
  const config: IacObject = read.value?.kind === 'object' ? read.value : { kind: 'object', members: [], at: { file: options.file, line: 1, column: 1 } };
  return readModule([{ file: options.file, config }], {
    input: 'cdktf-out',
    name: options.name,
    dir: dirname(options.file),
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
    ...(options.account !== undefined ? { account: options.account } : {}),
    readFile: () => ({ error: 'cannot be read at synth time (file() is read when Terraform runs)' }),
  });
}
