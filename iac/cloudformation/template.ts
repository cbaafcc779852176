/**
 * CloudFormation templates (JSON, or YAML with the short-form tags `!Ref`, `!Sub`, `!GetAtt`, ...)
 * → the KMS resources of the neutral model: `AWS::KMS::Key` (an `Origin: EXTERNAL` key is an
 * external key), `AWS::KMS::ReplicaKey`, `AWS::KMS::Alias`. Property names become the model's
 * (Terraform's) attribute names.
 *
 * Intrinsic functions are unknown, except what is knowable: `AWS::AccountId` is the own account,
 * `AWS::Partition` is `aws`, `AWS::NoValue` removes the member, `Fn::Sub`/`Fn::Join` keep their
 * literal parts, `Fn::FindInMap` with literal keys is looked up in `Mappings`, and `Fn::If` is a
 * choice whose branches are all judged. YAML is read with the `yaml` package, which keeps the
 * source range of every node.
 */
import { type OwnAccount } from '../account.js';
import { readJson } from '../json.js';
import type { IacMember, IacUnit, IacValue, InputKind, KmsResource } from '../model.js';
import type { Location } from '../positions.js';
import { entries, literalString, member } from '../values.js';

/** True when a parsed document is a CloudFormation template: `Resources` with typed members, or the format version. */
export function isTemplate(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const t = v as Record<string, unknown>;
  if (typeof t.AWSTemplateFormatVersion === 'string') return true;
  const resources = t.Resources;
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) return false;
  const values = Object.values(resources as Record<string, unknown>);
  return values.length > 0 && values.every((r) => r !== null && typeof r === 'object' && typeof (r as { Type?: unknown }).Type === 'string');
}

const PSEUDO: Record<string, (at: Location, ctx: Context) => IacValue> = {
  'AWS::AccountId': (at) => ({ kind: 'own-account', expr: 'AWS::AccountId', at }),
  'AWS::Partition': (at) => ({ kind: 'literal', value: 'aws', at }),
  'AWS::URLSuffix': (at) => ({ kind: 'literal', value: 'amazonaws.com', at }),
  'AWS::NoValue': (at) => ({ kind: 'absent', at }),
  'AWS::Region': (at, ctx) => (ctx.region !== undefined ? { kind: 'literal', value: ctx.region, at } : { kind: 'reference', expr: 'AWS::Region', path: ['Ref', 'AWS::Region'], at }),
};

interface Context {
  mappings: IacValue | undefined;
  region?: string;
}

function ref(name: string, at: Location, ctx: Context): IacValue {
  const pseudo = PSEUDO[name];
  if (pseudo) return pseudo(at, ctx);
  return { kind: 'reference', expr: `Ref:${name}`, path: ['Ref', name], at };
}

/** `Fn::Sub` text → a template: `${Name}`, `${Res.Attr}`, `${!Literal}`, with the given variables. */
function sub(text: string, vars: IacValue | undefined, at: Location, ctx: Context): IacValue {
  const parts: IacValue[] = [];
  let last = 0;
  const re = /\$\{([^}]*)\}/g;
  let literal = '';
  const flush = (end: number): void => {
    literal += text.slice(last, end);
  };
  for (let m = re.exec(text); m; m = re.exec(text)) {
    flush(m.index);
    const name = m[1]!.trim();
    last = m.index + m[0].length;
    if (name.startsWith('!')) {
      literal += '${' + name.slice(1) + '}';
      continue;
    }
    if (literal !== '') parts.push({ kind: 'literal', value: literal, at });
    literal = '';
    const given = member(vars, name);
    if (given) parts.push(intrinsics(given, ctx));
    else if (name.includes('.')) {
      const [res, ...attr] = name.split('.');
      parts.push({ kind: 'reference', expr: `GetAtt:${name}`, path: ['GetAtt', res!, attr.join('.')], at });
    } else parts.push(ref(name, at, ctx));
  }
  flush(text.length);
  if (literal !== '') parts.push({ kind: 'literal', value: literal, at });
  if (parts.length === 1) return parts[0]!;
  return { kind: 'template', parts, at };
}

