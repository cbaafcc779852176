/**
 * The symmetric ciphertext blob and the encryption context bound to it.
 *
 * THE CIPHERTEXT BLOB FORMAT IS THIS PROJECT'S, NOT AWS'S. Real KMS ciphertexts are opaque and
 * undocumented; kmskit's blobs only have to round-trip through kmskit. Do not parse them elsewhere.
 *
 * Symmetric blob, version 1:
 *
 *   'K' 'K' | 0x01 | keyIdLen u8 | keyId (UTF-8) | backing version u32 BE | IV (12) | tag (16) | ciphertext
 *
 * AES-256-GCM with a random 96-bit IV per call. The AAD is the header (everything before the tag,
 * so the key id and version cannot be swapped) followed by the canonical encryption context: the
 * pair count, then each pair sorted by the UTF-8 bytes of its key, as u32-length-prefixed key and
 * value. Length prefixes make the encoding unambiguous — `{"a":"bc"}` and `{"ab":"c"}` encode
 * differently — unlike encodings that concatenate. The blob names neither account nor region, so
 * multi-Region related keys (same id, same material) decrypt each other's ciphertext.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { silentError, type KmsError } from '../core/errors.js';
import { freshIv, IV_LEN, TAG_LEN } from './random.js';

export type EncryptionContext = Record<string, string>;

const MAGIC0 = 0x4b;
const MAGIC1 = 0x4b;
const FORMAT_VERSION = 1;

/** Unambiguous canonical encoding of an encryption context (see module doc). */
export function canonicalContext(ec: EncryptionContext | undefined): Buffer {
  const keys = ec ? Object.keys(ec) : [];
  if (keys.length === 0) return EMPTY_CONTEXT;
  const pairs = keys.map((k) => [Buffer.from(k, 'utf8'), Buffer.from(ec![k]!, 'utf8')] as const);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  let size = 4;
  for (const [k, v] of pairs) size += 8 + k.length + v.length;
  const out = Buffer.allocUnsafe(size);
  out.writeUInt32BE(pairs.length, 0);
  let o = 4;
  for (const [k, v] of pairs) {
    out.writeUInt32BE(k.length, o);
    k.copy(out, o + 4);
    o += 4 + k.length;
    out.writeUInt32BE(v.length, o);
    v.copy(out, o + 4);
    o += 4 + v.length;
  }
  return out;
}
const EMPTY_CONTEXT = Buffer.alloc(4);

export interface ParsedBlob {
  keyId: string;
  version: number;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  header: Buffer;
}

/** Parse a symmetric blob; undefined when it is not one of ours. */
export function parseBlob(blob: Buffer): ParsedBlob | undefined {
  if (blob.length < 4 || blob[0] !== MAGIC0 || blob[1] !== MAGIC1 || blob[2] !== FORMAT_VERSION) return undefined;
  const idLen = blob[3]!;
  const headerLen = 4 + idLen + 4 + IV_LEN;
  if (blob.length < headerLen + TAG_LEN) return undefined;
  const keyId = blob.subarray(4, 4 + idLen).toString('utf8');
  const version = blob.readUInt32BE(4 + idLen);
  const iv = blob.subarray(4 + idLen + 4, headerLen);
  const tag = blob.subarray(headerLen, headerLen + TAG_LEN);
  return { keyId, version, iv, tag, ciphertext: blob.subarray(headerLen + TAG_LEN), header: blob.subarray(0, headerLen) };
}

const idBytes = new Map<string, Buffer>();
function keyIdBytes(keyId: string): Buffer {
  let b = idBytes.get(keyId);
  if (!b) {
    if (idBytes.size > 10_000) idBytes.clear();
    b = Buffer.from(keyId, 'utf8');
    idBytes.set(keyId, b);
  }
  return b;
}

/** Encrypt under one backing-key version of a symmetric KMS key. */
export function symmetricEncrypt(material: Buffer, keyId: string, version: number, plaintext: Buffer, ec: EncryptionContext | undefined): Buffer {
  const id = keyIdBytes(keyId);
  const iv = freshIv();
  const headerLen = 4 + id.length + 4 + IV_LEN;
  // One buffer for the whole blob; the ciphertext is written in place after the header and tag.
  const blob = Buffer.allocUnsafe(headerLen + TAG_LEN + plaintext.length);
  blob[0] = MAGIC0;
  blob[1] = MAGIC1;
  blob[2] = FORMAT_VERSION;
  blob[3] = id.length;
  id.copy(blob, 4);
  blob.writeUInt32BE(version, 4 + id.length);
  iv.copy(blob, 4 + id.length + 4);
  const header = blob.subarray(0, headerLen);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  // GCM takes the AAD in pieces: header, then the canonical context.
  cipher.setAAD(header);
  cipher.setAAD(canonicalContext(ec));
  const ct = cipher.update(plaintext);
  ct.copy(blob, headerLen + TAG_LEN);
  cipher.final();
  cipher.getAuthTag().copy(blob, headerLen);
  return blob;
}

/** Decrypt a parsed blob; InvalidCiphertextException when the context or bytes do not match. */
export function symmetricDecrypt(material: Buffer, blob: ParsedBlob, ec: EncryptionContext | undefined): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', material, blob.iv);
    d.setAAD(blob.header);
    d.setAAD(canonicalContext(ec));
    d.setAuthTag(blob.tag);
    const pt = d.update(blob.ciphertext);
    d.final();
    return pt;
  } catch {
    throw invalidCiphertext('the ciphertext was altered, or the encryption context does not match the one it was encrypted with (AES-GCM authentication failed)');
  }
}

/** InvalidCiphertextException as AWS sends it: no message (kmskit's reason goes in the detail). */
export const invalidCiphertext = (why: string): KmsError => silentError('InvalidCiphertextException', `kmskit: ${why}`);
