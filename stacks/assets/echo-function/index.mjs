// The DataStack's example function: it only proves that its KMS-encrypted environment decrypts.
export const handler = async () => ({ table: process.env.TABLE_NAME ?? null });
