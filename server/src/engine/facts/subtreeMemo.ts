// Facts that depend on one subtree alone, cached by its node. An incremental reparse
// keeps every subtree an edit did not touch as the same node object (positions
// shifted), so on a keystroke only the function being edited is looked at again.
// Only for facts that read nothing outside the node: no parents, no other files.
import type { ts } from 'ts-morph';

export function subtreeMemo<N extends ts.Node, T>(compute: (node: N) => T): (node: N) => T {
  const cache = new WeakMap<N, { value: T }>();
  return (node) => {
    const cached = cache.get(node);
    if (cached) return cached.value;
    const value = compute(node);
    cache.set(node, { value });
    return value;
  };
}
