"""The classic boto3 KMS tutorial flow, unchanged except for endpoint_url, against kmskit serve.

create_key with a JSON key policy, create_alias, encrypt/decrypt, then envelope encryption:
generate_data_key, Fernet-encrypt a secret with the plaintext data key, keep only the encrypted
data key, and later decrypt it with KMS to read the secret back. Prints one JSON object.
Usage: python3 boto3_flow.py ENDPOINT ACCESS_KEY_ID SECRET_ACCESS_KEY ROLE_ARN ACCOUNT
"""
import base64
import json
import sys

import boto3

endpoint, access_key, secret_key, role_arn, account = sys.argv[1:6]
kms = boto3.client(
    "kms",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id=access_key,
    aws_secret_access_key=secret_key,
)
result = {}

policy = {
    "Version": "2012-10-17",
    "Id": "tutorial-key-policy",
    "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"},
        {
            "Sid": "Allow use of the key",
            "Effect": "Allow",
            "Principal": {"AWS": role_arn},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateAlias"],
            "Resource": "*",
        },
    ],
}
key = kms.create_key(Policy=json.dumps(policy), Description="boto3 tutorial key", KeyUsage="ENCRYPT_DECRYPT", Origin="AWS_KMS")
key_id = key["KeyMetadata"]["KeyId"]
result["key_arn"] = key["KeyMetadata"]["Arn"]
result["creation_date_type"] = type(key["KeyMetadata"]["CreationDate"]).__name__

kms.create_alias(AliasName="alias/boto3-tutorial", TargetKeyId=key_id)
result["aliases"] = [a["AliasName"] for a in kms.list_aliases(KeyId=key_id)["Aliases"]]

ciphertext = kms.encrypt(KeyId="alias/boto3-tutorial", Plaintext=b"hello from boto3")["CiphertextBlob"]
result["ciphertext_is_bytes"] = isinstance(ciphertext, bytes)
result["decrypted"] = kms.decrypt(CiphertextBlob=ciphertext)["Plaintext"].decode()

try:
    from cryptography.fernet import Fernet
except ImportError as e:  # reported, and the test skips this part with the reason
    result["fernet_skipped"] = f"cryptography is not importable: {e}"
else:
    data_key = kms.generate_data_key(KeyId="alias/boto3-tutorial", KeySpec="AES_256")
    token = Fernet(base64.urlsafe_b64encode(data_key["Plaintext"])).encrypt(b"database password")
    stored_encrypted_key = data_key["CiphertextBlob"]
    del data_key  # only the encrypted data key and the token are kept
    plaintext_key = kms.decrypt(CiphertextBlob=stored_encrypted_key)["Plaintext"]
    result["fernet_secret"] = Fernet(base64.urlsafe_b64encode(plaintext_key)).decrypt(token).decode()
    result["data_key_length"] = len(plaintext_key)

try:
    kms.describe_key(KeyId="alias/does-not-exist")
except kms.exceptions.NotFoundException as e:
    result["not_found"] = e.response["Error"]["Code"]

print(json.dumps(result))
