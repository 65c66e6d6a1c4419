// Every handler runs inside one of these: an exception becomes a log line and a
// harmless answer, never a dead server; a cancelled request answers
// RequestCancelled instead of doing work nobody waits for (as VS Code's CSS
// server does).
import { type CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { ZodError } from 'zod';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Wraps a request handler: honours cancellation, answers InvalidParams when the
 * parameters fail their zod schema, and otherwise logs the error and returns `fallback`.
 */
export function safeRequest<P, R>(
  log: Logger,
  name: string,
  fallback: R,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    if (token.isCancellationRequested) return cancelled();
    try {
      const result = await handler(params, token);
      return token.isCancellationRequested ? cancelled() : result;
    } catch (error) {
      if (isAbortError(error)) return cancelled();
      if (error instanceof ZodError) {
        log.warn(`${name}: invalid parameters: ${error.message}`);
        return new ResponseError(ErrorCodes.InvalidParams, `invalid parameters: ${error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
      }
      log.error(`${name} failed: ${describeError(error)}`);
      return fallback;
    }
  };
}

/** Wraps a notification handler or a fire-and-forget task: logs instead of throwing. */
export function safeNotification<P extends unknown[]>(log: Logger, name: string, handler: (...params: P) => void | Promise<void>): (...params: P) => void {
  return (...params) => {
    runSafely(log, name, () => handler(...params));
  };
}

/** Runs a task now, logging (never rethrowing) a synchronous or asynchronous failure. */
export function runSafely(log: Logger, name: string, task: () => void | Promise<void>): void {
  try {
    const pending = task();
    if (pending) pending.catch((error: unknown) => isAbortError(error) || log.error(`${name} failed: ${describeError(error)}`));
  } catch (error) {
    if (!isAbortError(error)) log.error(`${name} failed: ${describeError(error)}`);
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}
