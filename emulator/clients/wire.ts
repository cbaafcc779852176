/**
 * The in-process client's request handler: the SDK runs its whole middleware stack and hands the
 * signed HttpRequest here instead of to a socket. It reads the SDK's AWS JSON 1.1 request
 * (X-Amz-Target + JSON body), calls `emulator.send` and answers with an HttpResponse — an AWS-shaped
 * error body (`{"__type", "message"}` plus `x-amzn-errortype`) on failure, so the SDK raises its
 * typed exceptions (NotFoundException, ...).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { HttpResponse, HttpRequest } from '@smithy/protocol-http';
import { KmsError } from '../core/errors.js';
import type { Caller, Emulator } from '../emulator.js';
import { loadSdk } from './sdk.js';

/** Header a caller may set to name its principal for one request. */
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
