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
 * The linting is the CLI's (`lintSources`, with rule settings and suppressions), so a policy fails
 * synth exactly when `kmskit lint cdktf.out` would report it; `keyPolicySourceOf` is the one place
 * that turns a construct into what the linter reads.
 */
import { relative, join } from 'node:path';
import type { LintConfig } from '../lint/config.js';
import { lintSources } from '../lint/run.js';
import { OWN_ACCOUNT_MARKER } from '../iac/terraform/expressions.js';
import type { Finding, KeyConfig, PolicySource } from '../lint/types.js';
import {
  App,
  Annotations,
  Aspects,
  DefaultTokenResolver,
  type IAspect,
  type IConstruct,
  StringConcat,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from './provider.js';

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

/** The getters the provider bindings (prebuilt or `cdktf get`) generate for the attributes read here. */
interface KeyResourceInputs {
  readonly policyInput?: unknown;
  readonly customerMasterKeySpecInput?: unknown;
  readonly keySpecInput?: unknown;
  readonly keyUsageInput?: unknown;
  readonly enableKeyRotationInput?: unknown;
  readonly rotationPeriodInDaysInput?: unknown;
  readonly deletionWindowInDaysInput?: unknown;
  readonly multiRegionInput?: unknown;
}

const CALLER_ACCOUNT = /\$\{data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id\}/g;
const MENTIONS_CALLER_ACCOUNT = /\$\{data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id\}/;

/** Resolves tokens the way synthesis will (`${aws_kms_key.x.arn}`, `${data....}`), at aspect time. */
function resolveIn(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/** The deployment account a resource's AWS provider pins with a single `allowedAccountIds` entry. */
function pinnedAccount(resource: TerraformResource): string | undefined {
  const stack = TerraformStack.of(resource);
  const provider =
    resource.provider ??
    stack.node.children.find((c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === 'aws' && (c as { alias?: unknown }).alias === undefined);
  const ids = provider ? resolveIn(provider, (provider as { allowedAccountIds?: unknown }).allowedAccountIds) : undefined;
  return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === 'string' && /^\d{12}$/.test(ids[0]) ? ids[0] : undefined;
}

/**
 * What the linter reads for one construct: the key policy of a KMS key, replica key or key policy
 * resource, with the key's settings, named as `kmskit lint cdktf.out` names it (the stack's
 * cdk.tf.json, `<stack>/<type>.<name>`). Undefined for other constructs and for a key without a
 * policy (AWS gives it the default key policy).
 */
export function keyPolicySourceOf(node: IConstruct, options: KeyPolicyChecksOptions = {}): PolicySource | undefined {
  if (!TerraformResource.isTerraformResource(node) || !KEY_POLICY_TYPES.has(node.terraformResourceType)) return undefined;
  const inputs = node as TerraformResource & KeyResourceInputs;
  const policy = resolveIn(node, inputs.policyInput);
  if (policy === undefined || policy === null) return undefined;
  const stack = TerraformStack.of(node);
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
  // As `kmskit lint` reads a stack: a known account when there is one; else the caller-identity
  // account is "the own account, number unknown"; else the rules infer it from the policy.
  const known = options.ownAccount ?? pinnedAccount(node);
  const own = known ?? (MENTIONS_CALLER_ACCOUNT.test(text) ? OWN_ACCOUNT_MARKER : undefined);
  const app = App.isApp(stack.node.scope) ? stack.node.scope : undefined;
  const file = relative(process.cwd(), join(app?.outdir ?? 'cdktf.out', 'stacks', stack.node.id, 'cdk.tf.json')) || 'cdk.tf.json';
  return {
    file,
    resource: `${stack.node.id}/${node.terraformResourceType}.${node.friendlyUniqueId}`,
    text: own === undefined ? text : text.replace(CALLER_ACCOUNT, own),
    ...(own !== undefined ? { ownAccount: own } : {}),
    key: keyConfig(node.terraformResourceType, inputs),
  };
}

function keyConfig(type: string, node: TerraformResource & KeyResourceInputs): KeyConfig {
  const value = <T>(v: unknown): T | null | undefined => {
    const resolved: unknown = resolveIn(node, v);
    if (typeof resolved === 'string' && resolved.includes('${')) return null;
    return resolved as T | undefined;
  };
  if (type === 'aws_kms_key' || type === 'aws_kms_external_key') {
    return {
      resourceType: type,
      keySpec: value<string>(node.customerMasterKeySpecInput ?? node.keySpecInput),
      keyUsage: value<string>(node.keyUsageInput),
      ...(type === 'aws_kms_key' ? { enableKeyRotation: value<boolean>(node.enableKeyRotationInput), rotationPeriodInDays: value<number>(node.rotationPeriodInDaysInput) } : {}),
      deletionWindowInDays: value<number>(node.deletionWindowInDaysInput),
      multiRegion: value<boolean>(node.multiRegionInput),
    };
  }
  if (type === 'aws_kms_replica_key' || type === 'aws_kms_replica_external_key') {
    return { resourceType: type === 'aws_kms_replica_key' ? 'aws_kms_replica_key' : 'aws_kms_external_key', deletionWindowInDays: value<number>(node.deletionWindowInDaysInput), multiRegion: true };
  }
  return { resourceType: 'aws_kms_key_policy' };
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

  /** Checks with these options; `KeyPolicyChecks.addTo(app)` is the usual way in. */
  constructor(private readonly options: KeyPolicyChecksOptions = {}) {}

  /** Called by cdktf for every construct under the scope the aspect was added to. */
  visit(node: IConstruct): void {
    const source = keyPolicySourceOf(node, this.options);
    if (source === undefined) return;
    const stack = TerraformStack.of(node).node.id;
    const annotations = Annotations.of(node);
    const reported = this.reported.get(node) ?? new Set<string>();
    this.reported.set(node, reported);
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
