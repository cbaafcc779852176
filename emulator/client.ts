/**
 * `emulator.client()`: a real `@aws-sdk/client-kms` KMSClient wired to the emulator in-process, in
 * one of two ways (no socket is opened by either):
 *
 * - fast (the default): the command's input enters the emulator at the top of the SDK's middleware
 *   stack and the SDK-shaped output (or typed exception) comes straight back (clients/fast.ts);
 * - full wire (`wire: true`): the SDK runs its whole stack (serialisation, SigV4, retries,
 *   deserialisation) and only the socket is replaced (clients/wire.ts). Slower; for tests about the
 *   SDK's own behaviour (middleware, retries, serialisation).
 *
 * Both share the model's validation and the same authorization, audit and faults. The SDK is loaded
 * on first use, not when the emulator is imported.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Caller, Emulator } from './emulator.js';
import { FAST_MIDDLEWARE_NAME, NoNetworkHandler, fastMiddleware } from './clients/fast.js';
import { InProcessHandler } from './clients/wire.js';
import { loadSdk } from './clients/sdk.js';

export { PRINCIPAL_HEADER } from './clients/wire.js';

/** Who an in-process client calls as (`emulator.client(options)`). */
export interface ClientOptions {
  /** The calling principal's ARN (default: the account's root user). */
  principal?: string;
  /** An access key id from the emulator's principals (identifies the caller when principal is absent). */
  accessKeyId?: string;
  region?: string;
  sourceIp?: string;
  /** e.g. `s3.us-east-1.amazonaws.com`: the calls are made through that service (kms:ViaService). */
  viaService?: string;
  /**
   * Run every call through the SDK's full middleware stack (endpoint resolution, AWS JSON 1.1
   * serialisation, SigV4 signing, retries, deserialisation), replacing only the socket.
   * @default false: the command enters the emulator at the top of the stack
   */
  wire?: boolean;
}

export function makeClient(emulator: Emulator, opts: ClientOptions): KMSClient {
  const region = opts.region ?? emulator.region;
  const known = opts.accessKeyId ? emulator.principalForAccessKey(opts.accessKeyId) : undefined;
  // One caller object for the client's lifetime: the emulator remembers its resolution per object.
  const caller: Caller = {
    region,
    ...(opts.principal ? { principal: opts.principal } : {}),
    ...(opts.accessKeyId ? { accessKeyId: opts.accessKeyId } : {}),
    ...(opts.sourceIp ? { sourceIp: opts.sourceIp } : {}),
    ...(opts.viaService ? { viaService: opts.viaService } : {}),
  };
  const client = new (loadSdk().kms.KMSClient)({
    region,
    credentials: { accessKeyId: opts.accessKeyId ?? 'AKIAKMSKITINPROCESS0', secretAccessKey: known?.secretAccessKey ?? 'kmskit-in-process' },
    requestHandler: (opts.wire ? new InProcessHandler(emulator, caller) : new NoNetworkHandler()) as never,
    maxAttempts: 1,
    // The resolved middleware stack is built once per command class instead of on every call
    // (most of the SDK's per-call cost). Add middleware to this client before its first call.
    cacheMiddleware: true,
  });
  if (opts.wire) reuseOneSigner(client);
  else client.middlewareStack.add(fastMiddleware(emulator, caller) as never, { step: 'initialize', priority: 'high', name: FAST_MIDDLEWARE_NAME, override: true });
  return client;
}

/**
 * The SDK makes a new SignatureV4 for every request (copying the whole client config into it), so
 * the signer's signing-key cache never hits and the copy alone is a tenth of a full-wire call. One
 * signer per region and signing name, made by the SDK's own factory, signs exactly the same bytes.
 */
function reuseOneSigner(client: KMSClient): void {
  const config = client.config as { signer?: (scheme?: { signingRegion?: string; signingName?: string }) => Promise<unknown> };
  const make = config.signer;
  if (typeof make !== 'function') return;
  const signers = new Map<string, Promise<unknown>>();
  config.signer = (scheme) => {
    const key = `${scheme?.signingRegion ?? ''}/${scheme?.signingName ?? ''}`;
    let signer = signers.get(key);
    if (!signer) {
      signer = make(scheme);
      signers.set(key, signer);
      // A factory that failed is asked again next time rather than remembered as failed.
      signer.catch(() => signers.delete(key));
    }
    return signer;
  };
}
