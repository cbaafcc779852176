/**
 * The order AWS lists an enum's values in a ValidationException ("Member must satisfy enum value
 * set: [...]"). It is not the model's order — AWS's service keeps its own — so it comes from
 * recordings of real AWS answers (LocalStack's AWS-validated snapshots, test_kms.snapshot.json):
 *
 * - KeySpec: test_hmac_create_key_invalid_operations "create-hmac-key-invalid-spec" (2023)
 * - KeyUsageType: test_hmac_create_key_invalid_operations "create-hmac-key-invalid-key-usage" (2023)
 * - MacAlgorithmSpec: test_invalid_generate_mac[HMAC_256-INVALID] (2023)
 * - KeyAgreementAlgorithmSpec: test_derive_shared_secret "response-invalid-key-agreement-algo" (2024)
 *
 * Values the model gained after a recording (KEY_AGREEMENT, ECC_NIST_EDWARDS25519, ML_DSA_*, SM2)
 * follow the recorded ones in the model's order: where AWS puts them is not recorded. Enums without
 * a recording use the model's order.
 */
const RECORDED: Readonly<Record<string, readonly string[]>> = {
  KeySpec: ['RSA_2048', 'ECC_NIST_P384', 'ECC_NIST_P256', 'ECC_NIST_P521', 'HMAC_384', 'RSA_3072', 'ECC_SECG_P256K1', 'RSA_4096', 'SYMMETRIC_DEFAULT', 'HMAC_256', 'HMAC_224', 'HMAC_512'],
  KeyUsageType: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'],
  MacAlgorithmSpec: ['HMAC_SHA_384', 'HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_512'],
  KeyAgreementAlgorithmSpec: ['ECDH'],
};

/** An enum shape's values in AWS's message order. */
export function awsEnumOrder(shapeName: string, modelValues: readonly string[]): string[] {
  const recorded = RECORDED[shapeName];
  if (!recorded) return [...modelValues];
  const known = recorded.filter((v) => modelValues.includes(v));
  return [...known, ...modelValues.filter((v) => !known.includes(v))];
}
