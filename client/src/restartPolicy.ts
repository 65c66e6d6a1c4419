// Restarts a crashed server, but not forever: a server that keeps crashing gets
// a clear message instead of a restart loop that eats the machine.
import { CloseAction, type CloseHandlerResult, ErrorAction, type ErrorHandler, type ErrorHandlerResult } from 'vscode-languageclient/node';
import { CrashWindow, MAX_RESTARTS, RESTART_WINDOW_MS } from './crashWindow';

export class RestartPolicy implements ErrorHandler {
  private readonly window = new CrashWindow();

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    // A few broken messages are survivable; a stream that keeps failing is not.
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  closed(): CloseHandlerResult {
    if (this.window.crashed(Date.now())) return { action: CloseAction.Restart, handled: true };
    return {
      action: CloseAction.DoNotRestart,
      message: `The Shipshape server crashed ${MAX_RESTARTS} times in the last ${RESTART_WINDOW_MS / 60_000} minutes and was not restarted. Run "Shipshape: Show Output" to see why, then "Shipshape: Restart Server".`,
    };
  }

  /** A manual restart starts the count afresh. */
  reset(): void {
    this.window.reset();
  }
}
