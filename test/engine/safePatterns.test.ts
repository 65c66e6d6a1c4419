import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSafeAnchoredPattern } from '../../server/src/engine/facts/safePatterns';

const safe = (pattern: RegExp): boolean => isSafeAnchoredPattern(pattern.source, pattern.flags);

test('anchored patterns of letters, digits, underscores and lone dashes are safe', () => {
  for (const pattern of [
    /^\d+$/,
    /^[0-9]{1,10}$/,
    /^[a-f0-9]{24}$/i,
    /^\w+$/,
    /^[A-Za-z0-9_]*$/,
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i,
    /^[a-z]+(?:_[a-z]+)*$/,
    /^[\w-]$/,
    /^[a-z]\d-\d+?$/,
  ]) {
    assert.ok(safe(pattern), String(pattern));
  }
});

test('unanchored, multiline, alternating or wider patterns are not', () => {
  for (const pattern of [
    /\d+/,
    /^\d+/,
    /\d+$/,
    /^\d+$/m,
    /^\d+$|^admin$/,
    /^(?:\d+|x)$/,
    /^[\w ]+$/,
    /^[\w']+$/,
    /^[\w\s]+$/,
    /^[^']+$/,
    /^.+$/,
    /^[A-z]+$/, // the range holds [ \ ] ^ ` too
    /^[\w-]+$/, // `1--` starts a comment
    /^\w+-?-?\w+$/,
    /^\w-*$/,
    /^\d(?:-\d?)+$/,
    /^\d+\$/,
    /^(?=\d)\w+$/,
    /^[\w.]+$/,
  ]) {
    assert.ok(!safe(pattern), String(pattern));
  }
});
