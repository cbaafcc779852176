/**
 * ECDH for KEY_AGREEMENT keys (DeriveSharedSecret): the raw shared secret — the x-coordinate of the
 * shared point, as node's `crypto.diffieHellman` and `openssl pkeyutl -derive` compute it — from
 * the KMS key's private key and a peer's SPKI DER public key on the same curve.
 */
import { createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { KEY_SPECS, privateKeyOf, type KeySpecName } from './key-specs.js';

/** Why a peer public key cannot be used with a key spec (a sentence), or the parsed key. */
export function peerPublicKey(spec: KeySpecName, spki: Buffer): KeyObject | string {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    return 'the public key is not a DER-encoded X.509 SubjectPublicKeyInfo';
  }
  const curve = KEY_SPECS[spec].curve;
  const got = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || got !== curve) return `the public key is ${key.asymmetricKeyType}${got ? ` on ${got}` : ''}, not an elliptic curve key on ${curve} like the KMS key`;
  return key;
}

export function ecdhSharedSecret(material: Buffer, peer: KeyObject): Buffer {
  return diffieHellman({ privateKey: privateKeyOf(material), publicKey: peer });
}
