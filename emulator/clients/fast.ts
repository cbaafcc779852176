/**
 * The fast in-process client: a real KMSClient with one middleware at the top of its stack (the
 * initialize step, before serialisation, signing and retries) that hands the command's input to
 * `emulator.send(op, input, caller, 'sdk')` and returns what the SDK would have returned after a
 * round trip: the model's members only, blobs as Uint8Array, timestamps as Date, `$metadata`; and on
 * failure the SDK's own typed exception classes (NotFoundException, ...; a KMSServiceException named
 * after the code for the ones the SDK does not model), with `$fault`, `$metadata` and `$response`.
 * The input is validated by the same model, and authorization, audit and faults are the same code
 * as for every other caller. What it skips is the SDK's work: endpoint resolution, JSON, SigV4.
 */
import { randomUUID } from 'node:crypto';
import { KmsError } from '../core/errors.js';
import type { Caller, Emulator } from '../emulator.js';
import { loadSdk } from './sdk.js';

export const FAST_MIDDLEWARE_NAME = 'kmskitInProcess';

// The shapes of the SDK's middleware interface this file uses (its types live in @smithy/types,
// which kmskit does not depend on directly).
type Output = Record<string, unknown>;
type Handler = (args: { input: object }) => Promise<{ output: Output; response?: unknown }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

const metadata = (httpStatusCode: number, requestId: string) => ({
  httpStatusCode,
  requestId,
  extendedRequestId: undefined,
  cfId: undefined,
  attempts: 1,
  totalRetryDelay: 0,
});

/** The middleware; `context.commandName` (`EncryptCommand`) names the operation. */
export function fastMiddleware(emulator: Emulator, caller: Caller): Middleware {
  return (_next, context) =>
    async (args) => {
      const name = context.commandName ?? '';
      const operation = name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
      const requestId = randomUUID();
      let output: Output;
      try {
        output = await emulator.send(operation, args.input, caller, 'sdk');
      } catch (e) {
        throw sdkError(e, requestId);
      }
      output.$metadata = metadata(200, requestId);
      return { output };
    };
}

/** The exception the SDK raises for this error after a round trip. */
function sdkError(e: unknown, requestId: string): Error {
  const err = e instanceof KmsError ? e : new KmsError('KMSInternalException', (e as Error)?.message ?? String(e));
  const { kms, HttpResponse } = loadSdk();
  const $metadata = metadata(err.httpStatus, requestId);
  const Modeled = (kms as unknown as Record<string, unknown>)[err.code];
  const out: Error & Record<string, unknown> =
    typeof Modeled === 'function' && Modeled.prototype instanceof kms.KMSServiceException
      ? new (Modeled as new (o: object) => Error & Record<string, unknown>)({ message: err.message || 'UnknownError', $metadata })
      : (new kms.KMSServiceException({ name: err.code, $fault: err.httpStatus >= 500 ? 'server' : 'client', message: err.message || 'UnknownError', $metadata }) as unknown as Error & Record<string, unknown>);
  // Enumerable own members, as the SDK's deserialiser leaves them on the exception it raises; an
  // error AWS sends without a message gets the SDK's stand-in for none.
  Object.defineProperty(out, 'message', { value: err.message || 'UnknownError', enumerable: true, writable: true, configurable: true });
  out.__type = err.code;
  const body = JSON.stringify(err.toJSON());
  // Not enumerable, as the SDK sets it: the response an error came with.
  Object.defineProperty(out, '$response', {
    value: new HttpResponse({
      statusCode: err.httpStatus,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(Buffer.byteLength(body)), 'x-amzn-requestid': requestId, ...err.headers() },
      body,
    }),
    enumerable: false,
    writable: true,
    configurable: true,
  });
  // kmskit's own addition, as on KmsError: why an AccessDeniedException was decided.
  if (err.explain) Object.defineProperty(out, 'explain', { value: err.explain, enumerable: false, writable: true, configurable: true });
  return out;
}

/** A request handler for a client whose requests never leave the middleware stack. */
export class NoNetworkHandler {
  async handle(): Promise<never> {
    throw new KmsError('KMSInternalException', `kmskit: a request reached the fast in-process client's network handler; the ${FAST_MIDDLEWARE_NAME} middleware was removed from the stack`);
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
