/**
 * The full-wire in-process client's request handler as it was before the clients benchmark existed
 * (emulator/client.ts at 4b28bc0), kept as the benchmark's baseline: it calls `emulator.send`,
 * stringifies the output object and hands the SDK the body as a stream, which the SDK then collects.
 * Only its path for a successful call is kept (the principal header and the JSON-error wording are not).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { KmsError } from '../emulator/core/errors.js';
import { InProcessHandler } from '../emulator/clients/wire.js';

function header(req: HttpRequest, name: string): string | undefined {
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function respond(statusCode: number, headers: Record<string, string>, json: unknown): { response: HttpResponse } {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  return {
    response: new HttpResponse({
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(body.length), 'x-amzn-requestid': randomUUID(), ...headers },
      body: Readable.from([body]),
    }),
  };
}

/** The old `handle`; the handler's other members (the SDK's handler interface) are today's, unchanged. */
export class HandlerBefore extends InProcessHandler {
  override async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    try {
      const target = header(request, 'x-amz-target') ?? '';
      const op = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : target;
      const body = request.body as Uint8Array | string | undefined;
      const text = body === undefined ? '' : typeof body === 'string' ? body : new TextDecoder().decode(body);
      const out = await this.emulator.send(op, (text ? JSON.parse(text) : {}) as object, this.caller);
      return respond(200, {}, out);
    } catch (e) {
      const err = e instanceof KmsError ? e : new KmsError('KMSInternalException', (e as Error)?.message ?? String(e));
      return respond(err.httpStatus, { 'x-amzn-errortype': err.code }, err.toJSON());
    }
  }
}
