import type { Handler } from '../context.js';
import { generateDataKeyPair } from '../datakeys.js';

/** An RSA or ECC key pair: PKCS#8 DER private key (plaintext and encrypted) and SPKI DER public key. https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html */
export const GenerateDataKeyPair: Handler = (ctx, input) => generateDataKeyPair(ctx, input, 'GenerateDataKeyPair');
