/** The SSE-KMS helpers, one module per service. */
export { encryptBucket, s3DenyUnencryptedStatements, type S3Encryption, type S3EncryptionOptions } from './s3.js';
export { EbsDefaultEncryption, type EbsEncryptionOptions } from './ebs.js';
export { encryptDbInstance, encryptRdsCluster, type RdsEncryptionOptions } from './rds.js';
export { encryptSecret } from './secrets-manager.js';
export { encryptLambdaEnvironment } from './lambda.js';
export { encryptQueue, type SqsEncryptionOptions } from './sqs.js';
export { encryptTopic, type SnsEncryptionOptions } from './sns.js';
export { encryptTable } from './dynamodb.js';
export { encryptLogGroup } from './cloudwatch-logs.js';
export { encryptTrail } from './cloudtrail.js';
export type { ViaServiceOptions } from './shared.js';
