/**
 * The neutral model of KMS resources that every reader in iac/ produces, whatever it read: policy
 * JSON, Terraform (HCL, JSON, plan, state), CloudFormation (JSON, YAML, cdk.out). The linter,
 * `kmskit explain`, `kmskit apply` and the synth-time aspect consume only this.
 *
 * Values keep what is known and say what is not: a reference (`var.region`, `!Ref Param`), a
 * function the reader does not evaluate or an expression known only at deploy time is an `unknown`
 * node carrying its source text, so the linter can judge the known parts of a string
 * (`arn:aws:kms:${var.region}:...`) and `kmskit apply` can resolve references between the resources it
 * creates. Every node knows where it was written.
 */
import type { OwnAccount } from './account.js';
import type { Location } from './positions.js';

export type { Location } from './positions.js';

/** A value as written in infrastructure code. */
export type IacValue = IacLiteral | IacObject | IacTuple | IacTemplate | IacReference | IacCall | IacUnknown | IacChoice | IacAbsent | IacOwnAccount;

export interface IacLiteral {
  kind: 'literal';
  value: string | number | boolean | null;
  at: Location;
  /**
   * For a string copied verbatim from its file (a heredoc line, a template file): its text in the
   * file, so a position inside it can be found. Absent for strings that stand in one place (a JSON
   * string holding a policy is reported at the string, as the JSON contract says).
   */
  verbatim?: boolean;
}

export interface IacMember {
  key: string;
  value: IacValue;
  /** Where the member's key is written (where a finding about the member points). */
  at: Location;
}

export interface IacObject {
  kind: 'object';
  members: IacMember[];
  at: Location;
}

export interface IacTuple {
  kind: 'tuple';
  items: IacValue[];
  at: Location;
}

/** A string made of parts: `"arn:aws:iam::${var.account}:root"`, a heredoc, `!Sub`. */
export interface IacTemplate {
  kind: 'template';
  parts: IacValue[];
  at: Location;
}

/**
 * A reference to something else in the configuration: `aws_kms_key.a.arn`, `var.x`, `local.y`,
 * `data.aws_iam_policy_document.d.json`, CloudFormation `Ref`/`GetAtt`. `path` is the traversal.
 */
export interface IacReference {
  kind: 'reference';
  /** The expression as written, e.g. `aws_kms_key.a.arn`, `Ref:KeyAdmin`, `GetAtt:Role.Arn`. */
  expr: string;
  path: string[];
  at: Location;
}

/** A function call kept for later evaluation (`jsonencode`, `file`, `templatefile`, ...). */
export interface IacCall {
  kind: 'call';
  name: string;
  args: IacValue[];
  expr: string;
  at: Location;
}

/** An expression the reader cannot know: a conditional, a for expression, an operator, ... */
export interface IacUnknown {
  kind: 'unknown';
  expr: string;
  at: Location;
}

/** One of several values, decided at deploy time (CloudFormation `Fn::If`): judged in every branch. */
export interface IacChoice {
  kind: 'choice';
  condition: string;
  options: IacValue[];
  at: Location;
}

/** No value (CloudFormation `AWS::NoValue`): the member or item it stands in is left out. */
export interface IacAbsent {
  kind: 'absent';
  at: Location;
}

/** The deployment account's id: `data.aws_caller_identity.*.account_id`, `AWS::AccountId`. */
export interface IacOwnAccount {
  kind: 'own-account';
  expr: string;
  at: Location;
}

/** The kinds of input iac/ reads, as named in messages and in the model. */
export type InputKind =
  | 'policy'
  | 'terraform-hcl'
  | 'terraform-json'
  | 'cdktf-out'
  | 'terraform-plan'
  | 'terraform-state'
  | 'cloudformation'
  | 'cdk-out';

