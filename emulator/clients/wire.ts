/**
 * The full-wire in-process client's request handler: the SDK runs its whole middleware stack
 * (endpoint resolution, AWS JSON 1.1 serialisation, SigV4 signing, retries, deserialisation) and
 * hands the signed HttpRequest here instead of to a socket. It reads X-Amz-Target and the JSON body,
 * calls `emulator.send` and answers with an HttpResponse: on failure an AWS-shaped error body
 * (`{"__type", "message"}` plus `x-amzn-errortype`), from which the SDK raises its typed exceptions.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { KmsError } from '../core/errors.js';
import type { Caller, Emulator } from '../emulator.js';
import { loadSdk } from './sdk.js';

/** Header a caller may set to name its principal for one request. */
export const PRINCIPAL_HEADER = 'x-kmskit-principal';

const utf8 = new TextDecoder();
const toUtf8 = new TextEncoder();

function header(req: HttpRequest, name: string): string | undefined {
  // The SDK writes its headers in lower case; a caller's own middleware might not.
  const direct = req.headers[name];
  if (direct !== undefined) return direct;
  for (const k in req.headers) if (k.toLowerCase() === name) return req.headers[k];
  return undefined;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // TextDecoder reads the bytes without touching string methods the SDK's body wrapper warns about.
  if (body instanceof Uint8Array) return utf8.decode(body);
  throw new KmsError('SerializationException', 'kmskit in-process client: unsupported request body type');
}

function respond(statusCode: number, headers: Record<string, string>, json: string): { response: HttpResponse } {
  // A Uint8Array body: the SDK's body collector takes it as it is, with no stream to drain.
  const body = toUtf8.encode(json);
  return {
    response: new (loadSdk().HttpResponse)({
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(body.length), 'x-amzn-requestid': randomUUID(), ...headers },
      body,
    }),
  };
}

export class InProcessHandler {
  constructor(
    protected readonly emulator: Emulator,
    protected readonly caller: Caller,
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
      // The response's JSON text as the server writes it, without an intermediate output object.
      return respond(200, {}, await this.emulator.sendNow(op, input as object, caller));
    } catch (e) {
      const err = e instanceof KmsError ? e : new KmsError('KMSInternalException', (e as Error)?.message ?? String(e));
      return respond(err.httpStatus, err.headers(), JSON.stringify(err.toJSON()));
    }
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
