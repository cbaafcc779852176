import type { NormalizedCondition, NormalizedStatement } from '../../policies/model.js';
import { hasUnresolvedCondition, isAllow, parseOperator, principalEntries } from '../rule-helpers.js';
import type { Rule, RuleFinding } from '../types.js';

const NETWORK_KEYS = new Set(['aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce']);
/** Conditions by which a statement tells calls that AWS services make on the principal's behalf apart. */
const SERVICE_CALL_KEYS = new Set(['aws:viaawsservice', 'kms:viaservice', 'aws:calledvia', 'aws:calledviafirst', 'aws:calledvialast']);
const NEGATED = /^(Not|StringNot|ArnNot|NumericNot|DateNot)/;

/** Statements for key users or administrators: they name AWS principals, "*", or use NotPrincipal (not only services). */
function forKeyUsers(st: NormalizedStatement): boolean {
  if (st.notPrincipal && !st.principal) return true;
  return principalEntries(st).some((e) => e.type === '*' || (e.type === 'AWS' && e.kind !== 'invalid'));
}

/** The network condition that a call made by an AWS service for the principal fails (Allow) or meets (Deny). */
function breakingCondition(st: NormalizedStatement): NormalizedCondition | undefined {
  return st.conditions.find((c) => {
    if (!NETWORK_KEYS.has(c.keyLower)) return false;
    const op = parseOperator(c.operator);
    const negated = NEGATED.test(op.base);
    if (isAllow(st)) {
      // A service's call carries the service's address, and no VPC or endpoint: a positive test fails,
      // unless IfExists lets the absent VPC keys through.
      return !negated && !(op.ifExists && c.keyLower !== 'aws:sourceip');
    }
    return negated;
  });
}

export const rule: Rule = {
  id: 'network-condition-breaks-services',
  severity: 'warning',
  group: 'security',
  docs: {
    summary: 'aws:SourceIp, aws:SourceVpc or aws:SourceVpce on a statement for key users or administrators without an exception for calls AWS services make on their behalf (aws:ViaAWSService).',
    rationale:
      'When S3, EBS, RDS or another integrated service calls KMS for a user, the request comes from the service: from an AWS address, not from the user\'s network, VPC or VPC endpoint. An Allow that requires the user\'s network, or a Deny of requests from elsewhere, then refuses the service, and attaching an encrypted volume or reading an SSE-KMS object fails although every permission is in place (AWS KMS Developer Guide, "Using the IP address condition in policies with AWS KMS permissions" and "Using VPC endpoint conditions in policies with AWS KMS permissions"). Exempt service calls: in a Deny, add "BoolIfExists": {"aws:ViaAWSService": "false"} (IAM User Guide, "aws:ViaAWSService"); for an Allow, add a statement that allows the same principals through the service (kms:ViaService or aws:ViaAWSService).',
  },
  check(policy) {
    if (!policy) return [];
    // An Allow elsewhere for calls through a service is the exception an Allow needs.
    const serviceAllow = policy.statements.some((st) => isAllow(st) && st.conditions.some((c) => SERVICE_CALL_KEYS.has(c.keyLower)));
    const out: RuleFinding[] = [];
    for (const st of policy.statements) {
      if ((st.effect !== 'Allow' && st.effect !== 'Deny') || !forKeyUsers(st) || hasUnresolvedCondition(st)) continue;
      const c = breakingCondition(st);
      if (!c) continue;
      if (isAllow(st) ? serviceAllow : st.conditions.some((x) => SERVICE_CALL_KEYS.has(x.keyLower))) continue;
      out.push({
        pointer: c.pointer,
        message: isAllow(st)
          ? `${c.key} also refuses the calls AWS services (S3, EBS, ...) make to KMS for these principals, which come from the service, not from their network; add an Allow for calls through the service (kms:ViaService or aws:ViaAWSService).`
          : `This Deny on ${c.key} also denies the calls AWS services (S3, EBS, ...) make to KMS for the principal; add "BoolIfExists": {"aws:ViaAWSService": "false"} to exempt them.`,
      });
    }
    return out;
  },
};
