// Fix-all's before/after texts → one small edit per changed region: applied as an
// editor applies them they give `after`, and no edit reaches into lines that did
// not change (where the editor keeps breakpoints, folds and the selection).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hunkEdits } from '../../server/src/lsp/hunkEdits';

/** `edits` applied to `text` the way an editor applies one TextDocumentEdit. */
function applied(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.ts', 'typescript', 1, text), edits);
}

/** Offsets of each edit in `text`, checked to come in order without overlapping. */
function spansOf(text: string, edits: TextEdit[]): { start: number; end: number }[] {
  const document = TextDocument.create('file:///x.ts', 'typescript', 1, text);
  const spans = edits.map((edit) => ({ start: document.offsetAt(edit.range.start), end: document.offsetAt(edit.range.end) }));
  for (let i = 1; i < spans.length; i++) assert.ok((spans[i - 1]?.end ?? 0) <= (spans[i]?.start ?? 0), `edit ${i} starts after edit ${i - 1} ends`);
  return spans;
}

/** Whether offset `at` of `text` falls between the halves of a surrogate pair. */
function splitsSurrogatePair(text: string, at: number): boolean {
  return /[\uD800-\uDBFF]/.test(text.charAt(at - 1)) && /[\uDC00-\uDFFF]/.test(text.charAt(at));
}

/**
 * The edits of `before` → `after`, checked to give `after`, in order and without
 * overlap, and with no end of an edit inside a surrogate pair in either text. (A
 * position inside a CRLF cannot be checked this way, the editor moves it before
 * the CR; it shows as a wrong result.)
 */
function checkedEdits(before: string, after: string): TextEdit[] {
  const edits = hunkEdits(before, after);
  assert.equal(applied(before, edits), after);
  let shift = 0;
  for (const [i, span] of spansOf(before, edits).entries()) {
    const newText = edits[i]?.newText ?? '';
    for (const [text, at] of [[before, span.start], [before, span.end], [after, span.start + shift], [after, span.start + shift + newText.length]] as const) {
      assert.ok(!splitsSurrogatePair(text, at), `edit ${i} ends inside a surrogate pair`);
    }
    shift += newText.length - (span.end - span.start);
  }
  return edits;
}

/** Numbered lines `const v<i> = <i>;`, no two alike. */
function numberedLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `const v${i} = ${i};`);
}

function at(line: number, character: number): { line: number; character: number } {
  return { line, character };
}

test('two changes far apart give two edits, each just the changed characters; equal texts give none', () => {
  const lines = numberedLines(500);
  const changed = [...lines];
  changed[10] = 'const v10 = Number(10);';
  changed[480] = 'const v480 = 480; // checked';
  const before = `${lines.join('\n')}\n`;
  assert.deepEqual(checkedEdits(before, `${changed.join('\n')}\n`), [
    { range: { start: at(10, 12), end: at(10, 14) }, newText: 'Number(10)' },
    { range: { start: at(480, 17), end: at(480, 17) }, newText: ' // checked' },
  ]);
  assert.deepEqual(hunkEdits(before, before), []);
});

test('changes at the very start and the very end, with and without a final newline', () => {
  const body = numberedLines(20).join('\n');
  assert.deepEqual(checkedEdits(`${body}\n`, `'use strict';\n${body}\n// end\n`), [
    { range: { start: at(0, 0), end: at(0, 0) }, newText: "'use strict';\n" },
    { range: { start: at(20, 0), end: at(20, 0) }, newText: '// end\n' },
  ]);
  // The last line has no newline: it changes as a whole line of the diff, trimmed to the new characters.
  assert.deepEqual(checkedEdits(body, `x${body.slice(1)}!`), [
    { range: { start: at(0, 0), end: at(0, 1) }, newText: 'x' },
    { range: { start: at(19, 15), end: at(19, 15) }, newText: '!' },
  ]);
  assert.deepEqual(checkedEdits(`${body}\n`, body), [{ range: { start: at(19, 15), end: at(20, 0) }, newText: '' }]);
});

test('insertions only and deletions only: whole lines in, whole lines out, each run its own edit', () => {
  const lines = numberedLines(30);
  const before = `${lines.join('\n')}\n`;
  const inserted = [...lines.slice(0, 5), '// a', '// b', ...lines.slice(5, 25), '// c', ...lines.slice(25)];
  assert.deepEqual(checkedEdits(before, `${inserted.join('\n')}\n`), [
    { range: { start: at(5, 0), end: at(5, 0) }, newText: '// a\n// b\n' },
    { range: { start: at(25, 0), end: at(25, 0) }, newText: '// c\n' },
  ]);
  const deleted = [...lines.slice(0, 3), ...lines.slice(6, 20), ...lines.slice(21)];
  assert.deepEqual(checkedEdits(before, `${deleted.join('\n')}\n`), [
    { range: { start: at(3, 0), end: at(6, 0) }, newText: '' },
    { range: { start: at(20, 0), end: at(21, 0) }, newText: '' },
  ]);
});

