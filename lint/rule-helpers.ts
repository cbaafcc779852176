/**
 * What several rules need to know about a statement: who it names, which KMS actions it covers, and
 * whether a condition really restricts it. Kept apart from the rules so each rule file stays one
 * decision. Everything here reads the normalised policy plus the statement as written (for pointers)
 * and never throws on a malformed document.
 */
import type { NormalizedCondition, NormalizedPolicy, NormalizedStatement } from '../policies/model.js';
import { pointerJoin, splitConditionOperator } from '../policies/parse.js';
import { ADMIN_ACTIONS, IAM_ONLY_ACTIONS, SERVICE_USER_ACTIONS, actionMatches } from '../policies/perms.js';
import { type AccountRelation, accountRelation, OWN_ACCOUNT_MARKER, type OwnAccount, ownAccountOfPolicy } from '../iac/account.js';
import { KMS_ACTIONS, expandPattern } from './catalog.js';
import { judgePrincipal, type PrincipalEntryType, type PrincipalJudgement } from '../policies/arn.js';
import { isOwnAccountReference } from '../policies/unknowns.js';
import { isUnresolved } from './types.js';
import type { KeyConfig, RuleContext, RuleFinding } from './types.js';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isAllow(st: NormalizedStatement): boolean {
  return st.effect === 'Allow';
}

/**
 * Memoises a pure function of one string (bounded). Rules judge the same action names, operators
 * and principals in policy after policy; a lookup by the string as written replaces the regexes and
 * catalog look-ups. `undefined` results are stored as null, so one lookup answers both cases.
 */
export function memoByString<T>(fn: (s: string) => T | undefined): (s: string) => T | undefined {
  const memo = new Map<string, T | null>();
  return (s) => {
    const hit = memo.get(s);
    if (hit !== undefined) return hit ?? undefined;
    const result = fn(s);
    if (memo.size >= 4096) memo.clear();
    memo.set(s, result ?? null);
    return result;
  };
}

// ---------------------------------------------------------------------------------------------
// Principals
// ---------------------------------------------------------------------------------------------

export type PrincipalType = PrincipalEntryType;

/** One principal a statement names, with its own pointer and what it is (arn.ts `judgePrincipal`). */
export interface PrincipalEntry extends PrincipalJudgement {
  type: PrincipalType;
  value: string;
  pointer: string;
}

/**
 * A per-statement memo for what several rules ask of the same statement. A WeakMap keyed by the
 * statement cost more than the work it saved (every statement is new on every lint, so every call
 * paid for a WeakMap insert); rules ask about the statements of one policy at a time, so a slot per
 * statement index, checked by identity, hits for every rule after the first and is simply
 * overwritten by the next policy.
 */
class StatementMemo<T> {
  private readonly statements: Array<NormalizedStatement | undefined> = [];
  private readonly values: T[] = [];

  get(st: NormalizedStatement): T | undefined {
    return this.statements[st.index] === st ? this.values[st.index] : undefined;
  }

  set(st: NormalizedStatement, value: T): T {
    // A malformed index (never produced by parse.ts) must not grow the arrays without bound.
    if (!Number.isInteger(st.index) || st.index < 0 || st.index > 4096) return value;
    this.statements[st.index] = st;
    this.values[st.index] = value;
    return value;
  }
}

const principalMemo = new StatementMemo<PrincipalEntry[]>();
const notPrincipalMemo = new StatementMemo<PrincipalEntry[]>();

/** The principals a statement names (or excludes, with `NotPrincipal`), each with its own pointer. */
export function principalEntries(st: NormalizedStatement, element: 'Principal' | 'NotPrincipal' = 'Principal'): PrincipalEntry[] {
  const memo = element === 'Principal' ? principalMemo : notPrincipalMemo;
  return memo.get(st) ?? memo.set(st, readPrincipalEntries(st, element));
}

