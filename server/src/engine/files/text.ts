// Offset <-> line/character conversion and edit application over plain strings.
import type { Position, Range, TextEdit } from '../types';

export class LineIndex {
  private readonly starts: ArrayLike<number>;

  /** @param starts the line starts, when known (see `afterChange`). */
  constructor(
    readonly text: string,
    starts?: ArrayLike<number>,
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    const found = [0];
    this.starts = found;
    if (!text.includes('\r')) {
      // The common case, built whenever a file is read: let indexOf scan natively.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) found.push(i + 1);
      return;
    }
    pushLineStarts(text, 0, text.length, found);
  }

  /**
   * The index of `text`, which `previous.text` became by `change`: the line starts
   * before the change are kept, those after it moved, and only the changed span is
   * scanned (a keystroke in a 10k-line file copies 10k numbers instead of scanning
   * 400k characters). A line starts after a `\n`, or after a `\r` not followed by
   * `\n`: a terminator decides by itself and the character after it, so the scan
   * starts one character before the change and the moved starts are those whose
   * terminator lies wholly in the unchanged suffix. The copy is a typed array of the
   * exact size, outside the JS heap: grown by pushes, it was an eighth of what a
   * keystroke in that file allocated, and so of how often the young generation filled.
   */
  static afterChange(previous: LineIndex, text: string, change: TextChange): LineIndex {
    const { start, oldEnd, delta } = change;
    const old = previous.starts;
    // a start before `start` follows a terminator before start - 1: neither it nor the character after it changed
    const kept = firstAtOrAfter(old, start);
    const scanned: number[] = kept === 0 ? [0] : [];
    pushLineStarts(text, Math.max(0, start - 1), oldEnd + delta, scanned);
    const moved = firstAtOrAfter(old, oldEnd + 1);
    const starts = new Int32Array(kept + scanned.length + old.length - moved);
    for (let i = 0; i < kept; i++) starts[i] = old[i] as number;
    starts.set(scanned, kept);
    for (let i = moved, at = kept + scanned.length; i < old.length; i++, at++) starts[at] = (old[i] as number) + delta;
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - (this.starts[low] ?? 0) };
  }

  offset(position: Position): number {
    const lineStart = this.starts[Math.max(0, Math.min(position.line, this.starts.length - 1))] ?? 0;
    return Math.min(lineStart + position.character, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** Start offset of a 0-based line. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
  }

  /** The text of a 0-based line without its terminator. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line + 1 < this.starts.length ? (this.starts[line + 1] ?? this.text.length) : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }
}

/** The index of the first of the ascending `starts` that is at least `offset` (their length if none). */
function firstAtOrAfter(starts: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((starts[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Pushes the start of each line whose terminator begins in [from, to) of `text`. */
function pushLineStarts(text: string, from: number, to: number, into: number[]): void {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 /* \n */) into.push(i + 1);
    else if (code === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) into.push(i + 1);
  }
}

/** Applies non-overlapping edits; throws on overlap, which would mean a broken fix. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > text.length) {
      throw new Error(`overlapping or out-of-range edit at ${edit.start}-${edit.end}`);
    }
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

/** The line terminator a file already uses, so edits keep its style. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Where two versions of a text differ: `before.slice(start, oldEnd)` became `after.slice(start, oldEnd + delta)`. */
export interface TextChange {
  start: number;
  oldEnd: number;
  delta: number;
}

/** The span two texts differ in, common prefix and suffix removed (natively: runs on every keystroke). */
export function changedSpan(before: string, after: string): TextChange {
  const start = commonPrefixLength(before, after);
  const suffix = commonSuffixLength(before, after, Math.min(before.length, after.length) - start);
  return { start, oldEnd: before.length - suffix, delta: after.length - before.length };
}

/** How many leading characters two texts share, by halving (native comparisons of slices). */
export function commonPrefixLength(a: string, b: string): number {
  let low = 0;
  let high = Math.min(a.length, b.length);
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (a.slice(low, mid) === b.slice(low, mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** How many trailing characters (at most `max`) two texts share, by halving. */
export function commonSuffixLength(a: string, b: string, max: number): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (a.slice(a.length - mid, a.length - low) === b.slice(b.length - mid, b.length - low)) low = mid;
    else high = mid - 1;
  }
  return low;
}
