/**
 * Public exposure: what a stranger (a principal of an account the policy does not mention) can do
 * with the key. This is the part of `kmskit explain`'s effective-access analysis that the
 * `public-principal` rule reports, computed once here so that the two always agree: a policy the
 * rule reports as public shows a PUBLIC line in `kmskit explain`, and the other way round.
 *
 * The question is asked of `policies/evaluate.ts`, statement by statement, for every KMS action a
 * statement covers, with the request a stranger would make. The stranger controls everything in
 * its request except who it is: conditions that pin the caller (rule-helpers `pinsCaller`:
 * kms:CallerAccount, aws:PrincipalOrgID, aws:SourceArn, ... with fixed values) are kept and
 * evaluated against the stranger's identity; every other condition (kms:ViaService, an encryption
 * context, aws:SecureTransport) is one the stranger can meet, so it is dropped and reported with the
 * exposure. A Deny counts only when the stranger cannot step around it: an unconditional Deny, or
 * one whose conditions are all on who the caller is (`StringNotEqualsIfExists aws:PrincipalOrgID`,
 * `BoolIfExists aws:PrincipalIsAWSService`: the data perimeter), evaluated against the stranger's
 * identity, or one whose condition is a deploy-time unknown (no alarm on what is not known).
 *
 * Only statements that can admit someone unnamed are examined: an Allow with `"*"` (or `{"AWS":
 * "*"}`, also inside a list) or with NotPrincipal. A named principal, even of another account, is
 * not "anyone" (cross-account-admin and the other rules judge it).
 */
import { matchPreparedStatement, prepareRequest, withAction, type PreparedRequest } from '../policies/evaluate.js';
import type { NormalizedCondition, NormalizedPolicy, NormalizedStatement } from '../policies/model.js';
import { pointerJoin } from '../policies/parse.js';
import { IAM_ONLY_ACTIONS } from '../policies/perms.js';
import { CALLER_PINNING_KEYS, coveredActions, hasUnresolvedCondition, isEveryone, pinsCaller, principalEntries } from './rule-helpers.js';

export interface Exposure {
  statement: NormalizedStatement;
  /** Where the finding points: the `"*"` entry, or the NotPrincipal element. */
  pointer: string;
  /** The KMS actions a stranger can call through this statement, in catalog order. */
  actions: string[];
  /** The statement's conditions a stranger can meet (they do not pin the caller); empty when unconditional. */
  conditions: NormalizedCondition[];
}

/** The texts of a policy that can name an account: principals, condition values, resources. */
function accountBearingTexts(policy: NormalizedPolicy): string[] {
  const out: string[] = [];
  for (const st of policy.statements) {
    for (const block of [st.principal, st.notPrincipal]) if (block) out.push(...block.aws, ...block.service, ...block.federated, ...block.canonicalUser);
    for (const c of st.conditions) out.push(...c.values);
    for (const r of [...(st.resources ?? []), ...(st.notResources ?? [])]) out.push(r.text);
  }
  return out;
}

/** An account id the policy does not mention: the stranger's. */
export function strangerAccount(policy: NormalizedPolicy): string {
  const texts = accountBearingTexts(policy);
  for (const candidate of ['999999999999', '888888888888', '777777777777', '123456789012']) if (!texts.some((t) => t.includes(candidate))) return candidate;
  return '100000000001';
}

/** The stranger, as a role of {@link strangerAccount}. */
export function strangerPrincipal(policy: NormalizedPolicy): string {
  return `arn:aws:iam::${strangerAccount(policy)}:role/anyone`;
}

/** The key ARN the requests name; the own account only matters for a Resource that is not "*". */
export function keyArnFor(ownAccount: string | undefined): string {
  return `arn:aws:kms:us-east-1:${ownAccount ?? '111122223333'}:key/00000000-0000-0000-0000-000000000000`;
}

