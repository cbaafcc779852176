/**
 * The clients benchmark's ceiling for the full-wire client: a request handler that does no KMS work
 * at all. It reads X-Amz-Target and answers Encrypt and Decrypt with canned response bytes (what
 * bench/canned-server.ts is to `kmskit serve`). Put in place of the full-wire client's own handler,
 * it measures the SDK's middleware stack alone (serialisation, SigV4, endpoint, retry,
 * deserialisation): the most any full-wire handler could reach. The bodies are the canned server's.
 */
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { cannedBodies } from './canned-server.js';

export class CannedHandler {
  private readonly bodies = cannedBodies();

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const target = request.headers['x-amz-target'] ?? '';
    const body = this.bodies[target.slice(target.indexOf('.') + 1)];
    if (!body) throw new Error(`canned handler: no answer for ${target}`);
    return { response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(body.length), 'x-amzn-requestid': 'canned' }, body }) };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
