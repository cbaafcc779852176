/**
 * The key policy language, as data. Three consumers share these types: stacks/ builds documents,
 * lint/ reasons about them, emulator/ enforces them. Two layers:
 *
 * - the *document* types (`PolicyDocument`, `PolicyStatement`) are the JSON a user writes, loosely
 *   typed the way IAM accepts it (a single value or an array, booleans and numbers in conditions);
 * - the *normalised* types (`NormalizedPolicy`, ...) are what `parse.ts` returns: every list is an
 *   array, names are case-folded for matching next to their original text, and every element knows
 *   its JSON Pointer so a finding or a denial can point at it.
 *
 * Reference: IAM JSON policy element reference, and "Key policies in AWS KMS".
 */

/** The two policy language versions IAM accepts. 2008-10-17 lacks policy variables. */
export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
/** A policy language version, "2012-10-17" or "2008-10-17". */
export type PolicyVersion = (typeof POLICY_VERSIONS)[number];

/** A statement's Effect. */
export type Effect = 'Allow' | 'Deny';

/** A single value or a list of them, as IAM accepts almost everywhere. */
export type OneOrMany<T> = T | T[];

/** `"*"`, or a map of principal type to one ARN/id or a list. */
export type PrincipalBlock =
  | '*'
  | {
      AWS?: OneOrMany<string>;
      Service?: OneOrMany<string>;
      Federated?: OneOrMany<string>;
      CanonicalUser?: OneOrMany<string>;
    };

/** A condition value as written: IAM accepts strings, numbers and booleans. */
export type ConditionScalar = string | number | boolean;

/** `{ "<Operator>": { "<condition-key>": value | [values] } }` */
export type ConditionBlock = Record<string, Record<string, OneOrMany<ConditionScalar>>>;

/** One statement of a policy document as written. */
export interface PolicyStatement {
  Sid?: string;
  Effect: Effect;
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: ConditionBlock;
}

/** A key policy document as written (JSON-compatible). */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: OneOrMany<PolicyStatement>;
}

// ---------------------------------------------------------------------------------------------
// Normalised form (output of parse.ts)
// ---------------------------------------------------------------------------------------------

/** A 1-based position in the source text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A structural problem found while parsing. Never thrown; always returned. */
export interface PolicyProblem {
  /**
   * What kind of problem: `invalid-json`, `invalid-type` (an element of the wrong JSON type),
   * `unknown-element`, `missing-element`, `conflicting-elements` (e.g. Action and NotAction),
   * `duplicate-key`, `empty-element`.
   */
  code: 'invalid-json' | 'invalid-type' | 'unknown-element' | 'missing-element' | 'conflicting-elements' | 'duplicate-key' | 'empty-element';
  message: string;
  /** JSON Pointer into the document ("" is the whole document). */
  pointer: string;
  /** Where it is in the source text, when the input was text. */
  position?: SourcePosition;
}

export interface NormalizedPrincipal {
  /** The bare `"*"` form. `{"AWS":"*"}` is listed in `aws` instead. */
  wildcard: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
  pointer: string;
}

/** A text as written, its case-folded form for matching, and where it stands. */
export interface NamedValue {
  text: string;
  lower: string;
  pointer: string;
}

export type SetOperator = 'ForAllValues' | 'ForAnyValue';

export interface NormalizedCondition {
  /** The operator as written, e.g. `ForAnyValue:StringEqualsIgnoreCase`. */
  operator: string;
  /** The operator without its set prefix and IfExists suffix, e.g. `StringEqualsIgnoreCase`. */
  baseOperator: string;
  setOperator?: SetOperator;
  ifExists: boolean;
  /** The condition key as written, e.g. `kms:EncryptionContext:Department`. */
  key: string;
  /**
   * The key folded for matching: lower case, the encryption-context key name after
   * `kms:EncryptionContext:` included (AWS matches it case-insensitively; values stay case-sensitive).
   */
  keyLower: string;
  /** Values stringified the way IAM compares them (true → "true", 10 → "10"). */
  values: string[];
  /** Pointer to the key inside the operator block: /Statement/0/Condition/StringEquals/kms:CallerAccount */
  pointer: string;
}

