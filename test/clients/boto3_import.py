"""Importing key material and deriving a shared secret with boto3, wrapping locally with the
`cryptography` package as the KMS developer guide's examples do, against kmskit serve.

1. A symmetric EXTERNAL key: get_parameters_for_import (RSAES_OAEP_SHA_256, RSA_2048), wrap
   32 random bytes with RSA-OAEP (SHA-256 for the hash and MGF1), import_key_material,
   encrypt/decrypt, delete_imported_key_material (PendingImport), re-import the same material.
2. An ECC_NIST_P256 EXTERNAL signing key: RSA_AES_KEY_WRAP_SHA_256 with RSA_4096 (an ephemeral
   AES key under RSA-OAEP, the PKCS#8 private key under AES key wrap with padding), then sign
   with KMS and verify locally with the public key we generated.
3. A KEY_AGREEMENT key: derive_shared_secret with our public key equals our local ECDH exchange.
Prints one JSON object. Usage: python3 boto3_import.py ENDPOINT
"""
import json
import os
import sys

import boto3
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding
from cryptography.hazmat.primitives.serialization import load_der_public_key

kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="AKIABOTO3IMPORT00001", aws_secret_access_key="x")
result = {}
oaep_sha256 = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)

# 1. symmetric material
key_id = kms.create_key(Origin="EXTERNAL", Description="boto3 import")["KeyMetadata"]["KeyId"]
result["state_before"] = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
material = os.urandom(32)


def import_symmetric():
    params = kms.get_parameters_for_import(KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048")
    wrapped = load_der_public_key(params["PublicKey"]).encrypt(material, oaep_sha256)
    return kms.import_key_material(KeyId=key_id, ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")


result["key_material_id"] = import_symmetric()["KeyMaterialId"]
described = kms.describe_key(KeyId=key_id)["KeyMetadata"]
result["state_after"] = described["KeyState"]
result["current_key_material_id"] = described["CurrentKeyMaterialId"]
ciphertext = kms.encrypt(KeyId=key_id, Plaintext=b"imported with boto3")["CiphertextBlob"]
kms.delete_imported_key_material(KeyId=key_id)
result["state_deleted"] = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
try:
    kms.decrypt(CiphertextBlob=ciphertext)
except kms.exceptions.KMSInvalidStateException as e:
    result["decrypt_deleted"] = e.response["Error"]["Code"]
import_symmetric()
result["decrypted"] = kms.decrypt(CiphertextBlob=ciphertext)["Plaintext"].decode()

# 2. ECC private key with RSA_AES_KEY_WRAP_SHA_256
ecc_id = kms.create_key(Origin="EXTERNAL", KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
private = ec.generate_private_key(ec.SECP256R1())
pkcs8 = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
params = kms.get_parameters_for_import(KeyId=ecc_id, WrappingAlgorithm="RSA_AES_KEY_WRAP_SHA_256", WrappingKeySpec="RSA_4096")
aes_key = os.urandom(32)
wrapped = load_der_public_key(params["PublicKey"]).encrypt(aes_key, oaep_sha256) + aes_key_wrap_with_padding(aes_key, pkcs8)
kms.import_key_material(KeyId=ecc_id, ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
signature = kms.sign(KeyId=ecc_id, Message=b"signed by imported key", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
private.public_key().verify(signature, b"signed by imported key", ec.ECDSA(hashes.SHA256()))  # raises if invalid
result["ecc_signature_verified"] = True

# 3. key agreement
agree_id = kms.create_key(KeySpec="ECC_NIST_P384", KeyUsage="KEY_AGREEMENT")["KeyMetadata"]["KeyId"]
peer = ec.generate_private_key(ec.SECP384R1())
peer_public = peer.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
shared = kms.derive_shared_secret(KeyId=agree_id, KeyAgreementAlgorithm="ECDH", PublicKey=peer_public)
kms_public = load_der_public_key(kms.get_public_key(KeyId=agree_id)["PublicKey"])
result["shared_secret_matches"] = shared["SharedSecret"] == peer.exchange(ec.ECDH(), kms_public)
result["key_origin"] = shared["KeyOrigin"]

print(json.dumps(result))
