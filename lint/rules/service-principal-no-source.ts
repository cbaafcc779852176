import { METADATA_READ_ACTIONS } from '../../policies/perms.js';
import { EC_PREFIX, coveredActions, hasUnresolvedAction, hasUnresolvedCondition, isAllow, principalEntries, restricts, restrictedBy } from '../rule-helpers.js';
import type { NormalizedStatement } from '../../policies/model.js';
import type { Rule, RuleFinding } from '../types.js';

const SOURCE_KEYS = ['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths'];
const METADATA = new Set(METADATA_READ_ACTIONS);

/**
 * AWS documents scoping some services by the encryption context they send instead of aws:Source*:
 * CloudWatch Logs (kms:EncryptionContext:aws:logs:arn), CloudTrail
 * (kms:EncryptionContext:aws:cloudtrail:arn), SNS (aws:sns:topicArn), and so on. Such a context key
 * names the caller's resource, and so its account, just like aws:SourceArn.
 */
function scopedByServiceContext(st: NormalizedStatement): boolean {
  return st.conditions.some((c) => c.keyLower.startsWith(EC_PREFIX + 'aws:') && restricts(c));
}

/** Only metadata reads (DescribeKey, ...): nothing a confused deputy could use the key for. */
function onlyMetadataReads(st: NormalizedStatement): boolean {
  const covered = coveredActions(st);
  return !hasUnresolvedAction(st) && covered.size > 0 && [...covered].every((a) => METADATA.has(a));
}

export const rule: Rule = {
  id: 'service-principal-no-source',
  severity: 'error',
  group: 'security',
  docs: {
    summary: 'An Allow of cryptographic or grant actions to an AWS service principal without aws:SourceArn or aws:SourceAccount (or the service\'s documented encryption-context scope).',
    rationale:
      'A service principal such as sns.amazonaws.com acts for every AWS customer. Without a source condition, another account can make the service use your key on its behalf (the confused-deputy problem; AWS KMS Developer Guide, "Using aws:SourceArn or aws:SourceAccount condition keys"). Accepted scopes: aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths with non-wildcard accounts, or an aws: encryption-context key that names your resource, as AWS documents for CloudWatch Logs (kms:EncryptionContext:aws:logs:arn) and CloudTrail (kms:EncryptionContext:aws:cloudtrail:arn). A statement that allows only metadata reads (DescribeKey, GetKeyPolicy, List*) is left alone: AWS\'s CloudTrail console key policy lets CloudTrail describe the key with no condition, and describing a key uses nothing of it.',
  },
  check(policy) {
    const out: RuleFinding[] = [];
    for (const st of policy?.statements ?? []) {
      if (!isAllow(st)) continue;
      const services = principalEntries(st).filter((e) => e.kind === 'service');
      if (services.length === 0 || restrictedBy(st, SOURCE_KEYS) || scopedByServiceContext(st) || hasUnresolvedCondition(st) || onlyMetadataReads(st)) continue;
      for (const e of services) {
        out.push({ pointer: e.pointer, message: `Service principal ${e.value} is not scoped to your resources; add an aws:SourceArn or aws:SourceAccount condition so other accounts cannot use the key through the service.` });
      }
    }
    return out;
  },
};
