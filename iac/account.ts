/**
 * The one account model: which AWS account a policy is deployed in, and whether an account a policy
 * names is that one. The CLI, `kmskit explain`, the lint rules and the synth-time aspect all ask here.
 *
 * The own account is, in this order: what the user says (`--account`, the aspect's option), what the
 * configuration pins (the AWS provider's `allowed_account_ids` with one id, the account of a
 * cdk.out environment), what deployed state recorded (`data.aws_caller_identity` in a plan or
 * state), and otherwise "this account, id unknown". In the last case a reference to the own account
 * (`data.aws_caller_identity.current.account_id`, `AWS::AccountId`) is still known to be the own
 * account, and a literal 12-digit account id is *possibly* the own one: it is never reported as
 * another account, because nothing says it differs.
 */

/**
 * What readers write for a reference to the own account when its id is unknown. Twelve digits, so
 * every ARN reader sees an account field; no AWS account has this id.
 */
export const OWN_ACCOUNT_MARKER = '000000000000';

export type OwnAccountSource =
  /** `--account` on the command line, or the aspect's `ownAccount` option. */
  | 'flag'
  /** The AWS provider's `allowed_account_ids` (one id). */
  | 'provider'
  /** `data.aws_caller_identity` as read in a plan or state. */
  | 'state'
  /** A cdk.out stack's environment (`aws://111122223333/eu-west-1`). */
  | 'environment'
  /** No source says; the policy's one fully privileged account root is taken as the owner's. */
  | 'inferred'
  /** No source says, and the policy does not tell: "this account, id unknown". */
  | 'unknown';

export interface OwnAccount {
  /** The account id, when known. */
  id?: string;
  source: OwnAccountSource;
}

export const UNKNOWN_ACCOUNT: OwnAccount = Object.freeze({ source: 'unknown' as const });

const ACCOUNT_ID = /^\d{12}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** The own account from what the sources state, strongest first (see the module comment). */
export function resolveOwnAccount(stated: { flag?: string; allowedAccountIds?: readonly string[]; state?: string; environment?: string }): OwnAccount {
  if (stated.flag !== undefined && isAccountId(stated.flag)) return { id: stated.flag, source: 'flag' };
  const allowed = (stated.allowedAccountIds ?? []).filter(isAccountId);
  if (allowed.length === 1) return { id: allowed[0]!, source: 'provider' };
  if (stated.state !== undefined && isAccountId(stated.state)) return { id: stated.state, source: 'state' };
  if (stated.environment !== undefined && isAccountId(stated.environment)) return { id: stated.environment, source: 'environment' };
  return UNKNOWN_ACCOUNT;
}

/** What a reader writes for an own-account reference: the id when known, else the marker. */
export function ownAccountText(own: OwnAccount | undefined): string {
  return own?.id ?? OWN_ACCOUNT_MARKER;
}

export type AccountRelation = 'own' | 'other' | 'unknown';

/**
 * Is `account` (an account id from a principal) the own account? `unknown` when nothing says: an
 * unknown-but-own account is never another account.
 */
export function accountRelation(account: string, own: OwnAccount | undefined): AccountRelation {
  if (account === OWN_ACCOUNT_MARKER) return 'own';
  if (own?.id === undefined) return 'unknown';
  return account === own.id ? 'own' : 'other';
}

/**
 * The own account of one policy: the stated one, else — when the policy names the own account only
 * through a reference (the marker) — "this account, id unknown", else the account whose root the
 * policy gives full access (AWS's "Enable IAM User Permissions" statement names the owner's root;
 * when several roots get it, the first, as AWS's default policy puts that statement first: `full`
 * is in document order), else the one account root it names at all.
 */
export function ownAccountOfPolicy(stated: OwnAccount | undefined, roots: { full: ReadonlySet<string>; all: ReadonlySet<string> }): OwnAccount {
  if (stated?.id !== undefined) return stated;
  if (roots.all.has(OWN_ACCOUNT_MARKER)) return UNKNOWN_ACCOUNT;
  const [first] = roots.full;
  if (first !== undefined) return { id: first, source: 'inferred' };
  if (roots.full.size === 0 && roots.all.size === 1) return { id: [...roots.all][0]!, source: 'inferred' };
  return stated ?? UNKNOWN_ACCOUNT;
}

/** How a message names an account: its id, or "this account" for the marker. */
export function describeAccount(account: string): string {
  return account === OWN_ACCOUNT_MARKER ? 'this account' : account;
}
