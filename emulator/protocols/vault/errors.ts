/**
 * Vault's errors as its HTTP layer writes them: `{"errors": [...]}` with the status Vault's
 * `RespondErrorCommon` picks. Two families of message reach clients:
 *
 * - a handler's own error response (`logical.ErrorResponse`): the message as written, e.g.
 *   `encryption key not found`, 400;
 * - a Go error that travelled through Vault's request handling, which collects errors with
 *   go-multierror: `1 error occurred:\n\t* permission denied\n\n`. Clients and scripts match on these
 *   exact strings, so they are built here in one place.
 */

export class VaultError extends Error {
  constructor(
    readonly status: number,
    /** The `errors` list as sent (empty for a read of nothing: `{"errors":[]}`). */
    readonly errors: string[],
  ) {
    super(errors[0] ?? `status ${status}`);
  }
}

/** go-multierror's text for a list of errors, as Vault's request handling returns them. */
export function multierror(...messages: string[]): string {
  const head = messages.length === 1 ? '1 error occurred:' : `${messages.length} errors occurred:`;
  return `${head}\n${messages.map((m) => `\t* ${m}`).join('\n')}\n\n`;
}

/** A handler's error response: 400 with the message itself. */
export const userError = (message: string): VaultError => new VaultError(400, [message]);

/** A Go error returned by a handler (no error response): 500, multierror text. */
export const internalError = (message: string): VaultError => new VaultError(500, [multierror(message)]);

/** The ACL said no (the token is valid). Does not reveal whether the target exists. */
export const permissionDenied = (): VaultError => new VaultError(403, [multierror('permission denied')]);

/** No token at all. */
export const missingToken = (): VaultError => new VaultError(403, ['permission denied']);

/** A token that is unknown, revoked or expired (Vault ≥ 1.17 wording). */
export const invalidToken = (): VaultError => new VaultError(403, [multierror('permission denied', 'invalid token')]);

/** A path under a mount that no endpoint of the mount serves. */
export const unsupportedPath = (): VaultError => new VaultError(404, [multierror('unsupported path')]);

/** A known path asked for an operation it does not have (GET on encrypt/…). */
export const unsupportedOperation = (): VaultError => new VaultError(405, [multierror('unsupported operation')]);

/** A path under no mount at all (transit not enabled yet). */
export const noHandler = (path: string): VaultError => new VaultError(404, [`no handler for route ${JSON.stringify(path)}. route entry not found.`]);

/** A read or list that found nothing. */
export const notFound = (): VaultError => new VaultError(404, []);

/**
 * An error from a key operation (keysutil's `errutil.UserError` or `InternalError`), before the
 * endpoint decides how to answer it: as an item's `error` in a batch, a 400 error response, or a
 * 500 — each endpoint does as Vault's does.
 */
export class KeyOpError extends Error {
  constructor(
    message: string,
    readonly internal = false,
  ) {
    super(message);
  }
}
