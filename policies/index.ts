/**
 * `kmskit/policies`: the key policy language as data — the document types, the parser (positions and
 * problems, never throws), the evaluator (allow / explicit deny / implicit deny and the statements
 * that decided), the role-based builders with AWS's Sids, and the KMS action sets. No cdktf, no AWS SDK.
 */
export { POLICY_VERSIONS } from './model.js';
export type {
  ConditionBlock,
  ConditionScalar,
  ContextValue,
  Decision,
  Effect,
  EvaluationRequest,
  EvaluationResult,
  MatchedStatement,
  NormalizedPolicy,
  NormalizedStatement,
  OneOrMany,
  ParseResult,
  PolicyDocument,
  PolicyProblem,
  PolicyStatement,
  PolicyVersion,
  PrincipalBlock,
  PrincipalMatch,
  SourcePosition,
} from './model.js';
export { parsePolicy } from './parse.js';
export { evaluate } from './evaluate.js';
export { judgePrincipal } from './arn.js';
export type { PrincipalEntryType, PrincipalJudgement, PrincipalKind } from './arn.js';
export {
  SIDS,
  accountRootStatement,
  adminStatement,
  asymmetricEncryptUserStatement,
  cloudTrailStatements,
  cloudWatchLogsStatement,
  hmacUserStatement,
  keyPolicy,
  serviceUserStatement,
  signVerifyUserStatement,
  snsPublisherStatement,
  symmetricUserStatement,
} from './build.js';
export type { CloudTrailOptions, CloudWatchLogsOptions, KeyPolicyOptions, PrincipalArns, SnsPublisherOptions, StatementOptions } from './build.js';
export {
  ADMIN_ACTIONS,
  ASYMMETRIC_ENCRYPT_USER_ACTIONS,
  CRYPTO_ACTIONS,
  ENCRYPTION_CONTEXT_ACTIONS,
  HMAC_USER_ACTIONS,
  IAM_ONLY_ACTIONS,
  METADATA_READ_ACTIONS,
  SERVICE_USER_ACTIONS,
  SERVICE_USER_CONDITION,
  SIGN_VERIFY_USER_ACTIONS,
  SYMMETRIC_USER_ACTIONS,
  actionMatches,
  anyActionMatches,
  expandActions,
} from './perms.js';
export { CONDITION_OPERATORS } from './conditions.js';
export { wildcardMatch } from './wildcard.js';
