// Counts server crashes in a sliding window: the restart policy's arithmetic,
// kept free of `vscode` so it can be unit-tested in plain Node.

export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

export class CrashWindow {
  private crashes: number[] = [];

  constructor(
    private readonly max = MAX_RESTARTS,
    private readonly windowMs = RESTART_WINDOW_MS,
  ) {}

  /** Records a crash at `now`; returns whether another restart is allowed. */
  crashed(now: number): boolean {
    this.crashes = this.crashes.filter((time) => now - time < this.windowMs);
    if (this.crashes.length >= this.max) return false;
    this.crashes.push(now);
    return true;
  }

  reset(): void {
    this.crashes = [];
  }
}
