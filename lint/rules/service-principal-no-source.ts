import { EC_PREFIX, hasUnresolvedCondition, isAllow, principalEntries, restricts, restrictedBy } from '../rule-helpers.js';
import type { NormalizedStatement } from '../../policies/model.js';
import type { Rule, RuleFinding } from '../types.js';
import { isUnresolved } from '../types.js';

const SOURCE_KEYS = ['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths'];

/**
 * AWS documents scoping some services by the encryption context they send instead of aws:Source*:
 * CloudWatch Logs (kms:EncryptionContext:aws:logs:arn), CloudTrail
 * (kms:EncryptionContext:aws:cloudtrail:arn), SNS (aws:sns:topicArn), and so on. Such a context key
 * names the caller's resource, and so its account, just like aws:SourceArn.
 */
function scopedByServiceContext(st: NormalizedStatement): boolean {
  return st.conditions.some((c) => c.keyLower.startsWith(EC_PREFIX + 'aws:') && restricts(c));
}

export const rule: Rule = {
  id: 'service-principal-no-source',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'An Allow to an AWS service principal without aws:SourceArn or aws:SourceAccount (or the service\'s documented encryption-context scope).',
    rationale:
      'A service principal such as sns.amazonaws.com acts for every AWS customer. Without a source condition, another account can make the service use your key on its behalf (the confused-deputy problem). Accepted scopes: aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths with non-wildcard accounts, or an aws: encryption-context key that names your resource, as AWS documents for CloudWatch Logs (kms:EncryptionContext:aws:logs:arn) and CloudTrail (kms:EncryptionContext:aws:cloudtrail:arn).',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      if (!isAllow(st)) continue;
      const services = principalEntries(st).filter((e) => e.type === 'Service' && !isUnresolved(e.value));
      if (services.length === 0 || restrictedBy(st, SOURCE_KEYS) || scopedByServiceContext(st) || hasUnresolvedCondition(st)) continue;
      for (const e of services) {
        out.push({ pointer: e.pointer, message: `Service principal ${e.value} is not scoped to your resources; add an aws:SourceArn or aws:SourceAccount condition so other accounts cannot use the key through the service.` });
      }
    }
    return out;
  },
};
