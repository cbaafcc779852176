/**
 * The AWS SDK, loaded on first use rather than at import: `kmskit serve` and the CLI import the
 * emulator but never build a client, and the SDK costs ~100 ms of start-up.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Sdk {
  kms: typeof import('@aws-sdk/client-kms');
  HttpResponse: typeof import('@smithy/protocol-http').HttpResponse;
}

let sdk: Sdk | undefined;
export function loadSdk(): Sdk {
  sdk ??= {
    kms: require('@aws-sdk/client-kms') as typeof import('@aws-sdk/client-kms'),
    HttpResponse: (require('@smithy/protocol-http') as typeof import('@smithy/protocol-http')).HttpResponse,
  };
  return sdk;
}
