/**
 * Synth-time lint: an Aspect that runs kmskit's linter on every key policy in the app (the policy of
 * each `aws_kms_key`, `aws_kms_replica_key` and `aws_kms_key_policy`, whether made by a kmskit
 * construct or by hand). Errors become error annotations, so `cdktf synth` fails with the rule id
 * and message; warnings stay warnings; info findings become info annotations.
 */
import { type LintConfig, lintPolicy } from '../lint/engine.js';
import type { Finding, KeyConfig, PolicySource } from '../lint/types.js';
import {
  Annotations,
  DefaultTokenResolver,
  type IAspect,
  type IConstruct,
  KmsKeyPolicyResource,
  KmsKeyResource,
  KmsReplicaKeyResource,
  StringConcat,
  TerraformStack,
  Tokenization,
} from './provider.js';

/** Resolves tokens the way synthesis will (`${aws_kms_key.x.arn}`, `${data....}`), at aspect time. */
function resolveIn(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) });
}

export interface KeyPolicyLintOptions {
  /**
   * The account id `${data.aws_caller_identity.*.account_id}` stands for while linting (the
   * deployment account from the config), so the own-account rules read the account root as such.
   */
  readonly ownAccount: string;
  /** Per-rule overrides, as in the linter's config. @default the rules' own severities */
  readonly config?: LintConfig;
}

const CALLER_ACCOUNT = /\$\{data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id\}/g;

type KeyResource = KmsKeyResource | KmsReplicaKeyResource | KmsKeyPolicyResource;

export class KeyPolicyLintAspect implements IAspect {
  /** Every finding reported so far, for callers that want more than the annotations. */
  readonly findings: Finding[] = [];

  /** What was reported per resource: cdktf re-runs aspects on every synth of the same tree. */
  private readonly reported = new WeakMap<IConstruct, Set<string>>();

  constructor(private readonly options: KeyPolicyLintOptions) {}

  visit(node: IConstruct): void {
    if (!(node instanceof KmsKeyResource || node instanceof KmsReplicaKeyResource || node instanceof KmsKeyPolicyResource)) return;
    const source = this.sourceFor(node);
    if (source === undefined) return;
    const annotations = Annotations.of(node);
    const reported = this.reported.get(node) ?? new Set<string>();
    this.reported.set(node, reported);
    for (const finding of lintPolicy(source, this.options.config)) {
      const key = `${finding.ruleId}\u0000${finding.pointer}\u0000${finding.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      this.findings.push(finding);
      const text = `${finding.ruleId}: ${finding.message}${finding.pointer ? ` (at ${finding.pointer})` : ''}`;
      if (finding.severity === 'error') annotations.addError(text);
      else if (finding.severity === 'warning') annotations.addWarning(text);
      else annotations.addInfo(text);
    }
  }

  /** The resource's policy as the linter sees it, or undefined when it has none (AWS's default applies). */
  private sourceFor(node: KeyResource): PolicySource | undefined {
    const stack = TerraformStack.of(node);
    const policy: unknown = resolveIn(node, node.policyInput);
    if (policy === undefined || policy === null) return undefined;
    const file = `stacks/${stack.node.id}/cdk.tf.json`;
    const resource = `${node.terraformResourceType}.${node.friendlyUniqueId}`;
    const text = typeof policy === 'string' ? policy.replace(CALLER_ACCOUNT, this.options.ownAccount) : JSON.stringify(policy);
    return { file, resource, text, ownAccount: this.options.ownAccount, key: keyConfig(node) };
  }
}

function keyConfig(node: KeyResource): KeyConfig {
  const value = <T>(v: T | undefined): T | null | undefined => {
    const resolved: unknown = resolveIn(node, v);
    if (typeof resolved === 'string' && resolved.includes('${')) return null;
    return resolved as T | undefined;
  };
  if (node instanceof KmsKeyResource) {
    return {
      resourceType: 'aws_kms_key',
      keySpec: value(node.customerMasterKeySpecInput),
      keyUsage: value(node.keyUsageInput),
      enableKeyRotation: value(node.enableKeyRotationInput as boolean | undefined),
      rotationPeriodInDays: value(node.rotationPeriodInDaysInput),
      deletionWindowInDays: value(node.deletionWindowInDaysInput),
      multiRegion: value(node.multiRegionInput as boolean | undefined),
    };
  }
  if (node instanceof KmsReplicaKeyResource) {
    return { resourceType: 'aws_kms_replica_key', deletionWindowInDays: value(node.deletionWindowInDaysInput), multiRegion: true };
  }
  return { resourceType: 'aws_kms_key_policy' };
}
