// Whether facts computed on an earlier version of a file still hold on the current one.
// An incremental reparse keeps every subtree an edit did not touch as the same node
// object, but a subtree's facts also read its surroundings: the names it resolves
// outside itself (file-level constants and their writes, imports, enclosing functions'
// variables) and the helpers it calls. Each version of a file gets a context token: an
// edit that stays inside one function's body, and that writes no name declared outside
// that function (before or after), keeps the previous version's token, since nothing
// outside the function can read what changed except through the function's own node.
// A fact is then reused when its node is still in the tree, the token is the same, the
// functions around it are the same nodes, and so is every node it read elsewhere.
import { ts } from '../ts';
import { reparseCode } from '../files/parse';
import { type TextChange, changedSpan } from '../files/text';
import { keepingFactsAcrossEdits } from './editCaching';
import { findNodeAt } from './modules';
import { isScopeNode, writesOutside } from './scopes';

const TOKENS = new WeakMap<ts.SourceFile, object>();

/** The context token of a tree: shared with the previous version when the edit between them was confined to one function body. */
export function contextToken(sourceFile: ts.SourceFile): object {
  let token = TOKENS.get(sourceFile);
  if (!token) TOKENS.set(sourceFile, (token = {}));
  return token;
}

/**
 * A fact of a file's top level outside function bodies and unbound literals (its imports,
 * say), computed once per context token: an edit that keeps the token cannot change it.
 * A one-shot scan keeps nothing (editCaching.ts).
 */
export function perContext<T>(compute: (sourceFile: ts.SourceFile) => T): (sourceFile: ts.SourceFile) => T {
  const values = new WeakMap<object, { value: T }>();
  return (sourceFile) => {
    if (!keepingFactsAcrossEdits()) return compute(sourceFile);
    const token = contextToken(sourceFile);
    const kept = values.get(token);
    if (kept) return kept.value;
    const value = compute(sourceFile);
    values.set(token, { value });
    return value;
  };
}

/** `reparseCode`, judging on the way whether the new tree keeps the old one's context token. `change`: where the texts differ, when the caller knows. */
export function reparseInContext(previous: ts.SourceFile, text: string, change: TextChange = changedSpan(previous.text, text)): ts.SourceFile {
  if (previous.text === text) return previous;
  const { start, oldEnd, delta } = change;
  // Judged on the old tree before the reparse rewrites its positions and parents.
  const edited = functionAround(previous, start, oldEnd);
  const span = edited && { start: edited.getStart(previous), end: edited.end, bodyStart: edited.body.getStart(previous), bodyEnd: edited.body.end };
  const keeps = edited !== undefined && !writesOutside(edited);
  const literal = edited ? undefined : unboundLiteralAround(previous, start, oldEnd);
  const next = reparseCode(previous, text, change);
  if (keeps && span) {
    const counterpart = findNodeAt(next, span.start, span.end + delta, isFunctionWithBlock);
    if (counterpart && counterpart.body.getStart(next) === span.bodyStart && counterpart.body.end === span.bodyEnd + delta && !writesOutside(counterpart)) {
      TOKENS.set(next, contextToken(previous));
    }
  } else if (literal) {
    const counterpart = findNodeAt(next, literal.start, literal.end + delta, ts.isStringLiteral);
    if (counterpart && isUnboundArgument(counterpart)) TOKENS.set(next, contextToken(previous));
  }
  return next;
}

/**
 * A string literal outside any function that the edit stays inside (between the quotes),
 * passed straight to a call whose result nothing keeps: `router.get('/orders', …)`. No
 * name holds it, so no other code reads it through a name; what reads it directly (the
 * route graph, facts of the top level) is computed again on every version anyway.
 */
function unboundLiteralAround(root: ts.SourceFile, start: number, end: number): { start: number; end: number } | undefined {
  const found = innermostAround(root, start, end);
  if (!found || !ts.isStringLiteral(found) || !isUnboundArgument(found)) return undefined;
  const literalStart = found.getStart(root);
  return literalStart < start && end < found.end ? { start: literalStart, end: found.end } : undefined;
}

function isUnboundArgument(literal: ts.StringLiteral): boolean {
  const call = literal.parent;
  return call !== undefined && ts.isCallExpression(call) && call.arguments.includes(literal) && call.parent !== undefined && ts.isExpressionStatement(call.parent);
}

/** The innermost node containing [start, end). */
function innermostAround(root: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  return innermostAroundWhere(root, start, end, (_node): _node is ts.Node => true);
}