function unknownFn(name: string, at: Location): IacValue {
  return { kind: 'unknown', expr: name, at };
}

/** Evaluates the intrinsic functions of a value (see the module comment). */
export function intrinsics(v: IacValue, ctx: Context): IacValue {
  switch (v.kind) {
    case 'tuple':
      return { ...v, items: v.items.map((i) => intrinsics(i, ctx)) };
    case 'object': {
      if (v.members.length === 1) {
        const [{ key, value: arg, at }] = v.members as [IacMember];
        if (key === 'Ref') {
          const name = literalString(arg);
          return name !== undefined ? ref(name, v.at, ctx) : unknownFn('Ref', at);
        }
        if (key.startsWith('Fn::') || key === 'Condition') return fn(key, arg, v.at, ctx);
      }
      return { ...v, members: v.members.map((m) => ({ ...m, value: intrinsics(m.value, ctx) })) };
    }
    default:
      return v;
  }
}

function fn(name: string, arg: IacValue, at: Location, ctx: Context): IacValue {
  const args = arg.kind === 'tuple' ? arg.items : [arg];
  switch (name) {
    case 'Fn::Sub': {
      const text = literalString(args[0]);
      if (text === undefined) return unknownFn(name, at);
      const textAt = args[0]!.at;
      return sub(text, args[1], textAt, ctx);
    }
    case 'Fn::GetAtt': {
      const parts = arg.kind === 'tuple' ? args.map(literalString) : (literalString(arg)?.split('.') ?? []);
      if (parts.length < 2 || parts.some((p) => p === undefined)) return unknownFn(name, at);
      const [res, ...attr] = parts as string[];
      return { kind: 'reference', expr: `GetAtt:${res}.${attr.join('.')}`, path: ['GetAtt', res!, attr.join('.')], at };
    }
    case 'Fn::Join': {
      const delimiter = literalString(args[0]);
      const list = args[1] ? intrinsics(args[1], ctx) : undefined;
      if (delimiter === undefined || list?.kind !== 'tuple') return unknownFn(name, at);
      const parts: IacValue[] = [];
      list.items.forEach((item, i) => {
        if (i > 0 && delimiter !== '') parts.push({ kind: 'literal', value: delimiter, at });
        parts.push(item);
      });
      return parts.length === 0 ? { kind: 'literal', value: '', at } : parts.length === 1 ? parts[0]! : { kind: 'template', parts, at };
    }
    case 'Fn::If': {
      const condition = literalString(args[0]) ?? '?';
      if (args.length !== 3) return unknownFn(name, at);
      return { kind: 'choice', condition, options: [intrinsics(args[1]!, ctx), intrinsics(args[2]!, ctx)], at };
    }
    case 'Fn::Select': {
      const index = args[0]?.kind === 'literal' ? Number(args[0].value) : Number.NaN;
      const list = args[1] ? intrinsics(args[1], ctx) : undefined;
      if (Number.isInteger(index) && list?.kind === 'tuple' && list.items[index]) return list.items[index]!;
      return unknownFn(name, at);
    }
    case 'Fn::FindInMap': {
      const keys = args.map((a) => literalString(intrinsics(a, ctx)));
      if (keys.length >= 3 && keys.slice(0, 3).every((k) => k !== undefined)) {
        const found = member(member(member(ctx.mappings, keys[0]!), keys[1]!), keys[2]!);
        if (found) return intrinsics(found, ctx);
      }
      return unknownFn(name, at);
    }
    default:
      // Fn::ImportValue, Fn::Base64, Fn::Split, Fn::GetAZs, Condition, ...: known only at deploy time.
      return unknownFn(name, at);
  }
}

