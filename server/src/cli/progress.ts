// "analyzing 120/4000 files" on one self-overwriting stderr line, only on a
// terminal and only once a scan has run long enough to be worth it; cleared
// before anything else is printed. On a pipe or in CI it writes nothing.

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Show nothing for scans shorter than this (ms). */
  delayMs?: number;
  /** Redraw at most this often (ms). */
  intervalMs?: number;
  now?: () => number;
}

export class Progress {
  private readonly enabled: boolean;
  private readonly started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.enabled = stream.isTTY === true;
    this.now = options.now ?? (() => performance.now());
    this.delayMs = options.delayMs ?? 250;
    this.intervalMs = options.intervalMs ?? 80;
    this.started = this.now();
  }

  /** Files analyzed so far out of the total. */
  files(done: number, total: number): void {
    this.draw(`shipshape: analyzing ${done}/${total} files`);
  }

  /** A phase without a count, e.g. applying fixes. */
  phase(label: string): void {
    this.draw(`shipshape: ${label}`, true);
  }

  /** Erases the line; call before printing anything else. */
  clear(): void {
    if (!this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(text: string, force = false): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.started < this.delayMs) return;
    if (!force && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    const width = Math.max(20, (this.stream.columns || 80) - 1); // 0 when the terminal size is unknown
    this.stream.write(`\r${text.length > width ? text.slice(0, width) : text}\x1b[K`);
    this.drawn = true;
  }
}
