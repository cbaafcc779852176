/**
 * Synth-time lint: `KeyPolicyChecks`, an Aspect that runs kmskit's linter on every key policy in a
 * cdktf app — the `policy` of each `aws_kms_key`, `aws_kms_replica_key` and `aws_kms_key_policy`,
 * whether a kmskit construct or hand-written code made it, with prebuilt or generated provider
 * bindings. An error finding becomes an error annotation, so `cdktf synth` (or `app.synth()`) fails
 * with the construct path, the rule id, the message, the stack, the resource and where in the policy;
 * warnings and infos stay annotations of their level.
 *
 *   KeyPolicyChecks.addTo(app);   // every stack of the app, whenever it was created
 *
 * cdktf runs aspects from each stack down and never those added to the App itself, so the cdk-nag
 * line `Aspects.of(app).add(...)` would check nothing here; `addTo` puts the aspect on the stacks.
 * kmskit's own stacks get it by default (stacks/app.ts).
 *
 * The linting is the CLI's (`lintSources`, with rule settings and suppressions), and so is the
 * reading: the aspect resolves the stack's KMS resources, `aws_iam_policy_document` data sources and
 * AWS providers into the Terraform JSON `cdktf synth` writes, and reads it through iac/, the reader
 * `kmskit lint cdktf.out` uses, with the same account model. So a policy fails synth exactly when
 * `kmskit lint cdktf.out` would report it, a key without a policy is judged with the AWS default key
 * policy as the CLI does, and `keyPolicySourceOf` is the one place that turns a construct into what
 * the linter reads.
 *
 * Policies written as HCL expressions (`Fn.jsonencode(...)`) need the reader's HCL parser, which loads
 * asynchronously: this module starts loading it on import, and `await prepareKeyPolicyLint()` before
 * `app.synth()` makes sure it is there. A policy the aspect cannot read is a warning, never a silent pass.
 */
import { relative, join } from 'node:path';
import { readTerraformConfig } from '../iac/terraform/config.js';
import { loadHclParser } from '../iac/terraform/hcl.js';
import type { LintConfig } from '../lint/config.js';
import { policySources } from '../lint/documents.js';
import { lintSources } from '../lint/run.js';
import type { Finding, PolicySource } from '../lint/types.js';
import {
  App,
  Annotations,
  Aspects,
  DefaultTokenResolver,
  type IAspect,
  type IConstruct,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from './provider.js';

/** Loads what the checks need to read every kind of policy; await it before `app.synth()`. */
export function prepareKeyPolicyLint(): Promise<void> {
  return loadHclParser();
}
// Started at import, so that by the time an app synthesizes the parser is usually there.
void prepareKeyPolicyLint().catch(() => undefined);

/** Options of `KeyPolicyChecks`. */
export interface KeyPolicyChecksOptions {
  /**
   * The account the stacks deploy to: what `${data.aws_caller_identity.*.account_id}` stands for, and
   * the "own" account of the cross-account rules.
   * @default the AWS provider's single `allowedAccountIds` entry, else unknown (as `kmskit lint cdktf.out` reads it)
   */
  readonly ownAccount?: string;
  /** Rule settings and suppressions, as in `.kmskitrc.json` (`ignore` globs do not apply at synth). @default none */
  readonly config?: LintConfig;
}

/** A finding of the synth-time lint, with the construct it sits on. */
export interface SynthFinding extends Finding {
  /** The stack's id. */
  readonly stack: string;
  /** The construct path cdktf prints, e.g. `prod/Orders/Resource`. */
  readonly constructPath: string;
}

/** The resource types whose `policy` is a key policy. */
const KEY_POLICY_TYPES = new Set(['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_key_policy', 'aws_kms_external_key', 'aws_kms_replica_external_key']);

/** What a key policy can refer to: the data sources and providers the reader resolves. */
const CONTEXT_TYPES = new Set(['aws_iam_policy_document', 'aws_caller_identity', 'aws_partition', 'aws']);

interface Element extends IConstruct {
  terraformResourceType?: unknown;
  toTerraform?: () => unknown;
}

/** Resolves tokens the way synthesis will (`${aws_kms_key.x.arn}`, `${data....}`), at aspect time. */
function resolveIn(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/** Merges resolved element JSON the way a stack's cdk.tf.json holds it (provider blocks are lists). */
function merge(into: Record<string, unknown>, from: unknown): void {
  if (from === null || typeof from !== 'object' || Array.isArray(from)) return;
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (Array.isArray(cur) && Array.isArray(v)) into[k] = [...cur, ...v];
    else if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) merge(cur as Record<string, unknown>, v);
    else into[k] = v;
  }
}

/** A stack's key policies as `kmskit lint` reads its cdk.tf.json: sources and notes by address. */
interface StackReading {
  sources: Map<string, PolicySource>;
  notes: Map<string, string[]>;
}

function readStack(stack: TerraformStack, options: KeyPolicyChecksOptions): StackReading {
  const json: Record<string, unknown> = {};
  for (const c of stack.node.findAll()) {
    const e = c as Element;
    if (typeof e.terraformResourceType !== 'string' || typeof e.toTerraform !== 'function' || TerraformStack.of(c) !== stack) continue;
    if (KEY_POLICY_TYPES.has(e.terraformResourceType) || CONTEXT_TYPES.has(e.terraformResourceType)) merge(json, resolveIn(c, e.toTerraform()));
  }
  const app = App.isApp(stack.node.scope) ? stack.node.scope : undefined;
  const file = relative(process.cwd(), join(app?.outdir ?? 'cdktf.out', 'stacks', stack.node.id, 'cdk.tf.json')) || 'cdk.tf.json';
  const { unit, notes, problems } = readTerraformConfig(json, { file, name: stack.node.id, stack: stack.node.id, ...(options.ownAccount !== undefined ? { account: options.ownAccount } : {}) });
  const sources = new Map<string, PolicySource>();
  for (const source of policySources(unit.resources)) sources.set(source.resource ?? '', source);
  const noted = new Map<string, string[]>();
  for (const text of [...notes, ...problems.map((p) => p.message)]) {
    const r = unit.resources.find((x) => text.includes(`${x.address}.`) || text.includes(`${x.address}:`));
    if (!r) continue;
    const address = `${stack.node.id}/${r.address}`;
    noted.set(address, [...(noted.get(address) ?? []), text.replace(`${file}:`, '').replace(/^\d+: /, '')]);
  }
  return { sources, notes: noted };
}