function entry(type: PrincipalType, value: string, pointer: string): PrincipalEntry {
  // Built field by field: a spread of the shared judgement cost more than the rest of this function.
  const j = judgePrincipal(type, value);
  const e: PrincipalEntry = { kind: j.kind, type, value, pointer };
  if (j.account !== undefined) e.account = j.account;
  if (j.root !== undefined) e.root = j.root;
  if (j.problem !== undefined) e.problem = j.problem;
  return e;
}

function readPrincipalEntries(st: NormalizedStatement, element: 'Principal' | 'NotPrincipal'): PrincipalEntry[] {
  const raw = isObject(st.raw) ? st.raw[element] : undefined;
  // The element and type names need no escaping, so pointers are built directly (this runs for
  // every statement of every policy).
  const at = `${st.pointer}/${element}`;
  // "*", a whole Principal given as a reference (one unknown principal, which every rule skips), or
  // a bare string in place of a principal block (a principal that cannot exist).
  if (typeof raw === 'string') return [isUnresolved(raw) ? entry('AWS', raw, at) : entry('*', raw, at)];
  // A list in place of the block: IAM rejects it, but each entry is judged ("*" is still everyone).
  if (Array.isArray(raw)) {
    const out: PrincipalEntry[] = [];
    raw.forEach((item, i) => typeof item === 'string' && out.push(entry('*', item, `${at}/${i}`)));
    return out;
  }
  if (!isObject(raw)) return [];
  const out: PrincipalEntry[] = [];
  for (const type of ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const) {
    const v = raw[type];
    if (v === undefined) continue;
    const p = `${at}/${type}`;
    if (typeof v === 'string') out.push(entry(type, v, p));
    else if (Array.isArray(v)) v.forEach((item, i) => typeof item === 'string' && out.push(entry(type, item, `${p}/${i}`)));
  }
  return out;
}

/** `"*"` or `{"AWS": "*"}` (also inside a list): everyone, the account root included. */
export function isEveryone(e: PrincipalEntry): boolean {
  return e.kind === 'everyone';
}

/** A principal that can exist or may (a deploy-time value): everything but `invalid`. */
export function canExist(e: PrincipalEntry): boolean {
  return e.kind !== 'invalid';
}

/** The account of an AWS principal (`111122223333`, or from its ARN), when it is a valid one. */
export function principalAccount(value: string): string | undefined {
  const j = judgePrincipal('AWS', value);
  return j.kind === 'root' || j.kind === 'iam' ? j.account : undefined;
}

/**
 * A valid account root: `111122223333` or `arn:aws:iam::111122223333:root`. Such a principal delegates
 * to the account's IAM policies. A malformed one (`arn:aws:iam::account-id:root`) is not a root.
 */
export function isAccountRoot(value: string): boolean {
  return judgePrincipal('AWS', value).kind === 'root';
}

/** The own account the source states, when it is a usable value (not empty, not a reference). */
export function givenOwnAccount(ctx: RuleContext): string | undefined {
  const given = ctx.ownAccount ?? ctx.source.ownAccount;
  return given !== undefined && given !== '' && !isUnresolved(given) ? given : undefined;
}

/** What the source states about the own account, in the account model's terms (iac/account.ts). */
function statedAccount(ctx: RuleContext): OwnAccount | undefined {
  if (ctx.source.account?.id !== undefined) return ctx.source.account;
  const given = givenOwnAccount(ctx);
  if (given === undefined || given === OWN_ACCOUNT_MARKER) return ctx.source.account;
  return { id: given, source: 'flag' };
}

/**
 * The account the policy is deployed in, by the one account model (iac/account.ts): the stated one
 * (`--account`, the provider's allowed_account_ids, state), else "this account, id unknown" when the
 * policy names it by reference, else the one account whose root gets kms:* (or the one root named).
 */
export function ownAccountModel(policy: NormalizedPolicy, ctx: RuleContext): OwnAccount {
  // Rules ask this of every principal of a policy: one answer per policy and context.
  if (lastModel && lastModel.policy === policy && lastModel.ctx === ctx) return lastModel.own;
  const own = computeOwnAccount(policy, ctx);
  lastModel = { policy, ctx, own };
  return own;
}

