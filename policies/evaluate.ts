/**
 * One request against one or more policy documents, the IAM way: an explicit Deny in any document
 * wins; otherwise any matching Allow allows; otherwise the request is implicitly denied. The result
 * names every statement that matched, so a caller (the emulator's authz, `kmskit explain`) can say why.
 *
 * This function only decides what the statements say. Which documents to pass, and what an
 * account-level match means (a key policy naming the account delegates to IAM policies), is the
 * caller's business; `principalMatch` tells it how each statement matched.
 *
 * Choices where IAM leaves room (also in README "Policies"):
 * - A statement with an Effect other than exactly `Allow`/`Deny`, with both Principal and NotPrincipal,
 *   both Action and NotAction, both Resource and NotResource, or with neither Action nor NotAction
 *   (or neither Resource nor NotResource) never applies: IAM rejects such documents.
 * - Principal entries are never wildcards except the whole `*`/`{"AWS":"*"}` (as in IAM), and an
 *   entry that cannot exist (arn.ts `judgePrincipal`: malformed ARN or account id, group, managed
 *   policy) matches nobody.
 * - NotPrincipal: the caller is excluded only when every identity in its chain is listed: the account
 *   (root ARN or id) for everyone in it, plus the user for a user, plus the role for an
 *   assumed-role session (the session ARN or the role ARN covers the session itself). This is IAM's
 *   documented "account, then role, then session" check.
 * - A statement that fails to evaluate (malformed hand-built input) does not apply. Nothing throws.
 */
import type {
  EvaluationRequest,
  EvaluationResult,
  MatchedStatement,
  NamedValue,
  NormalizedPolicy,
  NormalizedPrincipal,
  NormalizedStatement,
  PrincipalMatch,
} from './model.js';
import { classifyPrincipal, isAccountId, judgePrincipal, parseArn, principalArnOf, servicePrincipalsMatch, type Caller } from './arn.js';
import { arnTokensMatch, buildConditionContext, evaluateConditions, resolvePolicyValue, type ConditionContext } from './conditions.js';
import { matchTokens, wildcardMatch } from './wildcard.js';

const RANK: Record<PrincipalMatch, number> = { exact: 5, service: 4, wildcard: 3, account: 2, 'not-principal': 1, 'identity-policy': 1 };

function strings(list: unknown): string[] {
  if (typeof list === 'string') return [list];
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

function asCaller(principal: string | Caller): Caller {
  if (principal !== null && typeof principal === 'object' && typeof principal.kind === 'string' && typeof principal.raw === 'string') return principal;
  return classifyPrincipal(principal);
}

/** The account an AWS principal entry names (`111122223333` or `arn:aws:iam::111122223333:root`). */
function accountEntry(entry: string): { account: string; partition?: string } | undefined {
  if (isAccountId(entry)) return { account: entry };
  const arn = parseArn(entry);
  if (arn && arn.service === 'iam' && arn.resource === 'root' && isAccountId(arn.account)) return { account: arn.account, partition: arn.partition };
  return undefined;
}

function sameAccount(entry: { account: string; partition?: string }, caller: Caller): boolean {
  return caller.account === entry.account && (entry.partition === undefined || entry.partition === caller.partition);
}

/** Does a role ARN entry name the role an assumed-role session belongs to? Sessions drop the role path. */
function roleEntryCoversSession(entry: string, caller: Caller): boolean {
  if (caller.kind !== 'assumed-role') return false;
  const arn = parseArn(entry);
  if (!arn || arn.service !== 'iam' || !arn.resource.startsWith('role/')) return false;
  const name = arn.resource.split('/').pop();
  return arn.partition === caller.partition && arn.account === caller.account && name === caller.roleName;
}

function matchAwsEntry(entry: string, caller: Caller): PrincipalMatch | undefined {
  if (entry === '*') return 'wildcard';
  // A principal that cannot exist (a malformed ARN or account id, a group, a managed policy) names
  // nobody, not even a caller whose principal string is spelt the same way.
  if (judgePrincipal('AWS', entry).kind === 'invalid') return undefined;
  const account = accountEntry(entry);
  if (account) {
    if (!sameAccount(account, caller)) return undefined;
    return caller.kind === 'root' ? 'exact' : 'account';
  }
  if (caller.kind === 'service') return undefined;
  if (entry === caller.raw) return 'exact';
  if (roleEntryCoversSession(entry, caller)) return 'exact';
  return undefined;
}

function best(a: PrincipalMatch | undefined, b: PrincipalMatch | undefined): PrincipalMatch | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RANK[b] > RANK[a] ? b : a;
}

/**
 * How a Principal block matches a caller: `exact` (names the caller, its account root when the caller
 * is that root, or the role of an assumed-role session), `service`, `wildcard` (`*` or `{"AWS":"*"}`),
 * `account` (names the caller's account: any principal of that account), or undefined for no match.
 * When several entries match, the most specific wins.
 */
