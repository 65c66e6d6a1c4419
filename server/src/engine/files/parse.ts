// Parsing code files into raw TypeScript syntax trees. ts-morph ships the compiler;
// hot paths use its raw `ts` nodes directly (ts-morph wrappers cost ~6× per node walked).
import { ts } from '../ts';
import type { FileKind } from '../types';
import { type TextChange, changedSpan } from './text';

const SCRIPT_KIND: Partial<Record<FileKind, ts.ScriptKind>> = {
  ts: ts.ScriptKind.TS,
  tsx: ts.ScriptKind.TSX,
  js: ts.ScriptKind.JS,
  jsx: ts.ScriptKind.JSX,
};

// No rule reads JSDoc, and skipping it is the parser's cheapest option (the mode is kept by
// incremental reparses, which read it off the old tree).
const PARSE_OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

export function parseCode(path: string, text: string, kind: FileKind): ts.SourceFile {
  const sourceFile = ts.createSourceFile(path, text, PARSE_OPTIONS, /* setParentNodes */ false, SCRIPT_KIND[kind] ?? ts.ScriptKind.TS);
  setParents(sourceFile);
  return sourceFile;
}

// The parser's own parent pass (setParentNodes) goes through a generic work queue that
// also visits JSDoc, which is never parsed here: it cost a third of a parse on the
// benchmark, this loop a tenth. It sets the same parent on every node forEachChild
// reaches, which is every node a JSDoc-free tree has. A loop, not a recursion: the
// parser builds `1 + 1 + ... + 1` iteratively into a tree as deep as it is long.
const pending: ts.Node[] = [];
const pendingDepths: number[] = [];
let parentOfPushed: ts.Node | undefined;
let depthOfPushed = 0;

/**
 * Nesting beyond which a tree is refused: the rules' recursive walks overflow the stack
 * a little past 1,500 levels (a 2,000-term string concatenation did), and no
 * hand-written code comes near. Refused with a RangeError, like the parser's own overflow.
 */
export const MAX_TREE_DEPTH = 1_000;

function setParents(sourceFile: ts.SourceFile): void {
  pending.length = 0;
  pendingDepths.length = 0;
  pending.push(sourceFile);
  pendingDepths.push(0);
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    parentOfPushed = node;
    depthOfPushed = (pendingDepths.pop() ?? 0) + 1;
    if (depthOfPushed > MAX_TREE_DEPTH) {
      pending.length = 0;
      pendingDepths.length = 0;
      throw new RangeError(`syntax tree deeper than ${MAX_TREE_DEPTH} levels`);
    }
    ts.forEachChild(node, adoptAndPush);
  }
  parentOfPushed = undefined;
}

function adoptAndPush(child: ts.Node): void {
  (child as { parent: ts.Node | undefined }).parent = parentOfPushed;
  pending.push(child);
  pendingDepths.push(depthOfPushed);
}

/**
 * Reparses after an edit, reusing the unchanged parts of the old tree. The change
 * range comes from the common prefix and suffix, so callers need not track edits.
 */
export function reparseCode(previous: ts.SourceFile, text: string, change: TextChange = changedSpan(previous.text, text)): ts.SourceFile {
  if (previous.text === text) return previous;
  const span = ts.createTextSpan(change.start, change.oldEnd - change.start);
  return ts.updateSourceFile(previous, text, ts.createTextChangeRange(span, change.oldEnd + change.delta - change.start));
}

/** Syntax errors the parser recovered from. Not in the public typings, but stable across TypeScript versions. */
export function syntaxErrors(sourceFile: ts.SourceFile): readonly ts.Diagnostic[] {
  return (sourceFile as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
}
