// The call expressions under a node, in source order, with each large function's
// list kept by node: an incremental reparse keeps the functions an edit did not touch
// as the same node objects, so a keystroke walks only the edited function again.
import { ts } from '../ts';
import { MEMO_MIN_LENGTH, subtreeMemo } from './subtreeMemo';

/** Appends the calls at and under `root` (pre-order: a call before the calls inside it). */
export function gatherCalls(root: ts.Node, into: ts.CallExpression[]): void {
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && node.end - node.pos >= MEMO_MIN_LENGTH) {
      for (const call of callsOfFunction(node)) into.push(call);
      return;
    }
    if (ts.isCallExpression(node)) into.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
}

/** The calls inside a function (its own node excluded), kept across edits elsewhere in the file. */
export const callsOfFunction = subtreeMemo((fn: ts.Node): readonly ts.CallExpression[] => {
  const calls: ts.CallExpression[] = [];
  ts.forEachChild(fn, (child) => gatherCalls(child, calls));
  return calls;
});