/** One statement of a normalised policy: single values made lists, with JSON Pointers back to the source. */
export interface NormalizedStatement {
  index: number;
  /** `/Statement/<index>`, or `/Statement` when the document holds a single statement object. */
  pointer: string;
  sid?: string;
  /** As written. Anything but exactly `Allow` or `Deny` is a problem and the statement never applies. */
  effect: string;
  principal?: NormalizedPrincipal;
  notPrincipal?: NormalizedPrincipal;
  actions?: NamedValue[];
  notActions?: NamedValue[];
  resources?: NamedValue[];
  notResources?: NamedValue[];
  conditions: NormalizedCondition[];
  /** The statement as written. */
  raw: unknown;
}

/** A policy document after parsing: one shape for every way JSON may spell it. */
export interface NormalizedPolicy {
  version?: string;
  id?: string;
  statements: NormalizedStatement[];
  /**
   * The document as written (the parsed JSON value), except that CloudFormation intrinsic functions
   * (`{"Ref": ...}`, `{"Fn::Sub": ...}`) stand as the unknown `${...}` strings of `unknowns.ts`.
   */
  raw: unknown;
}

/** What `parsePolicy` returns: the normalised policy (when it parses), its problems, and every pointer's position. */
export interface ParseResult {
  /** Absent only when the input is not JSON or not an object. */
  policy?: NormalizedPolicy;
  problems: PolicyProblem[];
  /** JSON Pointer → 1-based position of that value (for object members: of the member's key). */
  positions: Map<string, SourcePosition>;
  /** The source text, when the input was text. */
  source?: string;
}

// ---------------------------------------------------------------------------------------------
// Evaluation (evaluate.ts)
// ---------------------------------------------------------------------------------------------

/** A condition-context value: condition keys may be single- or multi-valued. */
export type ContextValue = string | number | boolean | Array<string | number | boolean>;

/** One request to evaluate: principal, action, resource and request context. */
export interface EvaluationRequest {
  /**
   * Who asks: an IAM user or role ARN, an assumed-role session ARN
   * (`arn:aws:sts::111122223333:assumed-role/App/session`), an account root
   * (`arn:aws:iam::111122223333:root`), or a service principal (`logs.us-east-1.amazonaws.com`).
   */
  principal: string;
  /** e.g. `kms:Decrypt`. Matched case-insensitively. */
  action: string;
  /** The key ARN. */
  resource: string;
  /**
   * Condition keys the request carries (`kms:EncryptionContext:dept`, `aws:SourceIp`, ...). Names
   * match case-insensitively except the encryption-context key name. The evaluator derives
   * `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType` and `aws:userid` from
   * `principal` when the context does not set them.
   */
  context?: Record<string, ContextValue | undefined>;
}

/** The outcome of `evaluate`: IAM's allow, explicit deny or implicit deny. */
export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/**
 * How a statement's Principal matched the caller. The emulator needs the difference: a key policy
 * that names the caller (or `*`) allows by itself; one that names the caller's *account* only
 * delegates to the caller's IAM identity policies.
 */
export type PrincipalMatch = 'wildcard' | 'exact' | 'account' | 'service' | 'not-principal' | 'identity-policy';

/** A statement that matched a request, where it is and how its principal matched. */
export interface MatchedStatement {
  /** Index into the documents passed to evaluate(). */
  documentIndex: number;
  statementIndex: number;
  pointer: string;
  sid?: string;
  effect: Effect;
  principalMatch: PrincipalMatch;
}

/** What `evaluate` decided, with every statement that matched. */
export interface EvaluationResult {
  decision: Decision;
  /** Allow statements that matched the request (all of them, not just the first). */
  allowedBy: MatchedStatement[];
  /** Deny statements that matched the request. Non-empty exactly when the decision is explicit-deny. */
  deniedBy: MatchedStatement[];
}
