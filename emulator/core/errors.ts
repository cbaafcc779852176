/**
 * The one error type the emulator throws. `code` is the AWS exception name exactly as the KMS API
 * model spells it (`NotFoundException`, `KMSInvalidStateException`, ...) so the HTTP server and the
 * in-process client can serialise it as `{"__type": code, "message": ...}` and the AWS SDK raises the
 * matching typed exception.
 */

/** Why a request was allowed or denied: the statements and grant that decided it. */
export interface ExplainTrace {
  decision: 'allow' | 'explicit-deny' | 'implicit-deny';
  action: string;
  principal: string;
  resource: string;
  /** Which rule of the AWS order decided, in words. */
  reason: string;
  /** Statements that matched: which document (key policy or identity policy n), its Sid and pointer. */
  statements: Array<{ source: 'key-policy' | 'identity-policy'; documentIndex: number; sid?: string; pointer: string; effect: 'Allow' | 'Deny'; principalMatch: string }>;
  /** The grant that allowed the request, when one did. */
  grantId?: string;
}

/** HTTP status codes AWS uses for each exception (400 unless listed). */
const STATUS: Record<string, number> = {
  KMSInternalException: 500,
  DependencyTimeoutException: 503,
  KeyUnavailableException: 500,
  CloudHsmClusterNotActiveException: 400,
  ThrottlingException: 400,
  UnknownOperationException: 400,
};

/**
 * Where AWS answers an exception with no message at all (InvalidCiphertextException for a wrong
 * context, KMSInvalidSignatureException, ...), `message` is '' and the body has no `message`
 * member; kmskit's own explanation then travels as `detail`: in the audit event and in the
 * `x-kmskit-detail` response header, never in the AWS body.
 */
export const DETAIL_HEADER = 'x-kmskit-detail';

/** A KMS error: `code` is the AWS exception name (`NotFoundException`, `AccessDeniedException`, ...), `message` AWS's words. */
export class KmsError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  explain?: ExplainTrace;
  /** kmskit's explanation of an error AWS sends without a message (see DETAIL_HEADER). */
  readonly detail?: string;
  constructor(code: string, message: string, options: { httpStatus?: number; explain?: ExplainTrace; detail?: string } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.httpStatus = options.httpStatus ?? STATUS[code] ?? 400;
    if (options.explain) this.explain = options.explain;
    if (options.detail) this.detail = options.detail;
  }

  /** AWS JSON 1.1 error body: no `message` member where AWS sends none. */
  toJSON(): { __type: string; message?: string } {
    return this.message ? { __type: this.code, message: this.message } : { __type: this.code };
  }

  /** Response headers of this error: the error type, and kmskit's detail where the body has none. */
  headers(): Record<string, string> {
    const h: Record<string, string> = { 'x-amzn-ErrorType': this.code };
    if (this.detail) h[DETAIL_HEADER] = headerSafe(this.detail);
    return h;
  }
}

/** An AWS error that carries no message, with kmskit's explanation kept beside it. */
export const silentError = (code: string, detail: string): KmsError => new KmsError(code, '', { detail });

/** Header values are one line of printable ASCII. */
const headerSafe = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 1000);

/** A state file (or its journal or domain key) that cannot be read back: names the file and the fault. */
export class StateFileError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`kmskit state file ${file}: ${problem}`);
    this.name = 'StateFileError';
    this.file = file;
  }
}

/** A seed file that does not describe a valid set of keys. */
export class SeedFileError extends Error {
  constructor(where: string, problem: string) {
    super(`kmskit seed ${where}: ${problem}`);
    this.name = 'SeedFileError';
  }
}

export const isKmsError = (e: unknown): e is KmsError => e instanceof KmsError;
