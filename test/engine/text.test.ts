// The text helpers every edit runs through, checked against their naive definitions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, commonPrefixLength, commonSuffixLength } from '../../server/src/engine/files/text';

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
