/**
 * AWS JSON 1.1, the protocol every AWS SDK, boto3 and the aws CLI speak to KMS: `POST /` with
 * `X-Amz-Target: TrentService.<Operation>` and a JSON body. Errors are `{"__type","message"}` with
 * `x-amzn-ErrorType`; a KmsError keeps its code and status, anything else is left to the server to
 * answer as a 500 `KMSInternalException`.
 */
import type { IncomingMessage } from 'node:http';
import { awsError, kmsErrorResult, firstHeader, isPlainObject, truncate, type RouteResult, type WireCaller, type WireEmulator } from '../wire.js';

/** README's list of supported operations (also node_modules/kmskit/README.md in an installed package). */
const SUPPORTED_OPERATIONS_URL = 'https://github.com/kmskit/kmskit#supported-operations';

export const TARGET_PREFIX = 'TrentService.';

/**
 * Every operation of the KMS API (2014-11-01). One the emulator does not implement is answered
 * with UnsupportedOperationException (KMS's own exception for "not supported here"), so a client
 * learns it reached KMS and asked for something kmskit lacks; anything else is unknown.
 */
export const KMS_API_OPERATIONS: ReadonlySet<string> = new Set(
  (
    'CancelKeyDeletion ConnectCustomKeyStore CreateAlias CreateCustomKeyStore CreateGrant CreateKey Decrypt DeleteAlias ' +
    'DeleteCustomKeyStore DeleteImportedKeyMaterial DeriveSharedSecret DescribeCustomKeyStores DescribeKey DisableKey ' +
    'DisableKeyRotation DisconnectCustomKeyStore EnableKey EnableKeyRotation Encrypt GenerateDataKey GenerateDataKeyPair ' +
    'GenerateDataKeyPairWithoutPlaintext GenerateDataKeyWithoutPlaintext GenerateMac GenerateRandom GetKeyLastUsage ' +
    'GetKeyPolicy GetKeyRotationStatus GetParametersForImport GetPublicKey ImportKeyMaterial ListAliases ListGrants ' +
    'ListKeyPolicies ListKeyRotations ListKeys ListResourceTags ListRetirableGrants PutKeyPolicy ReEncrypt ReplicateKey ' +
    'RetireGrant RevokeGrant RotateKeyOnDemand ScheduleKeyDeletion Sign TagResource UntagResource UpdateAlias ' +
    'UpdateCustomKeyStore UpdateKeyDescription UpdatePrimaryRegion Verify VerifyMac'
  ).split(' '),
);
const JSON_CONTENT_TYPES = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);

export interface AwsJsonRouter {
  /** One `POST /` request, its body read whole and its caller authenticated. */
  handle(req: IncomingMessage, body: Buffer, caller: WireCaller, requestId: string): RouteResult | Promise<RouteResult>;
}

export function createAwsJsonRouter(emulator: WireEmulator, log: (line: string) => void): AwsJsonRouter {
  const operations = new Set(emulator.operations);
  return {
    // Not async: the checks below answer synchronously, and a call waits only on emulator.send.
    handle(req, body, caller, requestId) {
      const target = firstHeader(req.headers['x-amz-target']);
      if (!target || !target.startsWith(TARGET_PREFIX)) {
        return awsError(400, 'UnknownOperationException', target ? `Unknown target ${truncate(target)}` : 'Missing X-Amz-Target header');
      }
      const operation = target.slice(TARGET_PREFIX.length);
      if (!operations.has(operation)) {
        if (KMS_API_OPERATIONS.has(operation)) {
          return awsError(400, 'UnsupportedOperationException', `kmskit does not emulate ${operation}; the operations it does are listed in its README: ${SUPPORTED_OPERATIONS_URL}`);
        }
        return awsError(400, 'UnknownOperationException', `Unknown operation ${truncate(operation)}`);
      }
      const rawType = firstHeader(req.headers['content-type']);
      // What every SDK sends, without splitting it on every request.
      const contentType = rawType === 'application/x-amz-json-1.1' ? rawType : (rawType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (contentType !== '' && !JSON_CONTENT_TYPES.has(contentType)) {
        return awsError(400, 'UnknownOperationException', `Unsupported Content-Type ${truncate(contentType)}; send application/x-amz-json-1.1`);
      }
      let input: unknown = {};
      if (body.length > 0) {
        try {
          input = JSON.parse(body.toString('utf8'));
        } catch {
          return awsError(400, 'SerializationException', 'Request body is not valid JSON');
        }
      }
      if (!isPlainObject(input)) {
        return awsError(400, 'SerializationException', 'Request body must be a JSON object');
      }
      const failed = (e: unknown): RouteResult => {
        const kms = kmsErrorResult(e);
        if (!kms) throw e;
        // Server-side faults are worth a line; the message is left out as it may quote the input.
        if (kms.httpStatus >= 500) log(`kmskit: request ${requestId} ${operation}: ${kms.code} (${kms.httpStatus})`);
        return { status: kms.status, body: kms.body, headers: kms.headers! };
      };
      if (!emulator.sendNow) return emulator.send(operation, input, caller).then((output): RouteResult => ({ status: 200, body: output ?? {} }), failed);
      let json: string | Promise<string>;
      try {
        json = emulator.sendNow(operation, input, caller);
      } catch (e) {
        return failed(e);
      }
      if (typeof json !== 'string') return json.then((text): RouteResult => ({ status: 200, body: undefined, json: text }), failed);
      return { status: 200, body: undefined, json };
    },
  };
}
