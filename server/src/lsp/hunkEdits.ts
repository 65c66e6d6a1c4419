// A file's text before and after fix-all → the edits the editor applies, one per
// changed region. One edit from the first change to the last would delete and
// re-insert every line between two fixes, and the editor would drop what it
// anchors there: breakpoints, bookmarks, folding, the selection, other
// extensions' decorations (vscode-eslint's fix-on-save had that bug).
import { diffLines } from 'diff';
import type { TextEdit } from 'vscode-languageserver/node';
import { LineIndex, type TextEdit as OffsetEdit } from '../engine';

/**
 * Past this many lines removed plus added, the line diff costs more than it is
 * worth (its work grows with file length × changed lines): one edit spanning
 * every change instead.
 */
const MAX_CHANGED_LINES = 1000;

/**
 * Edits turning `before` into `after`, one per run of changed lines, each trimmed
 * to the characters that differ. They are ordered, never overlap and all refer to
 * `before` (as the edits of one TextDocumentEdit must); text between two changed
 * regions is never inside an edit. None when the texts are equal.
 */
export function hunkEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const lines = new LineIndex(before);
  return changedRegions(before, after).map((edit) => ({ range: lines.range(edit.start, edit.end), newText: edit.newText }));
}

/** The edits of `hunkEdits` as offsets into `before`. */
function changedRegions(before: string, after: string): OffsetEdit[] {
  const changes = diffLines(before, after, { maxEditLength: MAX_CHANGED_LINES });
  if (!changes) return [trimmedEdit(before, after, { start: 0, end: before.length }, { start: 0, end: after.length })];
  const edits: OffsetEdit[] = [];
  // Where the walk stands in each text, and where the current run of changed lines began.
  let oldAt = 0;
  let newAt = 0;
  let run: { oldStart: number; newStart: number } | undefined;
  for (const change of changes) {
    if (change.added || change.removed) {
      run ??= { oldStart: oldAt, newStart: newAt };
      if (change.removed) oldAt += change.value.length;
      else newAt += change.value.length;
      continue;
    }
    if (run) edits.push(trimmedEdit(before, after, { start: run.oldStart, end: oldAt }, { start: run.newStart, end: newAt }));
    run = undefined;
    // Unchanged lines are the same text on both sides (no ignore-whitespace or ignore-case option).
    oldAt += change.value.length;
    newAt += change.value.length;
  }
  if (run) edits.push(trimmedEdit(before, after, { start: run.oldStart, end: oldAt }, { start: run.newStart, end: newAt }));
  return edits;
}

interface Span {
  start: number;
  end: number;
}

/**
 * The edit replacing `oldSpan` of `before` with `newSpan` of `after`, less the
 * characters both spans start and end with. It stays inside `oldSpan`, and
 * neither end falls between the halves of a surrogate pair or of a CRLF, in
 * either text (the editor has no position there: it would move the edit to the
 * line's end, or leave half a character).
 */
function trimmedEdit(before: string, after: string, oldSpan: Span, newSpan: Span): OffsetEdit {
  const limit = Math.min(oldSpan.end - oldSpan.start, newSpan.end - newSpan.start);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(oldSpan.start + prefix) === after.charCodeAt(newSpan.start + prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(oldSpan.end - 1 - suffix) === after.charCodeAt(newSpan.end - 1 - suffix)) suffix++;
  // The trimmed characters are the same on both sides, so giving some back to the edit keeps it correct.
  while (prefix > 0 && (splitsPair(before, oldSpan.start + prefix) || splitsPair(after, newSpan.start + prefix))) prefix--;
  while (suffix > 0 && (splitsPair(before, oldSpan.end - suffix) || splitsPair(after, newSpan.end - suffix))) suffix--;
  return { start: oldSpan.start + prefix, end: oldSpan.end - suffix, newText: after.slice(newSpan.start + prefix, newSpan.end - suffix) };
}

/** Whether offset `at` falls inside a surrogate pair or a CRLF of `text`. */
function splitsPair(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const previous = text.charCodeAt(at - 1);
  const next = text.charCodeAt(at);
  return (isHighSurrogate(previous) && isLowSurrogate(next)) || (previous === CR && next === LF);
}

const CR = 0x0d;
const LF = 0x0a;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
