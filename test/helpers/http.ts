/**
 * Raw HTTP for tests that need to send what no SDK would (bad JSON, wrong headers, huge bodies),
 * and SigV4 signing of such requests with the SDK's own signer.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  agent?: Agent;
}

export function rawRequest(baseUrl: string, req: RawRequest = {}): Promise<RawResponse> {
  const url = new URL(req.path ?? '/', baseUrl);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      url,
      { method: req.method ?? 'POST', headers: req.headers ?? {}, ...(req.agent ? { agent: req.agent } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** An AWS JSON 1.1 call with no signature (the caller is then the account root). */
export function kmsCall(baseUrl: string, operation: string, input: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(baseUrl, {
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${operation}`, ...headers },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  });
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const toBytes = (d: SourceData): string | Buffer =>
  typeof d === 'string' ? d : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);

class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Signs a request with the AWS SDK's SigV4 signer, exactly as a client would send it. */
export async function signedHeaders(
  baseUrl: string,
  creds: Credentials,
  req: { method?: string; path?: string; headers?: Record<string, string>; body?: string; region?: string; service?: string; signingDate?: Date },
): Promise<Record<string, string>> {
  const url = new URL(req.path ?? '/', baseUrl);
  const signer = new SignatureV4({
    credentials: creds,
    region: req.region ?? 'us-east-1',
    service: req.service ?? 'kms',
    sha256: NodeSha256,
  });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signed = await signer.sign(
    new HttpRequest({
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers: { host: url.host, ...(req.headers ?? {}) },
      ...(req.body !== undefined ? { body: req.body } : {}),
    }),
    req.signingDate ? { signingDate: req.signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

export async function signedKmsCall(
  baseUrl: string,
  creds: Credentials,
  operation: string,
  input: unknown,
  region = 'us-east-1',
): Promise<RawResponse> {
  const body = JSON.stringify(input);
  const headers = await signedHeaders(baseUrl, creds, {
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
    body,
    region,
  });
  return rawRequest(baseUrl, { headers, body });
}
