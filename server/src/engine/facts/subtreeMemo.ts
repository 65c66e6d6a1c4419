// Facts that depend on one subtree alone, cached by its node. An incremental reparse
// keeps every subtree an edit did not touch as the same node object (positions
// shifted), so on a keystroke only the function being edited is looked at again.
// Only for facts that read nothing outside the node: no parents, no other files.
// A one-shot scan keeps nothing (editCaching.ts).
import type { ts } from 'ts-morph';
import { keepingFactsAcrossEdits } from './editCaching';

/**
 * The size (in characters) from which a function's walk is worth a cache entry: a
 * route handler is typically 300–2,000 characters; below this, walking on is cheaper
 * than a separate list, and a cold scan of thousands of files never asks twice.
 */
export const MEMO_MIN_LENGTH = 200;

export function subtreeMemo<N extends ts.Node, T>(compute: (node: N) => T): (node: N) => T {
  const cache = new WeakMap<N, { value: T }>();
  return (node) => {
    if (!keepingFactsAcrossEdits()) return compute(node);
    const cached = cache.get(node);
    if (cached) return cached.value;
    const value = compute(node);
    cache.set(node, { value });
    return value;
  };
}