test('CRLF text keeps its line ends, and no edit starts or ends between a CR and its LF', () => {
  const lines = numberedLines(40);
  const before = `${lines.join('\r\n')}\r\n`;
  const changed = [...lines.slice(0, 2), 'const v2 = 2; // fixed', ...lines.slice(3, 30), '// added', ...lines.slice(30)];
  assert.deepEqual(checkedEdits(before, `${changed.join('\r\n')}\r\n`), [
    { range: { start: at(2, 13), end: at(2, 13) }, newText: ' // fixed' },
    { range: { start: at(30, 0), end: at(30, 0) }, newText: '// added\r\n' },
  ]);
  // A character put between a CR and its LF: a position there does not exist for the
  // editor (it would insert before the CR), so the edit takes in the line end.
  const split = `${lines[0]}\r\n${lines[1]}\r\n${lines.slice(2, 30).join('\r\n')}\r\n${lines[30]}\rX\n${lines[31]}\r\n`;
  const around = `${lines[0]}\r\n${lines[1]};\r\n${lines.slice(2, 30).join('\r\n')}\r\n${lines[30]}\r\n${lines[31]}\r\n`;
  assert.deepEqual(checkedEdits(around, split), [
    { range: { start: at(1, 13), end: at(1, 14) }, newText: '' },
    { range: { start: at(30, 15), end: at(31, 0) }, newText: '\rX\n' },
  ]);
});

test('a surrogate pair at the edge of a change is never cut in half', () => {
  const lines = numberedLines(20);
  const before = `${lines.slice(0, 3).join('\n')}\n// 😀 ok\n${lines.slice(3, 15).join('\n')}\n// 😀\n`;
  const after = `${lines.slice(0, 3).join('\n')}\n// 😃 ok\n${lines.slice(3, 15).join('\n')}\n// 😀😃\n`;
  const edits = checkedEdits(before, after);
  assert.deepEqual(edits, [
    // 😀 and 😃 share their high surrogate: the edit takes the whole pair, not just the low half.
    { range: { start: at(3, 3), end: at(3, 5) }, newText: '😃' },
    { range: { start: at(16, 5), end: at(16, 5) }, newText: '😃' },
  ]);
});

/** A random text of characters chosen to sit at hunk edges: line ends of each kind and surrogate pairs. */
const tricky = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r\n', '\r', '😀', '😃', '\uD83D', 'x\n'), { maxLength: 40 }).map((parts) => parts.join(''));

/** `text` with each change applied in turn, at its position modulo the length so far. */
function changed(text: string, changes: readonly { at: number; length: number; text: string }[]): string {
  let result = text;
  for (const change of changes) {
    const start = change.at % (result.length + 1);
    result = result.slice(0, start) + change.text + result.slice(start + change.length);
  }
  return result;
}

test('property: random edits of random text round-trip through the edits an editor applies, around lines they leave alone', () => {
  // Fifty distinct lines between two random texts: more than any alignment across
  // them could gain, so the line diff keeps them and no edit may reach into them.
  const middle = numberedLines(50);
  const change = fc.record({ at: fc.nat(), length: fc.nat({ max: 6 }), text: tricky });
  const changes = fc.array(change, { maxLength: 3 });
  fc.assert(
    fc.property(tricky, changes, tricky, changes, (head, headChanges, tail, tailChanges) => {
      const before = `${head}\n${middle.join('\n')}\n${tail}`;
      const after = `${changed(head, headChanges)}\n${middle.join('\n')}\n${changed(tail, tailChanges)}`;
      const spans = spansOf(before, checkedEdits(before, after));
      let lineStart = head.length + 1;
      for (const [i, line] of middle.entries()) {
        const lineEnd = lineStart + line.length + 1;
        for (const span of spans) assert.ok(span.end <= lineStart || span.start >= lineEnd, `line ${i} of the middle is outside every edit`);
        lineStart = lineEnd;
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: in a file of distinct lines, a line no change touched is inside no edit', () => {
  // Every changed line carries a marker no original line has, so the lines left
  // alone are exactly the ones the two texts share.
  const lineChange = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), text: fc.constantFrom('// new', 'await check();', '') }),
    fc.record({ kind: fc.constant('delete' as const) }),
    fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), text: fc.constantFrom('x', ' 😀', '(y)', '\t') }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }), fc.constantFrom('\n', '\r\n'), fc.array(fc.record({ line: fc.nat(), change: lineChange }), { maxLength: 6 }), (count, eol, changes) => {
      const lines = numberedLines(count);
      const touched = new Set<number>();
      const result = lines.map((line) => [line]);
      for (const { line: pick, change } of changes) {
        const line = pick % count;
        touched.add(line);
        const original = lines[line] ?? '';
        if (change.kind === 'insert') result[line] = [`${change.text} #${pick}`, ...(result[line] ?? [])];
        else if (change.kind === 'delete') result[line] = [];
        else result[line] = [original.slice(0, change.at % original.length) + change.text + '#' + original.slice(change.at % original.length)];
      }
      const before = lines.map((line) => line + eol).join('');
      const after = result.flat().map((line) => line + eol).join('');
      const spans = spansOf(before, checkedEdits(before, after));
      let lineStart = 0;
      for (const [i, line] of lines.entries()) {
        const lineEnd = lineStart + line.length + eol.length;
        if (!touched.has(i)) for (const span of spans) assert.ok(span.end <= lineStart || span.start >= lineEnd, `line ${i} is untouched, and outside every edit`);
        lineStart = lineEnd;
      }
    }),
    { numRuns: 1000 },
  );
});

test('past a thousand changed lines the line diff is skipped: one edit from the first change to the last', () => {
  const lines = numberedLines(1200);
  const before = `${lines.join('\n')}\n`;
  const after = `${lines.map((line, i) => (i % 2 === 0 ? `${line} // ${i}` : line)).join('\n')}\n`;
  assert.deepEqual(checkedEdits(before, after).map((edit) => edit.range), [{ start: at(0, 13), end: at(1198, 19) }]);
});
