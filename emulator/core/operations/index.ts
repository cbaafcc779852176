/**
 * The operation table: AWS operation name → handler. The in-process API, the in-process SDK client
 * and the HTTP server all dispatch through it. An operation kmskit does not implement is absent
 * (never stubbed); README lists those as unsupported.
 */
import type { Handler } from '../context.js';
import { CancelKeyDeletion } from './CancelKeyDeletion.js';
import { CreateAlias } from './CreateAlias.js';
import { CreateGrant } from './CreateGrant.js';
import { CreateKey } from './CreateKey.js';
import { Decrypt } from './Decrypt.js';
import { DeleteAlias } from './DeleteAlias.js';
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
import { GetKeyPolicy } from './GetKeyPolicy.js';
import { GetKeyRotationStatus } from './GetKeyRotationStatus.js';
import { GetPublicKey } from './GetPublicKey.js';
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
import { Verify } from './Verify.js';
import { VerifyMac } from './VerifyMac.js';

export const operations: Readonly<Record<string, Handler>> = Object.freeze({
  CancelKeyDeletion,
  CreateAlias,
  CreateGrant,
  CreateKey,
  Decrypt,
  DeleteAlias,
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
  GetKeyPolicy,
  GetKeyRotationStatus,
  GetPublicKey,
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
  Verify,
  VerifyMac,
});
