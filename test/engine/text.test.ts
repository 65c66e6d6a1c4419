// The text helpers every edit runs through, checked against their naive definitions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, changedSpan, commonPrefixLength, commonSuffixLength } from '../../server/src/engine/files/text';

function naivePrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function naiveSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i < max && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** Deterministic pseudo-random texts over a small alphabet, so prefixes and suffixes collide. */
function* textPairs(): Generator<[string, string]> {
  let seed = 7;
  const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let round = 0; round < 500; round++) {
    const base = Array.from({ length: next(40) }, () => 'ab\n'.charAt(next(3))).join('');
    const at = next(base.length + 1);
    const cut = next(base.length - at + 1);
    yield [base, base.slice(0, at) + 'ab'.slice(0, next(3)) + base.slice(at + cut)];
  }
}

test('common prefix and suffix lengths match a character-by-character scan', () => {
  for (const [a, b] of textPairs()) {
    const prefix = commonPrefixLength(a, b);
    assert.equal(prefix, naivePrefix(a, b), JSON.stringify([a, b]));
    const max = Math.min(a.length, b.length) - prefix;
    assert.equal(commonSuffixLength(a, b, max), naiveSuffix(a, b, max), JSON.stringify([a, b]));
  }
});

test('line starts are the same for \\n, \\r\\n and lone \\r files', () => {
  assert.deepEqual(new LineIndex('a\nbc\n\nd').position(6), { line: 3, character: 0 });
  assert.deepEqual(new LineIndex('a\r\nbc\r\n\r\nd').position(9), { line: 3, character: 0 });
  assert.deepEqual(new LineIndex('a\rbc\n\rd').position(6), { line: 3, character: 0 });
  assert.equal(new LineIndex('x\n'.repeat(1000)).lineCount, 1001);
});

/** Every line start of an index, for comparing two indexes of the same text. */
function lineStarts(index: LineIndex): number[] {
  return Array.from({ length: index.lineCount }, (_, line) => index.lineStart(line));
}

test('a line index updated by a change has the line starts of one built from scratch', () => {
  let seed = 11;
  const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  // terminators of every kind, so that edits split and join \r\n pairs
  const piece = (length: number): string => Array.from({ length }, () => 'a\n\r'.charAt(next(3))).join('');
  for (let round = 0; round < 2000; round++) {
    const before = piece(next(30));
    const at = next(before.length + 1);
    const cut = next(before.length - at + 1);
    const after = before.slice(0, at) + piece(next(4)) + before.slice(at + cut);
    const updated = LineIndex.afterChange(new LineIndex(before), after, changedSpan(before, after));
    assert.deepEqual(lineStarts(updated), lineStarts(new LineIndex(after)), JSON.stringify([before, after]));
  }
});

test('a line index updated edit after edit stays that of its text', () => {
  let text = 'const a = 1;\r\nconst b = 2;\n\nfunction f() {\n  return a + b;\n}\n';
  let index = new LineIndex(text);
  for (const [find, replace] of [['a + b', 'a +\n b'], ['\r\n', '\n'], ['\n\n', '\r'], ['{', '{\r\n'], ['2;', ''], ['}\n', '}']] as const) {
    const edited = text.replace(find, replace);
    index = LineIndex.afterChange(index, edited, changedSpan(text, edited));
    text = edited;
    assert.deepEqual(lineStarts(index), lineStarts(new LineIndex(text)), `after replacing ${JSON.stringify(find)}`);
  }
});