let lastModel: { policy: NormalizedPolicy; ctx: RuleContext; own: OwnAccount } | undefined;

function computeOwnAccount(policy: NormalizedPolicy, ctx: RuleContext): OwnAccount {
  const stated = statedAccount(ctx);
  if (stated?.id !== undefined) return stated;
  // The root that gets kms:* (AWS's "Enable IAM User Permissions") is the owner's; other accounts'
  // roots usually get a usage set. Kept in document order: when several roots get kms:*, the first
  // is the owner's (AWS's root statement comes first). A root written as a reference is the own
  // account with its id unknown: an own-account reference anywhere, any reference in a kms:*
  // statement (`arn:aws:iam::${var.account_id}:root` in the root statement).
  const full = new Set<string>();
  const all = new Set<string>();
  for (const st of policy.statements) {
    if (!isAllow(st)) continue;
    const fullAccess = (st.actions ?? []).some((a) => a.lower === 'kms:*' || a.lower === '*');
    for (const e of principalEntries(st)) {
      if (e.type !== 'AWS' || !e.root || e.account === undefined) continue;
      let account = e.account;
      if (e.kind !== 'root') {
        if (!isOwnAccountReference(e.account) && !fullAccess) continue;
        account = OWN_ACCOUNT_MARKER;
      }
      all.add(account);
      if (fullAccess) full.add(account);
    }
  }
  if (givenOwnAccount(ctx) === OWN_ACCOUNT_MARKER) all.add(OWN_ACCOUNT_MARKER);
  return ownAccountOfPolicy(stated, { full, all });
}

/** The own account's id, or OWN_ACCOUNT_MARKER when it is "this account, id unknown", or undefined when nothing tells. */
export function ownAccountOf(policy: NormalizedPolicy, ctx: RuleContext): string | undefined {
  const own = ownAccountModel(policy, ctx);
  if (own.id !== undefined) return own.id;
  return givenOwnAccount(ctx) === OWN_ACCOUNT_MARKER ? OWN_ACCOUNT_MARKER : undefined;
}

/** Is `account` the policy's own account, another one, or not known to differ? */
export function accountRelationOf(account: string, policy: NormalizedPolicy, ctx: RuleContext): AccountRelation {
  return accountRelation(account, ownAccountModel(policy, ctx));
}

/**
 * Is this principal in another account than the key's own? `yes`, `no`, or `unknown`. This is the
 * one place the rules ask the cross-account question, answered by the one account model
 * (iac/account.ts `accountRelation`): unknown-but-own is never another account. An account field
 * that refers to the deploying account (`${AWS::AccountId}`, `${data.aws_caller_identity.x.account_id}`)
 * is own; any other reference is unknown.
 */
