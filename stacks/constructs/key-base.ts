/**
 * What a primary key and a replica key have in common: the key policy they carry (built from
 * roles, grown by grants and by the SSE helpers), aliases, and `aws_kms_grant`s. Modelled on
 * aws-cdk's `aws-kms` KeyBase: every grant method funnels into one place, and the action sets are
 * data from policies/perms.ts.
 */
import { keyPolicy, type PrincipalArns } from '../../policies/build.js';
import type { ConditionBlock, PolicyDocument, PolicyStatement } from '../../policies/model.js';
import { ADMIN_ACTIONS, ENCRYPTION_CONTEXT_ACTIONS, actionMatches, anyActionMatches } from '../../policies/perms.js';
import { type AwsProvider, Construct, KmsAlias, KmsGrant, Lazy, Token } from '../provider.js';
import { StackPropError, callerIdentity, idFrom, partitionOf, principalFor, regionOf, show, statementKey, uniqueSid } from './common.js';
import { type KeySpec, type KeyUsage, userActionsFor } from './key-spec.js';

/** Role-based key policy props shared by KmsKey and KmsReplicaKey. */
export interface KeyPolicyProps {
  /**
   * Key administrators: manage the key, never use it (policies/perms.ts ADMIN_ACTIONS).
   * @default none
   */
  readonly admins?: readonly string[];
  /**
   * Users of the key: the user action set for the key's kind (symmetric, HMAC, sign/verify,
   * asymmetric encrypt). Not available for KEY_AGREEMENT keys; use `grant` there.
   * @default none
   */
  readonly users?: readonly string[];
  /**
   * Principals whose AWS services (EBS, RDS, ...) may create grants on the key, under
   * `kms:GrantIsForAWSResource`.
   * @default none
   */
  readonly serviceUsers?: readonly string[];
  /**
   * Service principals (e.g. `events.amazonaws.com`) that may use the key, limited to resources of
   * the key's own account with `aws:SourceAccount`.
   * @default none
   */
  readonly services?: readonly string[];
  /**
   * An explicit key policy document. Its statements follow the role statements; the account-root
   * statement is still added first unless `omitAccountRootStatement` is set.
   * @default a policy built from the roles
   */
  readonly policy?: PolicyDocument;
  /**
   * Leave out the statement that gives the account root `kms:*`. Without it IAM policies cannot grant
   * access to the key, and the key can become unmanageable; so a reason is required.
   * @default the account-root statement is present
   */
  readonly omitAccountRootStatement?: { readonly reason: string };
  /**
   * Skip KMS's check that the policy does not lock the caller out. Almost never right.
   * @default false
   */
  readonly bypassPolicyLockoutSafetyCheck?: boolean;
}

/** `addGrant` options: one `aws_kms_grant`. */
export interface KeyGrantOptions {
  /** The principal the grant gives permissions to (ARN). */
  readonly grantee: string;
  /** Grant operations, as KMS names them (`Encrypt`, `Decrypt`, ...); a `kms:` prefix is accepted. */
  readonly operations: readonly string[];
  /** Encryption-context constraints: exactly one of the two maps. */
  readonly constraints?: {
    readonly encryptionContextEquals?: Readonly<Record<string, string>>;
    readonly encryptionContextSubset?: Readonly<Record<string, string>>;
  };
  /** The principal that may retire the grant. @default none (the grantee and the key's admins can) */
  readonly retiringPrincipal?: string;
  /** The grant's name; also its construct id. @default `Grant<n>` */
  readonly name?: string;
}

/** The operations CreateGrant accepts (API_CreateGrant.html, `Operations`). */
export const GRANT_OPERATIONS = Object.freeze([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
]);

/** Grant operations any kind of key supports: they manage the grant or describe the key. */
const UNIVERSAL_GRANT_OPERATIONS = ['CreateGrant', 'RetireGrant', 'DescribeKey'];

const ALIAS_RE = /^[a-zA-Z0-9:/_-]{1,256}$/;
const GRANT_NAME_RE = /^[a-zA-Z0-9:/_-]{1,256}$/;

