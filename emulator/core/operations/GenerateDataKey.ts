import type { Handler } from '../context.js';
import { generateDataKey } from '../datakeys.js';

/** A data key in plaintext and encrypted under a symmetric key (KeySpec AES_128/AES_256 or NumberOfBytes 1–1024). https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html */
export const GenerateDataKey: Handler = (ctx, input) => generateDataKey(ctx, input, 'GenerateDataKey');