export function isOtherAccount(e: PrincipalEntry, policy: NormalizedPolicy, ctx: RuleContext): 'yes' | 'no' | 'unknown' {
  if (e.type !== 'AWS' || e.account === undefined || e.kind === 'invalid') return 'unknown';
  if (isUnresolved(e.account)) return isOwnAccountReference(e.account) ? 'no' : 'unknown';
  const relation = accountRelationOf(e.account, policy, ctx);
  return relation === 'own' ? 'no' : relation === 'other' ? 'yes' : 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

const coveredMemo = new StatementMemo<Set<string>>();

/**
 * The catalog KMS actions a statement covers: those its Action patterns match, or, for NotAction,
 * every KMS action its patterns do not match. Unresolved (`${...}`) patterns cover nothing. The set
 * is shared between statements with the same action list: callers must not modify it.
 */
export function coveredActions(st: NormalizedStatement): ReadonlySet<string> {
  let out = coveredMemo.get(st);
  if (out) return out;
  // Policies repeat the same action lists (AWS's role sets), so the expansion is shared across
  // statements and policies by the list's text.
  // Built by concatenation rather than map + join: this runs once for every statement linted.
  let signature = st.actions ? 'A\n' : st.notActions ? 'N\n' : '-\n';
  const list = st.actions ?? st.notActions ?? [];
  for (let k = 0; k < list.length; k++) signature += k === 0 ? list[k]!.lower : `\n${list[k]!.lower}`;
  out = coveredBySignature.get(signature);
  if (out) return coveredMemo.set(st, out);
  out = computeCovered(st);
  if (coveredBySignature.size >= 2048) coveredBySignature.clear();
  coveredBySignature.set(signature, out);
  return coveredMemo.set(st, out);
}

const coveredBySignature = new Map<string, Set<string>>();

function computeCovered(st: NormalizedStatement): Set<string> {
  const out = new Set<string>();
  if (st.actions) {
    for (const a of st.actions) {
      if (isUnresolved(a.text)) continue;
      for (const k of expandPattern(a.text, actionMatches)) out.add(k.name);
    }
  } else if (st.notActions) {
    const excluded = new Set(st.notActions.flatMap((a) => expandPattern(a.text, actionMatches).map((k) => k.name)));
    for (const k of KMS_ACTIONS) if (!excluded.has(k.name)) out.add(k.name);
  }
  return out;
}

/** True when a statement's actions are not fully known (a `${...}` reference among them). */
/**
 * One finding per Action/NotAction entry that `problemWith` objects to, pointing at the entry.
 * The per-name grammar rules (invalid-action, non-kms-action) differ only in their check.
 */
export function actionNameFindings(policy: NormalizedPolicy | undefined, problemWith: (action: string) => string | undefined): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const st of policy?.statements ?? []) {
    for (const list of [st.actions, st.notActions]) {
      if (list === undefined) continue;
      for (const a of list) {
        const message = problemWith(a.text);
        if (message !== undefined) out.push({ pointer: a.pointer, message });
      }
    }
  }
  return out;
}

export function hasUnresolvedAction(st: NormalizedStatement): boolean {
  return [...(st.actions ?? []), ...(st.notActions ?? [])].some((a) => isUnresolved(a.text));
}

/** The Action entry (with its pointer) that covers `action`, for pointing a finding at it. */
export function actionEntryFor(st: NormalizedStatement, action: string): { text: string; pointer: string } | undefined {
  if (st.actions) return st.actions.find((a) => actionMatches(a.text, action));
  if (st.notActions) return { text: 'NotAction', pointer: pointerJoin(st.pointer, 'NotAction') };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

/** Pointer of a condition's operator block (`/Statement/0/Condition/StringEquals`). */
export function operatorPointer(c: NormalizedCondition): string {
  return c.pointer.slice(0, c.pointer.lastIndexOf('/'));
}

/** Each value of a condition with its own pointer (a single value shares the key's pointer). */
export function conditionValues(st: NormalizedStatement, c: NormalizedCondition): Array<{ value: unknown; pointer: string }> {
  const cond = isObject(st.raw) ? st.raw.Condition : undefined;
  const block = isObject(cond) ? cond[c.operator] : undefined;
  const raw = isObject(block) ? block[c.key] : undefined;
  if (Array.isArray(raw)) return raw.map((value, i) => ({ value, pointer: pointerJoin(c.pointer, i) }));
  return raw === undefined ? [] : [{ value: raw, pointer: c.pointer }];
}

/**
 * Every condition value with a `*` or `?` under one of the `operators` (base names), with its
 * condition and pointer; deploy-time values are left out. The wildcard rules differ only in the
 * operators they watch and what they say.
 */
export function wildcardConditionValues(policy: NormalizedPolicy | undefined, operators: ReadonlySet<string>): Array<{ condition: NormalizedCondition; base: string; value: string; pointer: string }> {
  const out: Array<{ condition: NormalizedCondition; base: string; value: string; pointer: string }> = [];
  for (const st of policy?.statements ?? []) {
    for (const c of st.conditions) {
      const { base } = parseOperator(c.operator);
      if (!operators.has(base)) continue;
      for (const v of conditionValues(st, c)) {
        if (typeof v.value === 'string' && !isUnresolved(v.value) && /[*?]/.test(v.value)) out.push({ condition: c, base, value: v.value, pointer: v.pointer });
      }
    }
  }
  return out;
}

export interface ParsedOperator {
  base: string;
  set?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
}

const parsedOperators = new Map<string, ParsedOperator>();

/**
 * `ForAnyValue:StringLikeIfExists` → its parts. Memoised (eight rules ask it of every condition):
 * the result is shared, so callers must not modify it.
 */
export function parseOperator(op: string): ParsedOperator {
  let parsed = parsedOperators.get(op);
  if (parsed !== undefined) return parsed;
  const s = splitConditionOperator(op);
  parsed = s.setOperator ? { base: s.baseOperator, set: s.setOperator, ifExists: s.ifExists } : { base: s.baseOperator, ifExists: s.ifExists };
  if (parsedOperators.size >= 4096) parsedOperators.clear();
  parsedOperators.set(op, parsed);
  return parsed;
}

const POSITIVE_MATCH = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);
const HONOURS_WILDCARDS = new Set(['StringLike', 'ArnEquals', 'ArnLike']);
const ARN_VALUED = new Set(['aws:sourcearn', 'aws:principalarn']);

