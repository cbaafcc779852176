/**
 * A real `@aws-sdk/client-kms` KMSClient wired to an emulator in-process through the request
 * handler in clients/wire.ts. No socket is opened. The SDK is loaded on first use (clients/sdk.ts).
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Caller, Emulator } from './emulator.js';
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
  viaService?: string;
}

export function makeClient(emulator: Emulator, opts: ClientOptions): KMSClient {
  const region = opts.region ?? emulator.region;
  const known = opts.accessKeyId ? emulator.principalForAccessKey(opts.accessKeyId) : undefined;
  const caller: Caller = {
    region,
    ...(opts.principal ? { principal: opts.principal } : {}),
    ...(opts.accessKeyId ? { accessKeyId: opts.accessKeyId } : {}),
    ...(opts.sourceIp ? { sourceIp: opts.sourceIp } : {}),
    ...(opts.viaService ? { viaService: opts.viaService } : {}),
  };
  return new (loadSdk().kms.KMSClient)({
    region,
    credentials: { accessKeyId: opts.accessKeyId ?? 'AKIAKMSKITINPROCESS0', secretAccessKey: known?.secretAccessKey ?? 'kmskit-in-process' },
    requestHandler: new InProcessHandler(emulator, caller) as never,
    maxAttempts: 1,
  });
}
