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

/** A KMS error: `code` is the AWS exception name (`NotFoundException`, `AccessDeniedException`, ...), `message` AWS's words. */
export class KmsError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  explain?: ExplainTrace;
  constructor(code: string, message: string, options: { httpStatus?: number; explain?: ExplainTrace } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.httpStatus = options.httpStatus ?? STATUS[code] ?? 400;
    if (options.explain) this.explain = options.explain;
  }

  /** AWS JSON 1.1 error body. */
  toJSON(): { __type: string; message: string } {
    return { __type: this.code, message: this.message };
  }
}

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