/**
 * Does this condition pin the request down to known values of `key`? It must use a positive match
 * operator without IfExists (which lets a request without the key through) and without
 * ForAllValues (vacuously true on an absent key), and no value may wildcard away the part that
 * matters: the whole value for ids, the account field for ARNs. Unresolved values are unknown and
 * count as restricting, so a Terraform reference never raises an alarm.
 */
export function restricts(c: NormalizedCondition): boolean {
  const op = parseOperator(c.operator);
  if (!POSITIVE_MATCH.has(op.base) || op.ifExists || op.set === 'ForAllValues') return false;
  if (c.values.length === 0) return false;
  const wild = HONOURS_WILDCARDS.has(op.base);
  return c.values.every((v) => {
    if (isUnresolved(v)) return true;
    if (!wild) return v !== '';
    if (c.keyLower === 'aws:userid') return !/[*?]/.test(v.split(':')[0] ?? '');
    if (ARN_VALUED.has(c.keyLower) || v.startsWith('arn:')) {
      const parts = v.split(':');
      if (parts.length < 6) return !/[*?]/.test(v);
      const account = parts[4] ?? '';
      return account !== '' && !/[*?]/.test(account) && !/[*?]/.test(parts.slice(0, 3).join(':'));
    }
    return !/[*?]/.test(v);
  });
}

/**
 * Condition keys AWS sets from who is calling (or from the resource a service acts for), never from
 * what the caller sends: pinned to fixed values they keep out principals of other accounts and
 * organizations. A principal's tags, user name or session attributes are not among them: another
 * account can give its own principals any tag or name.
 */
export const CALLER_PINNING_KEYS: readonly string[] = [
  'kms:calleraccount',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourceowner',
  'aws:userid',
];
const PINNING = new Set(CALLER_PINNING_KEYS);

/**
 * Does this condition keep strangers out? A key from {@link CALLER_PINNING_KEYS} that
 * {@link restricts} the request; a condition whose key or operator is a deploy-time reference
 * counts too (it may restrict anything, so no alarm is raised on it). `kms:ViaService`, an
 * encryption context, network or time conditions do not: any account's principal can meet them.
 * The effective-access analysis (`exposure.ts`, behind `public-principal` and `kmskit explain`)
 * keeps exactly these conditions when it asks what a stranger can reach.
 */
export function pinsCaller(c: NormalizedCondition): boolean {
  if (isUnresolved(c.key) || isUnresolved(c.operator)) return true;
  return PINNING.has(c.keyLower) && restricts(c);
}

/** The statement's conditions on any of `keys` (lower-case names). */
export function conditionsOn(st: NormalizedStatement, keys: readonly string[]): NormalizedCondition[] {
  return st.conditions.filter((c) => keys.includes(c.keyLower));
}

