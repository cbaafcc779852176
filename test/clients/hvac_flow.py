"""The Vault Transit hands-on with hvac (Debian's python3-hvac) against kmskit serve.

Usage: hvac_flow.py URL ROOT_TOKEN. Prints one JSON object of what it saw; the vitest side asserts.
"""
import base64
import json
import sys

import hvac
import hvac.exceptions

url, root_token = sys.argv[1], sys.argv[2]
b64 = lambda s: base64.b64encode(s.encode()).decode()
unb64 = lambda s: base64.b64decode(s).decode()
out = {}

client = hvac.Client(url=url, token=root_token)
out["authenticated"] = client.is_authenticated()
out["health"] = client.sys.read_health_status(method="GET")
out["bad_token_authenticated"] = hvac.Client(url=url, token="hvs.not-a-token").is_authenticated()

client.sys.enable_secrets_engine(backend_type="transit", path="transit")
out["mounts"] = sorted(client.sys.list_mounted_secrets_engines()["data"].keys())

client.secrets.transit.create_key(name="my-app-key")
out["key_type"] = client.secrets.transit.read_key(name="my-app-key")["data"]["type"]

c1 = client.secrets.transit.encrypt_data(name="my-app-key", plaintext=b64("my secret data"))["data"]["ciphertext"]
out["c1"] = c1
out["d1"] = unb64(client.secrets.transit.decrypt_data(name="my-app-key", ciphertext=c1)["data"]["plaintext"])
client.secrets.transit.rotate_key(name="my-app-key")
client.secrets.transit.rotate_key(name="my-app-key")
c3 = client.secrets.transit.encrypt_data(name="my-app-key", plaintext=b64("newer data"))["data"]["ciphertext"]
out["c3"] = c3
out["old_after_rotation"] = unb64(client.secrets.transit.decrypt_data(name="my-app-key", ciphertext=c1)["data"]["plaintext"])
out["rewrapped"] = client.secrets.transit.rewrap_data(name="my-app-key", ciphertext=c1)["data"]["ciphertext"]
out["keys"] = client.secrets.transit.list_keys()["data"]["keys"]

batch = client.secrets.transit.encrypt_data(name="my-app-key", plaintext=None, batch_input=[{"plaintext": b64("a")}, {"plaintext": b64("b")}])
out["batch"] = [r["ciphertext"][:9] for r in batch["data"]["batch_results"]]

try:
    client.secrets.transit.decrypt_data(name="my-app-key", ciphertext="vault:v1:AAAA")
    out["bad_ciphertext"] = "no error"
except hvac.exceptions.InvalidRequest as e:
    out["bad_ciphertext"] = str(e)

dk = client.secrets.transit.generate_data_key(name="my-app-key", key_type="plaintext")["data"]
out["datakey_roundtrip"] = client.secrets.transit.decrypt_data(name="my-app-key", ciphertext=dk["ciphertext"])["data"]["plaintext"] == dk["plaintext"]

client.secrets.transit.create_key(name="signer", key_type="ed25519")
sig = client.secrets.transit.sign_data(name="signer", hash_input=b64("contract"))["data"]["signature"]
out["signature_valid"] = client.secrets.transit.verify_signed_data(name="signer", hash_input=b64("contract"), signature=sig)["data"]["valid"]
out["signature_forged"] = client.secrets.transit.verify_signed_data(name="signer", hash_input=b64("contracT"), signature=sig)["data"]["valid"]
mac = client.secrets.transit.generate_hmac(name="my-app-key", hash_input=b64("message"))["data"]["hmac"]
out["hmac_valid"] = client.secrets.transit.verify_signed_data(name="my-app-key", hash_input=b64("message"), hmac=mac)["data"]["valid"]
out["sha256"] = client.secrets.transit.hash_data(hash_input=b64("abc"), algorithm="sha2-256")["data"]["sum"]
out["random_len"] = len(base64.b64decode(client.secrets.transit.generate_random_bytes(n_bytes=16)["data"]["random_bytes"]))

client.secrets.transit.create_key(name="exported", exportable=True)
ce = client.secrets.transit.encrypt_data(name="exported", plaintext=b64("export me"))["data"]["ciphertext"]
out["exported_ciphertext"] = ce
out["exported_key"] = client.secrets.transit.export_key(name="exported", key_type="encryption-key", version="latest")["data"]["keys"]

client.secrets.transit.update_key_configuration(name="exported", deletion_allowed=True)
client.secrets.transit.delete_key(name="exported")
try:
    client.secrets.transit.read_key(name="exported")
    out["deleted"] = False
except hvac.exceptions.InvalidPath:
    out["deleted"] = True

client.sys.create_or_update_policy(
    name="app",
    policy='path "transit/encrypt/my-app-key" { capabilities = ["update"] }\npath "transit/decrypt/my-app-key" { capabilities = ["update"] }',
)
app_token = client.auth.token.create(policies=["app"], ttl="1h")["auth"]["client_token"]
app = hvac.Client(url=url, token=app_token)
out["app_decrypt"] = unb64(app.secrets.transit.decrypt_data(name="my-app-key", ciphertext=c3)["data"]["plaintext"])
try:
    app.secrets.transit.read_key(name="my-app-key")
    out["app_read_key"] = "allowed"
except hvac.exceptions.Forbidden as e:
    out["app_read_key"] = str(e)
try:
    app.secrets.transit.encrypt_data(name="not-granted", plaintext=b64("x"))
    out["app_upsert"] = "allowed"
except hvac.exceptions.Forbidden as e:
    out["app_upsert"] = str(e)

print(json.dumps(out))
