// Per-key debouncing with cancellation: scheduling a key again aborts the work
// scheduled (or running) for it before, so only the newest version of a file is
// ever analyzed to the end. Long work (a scan, a batch of dependents) yields to
// the event loop between files, so an edit can cancel it.

interface Pending {
  controller: AbortController;
  timer: NodeJS.Timeout | undefined;
}

export class Debouncer {
  private readonly pending = new Map<string, Pending>();

  /** Runs `task` after `delayMs` unless `key` is scheduled or cancelled again first; the task calls `done` when finished. */
  schedule(key: string, delayMs: number, task: (signal: AbortSignal) => void): void {
    this.cancel(key);
    const entry: Pending = { controller: new AbortController(), timer: undefined };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      task(entry.controller.signal);
    }, delayMs);
    this.pending.set(key, entry);
  }

  /** Whether work for `key` is waiting for its timer. */
  isWaiting(key: string): boolean {
    return this.pending.get(key)?.timer !== undefined;
  }

  /** Aborts whatever is scheduled or running for `key`. */
  cancel(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.controller.abort();
    this.pending.delete(key);
  }

  /** Marks the work for `key` finished (it stays abortable until then). */
  done(key: string, signal: AbortSignal): void {
    const entry = this.pending.get(key);
    if (entry && entry.controller.signal === signal) this.pending.delete(key);
  }

  cancelAll(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}

/** Lets pending messages (an edit, a cancellation) run before the next piece of long work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