/** True when a statement's condition on a key in `keys` restricts it (see {@link restricts}). */
export function restrictedBy(st: NormalizedStatement, keys: readonly string[]): boolean {
  return conditionsOn(st, keys).some(restricts);
}

export const EC_PREFIX = 'kms:encryptioncontext:';

/** `kms:EncryptionContext:<key>` (not `kms:EncryptionContextKeys`). */
export function isEncryptionContextKey(keyLower: string): boolean {
  return keyLower.startsWith(EC_PREFIX) && keyLower.length > EC_PREFIX.length;
}

/** The statement a pointer points into. */
export function statementAt(policy: NormalizedPolicy | undefined, pointer: string): NormalizedStatement | undefined {
  return policy?.statements.find((st) => pointer === st.pointer || pointer.startsWith(st.pointer + '/'));
}

let adminCache: Set<string> | undefined;

/**
 * Administration actions that change the key or its policy: the console's administrator set
 * (perms.ts ADMIN_ACTIONS) expanded over the catalog, without its read-only part (Describe*, Get*,
 * List*, which AWS shares with key users and other accounts), without the grant operations AWS's
 * default policy gives key users (SERVICE_USER_ACTIONS: CreateGrant, ListGrants, RevokeGrant) and
 * without IAM-only actions.
 */
export function adminActions(): Set<string> {
  if (adminCache) return adminCache;
  const excluded = new Set([...IAM_ONLY_ACTIONS, ...SERVICE_USER_ACTIONS]);
  adminCache = new Set(KMS_ACTIONS.filter((a) => ADMIN_ACTIONS.some((p) => actionMatches(p, a.name)) && a.accessLevel !== 'Read' && a.accessLevel !== 'List' && !excluded.has(a.name)).map((a) => a.name));
  return adminCache;
}

const adminCoveredMemo = new WeakMap<ReadonlySet<string>, readonly string[]>();

/**
 * The administration actions (see {@link adminActions}) a statement covers, in catalog order.
 * Memoised on the covered set, which statements and policies with the same action list share; the
 * result is shared too, so callers must not modify it.
 */
export function adminActionsCovered(st: NormalizedStatement): readonly string[] {
  const covered = coveredActions(st);
  let out = adminCoveredMemo.get(covered);
  if (out === undefined) {
    const admin = adminActions();
    out = [...covered].filter((a) => admin.has(a));
    adminCoveredMemo.set(covered, out);
  }
  return out;
}

/**
 * Is the key a symmetric encryption key? `undefined` settings take Terraform's defaults
 * (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT); an unresolved (`null`) setting makes the answer unknown.
 */
export function isSymmetricEncryption(key: KeyConfig): boolean | undefined {
  if (key.keySpec === null || key.keyUsage === null) return undefined;
  if (key.keySpec !== undefined && isUnresolved(key.keySpec)) return undefined;
  if (key.keyUsage !== undefined && isUnresolved(key.keyUsage)) return undefined;
  return (key.keySpec === undefined || key.keySpec === 'SYMMETRIC_DEFAULT') && (key.keyUsage === undefined || key.keyUsage === 'ENCRYPT_DECRYPT');
}

/** The value at a JSON Pointer in a parsed document, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(token)];
    else if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, token) ? cur[token] : undefined;
    else return undefined;
  }
  return cur;
}

/**
 * True when part of a statement's Condition is a Terraform reference (`"Condition": "${var.c}"`, a
 * `${...}` operator or key, or a whole operator block given as a reference). Such a condition may
 * restrict anything, so the rules that ask "is this statement restricted?" stay silent.
 */
export function hasUnresolvedCondition(st: NormalizedStatement): boolean {
  const cond = isObject(st.raw) ? st.raw.Condition : undefined;
  if (typeof cond === 'string') return isUnresolved(cond);
  if (!isObject(cond)) return false;
  for (const [op, block] of Object.entries(cond)) {
    if (isUnresolved(op) || (typeof block === 'string' && isUnresolved(block))) return true;
    if (isObject(block) && Object.keys(block).some(isUnresolved)) return true;
  }
  return false;
}
