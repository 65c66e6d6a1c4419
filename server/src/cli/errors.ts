// Exit codes and the errors the CLI reports as one clean line (never a stack).
export const EXIT_OK = 0;
/** Findings at or above `--fail-on` remain. */
export const EXIT_FINDINGS = 1;
/** Bad usage, or the scan could not complete (unreadable path, a rule crashed, a write failed). */
export const EXIT_ERROR = 2;

/**
 * An error the user can act on: a bad flag, a missing path, an unwritable file.
 * main prints `shipshape: <message>` and exits 2, without a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** A second line, e.g. `Run "shipshape scan --help" for usage.` */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** `ENOENT`, `EACCES`, …, or the message when there is no code. */
export function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Prints an error the way the user should see it and returns the exit code: a
 * CliError as its one-line message (and hint); anything else as a one-line
 * internal error, with the stack only when SHIPSHAPE_DEBUG=1.
 */
export function reportError(error: unknown, env: NodeJS.ProcessEnv, write: (text: string) => void): number {
  const debug = env.SHIPSHAPE_DEBUG === '1';
  if (error instanceof CliError) {
    write(`shipshape: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`);
    if (debug && error.stack) write(`${error.stack}\n`);
    return EXIT_ERROR;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (debug) write(`shipshape: internal error: ${error instanceof Error && error.stack ? error.stack : message}\n`);
  else write(`shipshape: internal error: ${message.split('\n')[0]}\n(set SHIPSHAPE_DEBUG=1 to print the stack trace)\n`);
  return EXIT_ERROR;
}