/** CloudFormation property → the model's attribute name. */
const KEY_PROPERTIES: Record<string, string> = {
  Description: 'description',
  Enabled: 'is_enabled',
  EnableKeyRotation: 'enable_key_rotation',
  KeySpec: 'customer_master_key_spec',
  KeyUsage: 'key_usage',
  MultiRegion: 'multi_region',
  PendingWindowInDays: 'deletion_window_in_days',
  RotationPeriodInDays: 'rotation_period_in_days',
  BypassPolicyLockoutSafetyCheck: 'bypass_policy_lockout_safety_check',
  Origin: 'origin',
  KeyPolicy: 'policy',
  Tags: 'tags',
};
const REPLICA_PROPERTIES: Record<string, string> = {
  Description: 'description',
  Enabled: 'enabled',
  PendingWindowInDays: 'deletion_window_in_days',
  PrimaryKeyArn: 'primary_key_arn',
  KeyPolicy: 'policy',
  Tags: 'tags',
};
const ALIAS_PROPERTIES: Record<string, string> = { AliasName: 'name', TargetKeyId: 'target_key_id' };

/** `[{Key, Value}]` → `{Key: Value}`, as Terraform writes tags. */
function tagsObject(v: IacValue): IacValue {
  if (v.kind !== 'tuple') return v;
  const members: IacMember[] = [];
  for (const item of v.items) {
    const key = literalString(member(item, 'Key'));
    const value = member(item, 'Value');
    if (key !== undefined && value) members.push({ key, value, at: item.at });
  }
  return { kind: 'object', members, at: v.at };
}

export interface TemplateOptions {
  file: string;
  input: InputKind;
  /** The stack's name: the cdk.out artifact id, or the file name. */
  stack: string;
  account: OwnAccount;
  region?: string;
}

/** A template (already read into a value) → its KMS resources. */
export function readTemplate(template: IacValue, options: TemplateOptions): IacUnit {
  const ctx: Context = { mappings: member(template, 'Mappings'), ...(options.region !== undefined ? { region: options.region } : {}) };
  const resources: KmsResource[] = [];
  const otherResources: Record<string, number> = {};
  for (const r of entries(member(template, 'Resources'))) {
    const type = literalString(member(r.value, 'Type'));
    if (type === undefined) continue;
    const names = type === 'AWS::KMS::Key' ? KEY_PROPERTIES : type === 'AWS::KMS::ReplicaKey' ? REPLICA_PROPERTIES : type === 'AWS::KMS::Alias' ? ALIAS_PROPERTIES : undefined;
    if (!names) {
      otherResources[type] = (otherResources[type] ?? 0) + 1;
      continue;
    }
    const attributes: Record<string, IacValue> = {};
    for (const p of entries(member(r.value, 'Properties'))) {
      const attr = names[p.key];
      if (attr === undefined) continue;
      let value = intrinsics(p.value, ctx);
      if (attr === 'tags') value = tagsObject(value);
      if (value.kind === 'absent') continue;
      attributes[attr] = value;
    }
    const base = {
      sourceType: type,
      address: r.key,
      stack: options.stack,
      file: options.file,
      at: r.at,
      input: options.input,
      account: options.account,
      ...(options.region !== undefined ? { region: { kind: 'literal' as const, value: options.region, at: r.at } } : {}),
      attributes,
    };
    if (type === 'AWS::KMS::Alias') {
      resources.push({ ...base, kind: 'alias' });
      continue;
    }
    const policy = attributes.policy;
    const origin = literalString(attributes.origin);
    const kind = type === 'AWS::KMS::ReplicaKey' ? 'replica-key' : origin === 'EXTERNAL' ? 'external-key' : 'key';
    if (type === 'AWS::KMS::ReplicaKey') attributes.multi_region = { kind: 'literal', value: true, at: r.at };
    if (policy && policy.kind !== 'object' && policy.kind !== 'choice') {
      // A policy given as an unknown (a parameter, an import): nothing to judge.
      resources.push({ ...base, kind, policyUnreadable: true });
      continue;
    }
    resources.push({ ...base, kind, ...(policy ? { policy: { form: 'value' as const, value: policy } } : {}) });
  }
  const parameters = member(template, 'Parameters');
  return {
    input: options.input,
    file: options.file,
    name: options.stack,
    account: options.account,
    otherResources,
    resources,
    lookup: (path) => (path[0] === 'Parameters' && path[1] !== undefined ? member(parameters, path[1]) : undefined),
  };
}

/** Reads a JSON template's text (already known to be valid JSON). */
export function readJsonTemplate(text: string, file: string): IacValue | undefined {
  return readJson(text, file).value;
}
