/**
 * The linter's shared types: what a source hands the engine (a policy with its origin), what a rule
 * is, and what comes out (findings). Sources, engine, rules and formatters meet only here.
 */
import type { OwnAccount } from '../iac/account.js';
import type { Location } from '../iac/positions.js';
import type { NormalizedPolicy, ParseResult } from '../policies/model.js';

/** Severity of a rule or finding. */
export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** One finding. `pointer` is a JSON Pointer into the policy document; line/column are 1-based in `file`. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  pointer: string;
  line: number;
  column: number;
  /** Terraform address (`aws_kms_key.data`) or stack-qualified address, when the policy came from one. */
  resource?: string;
  /** Statement Sid the finding sits in, when it sits in one (used by suppressions). */
  sid?: string;
}

/**
 * The settings of the key a policy is attached to, when the source knows them (Terraform and CDKTF
 * sources). Rules in the key-configuration group read these. `undefined` means "not set" (the
 * provider default applies); `null` means "set to an unresolved reference".
 */
export interface KeyConfig {
  /** The Terraform resource type the policy came from. */
  resourceType: 'aws_kms_key' | 'aws_kms_replica_key' | 'aws_kms_key_policy' | 'aws_kms_external_key';
  keySpec?: string | null;
  keyUsage?: string | null;
  enableKeyRotation?: boolean | null;
  rotationPeriodInDays?: number | null;
  deletionWindowInDays?: number | null;
  multiRegion?: boolean | null;
  /** Pointer-less positions of the attributes, for findings about them (1-based, in `file` unless they name another). */
  attributePositions?: Partial<Record<'enable_key_rotation' | 'rotation_period_in_days' | 'deletion_window_in_days' | 'key_spec' | 'customer_master_key_spec', { line: number; column: number; file?: string }>>;
}

/** A policy document with where it came from. Produced by lint/sources, consumed by the engine. */
export interface PolicySource {
  /** The file the policy is in, as the user named it (relative paths stay relative). */
  file: string;
  /** Terraform address, when the policy is a resource attribute. */
  resource?: string;
  /** The policy as JSON text (a file's content, or the string value of a `policy` attribute). */
  text?: string;
  /** The policy as a value, when there is no text of it (e.g. rendered from aws_iam_policy_document). */
  value?: unknown;
  /**
   * Where `text` starts in `file`, when the policy is embedded (a JSON string inside cdk.tf.json or
   * a plan). Findings inside an embedded policy are reported at this position, as the contract says.
   */
  embeddedAt?: { line: number; column: number };
  /** Key settings, for the key-configuration rules. */
  key?: KeyConfig;
  /**
   * The account id that stands for "the account this policy is deployed in": the known id, or
   * OWN_ACCOUNT_MARKER when the source refers to the own account without knowing its id. Readers
   * write it for own-account references, so that
   * `arn:aws:iam::${data.aws_caller_identity.current.account_id}:root` reads as the own root.
   */
  ownAccount?: string;
  /** The account model's view of the source (see iac/account.ts). */
  account?: OwnAccount;
  /**
   * Where each value of `value` is written, by JSON Pointer (a jsonencode() object, a rendered
   * aws_iam_policy_document, a CloudFormation KeyPolicy): findings point there, in the file it names.
   */
  positions?: ReadonlyMap<string, Location>;
  /** For `text` assembled from pieces (a heredoc, a template file): a text offset → its file position. */
  locate?: (offset: number) => Location | undefined;
  /**
   * Other readings of the same policy that are judged too, their findings merged: the other
   * branches of a CloudFormation Fn::If, and the tolerant reading of a document that is not valid JSON.
   */
  variants?: Array<{ value: unknown; positions?: ReadonlyMap<string, Location> }>;
}

/** Everything a rule sees besides the policy itself. */
export interface RuleContext {
  source: PolicySource;
  parse: ParseResult;
  /** The document as parsed (raw JSON value), for rules that look at the text shape. */
  raw: unknown;
  ownAccount?: string;
}

/** What a rule reports. The engine adds severity, file, position and resource. */
export interface RuleFinding {
  pointer: string;
  message: string;
}

export interface RuleDocs {
  /** One line: what the rule finds. */
  summary: string;
  /** Why it matters, with the AWS behaviour behind it. */
  rationale: string;
}

/** A rule's group: grammar, security or key-configuration. */
export type RuleGroup = 'grammar' | 'security' | 'key-configuration';

export interface Rule {
  /** Kebab-case id; equals the rule's file name in lint/rules/. */
  id: string;
  severity: Severity;
  group: RuleGroup;
  docs: RuleDocs;
  /**
   * Returns findings. Never throws to report; a throw becomes a `rule-error` finding. `policy` is
   * absent only for rules that run on unparsable input (invalid-json, policy-too-large, ...).
   */
  check(policy: NormalizedPolicy | undefined, ctx: RuleContext): RuleFinding[];
}

/** A value Terraform will fill in at apply time; rules never judge such a value. */
export function isUnresolved(value: string): boolean {
  return value.includes('${');
}