function addressOf(node: TerraformResource): string {
  return `${TerraformStack.of(node).node.id}/${node.terraformResourceType}.${node.friendlyUniqueId}`;
}

/**
 * What the linter reads for one construct: the key policy of a KMS key, replica key, external key or
 * key policy resource, with the key's settings, named as `kmskit lint cdktf.out` names it (the
 * stack's cdk.tf.json, `<stack>/<type>.<name>`). A key without a policy is read with the AWS default
 * key policy it gets. Undefined for other constructs, for a key whose policy a key policy resource
 * sets, and for a policy known only when Terraform runs.
 */
export function keyPolicySourceOf(node: IConstruct, options: KeyPolicyChecksOptions = {}): PolicySource | undefined {
  if (!TerraformResource.isTerraformResource(node) || !KEY_POLICY_TYPES.has(node.terraformResourceType)) return undefined;
  return readStack(TerraformStack.of(node), options).sources.get(addressOf(node));
}

/** Where a finding sits, in the words of the resource: a key setting, or a place in the policy. */
function locationOf(f: Finding): string {
  const setting = /^\/key\/([a-z_]+)$/.exec(f.pointer);
  if (setting) return `key setting ${setting[1]}`;
  return `policy ${f.pointer || '(whole document)'}${f.sid !== undefined ? ` (Sid ${JSON.stringify(f.sid)})` : ''}`;
}

/** The annotation text: rule id and message, then the stack, the Terraform address and the location. */
export function synthFindingText(f: Finding, stack: string): string {
  const address = f.resource?.startsWith(`${stack}/`) ? f.resource.slice(stack.length + 1) : f.resource;
  return `${f.ruleId}: ${f.message} [stack ${stack}, ${address ?? 'key policy'}, ${locationOf(f)}]`;
}

/** Lints every key policy in the stacks it is added to; error findings fail synthesis (see the module comment). */
export class KeyPolicyChecks implements IAspect {
  /**
   * Adds the checks to `scope`: to every stack of an App (including stacks created after this call,
   * up to `app.synth()`), or to a stack or construct as `Aspects.of(scope).add(...)` would.
   */
  static addTo(scope: IConstruct, options: KeyPolicyChecksOptions = {}): KeyPolicyChecks {
    const checks = new KeyPolicyChecks(options);
    if (!App.isApp(scope)) {
      Aspects.of(scope).add(checks);
      return checks;
    }
    const app = scope;
    const cover = (): void => {
      for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
        if (!Aspects.of(stack).all.includes(checks)) Aspects.of(stack).add(checks);
      }
    };
    cover();
    // Stacks added after this call get the checks when the app synthesizes, before any stack does.
    const synth = app.synth.bind(app);
    app.synth = () => {
      cover();
      synth();
    };
    return checks;
  }

  /** Every finding reported so far, for callers that want more than the annotations. */
  readonly findings: SynthFinding[] = [];

  /** What was reported per resource: cdktf re-runs aspects on every synth of the same tree. */
  private readonly reported = new WeakMap<IConstruct, Set<string>>();
  /** The stack as read in this pass over it (aspects visit a stack before its constructs). */
  private readonly readings = new WeakMap<TerraformStack, StackReading>();

  /** Checks with these options; `KeyPolicyChecks.addTo(app)` is the usual way in. */
  constructor(private readonly options: KeyPolicyChecksOptions = {}) {}

  /** Called by cdktf for every construct under the scope the aspect was added to. */
  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) {
      // A new pass over the stack: read it afresh (the tree may have changed since the last synth).
      this.readings.delete(node);
      return;
    }
    if (!TerraformResource.isTerraformResource(node) || !KEY_POLICY_TYPES.has(node.terraformResourceType)) return;
    const tfStack = TerraformStack.of(node);
    let reading = this.readings.get(tfStack);
    if (!reading) {
      reading = readStack(tfStack, this.options);
      this.readings.set(tfStack, reading);
    }
    const stack = tfStack.node.id;
    const annotations = Annotations.of(node);
    const reported = this.reported.get(node) ?? new Set<string>();
    this.reported.set(node, reported);
    for (const note of reading.notes.get(addressOf(node)) ?? []) {
      if (reported.has(note)) continue;
      reported.add(note);
      annotations.addWarning(`kmskit lint: ${note}`);
    }
    const source = reading.sources.get(addressOf(node));
    if (source === undefined) return;
    const { findings } = lintSources([source], this.options.config ? { config: { ...this.options.config, ignore: [] } } : {});
    for (const finding of findings) {
      const key = `${finding.ruleId}\u0000${finding.pointer}\u0000${finding.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      this.findings.push({ ...finding, stack, constructPath: node.node.path });
      const text = synthFindingText(finding, stack);
      if (finding.severity === 'error') annotations.addError(text);
      else if (finding.severity === 'warning') annotations.addWarning(text);
      else annotations.addInfo(text);
    }
  }
}