/** Normalises an alias name: adds `alias/`, rejects AWS-reserved names and bad characters. */
export function normalizeAliasName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new StackPropError(`alias must be a non-empty string matching ^[a-zA-Z0-9:/_-]{1,256}$, got ${show(name)}`);
  }
  if (Token.isUnresolved(name)) return name;
  const full = name.startsWith('alias/') ? name : `alias/${name}`;
  if (full.startsWith('alias/aws/') || full === 'alias/aws') {
    throw new StackPropError(`alias ${show(name)} is reserved: names under alias/aws/ belong to AWS managed keys`);
  }
  if (!ALIAS_RE.test(full) || full === 'alias/') {
    throw new StackPropError(`alias must match ^[a-zA-Z0-9:/_-]{1,256}$ (after the alias/ prefix), got ${show(name)}`);
  }
  return full;
}

type NamedGrant =
  | 'Allow encrypt'
  | 'Allow decrypt'
  | 'Allow encrypt and decrypt'
  | 'Allow sign'
  | 'Allow verify'
  | 'Allow generate MAC'
  | 'Allow verify MAC'
  | 'Allow key administration';

/** Settings a subclass hands the base once it has validated its props. */
export interface KeyBaseInit {
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly multiRegion: boolean;
  readonly provider?: AwsProvider;
  readonly policyProps: KeyPolicyProps;
}

/** What `KmsKey` and `KmsReplicaKey` share: the key policy (grown by `grant*` and the SSE helpers), aliases and `aws_kms_grant`s. */
export abstract class KeyBase extends Construct {
  /** The key id (a Terraform reference). */
  abstract readonly keyId: string;
  /** The key ARN (a Terraform reference). */
  abstract readonly arn: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly multiRegion: boolean;
  /** The region the key lives in (from its provider). */
  readonly region: string;
  readonly partition: string;
  /** The account the key lives in: `${data.aws_caller_identity.current.account_id}` of its stack. */
  readonly account: string;
  /** The provider the key's resources use (undefined: the stack's default). */
  readonly provider: AwsProvider | undefined;

  /** The key policy's statements, in order; the role statements first. */
  private statements: PolicyStatement[] = [];
  private policyId: string | undefined;
  private readonly aliasResources: KmsAlias[] = [];
  private grantCount = 0;

  protected constructor(scope: Construct, id: string, init: KeyBaseInit) {
    super(scope, id);
    this.keySpec = init.keySpec;
    this.keyUsage = init.keyUsage;
    this.multiRegion = init.multiRegion;
    this.provider = init.provider;
    this.region = regionOf(this, init.provider);
    this.partition = partitionOf(this.region);
    this.account = callerIdentity(this).accountId;
    this.initialStatements(init.policyProps);
  }

