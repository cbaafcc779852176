/**
 * Typed CLI errors. A command throws a CliError to end with a one-line message on stderr and a
 * chosen exit code; `run` turns it into that code. Exit codes follow the linter contract:
 * 0 ok, 1 findings at or above --fail-on (or a failed step), 2 usage or read error.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