/** The innermost node containing [start, end) that passes `test`, found by descending only through nodes containing it. */
function innermostAroundWhere<T extends ts.Node>(root: ts.SourceFile, start: number, end: number, test: (node: ts.Node) => node is T): T | undefined {
  let found: T | undefined;
  const visit = (node: ts.Node): boolean => {
    if (node.pos > start) return true; // children are in source order: none further on contains the edit
    if (node.end < end) return false;
    if (test(node)) found = node;
    ts.forEachChild(node, visit);
    return true;
  };
  ts.forEachChild(root, visit);
  return found;
}

type FunctionWithBlock = ts.FunctionLikeDeclaration & { body: ts.Block };

function isFunctionWithBlock(node: ts.Node): node is FunctionWithBlock {
  return ts.isFunctionLike(node) && 'body' in node && node.body !== undefined && ts.isBlock(node.body as ts.Node);
}

/** The innermost function whose body's braces enclose [start, end) (the text between them, braces excluded). */
function functionAround(root: ts.SourceFile, start: number, end: number): FunctionWithBlock | undefined {
  return innermostAroundWhere(root, start, end, (node): node is FunctionWithBlock => isFunctionWithBlock(node) && node.body.getStart(root) < start && end < node.body.end);
}

/** Where a node stands: its tree, the tree's context token, and the functions around it, innermost first. */
interface Stamp {
  root: ts.SourceFile;
  token: object;
  scopes: ts.Node[];
}

function stampOf(node: ts.Node): Stamp | undefined {
  const scopes: ts.Node[] = [];
  let current = node;
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (isScopeNode(parent) && !ts.isSourceFile(parent)) scopes.push(parent);
    current = parent;
  }
  return ts.isSourceFile(current) ? { root: current, token: contextToken(current), scopes } : undefined;
}

/**
 * The root of `node`'s tree when the functions around it are still `kept.scopes`, else
 * undefined; the token is left to the caller. `stampOf` compared without building a
 * stamp: every entry is checked on every version, hundreds per keystroke on a large file,
 * and the stamps were a fifth of what an edit allocated.
 */
function rootWhereStamped(node: ts.Node, kept: KeptStamp): ts.SourceFile | undefined {
  const { scopes } = kept;
  let index = 0;
  let current = node;
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (isScopeNode(parent) && !ts.isSourceFile(parent)) {
      if (scopes[index] !== parent) return undefined;
      index++;
    }
    current = parent;
  }
  return index === scopes.length && ts.isSourceFile(current) ? current : undefined;
}

/**
 * A stamp as kept in an entry: without its tree. An entry outlives the version that
 * wrote it (its key is a node the reparse keeps), so holding the tree would keep that
 * whole version alive, text and all.
 */
type KeptStamp = Omit<Stamp, 'root'>;

function keptStamp(stamp: Stamp): KeptStamp {
  return { token: stamp.token, scopes: stamp.scopes };
}

interface Entry<V> {
  stamp: KeptStamp;
  /** Nodes outside the key the value was read from (same-file helpers), each where it stood. */
  reads: { node: ts.Node; stamp: KeptStamp }[];
  value: V;
}

/**
 * Values computed from a node and its surroundings, kept across versions of the file
 * while they hold (see above). `reads`: other nodes of the same file the value was
 * read from; each must still be in the tree, unchanged and in the same surroundings.
 */
export class AcrossEdits<K extends ts.Node, V> {
  private readonly entries = new WeakMap<K, Entry<V>>();

  // Every get walks from the key and each read to the root. A quicker check on their
  // top-level statements alone (8d7b9f0) left entries that kept every edited version of
  // the file alive: ~1 MB per keystroke on a 10,000-line file (test/engine/editMemory.test.ts).
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const root = rootWhereStamped(key, entry.stamp);
    if (!root || contextToken(root) !== entry.stamp.token) return undefined;
    // A node the edit replaced still hangs from the old tree: it must be in this one.
    // (Its token needs no check: `set` took only reads of the key's tree, so of its token.)
    for (const read of entry.reads) if (rootWhereStamped(read.node, read.stamp) !== root) return undefined;
    return entry.value;
  }

  set(key: K, value: V, reads: readonly ts.Node[] = []): void {
    if (!keepingFactsAcrossEdits()) return;
    const stamp = stampOf(key);
    if (!stamp) return;
    const readStamps: Entry<V>['reads'] = [];
    for (const node of reads) {
      const read = stampOf(node);
      if (!read || read.root !== stamp.root) return; // another file's node: not this memo's to vouch for
      readStamps.push({ node, stamp: keptStamp(read) });
    }
    this.entries.set(key, { stamp: keptStamp(stamp), reads: readStamps, value });
  }
}
