/**
 * AWS Signature Version 4, server side: parse the `Authorization` header, find the caller's access
 * key and region in the credential scope, and verify the signature when the principal has a secret.
 *
 * Only what the emulator needs: header-based signing (`AWS4-HMAC-SHA256`) as every AWS SDK and the
 * aws CLI send it. Reference: "Create a signed AWS API request" and "Elements of an AWS API request
 * signature" in the IAM User Guide. Messages follow what AWS answers on the JSON protocols.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** What `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` says. */
export interface ParsedAuthorization {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  region: string;
  service: string;
  /** `date/region/service/aws4_request` */
  scope: string;
  /** Lower-case header names, in the order given (AWS requires them sorted). */
  signedHeaders: string[];
  /** Lower-case hex. */
  signature: string;
}

/** A problem with the request's signature, named as AWS names it on the JSON protocols. */
export class SignatureError extends Error {
  constructor(
    readonly code: 'IncompleteSignatureException' | 'InvalidSignatureException' | 'MissingAuthenticationTokenException' | 'ExpiredTokenException' | 'UnrecognizedClientException',
    message: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

const WELL_FORMED =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;_-]+), ?Signature=([0-9a-f]+)$/;

/**
 * The fast path's answer: the scope and the signed-header list are only read when a signature is
 * verified (a principal with a secret), so they are made then rather than on every request.
 */
class WellFormedAuthorization implements ParsedAuthorization {
  constructor(
    readonly accessKeyId: string,
    readonly date: string,
    readonly region: string,
    readonly service: string,
    private readonly signedHeaderList: string,
    readonly signature: string,
  ) {}
  get scope(): string {
    return `${this.date}/${this.region}/${this.service}/aws4_request`;
  }
  get signedHeaders(): string[] {
    return this.signedHeaderList.split(';');
  }
}

/** The message AWS sends with InvalidSignatureException when the signature does not match. */
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * Parses an Authorization header. Returns undefined when there is none (the caller is then the
 * account's root user, as the identities contract says); throws SignatureError when it is there
 * but malformed.
 */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (header === undefined) return undefined;
  // Every SDK sends exactly this shape; one regex per request instead of the general parse below.
  const fast = WELL_FORMED.exec(header);
  if (fast) {
    const [, accessKeyId, date, region, service, signedHeaders, signature] = fast as unknown as [string, string, string, string, string, string, string];
    return new WellFormedAuthorization(accessKeyId, date, region, service, signedHeaders, signature);
  }
  if (header.trim() === '') return undefined;
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new SignatureError(
      'IncompleteSignatureException',
      `Authorization header requires the ${SIGV4_ALGORITHM} algorithm, got '${truncate(algorithm)}'.`,
    );
  }
  const params = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !params.get(k));
  if (missing.length > 0) {
    throw new SignatureError(
      'IncompleteSignatureException',
      missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ') +
        ` Authorization=${truncate(trimmed)}`,
    );
  }
  const credential = params.get('Credential') as string;
  const pieces = credential.split('/');
  if (pieces.length !== 5 || pieces[4] !== 'aws4_request' || pieces.some((p) => p === '')) {
    throw new SignatureError(
      'IncompleteSignatureException',
      `Credential should be scoped to a valid region, service and terminated by 'aws4_request'. Credential=${truncate(credential)}`,
    );
  }
  const [accessKeyId, date, region, service] = pieces as [string, string, string, string, string];
  if (!/^\d{8}$/.test(date)) {
    throw new SignatureError('IncompleteSignatureException', `Credential date '${truncate(date)}' is not in yyyyMMdd format.`);
  }
  const signature = (params.get('Signature') as string).toLowerCase();
  if (!/^[0-9a-f]+$/.test(signature)) {
    throw new SignatureError('IncompleteSignatureException', 'Signature must be lower-case hexadecimal.');
  }
  const signedHeaders = (params.get('SignedHeaders') as string).split(';').map((h) => h.trim().toLowerCase());
  return {
    accessKeyId,
    date,
    region,
    service,
    scope: pieces.slice(1).join('/'),
    signedHeaders,
    signature,
  };
}

/** The request as the server received it: raw path+query, headers as Node gives them, the body. */
export interface SignedRequest {
  method: string;
  /** `req.url` as received: the encoded path with its query string. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Verifies `auth` against the request with `secretAccessKey`. Throws SignatureError
 * (InvalidSignatureException) when it does not match; returns nothing when it does.
 */
/** How far a request's X-Amz-Date may be from the server's clock, as in AWS. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export function verifySignature(request: SignedRequest, auth: ParsedAuthorization, secretAccessKey: string, service = 'kms', now: number = Date.now()): void {
  if (auth.service !== service) {
    throw new SignatureError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`);
  }
  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (amzDate === undefined || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new SignatureError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (amzDate.slice(0, 8) !== auth.date) {
    throw new SignatureError(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  // Checked against wall-clock time, not the emulator's test clock: clients sign with their own clock.
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
    const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    throw new SignatureError(
      'InvalidSignatureException',
      signedAt < now
        ? `Signature expired: ${amzDate} is now earlier than ${fmt(now - MAX_CLOCK_SKEW_MS)} (${fmt(now)} - 15 min.)`
        : `Signature not yet current: ${amzDate} is still later than ${fmt(now + MAX_CLOCK_SKEW_MS)} (${fmt(now)} + 15 min.)`,
    );
  }
  if (!auth.signedHeaders.includes('host')) {
    throw new SignatureError('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const expected = computeSignature(request, auth, secretAccessKey, amzDate);
  const given = Buffer.from(auth.signature, 'utf8');
  const want = Buffer.from(expected, 'utf8');
  // Equal lengths first: timingSafeEqual throws on a length mismatch, and a wrong length is no secret.
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new SignatureError('InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  }
}

/** The hex signature AWS would compute for this request, scope and secret. */
export function computeSignature(request: SignedRequest, auth: ParsedAuthorization, secretAccessKey: string, amzDate: string): string {
  const canonical = canonicalRequest(request, auth.signedHeaders);
  const stringToSign = [SIGV4_ALGORITHM, amzDate, auth.scope, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, auth.date);
  key = hmac(key, auth.region);
  key = hmac(key, auth.service);
  key = hmac(key, 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/** The SigV4 canonical request for a non-S3 service. */
export function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string {
  const q = request.url.indexOf('?');
  const rawPath = q < 0 ? request.url : request.url.slice(0, q);
  const rawQuery = q < 0 ? '' : request.url.slice(q + 1);
  const headerLines = signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.headers[name])}\n`).join('');
  // Always the hash of the body received: trusting x-amz-content-sha256 would let a changed body through.
  const payloadHash = sha256Hex(request.body);
  return [
    request.method.toUpperCase(),
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    headerLines,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/**
 * Non-S3 services sign the path URI-encoded once more on top of its wire encoding (the SDKs and
 * botocore both escape the already-encoded path), after removing `.` and `..` segments.
 */
function canonicalPath(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  const out: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const trailing = rawPath.endsWith('/') && out.length > 0 ? '/' : '';
  return `/${out.map(uriEncode).join('/')}${trailing}`;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const k = eq < 0 ? p : p.slice(0, eq);
      const v = eq < 0 ? '' : p.slice(eq + 1);
      return [uriEncode(safeDecode(k)), uriEncode(safeDecode(v))] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** RFC 3986 unreserved characters stay; everything else is %XX (what AWS calls UriEncode). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function truncate(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
