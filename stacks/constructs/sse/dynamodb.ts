/**
 * DynamoDB: a table encrypted with a customer managed key. DynamoDB uses the key through the
 * caller's permissions and keeps a grant on it, as the aws/dynamodb managed key's policy allows.
 */
import type { PolicyStatement } from '../../../policies/model.js';
import { DynamodbTable } from '../../provider.js';
import { StackPropError, show } from '../common.js';
import type { KeyBase } from '../key-base.js';
import { type ViaServiceOptions, addViaService, checkKeyFor } from './shared.js';

/** Encrypts `table` with `key` and lets `principals` use the key through DynamoDB. */
export function encryptTable(table: DynamodbTable, key: KeyBase, options: ViaServiceOptions): PolicyStatement[] {
  if (!(table instanceof DynamodbTable)) throw new StackPropError(`encryptTable: table must be a DynamodbTable, got ${show(table)}`);
  checkKeyFor('encryptTable', table, table.provider, key);
  const statements = addViaService('encryptTable', key, 'dynamodb', 'Amazon DynamoDB', options, true);
  table.putServerSideEncryption({ enabled: true, kmsKeyArn: key.arn });
  return statements;
}