export function matchPrincipal(block: NormalizedPrincipal | undefined, principal: string | Caller): PrincipalMatch | undefined {
  if (!block || typeof block !== 'object') return undefined;
  const caller = asCaller(principal);
  if (block.wildcard === true) return 'wildcard';
  let result: PrincipalMatch | undefined;
  for (const entry of strings(block.aws)) result = best(result, matchAwsEntry(entry, caller));
  if (caller.kind === 'service') {
    for (const entry of strings(block.service)) if (servicePrincipalsMatch(entry, caller.raw)) result = best(result, 'service');
  }
  for (const entry of [...strings(block.federated), ...strings(block.canonicalUser)]) if (entry === caller.raw) result = best(result, 'exact');
  return result;
}

/**
 * Whether a NotPrincipal block lets its statement apply to the caller (true = the caller is NOT
 * excluded). See the module comment for the identity chain that must be listed to exclude a caller.
 */
export function notPrincipalApplies(block: NormalizedPrincipal | undefined, principal: string | Caller): boolean {
  if (!block || typeof block !== 'object') return false;
  const caller = asCaller(principal);
  const aws = strings(block.aws);
  if (block.wildcard === true || aws.includes('*')) return false;
  const listed = (test: (entry: string) => boolean) => aws.some(test);
  const accountListed = () => listed((e) => {
    const a = accountEntry(e);
    return a !== undefined && sameAccount(a, caller);
  });
  let excluded: boolean;
  switch (caller.kind) {
    case 'root':
      excluded = accountListed();
      break;
    case 'user':
    case 'role':
    case 'federated-user':
      excluded = accountListed() && listed((e) => e === caller.raw);
      break;
    case 'assumed-role':
      // The role identity needs the role ARN; the session identity is covered by its ARN or the role's.
      excluded = accountListed() && listed((e) => roleEntryCoversSession(e, caller));
      break;
    case 'service':
      excluded = strings(block.service).some((e) => servicePrincipalsMatch(e, caller.raw));
      break;
    default:
      excluded = [...aws, ...strings(block.service), ...strings(block.federated), ...strings(block.canonicalUser)].includes(caller.raw);
  }
  return !excluded;
}

/** IAM action matching: `*` and `?` wildcards, case-insensitive. */
export function actionMatchesPattern(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { caseInsensitive: true });
}

function valueText(v: NamedValue | string | undefined): string | undefined {
  if (typeof v === 'string') return v;
  return v && typeof v === 'object' && typeof v.text === 'string' ? v.text : undefined;
}

function listOf(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  return values.map((v) => valueText(v as NamedValue)).filter((v): v is string => v !== undefined);
}

/** Resource matching: `*`/`?` wildcards per ARN part, case-sensitive, with policy variables. */
export function resourceMatchesPattern(pattern: string, resource: string, ctx: ConditionContext = new Map(), variables = false): boolean {
  if (typeof pattern !== 'string' || typeof resource !== 'string') return false;
  if (pattern === '*') return true;
  const tokens = resolvePolicyValue(pattern, ctx, { variables, wildcards: true });
  if (tokens === undefined) return false;
  if (tokens.length === 1 && tokens[0]?.kind === 'star') return true;
  // A non-ARN resource (`*` for ListKeys/CreateKey, or an alias name) is matched as plain text.
  if (!parseArn(resource)) return matchTokens(tokens, resource);
  return arnTokensMatch(tokens, resource);
}

/**
 * Fills the global keys IAM derives from the caller when the request context does not carry them:
 * aws:PrincipalArn (the role ARN for an assumed-role session), aws:PrincipalAccount, aws:PrincipalType,
 * aws:username (IAM users), aws:userid (account root only: other principals' unique ids are not
 * knowable from an ARN), aws:PrincipalIsAWSService, aws:PrincipalServiceName, and kms:CallerAccount
 * for kms: actions.
 */
export function requestContext(request: EvaluationRequest): ConditionContext {
  const ctx = buildConditionContext(request?.context);
  const caller = classifyPrincipal(request?.principal);
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && !ctx.has(key)) ctx.set(key, [value]);
  };
  set('aws:principalarn', principalArnOf(caller));
  set('aws:principalaccount', caller.account);
  const type: Partial<Record<Caller['kind'], string>> = {
    root: 'Account',
    user: 'User',
    role: 'AssumedRole',
    'assumed-role': 'AssumedRole',
    'federated-user': 'FederatedUser',
  };
  set('aws:principaltype', type[caller.kind]);
  if (caller.kind === 'user') set('aws:username', caller.name);
  if (caller.kind === 'root') set('aws:userid', caller.account);
  if (caller.kind === 'service') {
    set('aws:principalisawsservice', 'true');
    set('aws:principalservicename', caller.raw);
  } else if (caller.kind !== 'unknown') {
    set('aws:principalisawsservice', 'false');
  }
  if (typeof request?.action === 'string' && request.action.toLowerCase().startsWith('kms:')) set('kms:calleraccount', caller.account);
  return ctx;
}

interface Prepared {
  caller: Caller;
  action: string;
  resource: string;
  ctx: ConditionContext;
}