const IAM_ONLY = new Set(IAM_ONLY_ACTIONS);
const ANY_RESOURCE = [{ text: '*', lower: '*', pointer: '' }];

/** Keys whose values are facts about who the stranger is: whatever the operator, it cannot change them. */
const IDENTITY_KEYS = new Set([...CALLER_PINNING_KEYS, 'aws:principalisawsservice', 'aws:principaltype', 'aws:principalservicename']);

/** A Deny a stranger cannot step around: no condition, or only conditions on who it is (or unknown ones). */
function firmForStranger(st: NormalizedStatement): boolean {
  return st.effect === 'Deny' && (hasUnresolvedCondition(st) || st.conditions.every((c) => IDENTITY_KEYS.has(c.keyLower)));
}

function admitsUnnamed(st: NormalizedStatement): string | undefined {
  if (st.notPrincipal && !st.principal) return pointerJoin(st.pointer, 'NotPrincipal');
  return principalEntries(st).find(isEveryone)?.pointer;
}

// The stranger and the key ARN are almost always the same two strings: the request is read once.
const prepared = new Map<string, PreparedRequest>();

function strangerRequest(principal: string, resource: string): PreparedRequest {
  const key = `${principal} ${resource}`;
  let r = prepared.get(key);
  if (r === undefined) {
    r = prepareRequest({ principal, action: 'kms:Decrypt', resource });
    if (prepared.size >= 64) prepared.clear();
    prepared.set(key, r);
  }
  return r;
}

let memo: { policy: NormalizedPolicy; own: string | undefined; result: Exposure[] } | undefined;

/** Every Allow statement through which a stranger can use the key, with what it can do. Never throws. */
export function publicExposure(policy: NormalizedPolicy, ownAccount?: string): Exposure[] {
  if (memo?.policy === policy && memo.own === ownAccount) return memo.result;
  const result = computeExposure(policy, ownAccount);
  memo = { policy, own: ownAccount, result };
  return result;
}

function computeExposure(policy: NormalizedPolicy, ownAccount: string | undefined): Exposure[] {
  const out: Exposure[] = [];
  const candidates = policy.statements.filter((st) => st.effect === 'Allow' && admitsUnnamed(st) !== undefined && !hasUnresolvedCondition(st));
  if (candidates.length === 0) return out;
  const stranger = strangerRequest(strangerPrincipal(policy), keyArnFor(ownAccount));
  // A Deny whose condition is a reference is taken as applying (whatever it turns out to say).
  const denies = policy.statements.filter(firmForStranger).map((d) => (hasUnresolvedCondition(d) ? { ...d, conditions: [] } : d));
  for (const st of candidates) {
    // IAM-only actions (CreateKey, ListKeys, ...) do nothing in a key policy.
    // A condition that pins the caller keeps the stranger out: its account, organization and ARN appear
    // in no value of the policy (strangerAccount), so such a condition is false for it. Deciding this
    // here is what the evaluator would say below, without its cost on the common, pinned statement.
    if (st.conditions.some(pinsCaller)) continue;
    const actions = [...coveredActions(st)].filter((a) => !IAM_ONLY.has(a));
    if (actions.length === 0) continue;
    // In a key policy the resource is the key itself whatever Resource says (resource-not-star judges it).
    const pinned = { ...st, conditions: st.conditions.filter(pinsCaller), resources: ANY_RESOURCE, notResources: undefined };
    // Principal, Resource and the kept conditions do not depend on the KMS action: one request decides.
    if (matchPreparedStatement(pinned, withAction(stranger, actions[0]!), policy.version) === undefined) continue;
    const open = denies.length === 0 ? actions : actions.filter((action) => !denies.some((d) => matchPreparedStatement(d, withAction(stranger, action), policy.version) !== undefined));
    if (open.length === 0) continue;
    out.push({ statement: st, pointer: admitsUnnamed(st)!, actions: open, conditions: st.conditions.filter((c) => !pinsCaller(c)) });
  }
  return out;
}