  private initialStatements(props: KeyPolicyProps): void {
    const list = (name: string, value: readonly string[] | undefined): PrincipalArns | undefined => {
      if (value === undefined) return undefined;
      if (!Array.isArray(value)) throw new StackPropError(`${name} must be a list of principal ARNs, got ${show(value)}`);
      return value.length === 0 ? undefined : value;
    };
    const users = list('users', props.users);
    const userActions = userActionsFor(this.keySpec, this.keyUsage);
    if (users !== undefined && userActions === undefined) {
      throw new StackPropError(`users is not available for ${this.keyUsage} keys (${this.keySpec}), got ${show(props.users)}; use grant(grantee, 'kms:DeriveSharedSecret', 'kms:GetPublicKey')`);
    }
    const userRole =
      this.keySpec === 'SYMMETRIC_DEFAULT'
        ? 'users'
        : this.keyUsage === 'GENERATE_VERIFY_MAC'
          ? 'hmacUsers'
          : this.keyUsage === 'SIGN_VERIFY'
            ? 'signVerifyUsers'
            : 'asymmetricEncryptUsers';
    if (props.omitAccountRootStatement !== undefined) {
      const reason: unknown = (props.omitAccountRootStatement as { reason?: unknown } | null)?.reason;
      if (typeof reason !== 'string' || reason.trim() === '') {
        throw new StackPropError(`omitAccountRootStatement needs a non-empty reason, got ${show(props.omitAccountRootStatement)}`);
      }
    }
    if (props.policy !== undefined) {
      const st: unknown = (props.policy as { Statement?: unknown } | null)?.Statement;
      if (typeof props.policy !== 'object' || props.policy === null || st === undefined) {
        throw new StackPropError(`policy must be a key policy document with a Statement, got ${show(props.policy)}`);
      }
    }
    const explicit = props.policy === undefined ? [] : Array.isArray(props.policy.Statement) ? props.policy.Statement : [props.policy.Statement];
    let doc: PolicyDocument;
    try {
      doc = keyPolicy({
        account: this.account,
        partition: this.partition,
        admins: list('admins', props.admins),
        [userRole]: users,
        serviceUsers: list('serviceUsers', props.serviceUsers),
        ...(props.omitAccountRootStatement ? { omitAccountRoot: props.omitAccountRootStatement } : {}),
        ...(props.policy?.Id !== undefined ? { id: props.policy.Id } : {}),
      });
    } catch (err) {
      throw new StackPropError(err instanceof Error ? err.message : String(err));
    }
    this.policyId = doc.Id;
    this.statements = Array.isArray(doc.Statement) ? [...doc.Statement] : [doc.Statement];
    for (const s of explicit) this.addToPolicy(s);
    const services = list('services', props.services);
    if (services !== undefined) {
      for (const service of services) {
        const principal = principalFor(service);
        if (typeof principal !== 'object' || principal.Service === undefined) {
          throw new StackPropError(`services must hold service principals like events.amazonaws.com, got ${show(service)}`);
        }
        this.addToPolicy({
          Sid: 'Allow AWS services of the account to use the key',
          Effect: 'Allow',
          Principal: principal,
          Action: [...(userActions ?? [])],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': this.account } },
        });
      }
    }
  }

  /** The key policy as it stands (Terraform references still as tokens). */
  policyDocument(): PolicyDocument {
    const doc: PolicyDocument = { Version: '2012-10-17', Statement: this.statements.map((s) => structuredClone(s)) };
    return this.policyId === undefined ? doc : { Version: '2012-10-17', Id: this.policyId, Statement: doc.Statement };
  }