function prepare(request: EvaluationRequest): Prepared {
  return {
    caller: classifyPrincipal(request?.principal),
    action: typeof request?.action === 'string' ? request.action : '',
    resource: typeof request?.resource === 'string' ? request.resource : '',
    ctx: requestContext(request),
  };
}

function statementPrincipalMatch(statement: NormalizedStatement, caller: Caller): PrincipalMatch | undefined {
  const hasPrincipal = statement.principal !== undefined && statement.principal !== null;
  const hasNot = statement.notPrincipal !== undefined && statement.notPrincipal !== null;
  if (hasPrincipal && hasNot) return undefined;
  if (hasPrincipal) return matchPrincipal(statement.principal, caller);
  if (hasNot) return notPrincipalApplies(statement.notPrincipal, caller) ? 'not-principal' : undefined;
  return 'identity-policy';
}

function elementMatches(
  positive: unknown,
  negative: unknown,
  test: (pattern: string) => boolean,
): boolean {
  const hasPositive = positive !== undefined && positive !== null;
  const hasNegative = negative !== undefined && negative !== null;
  if (hasPositive === hasNegative) return false;
  return hasPositive ? listOf(positive).some(test) : !listOf(negative).some(test);
}

function matchStatementPrepared(statement: NormalizedStatement, p: Prepared, variables: boolean): PrincipalMatch | undefined {
  if (!statement || typeof statement !== 'object') return undefined;
  if (statement.effect !== 'Allow' && statement.effect !== 'Deny') return undefined;
  const principalMatch = statementPrincipalMatch(statement, p.caller);
  if (principalMatch === undefined) return undefined;
  if (!elementMatches(statement.actions, statement.notActions, (pattern) => actionMatchesPattern(pattern, p.action))) return undefined;
  if (!elementMatches(statement.resources, statement.notResources, (pattern) => resourceMatchesPattern(pattern, p.resource, p.ctx, variables)))
    return undefined;
  if (!evaluateConditions(statement.conditions ?? [], p.ctx, { variables })) return undefined;
  return principalMatch;
}

/** A request read once (caller classified, condition context derived), for asking many statements. */
export type PreparedRequest = Readonly<Prepared>;

/** Reads a request once; `withAction` gives the same request for another action. Never throws. */
export function prepareRequest(request: EvaluationRequest): PreparedRequest {
  try {
    return prepare(request);
  } catch {
    return { caller: classifyPrincipal(undefined), action: '', resource: '', ctx: new Map() };
  }
}

/** The same prepared request for another action of the same service (the derived context stays valid). */
export function withAction(prepared: PreparedRequest, action: string): PreparedRequest {
  return { ...prepared, action };
}

/** {@link matchStatement} for a prepared request. */
export function matchPreparedStatement(statement: NormalizedStatement, prepared: PreparedRequest, version?: string): PrincipalMatch | undefined {
  try {
    return matchStatementPrepared(statement, prepared, version === '2012-10-17');
  } catch {
    return undefined;
  }
}

/**
 * Whether one statement applies to a request, and how its principal matched (undefined: it does not
 * apply). `version` is the document's Version: policy variables are substituted only for 2012-10-17.
 */
export function matchStatement(statement: NormalizedStatement, request: EvaluationRequest, version?: string): PrincipalMatch | undefined {
  try {
    return matchStatementPrepared(statement, prepare(request), version === '2012-10-17');
  } catch {
    return undefined;
  }
}

/** Evaluates a request against policy documents (key policy, identity policies, ...). Never throws. */
export function evaluate(request: EvaluationRequest, policies: NormalizedPolicy[]): EvaluationResult {
  const allowedBy: MatchedStatement[] = [];
  const deniedBy: MatchedStatement[] = [];
  let prepared: Prepared;
  try {
    prepared = prepare(request);
  } catch {
    return { decision: 'implicit-deny', allowedBy, deniedBy };
  }
  const documents = Array.isArray(policies) ? policies : [];
  documents.forEach((policy, documentIndex) => {
    if (!policy || typeof policy !== 'object' || !Array.isArray(policy.statements)) return;
    const variables = policy.version === '2012-10-17';
    policy.statements.forEach((statement, position) => {
      let principalMatch: PrincipalMatch | undefined;
      try {
        principalMatch = matchStatementPrepared(statement, prepared, variables);
      } catch {
        principalMatch = undefined;
      }
      if (principalMatch === undefined) return;
      const matched: MatchedStatement = {
        documentIndex,
        statementIndex: typeof statement.index === 'number' ? statement.index : position,
        pointer: typeof statement.pointer === 'string' ? statement.pointer : `/Statement/${position}`,
        effect: statement.effect as 'Allow' | 'Deny',
        principalMatch,
      };
      if (typeof statement.sid === 'string') matched.sid = statement.sid;
      (statement.effect === 'Deny' ? deniedBy : allowedBy).push(matched);
    });
  });
  const decision = deniedBy.length > 0 ? 'explicit-deny' : allowedBy.length > 0 ? 'allow' : 'implicit-deny';
  return { decision, allowedBy, deniedBy };
}
