/**
 * Decrypting a ciphertext for Decrypt and ReEncrypt: find the key the blob names (or the KeyId the
 * caller gives, for asymmetric ciphertexts that carry no header), authorize, check state and key,
 * then open it with the backing-key version it was made with.
 */
import { incorrectKey, type RequestContext } from './context.js';
import { invalidCiphertext, parseBlob, rsaDecrypt, symmetricDecrypt, type EncryptionContext } from '../crypto/index.js';
import { incompatibleAlgorithm } from './seal-plaintext.js';
import { KmsError } from './errors.js';
import type { KeyRecord } from './store.js';

export interface OpenRequest {
  blob: Buffer;
  encryptionContext?: EncryptionContext;
  keyId?: string;
  algorithm?: string;
  grantTokens?: string[];
  action: 'kms:Decrypt' | 'kms:ReEncryptFrom';
  grantOperation: 'Decrypt' | 'ReEncryptFrom';
  context?: Record<string, string>;
}

export interface Opened {
  key: KeyRecord;
  plaintext: Buffer;
  algorithm: string;
  materialId?: string;
}

export function openCiphertext(ctx: RequestContext, req: OpenRequest): Opened {
  const algorithm = req.algorithm ?? 'SYMMETRIC_DEFAULT';
  const given = req.keyId !== undefined ? ctx.resolveKey(req.keyId) : undefined;
  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    if (!given) throw new KmsError('ValidationException', `A KeyId is required to decrypt with the asymmetric algorithm ${algorithm}.`);
    authorizeOpen(ctx, given, req);
    ctx.requireUsable(given);
    ctx.requireUsage(given, 'ENCRYPT_DECRYPT');
    if (given.spec === 'SYMMETRIC_DEFAULT' || !algorithm.startsWith('RSAES_OAEP')) throw incompatibleAlgorithm(algorithm, given.spec);
    if (req.encryptionContext && Object.keys(req.encryptionContext).length) throw new KmsError('ValidationException', 'EncryptionContext is supported only with symmetric encryption KMS keys.');
    return { key: given, plaintext: rsaDecrypt(given.versions[0]!.material, algorithm, req.blob), algorithm };
  }
  const parsed = parseBlob(req.blob);
  if (!parsed) {
    if (given && given.spec !== 'SYMMETRIC_DEFAULT') {
      authorizeOpen(ctx, given, req);
      if (given.usage === 'ENCRYPT_DECRYPT') throw incompatibleAlgorithm(algorithm, given.spec);
      throw incorrectKey();
    }
    throw invalidCiphertext('the ciphertext blob is not one kmskit made (kmskit blobs start with "KK")');
  }
  // The blob names a key id, not an account or region: it opens under the key with that id in the
  // caller's region (for multi-Region keys, any related key there).
  const candidates = ctx.store.byId.get(parsed.keyId) ?? [];
  const key = given ?? candidates.find((k) => k.region === ctx.region && k.account === ctx.account) ?? candidates.find((k) => k.region === ctx.region);
  if (!key) throw new KmsError('NotFoundException', `The key ${parsed.keyId} that encrypted this ciphertext does not exist in ${ctx.region}.`);
  authorizeOpen(ctx, key, req);
  if (given && given.id !== parsed.keyId) throw incorrectKey();
  ctx.requireUsable(key);
  ctx.requireUsage(key, 'ENCRYPT_DECRYPT');
  if (key.spec !== 'SYMMETRIC_DEFAULT') throw incorrectKey();
  const version = key.versions.find((v) => v.version === parsed.version);
  if (!version) throw invalidCiphertext(`the ciphertext names key material version ${parsed.version}, which ${key.arn} does not have`);
  return { key, plaintext: symmetricDecrypt(version.material, parsed, req.encryptionContext), algorithm, materialId: version.materialId };
}

function authorizeOpen(ctx: RequestContext, key: KeyRecord, req: OpenRequest): void {
  ctx.authorize(req.action, key, {
    grantOperation: req.grantOperation,
    ...(req.encryptionContext ? { encryptionContext: req.encryptionContext } : {}),
    ...(req.grantTokens ? { grantTokens: req.grantTokens } : {}),
    context: { 'kms:EncryptionAlgorithm': req.algorithm ?? 'SYMMETRIC_DEFAULT', ...ctx.requestAliasContext(req.keyId), ...req.context },
  });
}
