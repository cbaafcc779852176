/**
 * The rule registry: an explicit map from rule id to rule, in the order RULES.md lists them (grammar,
 * security, key configuration). No file-system discovery: a rule exists when it is listed here.
 */
import type { Rule } from '../types.js';
import { rule as invalidJson } from './invalid-json.js';
import { rule as invalidElement } from './invalid-element.js';
import { rule as unknownElement } from './unknown-element.js';
import { rule as duplicateKey } from './duplicate-key.js';
import { rule as invalidVersion } from './invalid-version.js';
import { rule as missingVersion } from './missing-version.js';
import { rule as oldVersion } from './old-version.js';
import { rule as invalidEffect } from './invalid-effect.js';
import { rule as missingPrincipal } from './missing-principal.js';
import { rule as missingAction } from './missing-action.js';
import { rule as missingResource } from './missing-resource.js';
import { rule as resourceNotStar } from './resource-not-star.js';
import { rule as invalidAction } from './invalid-action.js';
import { rule as nonKmsAction } from './non-kms-action.js';
import { rule as iamOnlyAction } from './iam-only-action.js';
import { rule as invalidPrincipal } from './invalid-principal.js';
import { rule as invalidConditionOperator } from './invalid-condition-operator.js';
import { rule as invalidConditionKey } from './invalid-condition-key.js';
import { rule as iamOnlyConditionKey } from './iam-only-condition-key.js';
import { rule as conditionValueType } from './condition-value-type.js';
import { rule as duplicateSid } from './duplicate-sid.js';
import { rule as invalidCharacters } from './invalid-characters.js';
import { rule as policyTooLarge } from './policy-too-large.js';
import { rule as nullWithIfexists } from './null-with-ifexists.js';
import { rule as wildcardWithoutLike } from './wildcard-without-like.js';
import { rule as arnequalsWithWildcard } from './arnequals-with-wildcard.js';
import { rule as multivaluedKeyWithoutSetOperator } from './multivalued-key-without-set-operator.js';
import { rule as encryptionContextForallvalues } from './encryption-context-forallvalues.js';
import { rule as encryptionContextUnsupportedAction } from './encryption-context-unsupported-action.js';
import { rule as publicPrincipal } from './public-principal.js';
import { rule as kmsStarNonRoot } from './kms-star-non-root.js';
import { rule as lockoutRisk } from './lockout-risk.js';
import { rule as noAccountRootStatement } from './no-account-root-statement.js';
import { rule as creategrantUnconstrained } from './creategrant-unconstrained.js';
import { rule as notprincipalAllow } from './notprincipal-allow.js';
import { rule as notactionAllow } from './notaction-allow.js';
import { rule as servicePrincipalNoSource } from './service-principal-no-source.js';
import { rule as viaserviceWithoutCalleraccount } from './viaservice-without-calleraccount.js';
import { rule as crossAccountAdmin } from './cross-account-admin.js';
import { rule as adminUsageNotSeparated } from './admin-usage-not-separated.js';
import { rule as networkConditionBreaksServices } from './network-condition-breaks-services.js';
import { rule as rootDelegationSessionCondition } from './root-delegation-session-condition.js';
import { rule as rotationDisabled } from './rotation-disabled.js';
import { rule as rotationUnsupported } from './rotation-unsupported.js';
import { rule as deletionWindowOutOfRange } from './deletion-window-out-of-range.js';
import { rule as rotationPeriodOutOfRange } from './rotation-period-out-of-range.js';
import { rule as ruleError } from './rule-error.js';
import { rule as parseError } from './parse-error.js';
import { rule as unreadableInput } from './unreadable-input.js';

export const rules: Record<string, Rule> = {
  [invalidJson.id]: invalidJson,
  [invalidElement.id]: invalidElement,
  [unknownElement.id]: unknownElement,
  [duplicateKey.id]: duplicateKey,
  [invalidVersion.id]: invalidVersion,
  [missingVersion.id]: missingVersion,
  [oldVersion.id]: oldVersion,
  [invalidEffect.id]: invalidEffect,
  [missingPrincipal.id]: missingPrincipal,
  [missingAction.id]: missingAction,
  [missingResource.id]: missingResource,
  [resourceNotStar.id]: resourceNotStar,
  [invalidAction.id]: invalidAction,
  [nonKmsAction.id]: nonKmsAction,
  [iamOnlyAction.id]: iamOnlyAction,
  [invalidPrincipal.id]: invalidPrincipal,
  [invalidConditionOperator.id]: invalidConditionOperator,
  [invalidConditionKey.id]: invalidConditionKey,
  [iamOnlyConditionKey.id]: iamOnlyConditionKey,
  [conditionValueType.id]: conditionValueType,
  [duplicateSid.id]: duplicateSid,
  [invalidCharacters.id]: invalidCharacters,
  [policyTooLarge.id]: policyTooLarge,
  [nullWithIfexists.id]: nullWithIfexists,
  [wildcardWithoutLike.id]: wildcardWithoutLike,
  [arnequalsWithWildcard.id]: arnequalsWithWildcard,
  [multivaluedKeyWithoutSetOperator.id]: multivaluedKeyWithoutSetOperator,
  [encryptionContextForallvalues.id]: encryptionContextForallvalues,
  [encryptionContextUnsupportedAction.id]: encryptionContextUnsupportedAction,
  [publicPrincipal.id]: publicPrincipal,
  [kmsStarNonRoot.id]: kmsStarNonRoot,
  [lockoutRisk.id]: lockoutRisk,
  [noAccountRootStatement.id]: noAccountRootStatement,
  [creategrantUnconstrained.id]: creategrantUnconstrained,
  [notprincipalAllow.id]: notprincipalAllow,
  [notactionAllow.id]: notactionAllow,
  [servicePrincipalNoSource.id]: servicePrincipalNoSource,
  [viaserviceWithoutCalleraccount.id]: viaserviceWithoutCalleraccount,
  [crossAccountAdmin.id]: crossAccountAdmin,
  [adminUsageNotSeparated.id]: adminUsageNotSeparated,
  [networkConditionBreaksServices.id]: networkConditionBreaksServices,
  [rootDelegationSessionCondition.id]: rootDelegationSessionCondition,
  [rotationDisabled.id]: rotationDisabled,
  [rotationUnsupported.id]: rotationUnsupported,
  [deletionWindowOutOfRange.id]: deletionWindowOutOfRange,
  [rotationPeriodOutOfRange.id]: rotationPeriodOutOfRange,
  [ruleError.id]: ruleError,
  [parseError.id]: parseError,
  [unreadableInput.id]: unreadableInput,
};
