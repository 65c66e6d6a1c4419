// The call expressions under a node, in source order, with each large function's
// list kept by node: an incremental reparse keeps the functions an edit did not touch
// as the same node objects, so a keystroke walks only the edited function again.
// The walk itself is shared with the string literals (subtreeNodes.ts).
import { ts } from '../ts';
import { functionNodes, type LargeFunction, nodesAt, type SubtreeNodes } from './subtreeNodes';
import { subtreeMemo } from './subtreeMemo';

/** Appends the calls at and under `root` (pre-order: a call before the calls inside it). */
export function gatherCalls(root: ts.Node, into: ts.CallExpression[]): void {
  flattenCalls(nodesAt(root).calls, into);
}

/** The calls inside a function (its own node excluded), kept across edits elsewhere in the file. */
export const callsOfFunction = subtreeMemo((fn: LargeFunction): readonly ts.CallExpression[] => {
  const calls: ts.CallExpression[] = [];
  flattenCalls(functionNodes(fn).calls, calls);
  return calls;
});

/** A walk's calls with each large function's own calls in its place. */
export function flattenCalls(entries: SubtreeNodes['calls'], into: ts.CallExpression[]): void {
  for (const entry of entries) {
    if (ts.isCallExpression(entry)) into.push(entry);
    else for (const call of callsOfFunction(entry)) into.push(call);
  }
}
