/**
 * A real `@aws-sdk/client-kms` KMSClient wired to an emulator in-process: a custom request handler
 * reads the SDK's AWS JSON 1.1 request (X-Amz-Target + JSON body), calls `emulator.send` and answers
 * with an HttpResponse — an AWS-shaped error body (`{"__type", "message"}` plus `x-amzn-errortype`)
 * on failure, so the SDK raises its typed exceptions (NotFoundException, ...). No socket is opened.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { HttpResponse, HttpRequest } from '@smithy/protocol-http';
import { KmsError } from './core/errors.js';
import type { Caller, Emulator } from './emulator.js';

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

// The SDK is loaded on first use, not at import: `kmskit serve` and the CLI import the emulator but
// never build a client, and the SDK costs ~100 ms of start-up.
const require = createRequire(import.meta.url);
let sdk: { KMSClient: typeof import('@aws-sdk/client-kms').KMSClient; HttpResponse: typeof import('@smithy/protocol-http').HttpResponse } | undefined;
function loadSdk(): NonNullable<typeof sdk> {
  sdk ??= {
    KMSClient: (require('@aws-sdk/client-kms') as typeof import('@aws-sdk/client-kms')).KMSClient,
    HttpResponse: (require('@smithy/protocol-http') as typeof import('@smithy/protocol-http')).HttpResponse,
  };
  return sdk;
}

/** Header a caller may set to name its principal (the HTTP server honours it too). */
export const PRINCIPAL_HEADER = 'x-kmskit-principal';

function header(req: HttpRequest, name: string): string | undefined {
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // TextDecoder reads the bytes without touching string methods the SDK's body wrapper warns about.
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new KmsError('SerializationException', 'kmskit in-process client: unsupported request body type');
}

function respond(statusCode: number, headers: Record<string, string>, json: unknown): { response: HttpResponse } {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  return {
    response: new (loadSdk().HttpResponse)({
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(body.length), 'x-amzn-requestid': randomUUID(), ...headers },
      body: Readable.from([body]),
    }),
  };
}

export class InProcessHandler {
  constructor(
    private readonly emulator: Emulator,
    private readonly caller: Caller,
  ) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    try {
      const target = header(request, 'x-amz-target') ?? '';
      const op = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : target;
      const text = bodyText(request.body);
      let input: unknown;
      try {
        input = text ? JSON.parse(text) : {};
      } catch {
        throw new KmsError('SerializationException', 'The request body is not valid JSON.');
      }
      const principal = header(request, PRINCIPAL_HEADER);
      const caller = principal ? { ...this.caller, principal } : this.caller;
      const out = await this.emulator.send(op, input as object, caller);
      return respond(200, {}, out);
    } catch (e) {
      const err = e instanceof KmsError ? e : new KmsError('KMSInternalException', (e as Error)?.message ?? String(e));
      return respond(err.httpStatus, err.headers(), err.toJSON());
    }
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
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
  return new (loadSdk().KMSClient)({
    region,
    credentials: { accessKeyId: opts.accessKeyId ?? 'AKIAKMSKITINPROCESS0', secretAccessKey: known?.secretAccessKey ?? 'kmskit-in-process' },
    requestHandler: new InProcessHandler(emulator, caller) as never,
    maxAttempts: 1,
  });
}