  /**
   * The policy attribute: a JSON string, rendered at synth so that grants added after construction
   * are included. Literal `${` (IAM policy variables) is escaped for Terraform; cdktf tokens are not.
   */
  protected policyAttribute(): string {
    return Lazy.stringValue({
      produce: () => JSON.stringify(this.policyDocument()).replace(/\$\{(?!TfToken\[)/g, '$$${'),
    });
  }

  /**
   * Adds a statement to the key policy. An identical statement is added once; a statement that
   * differs from an existing one only in its AWS principals is merged into it; a different
   * statement under a Sid already taken gets a numbered Sid. Returns the statement as it stands.
   */
  addToPolicy(statement: PolicyStatement): PolicyStatement {
    if (typeof statement !== 'object' || statement === null || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) {
      throw new StackPropError(`addToPolicy needs a policy statement with Effect "Allow" or "Deny", got ${show(statement)}`);
    }
    const incoming = structuredClone(statement);
    const key = statementKey(incoming);
    const same = this.statements.find((s) => statementKey(s) === key);
    if (same) return same;
    if (incoming.Sid !== undefined) {
      for (const existing of this.statements.filter((s) => s.Sid !== undefined && (s.Sid === incoming.Sid || isNumbered(s.Sid, incoming.Sid as string)))) {
        if (mergePrincipals(existing, incoming)) return existing;
      }
      const taken = new Set(this.statements.map((s) => s.Sid).filter((s): s is string => s !== undefined));
      incoming.Sid = uniqueSid(incoming.Sid, taken);
    }
    this.statements.push(incoming);
    return incoming;
  }

  /**
   * Allows `grantee` the `actions` on this key in the key policy. Every grant method comes here.
   * `grantee`: an IAM principal ARN (or reference), an account id, or a service principal. The Sid
   * names the grant method whose action set this is ("Allow decrypt"), else lists the actions.
   */
  grant(grantee: string, ...actions: string[]): PolicyStatement {
    if (actions.length === 0) throw new StackPropError(`grant needs at least one action, got none`);
    for (const action of actions) {
      if (typeof action !== 'string' || !/^kms:[A-Za-z*?]+$/.test(action)) {
        throw new StackPropError(`grant: actions must be KMS actions like kms:Decrypt, got ${show(action)}`);
      }
    }
    const key = JSON.stringify(actions);
    const named = Object.entries(this.namedGrants()).find(([, set]) => set.length > 0 && JSON.stringify(set) === key)?.[0];
    const sid = named ?? `Grant ${actions.map((a) => a.replace(/^kms:/i, '')).join(' ').replace(/[^A-Za-z0-9 ]/g, '')}`.trim();
    return this.addToPolicy({ Sid: sid, Effect: 'Allow', Principal: principalFor(grantee), Action: actions.length === 1 ? (actions[0] as string) : [...actions], Resource: '*' });
  }

  /** Encrypt, re-encrypt and generate data keys (ENCRYPT_DECRYPT keys). */
  grantEncrypt(grantee: string): PolicyStatement {
    this.requireUsage('grantEncrypt', 'ENCRYPT_DECRYPT');
    return this.grant(grantee, ...this.namedGrants()['Allow encrypt']);
  }

  /** Decrypt (ENCRYPT_DECRYPT keys). */
  grantDecrypt(grantee: string): PolicyStatement {
    this.requireUsage('grantDecrypt', 'ENCRYPT_DECRYPT');
    return this.grant(grantee, ...this.namedGrants()['Allow decrypt']);
  }

  /** Encrypt and decrypt (ENCRYPT_DECRYPT keys). */
  grantEncryptDecrypt(grantee: string): PolicyStatement {
    this.requireUsage('grantEncryptDecrypt', 'ENCRYPT_DECRYPT');
    return this.grant(grantee, ...this.namedGrants()['Allow encrypt and decrypt']);
  }

  /** Sign (SIGN_VERIFY keys). */
  grantSign(grantee: string): PolicyStatement {
    this.requireUsage('grantSign', 'SIGN_VERIFY');
    return this.grant(grantee, ...this.namedGrants()['Allow sign']);
  }

  /** Verify and read the public key (SIGN_VERIFY keys). */
  grantVerify(grantee: string): PolicyStatement {
    this.requireUsage('grantVerify', 'SIGN_VERIFY');
    return this.grant(grantee, ...this.namedGrants()['Allow verify']);
  }

  /** GenerateMac (HMAC keys). */
  grantGenerateMac(grantee: string): PolicyStatement {
    this.requireUsage('grantGenerateMac', 'GENERATE_VERIFY_MAC');
    return this.grant(grantee, ...this.namedGrants()['Allow generate MAC']);
  }

  /** VerifyMac (HMAC keys). */
  grantVerifyMac(grantee: string): PolicyStatement {
    this.requireUsage('grantVerifyMac', 'GENERATE_VERIFY_MAC');
    return this.grant(grantee, ...this.namedGrants()['Allow verify MAC']);
  }

  /** Key administration (policies/perms.ts ADMIN_ACTIONS), no use of the key. */
  grantAdmin(grantee: string): PolicyStatement {
    return this.grant(grantee, ...this.namedGrants()['Allow key administration']);
  }

  /**
   * The action set of each grant method, by the Sid its statement gets: the patterns of this key's
   * user action set (policies/perms.ts) that cover the method's operations, so nothing is listed twice.
   */
  private namedGrants(): Record<NamedGrant, string[]> {
    const covering = (operations: readonly string[]): string[] => {
      const set = userActionsFor(this.keySpec, this.keyUsage) ?? [];
      return set.filter((pattern) => operations.some((op) => actionMatches(pattern, op)));
    };
    return {
      'Allow encrypt': covering(['kms:Encrypt', 'kms:ReEncryptTo', 'kms:GenerateDataKey']),
      'Allow decrypt': covering(['kms:Decrypt']),
      'Allow encrypt and decrypt': covering(['kms:Encrypt', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:Decrypt']),
      'Allow sign': covering(['kms:Sign']),
      'Allow verify': covering(['kms:Verify', 'kms:GetPublicKey']),
      'Allow generate MAC': covering(['kms:GenerateMac']),
      'Allow verify MAC': covering(['kms:VerifyMac']),
      'Allow key administration': [...ADMIN_ACTIONS],
    };
  }

  /**
   * Lets `principals` use the key only through an AWS service (`kms:ViaService`) and only from the
   * key's own account (`kms:CallerAccount`): what the SSE helpers add for services that call KMS
   * with the caller's own permissions.
   */
  grantViaService(principals: readonly string[], service: string, actions: readonly string[], sid: string, extraCondition: ConditionBlock = {}): PolicyStatement {
    if (!Array.isArray(principals) || principals.length === 0) {
      throw new StackPropError(`${sid}: principals must name at least one IAM principal ARN, got ${show(principals)}`);
    }
    const arns = principals.map((p) => {
      const block = principalFor(p);
      if (typeof block !== 'object' || block.AWS === undefined) throw new StackPropError(`${sid}: principals must be IAM principal ARNs, got ${show(p)}`);
      return block.AWS as string;
    });
    const suffix = this.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    return this.addToPolicy({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: arns.length === 1 ? (arns[0] as string) : arns },
      Action: [...actions],
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:ViaService': `${service}.${this.region}.${suffix}`,
          'kms:CallerAccount': this.account,
        },
        ...structuredClone(extraCondition),
      },
    });
  }

  private requireUsage(method: string, usage: KeyUsage): void {
    if (this.keyUsage !== usage) {
      throw new StackPropError(`${method} needs a key with keyUsage ${usage}, but ${this.node.path} has keyUsage ${this.keyUsage} (${this.keySpec})`);
    }
  }

  /** Adds an alias (the `alias/` prefix is added; `alias/aws/` is rejected). */
  addAlias(name: string): KmsAlias {
    const full = normalizeAliasName(name);
    if (this.aliasResources.some((a) => a.nameInput === full)) {
      throw new StackPropError(`alias ${show(full)} is already on ${this.node.path}`);
    }
    const alias = new KmsAlias(this, `Alias-${idFrom(full.replace(/^alias\//, ''))}`, {
      name: full,
      targetKeyId: this.keyId,
      ...(this.provider ? { provider: this.provider } : {}),
    });
    this.aliasResources.push(alias);
    return alias;
  }

  /** ARNs of the key's aliases (Terraform references). */
  get aliasArns(): string[] {
    return this.aliasResources.map((a) => a.arn);
  }

  /** Names of the key's aliases (`alias/...`). */
  get aliasNames(): string[] {
    return this.aliasResources.map((a) => a.nameInput ?? '');
  }

  /**
   * Emits an `aws_kms_grant`. Operations are checked against CreateGrant's list and the key's kind;
   * encryption-context constraints are only allowed when every operation takes an encryption context.
   */
  addGrant(options: KeyGrantOptions): KmsGrant {
    if (typeof options !== 'object' || options === null) throw new StackPropError(`addGrant needs { grantee, operations, ... }, got ${show(options)}`);
    const { grantee, constraints, retiringPrincipal, name } = options;
    if (typeof grantee !== 'string' || grantee === '' || (!Token.isUnresolved(grantee) && !grantee.startsWith('arn:'))) {
      throw new StackPropError(`addGrant: grantee must be an IAM principal ARN, got ${show(grantee)}`);
    }
    if (!Array.isArray(options.operations) || options.operations.length === 0) {
      throw new StackPropError(`addGrant: operations must be a non-empty list of ${GRANT_OPERATIONS.join(', ')}, got ${show(options.operations)}`);
    }
    const operations = options.operations.map((op) => (typeof op === 'string' ? op.replace(/^kms:/, '') : op));
    const keyActions = [...(userActionsFor(this.keySpec, this.keyUsage) ?? []), ...(this.keyUsage === 'KEY_AGREEMENT' ? ['kms:DeriveSharedSecret', 'kms:GetPublicKey'] : [])];
    for (const op of operations) {
      if (typeof op !== 'string' || !GRANT_OPERATIONS.includes(op)) {
        throw new StackPropError(`addGrant: operation ${show(op)} is not a grant operation; allowed: ${GRANT_OPERATIONS.join(', ')}`);
      }
      if (!UNIVERSAL_GRANT_OPERATIONS.includes(op) && !anyActionMatches(keyActions, `kms:${op}`)) {
        throw new StackPropError(`addGrant: operation ${show(op)} is not valid for a ${this.keySpec} ${this.keyUsage} key`);
      }
    }
    let constraintBlock: { encryptionContextEquals?: Record<string, string>; encryptionContextSubset?: Record<string, string> } | undefined;
    if (constraints !== undefined) {
      const equals = constraints.encryptionContextEquals;
      const subset = constraints.encryptionContextSubset;
      if ((equals === undefined) === (subset === undefined)) {
        throw new StackPropError(`addGrant: constraints needs exactly one of encryptionContextEquals or encryptionContextSubset, got ${show(constraints)}`);
      }
      const map = (equals ?? subset) as unknown;
      if (typeof map !== 'object' || map === null || Array.isArray(map) || Object.keys(map).length === 0 || !Object.values(map).every((v) => typeof v === 'string')) {
        throw new StackPropError(`addGrant: the encryption-context constraint must be a non-empty map of strings, got ${show(map)}`);
      }
      const noContext = operations.filter((op) => !ENCRYPTION_CONTEXT_ACTIONS.includes(`kms:${op}`));
      if (noContext.length > 0) {
        throw new StackPropError(`addGrant: encryption-context constraints need operations that take an encryption context; ${noContext.join(', ')} do not (got operations ${show(operations)})`);
      }
      constraintBlock = equals !== undefined ? { encryptionContextEquals: { ...equals } } : { encryptionContextSubset: { ...(subset as Record<string, string>) } };
    }
    if (retiringPrincipal !== undefined && (typeof retiringPrincipal !== 'string' || (!Token.isUnresolved(retiringPrincipal) && !retiringPrincipal.startsWith('arn:')))) {
      throw new StackPropError(`addGrant: retiringPrincipal must be an IAM principal ARN, got ${show(retiringPrincipal)}`);
    }
    if (name !== undefined && (typeof name !== 'string' || !GRANT_NAME_RE.test(name))) {
      throw new StackPropError(`addGrant: name must match ^[a-zA-Z0-9:/_-]{1,256}$, got ${show(name)}`);
    }
    this.grantCount += 1;
    const id = name !== undefined ? `Grant-${idFrom(name)}` : `Grant${this.grantCount}`;
    if (this.node.tryFindChild(id)) throw new StackPropError(`addGrant: a grant named ${show(name ?? id)} is already on ${this.node.path}`);
    return new KmsGrant(this, id, {
      keyId: this.keyId,
      granteePrincipal: grantee,
      operations,
      ...(constraintBlock ? { constraints: [constraintBlock] } : {}),
      ...(retiringPrincipal !== undefined ? { retiringPrincipal } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(this.provider ? { provider: this.provider } : {}),
    });
  }
}

/**
 * Merges `incoming` into `existing` when they differ only in their AWS principals (so granting the
 * same actions to a second role widens one statement instead of adding a near-copy).
 */
function mergePrincipals(existing: PolicyStatement, incoming: PolicyStatement): boolean {
  const a = existing.Principal;
  const b = incoming.Principal;
  if (typeof a !== 'object' || typeof b !== 'object' || a.AWS === undefined || b.AWS === undefined) return false;
  if (Object.keys(a).length !== 1 || Object.keys(b).length !== 1) return false;
  const strip = (s: PolicyStatement) => statementKey({ ...s, Sid: undefined, Principal: undefined } as PolicyStatement);
  if (strip({ ...existing, Sid: incoming.Sid }) !== strip(incoming)) return false;
  const merged = [...new Set([...(Array.isArray(a.AWS) ? a.AWS : [a.AWS]), ...(Array.isArray(b.AWS) ? b.AWS : [b.AWS])])];
  existing.Principal = { AWS: merged.length === 1 ? (merged[0] as string) : merged };
  return true;
}

/** Is `sid` the numbered variant of `base` that uniqueSid makes (`base 2`, `base2`)? */
function isNumbered(sid: string, base: string): boolean {
  return sid.startsWith(base) && /^ ?\d+$/.test(sid.slice(base.length));
}
