/**
 * The operation table: AWS operation name → handler. The in-process API, the in-process SDK client
 * and the HTTP server all dispatch through it. An operation kmskit does not implement is absent
 * (never stubbed) and listed in UNSUPPORTED_OPERATIONS with the reason; README lists those too.
 */
import type { Handler } from '../context.js';
import { CancelKeyDeletion } from './CancelKeyDeletion.js';
import { CreateAlias } from './CreateAlias.js';
import { CreateGrant } from './CreateGrant.js';
import { CreateKey } from './CreateKey.js';
import { Decrypt } from './Decrypt.js';
import { DeleteAlias } from './DeleteAlias.js';
import { DeleteImportedKeyMaterial } from './DeleteImportedKeyMaterial.js';
import { DeriveSharedSecret } from './DeriveSharedSecret.js';
import { DescribeKey } from './DescribeKey.js';
import { DisableKey } from './DisableKey.js';
import { DisableKeyRotation } from './DisableKeyRotation.js';
import { EnableKey } from './EnableKey.js';
import { EnableKeyRotation } from './EnableKeyRotation.js';
import { Encrypt } from './Encrypt.js';
import { GenerateDataKey } from './GenerateDataKey.js';
import { GenerateDataKeyPair } from './GenerateDataKeyPair.js';
import { GenerateDataKeyPairWithoutPlaintext } from './GenerateDataKeyPairWithoutPlaintext.js';
import { GenerateDataKeyWithoutPlaintext } from './GenerateDataKeyWithoutPlaintext.js';
import { GenerateMac } from './GenerateMac.js';
import { GenerateRandom } from './GenerateRandom.js';
import { GetKeyLastUsage } from './GetKeyLastUsage.js';
import { GetKeyPolicy } from './GetKeyPolicy.js';
import { GetKeyRotationStatus } from './GetKeyRotationStatus.js';
import { GetParametersForImport } from './GetParametersForImport.js';
import { GetPublicKey } from './GetPublicKey.js';
import { ImportKeyMaterial } from './ImportKeyMaterial.js';
import { ListAliases } from './ListAliases.js';
import { ListGrants } from './ListGrants.js';
import { ListKeyPolicies } from './ListKeyPolicies.js';
import { ListKeyRotations } from './ListKeyRotations.js';
import { ListKeys } from './ListKeys.js';
import { ListResourceTags } from './ListResourceTags.js';
import { ListRetirableGrants } from './ListRetirableGrants.js';
import { PutKeyPolicy } from './PutKeyPolicy.js';
import { ReEncrypt } from './ReEncrypt.js';
import { ReplicateKey } from './ReplicateKey.js';
import { RetireGrant } from './RetireGrant.js';
import { RevokeGrant } from './RevokeGrant.js';
import { RotateKeyOnDemand } from './RotateKeyOnDemand.js';
import { ScheduleKeyDeletion } from './ScheduleKeyDeletion.js';
import { Sign } from './Sign.js';
import { TagResource } from './TagResource.js';
import { UntagResource } from './UntagResource.js';
import { UpdateAlias } from './UpdateAlias.js';
import { UpdateKeyDescription } from './UpdateKeyDescription.js';
import { UpdatePrimaryRegion } from './UpdatePrimaryRegion.js';
import { Verify } from './Verify.js';
import { VerifyMac } from './VerifyMac.js';

export const operations: Readonly<Record<string, Handler>> = Object.freeze({
  CancelKeyDeletion,
  CreateAlias,
  CreateGrant,
  CreateKey,
  Decrypt,
  DeleteAlias,
  DeleteImportedKeyMaterial,
  DeriveSharedSecret,
  DescribeKey,
  DisableKey,
  DisableKeyRotation,
  EnableKey,
  EnableKeyRotation,
  Encrypt,
  GenerateDataKey,
  GenerateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext,
  GenerateDataKeyWithoutPlaintext,
  GenerateMac,
  GenerateRandom,
  GetKeyLastUsage,
  GetKeyPolicy,
  GetKeyRotationStatus,
  GetParametersForImport,
  GetPublicKey,
  ImportKeyMaterial,
  ListAliases,
  ListGrants,
  ListKeyPolicies,
  ListKeyRotations,
  ListKeys,
  ListResourceTags,
  ListRetirableGrants,
  PutKeyPolicy,
  ReEncrypt,
  ReplicateKey,
  RetireGrant,
  RevokeGrant,
  RotateKeyOnDemand,
  ScheduleKeyDeletion,
  Sign,
  TagResource,
  UntagResource,
  UpdateAlias,
  UpdateKeyDescription,
  UpdatePrimaryRegion,
  Verify,
  VerifyMac,
});

const CUSTOM_KEY_STORES = 'kmskit does not emulate custom key stores (AWS CloudHSM or external key stores)';

/** The model's operations kmskit does not implement, and why: they answer UnsupportedOperationException. */
export const UNSUPPORTED_OPERATIONS: Readonly<Record<string, string>> = Object.freeze({
  ConnectCustomKeyStore: CUSTOM_KEY_STORES,
  CreateCustomKeyStore: CUSTOM_KEY_STORES,
  DeleteCustomKeyStore: CUSTOM_KEY_STORES,
  DescribeCustomKeyStores: CUSTOM_KEY_STORES,
  DisconnectCustomKeyStore: CUSTOM_KEY_STORES,
  UpdateCustomKeyStore: CUSTOM_KEY_STORES,
});