/** How a key policy is given. */
export type PolicyInput =
  /** JSON text (a policy file, a heredoc, a JSON string attribute, a file() or templatefile()). */
  | { form: 'text'; value: IacValue; file: string; /** Set when the reader already knows the text is valid JSON. */ validJson?: boolean }
  /** A JSON value (jsonencode, a CloudFormation KeyPolicy object, a rendered aws_iam_policy_document). */
  | { form: 'value'; value: IacValue; document?: string };

export type KmsResourceKind = 'key' | 'replica-key' | 'external-key' | 'replica-external-key' | 'key-policy' | 'alias' | 'grant' | 'policy';

interface ResourceBase {
  kind: KmsResourceKind;
  /** The resource type as the source names it: `aws_kms_key`, `AWS::KMS::Key`, or `policy` for a policy file. */
  sourceType: string;
  /** Terraform address (`aws_kms_key.a`, `module.m.aws_kms_key.a`) or CloudFormation logical id. */
  address: string;
  /** The cdktf or CloudFormation stack the resource is in, when it is in one. */
  stack?: string;
  /** The file the resource is declared in, as the user named it. */
  file: string;
  at: Location;
  input: InputKind;
  /** The account the resource is deployed in. */
  account: OwnAccount;
  /** The region, when the source says (provider region, cdk.out environment, ARN). */
  region?: IacValue;
  /** Terraform provider reference (`aws.replica`) or CloudFormation stack environment. */
  provider?: string;
  /** Everything the source wrote for the resource, by attribute name (Terraform's names). */
  attributes: Record<string, IacValue>;
}

/** A KMS key of any kind. Attribute names are Terraform's (`enable_key_rotation`, ...). */
export interface KeyResource extends ResourceBase {
  kind: 'key' | 'replica-key' | 'external-key' | 'replica-external-key';
  /** The key policy, when the resource sets one (else AWS's default key policy applies). */
  policy?: PolicyInput;
  /** True when an aws_kms_key_policy resource manages this key's policy. */
  policyManagedElsewhere?: boolean;
  /** True when the resource sets a policy the reader cannot know (a variable, a reference): nothing to judge. */
  policyUnreadable?: boolean;
}

/** A standalone key policy: aws_kms_key_policy, or a policy JSON file. */
export interface PolicyResource extends ResourceBase {
  kind: 'key-policy' | 'policy';
  policy?: PolicyInput;
  /** The key the policy belongs to (aws_kms_key_policy's key_id target), when it is in the same input. */
  key?: KeyResource;
}

export interface AliasResource extends ResourceBase {
  kind: 'alias';
}

export interface GrantResource extends ResourceBase {
  kind: 'grant';
}

export type KmsResource = KeyResource | PolicyResource | AliasResource | GrantResource;

/** A problem reading an input: it becomes a finding (lint) or an error (apply), never a silent skip. */
export interface InputProblem {
  code: 'unreadable-input' | 'parse-error';
  message: string;
  at: Location;
  resource?: string;
}

/** One Terraform module, stack or template as read: what apply needs beyond the KMS resources. */
export interface IacUnit {
  input: InputKind;
  file: string;
  /** cdktf stack name, CloudFormation stack name, or the folder of a Terraform module. */
  name: string;
  account: OwnAccount;
  /** Resources of the unit that are not KMS resources, counted by type (what apply skips). */
  otherResources: Record<string, number>;
  resources: KmsResource[];
  /** The configured block a reference names (`local.x`, `data.t.n`, `t.n`), for resolving references. */
  lookup?: (path: string[]) => IacValue | undefined;
  /** AWS provider configurations (Terraform) by `aws` / `aws.<alias>`, with their regions. */
  providers?: Array<{ name: string; region?: IacValue; defaultTags?: IacValue }>;
}

export interface IacModel {
  units: IacUnit[];
  problems: InputProblem[];
  /** Files read that hold at least one supported input. */
  files: string[];
  /** Notes a user should see (a policy not linted because it is known only at deploy time, ...). */
  notes: string[];
}

export function isKey(r: KmsResource): r is KeyResource {
  return r.kind === 'key' || r.kind === 'replica-key' || r.kind === 'external-key' || r.kind === 'replica-external-key';
}
