// The call expressions and string literals of a subtree, found by one walk: DB calls
// and SQL sinks read the calls (dbFacts.ts), literal judgements such as secrets read
// the literals (strings.ts). Walking a tree costs about as much as what each of them
// does with the nodes, so they share the walk instead of each making its own.
//
// A large function is walked on its own and stands in its parent's lists as one entry:
// its lists are kept by node across edits (subtreeMemo.ts), so a keystroke walks the
// function it lands in, not the file. A scan keeps nothing across versions, but both
// readers ask for the same file's lists one after the other: the last file's are kept
// until another file's are asked for.
import { ts } from '../ts';
import { keepingFactsAcrossEdits } from './editCaching';
import { MEMO_MIN_LENGTH, subtreeMemo } from './subtreeMemo';

export type StringLiteralNode = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;

/** A function (or class static block) big enough to have lists of its own. */
export type LargeFunction = ts.SignatureDeclaration | ts.ClassStaticBlockDeclaration;

/** What one walk of a subtree found, in source order (pre-order), each large function inside as one entry. */
export interface SubtreeNodes {
  readonly calls: readonly (ts.CallExpression | LargeFunction)[];
  /** Literals in code, not in types (a large function inside a type is left out too), module specifiers of import and export declarations, or `import x = require('…')`. */
  readonly literals: readonly (StringLiteralNode | LargeFunction)[];
}

/** The nodes at and under a top-level statement (which is itself one entry when it is a large function). */
export function statementNodes(statement: ts.Node): SubtreeNodes {
  return keepingFactsAcrossEdits() ? keptStatementNodes(statement) : scanMemo(statement, 'statement', walkStatement);
}

/** The nodes inside a large function, its own node excluded. */
export function functionNodes(fn: LargeFunction): SubtreeNodes {
  return keepingFactsAcrossEdits() ? keptFunctionNodes(fn) : scanMemo(fn, 'function', walkFunction);
}

/** The nodes at and under any node, found afresh. */
export function nodesAt(root: ts.Node): SubtreeNodes {
  const found = emptyLists();
  visitor(found)(root);
  return found;
}

const walkStatement = (statement: ts.Node): SubtreeNodes => nodesAt(statement);

const walkFunction = (fn: ts.Node): SubtreeNodes => {
  const found = emptyLists();
  ts.forEachChild(fn, visitor(found));
  return found;
};

const keptStatementNodes = subtreeMemo(walkStatement);
const keptFunctionNodes = subtreeMemo(walkFunction);

interface Lists {
  calls: (ts.CallExpression | LargeFunction)[];
  literals: (StringLiteralNode | LargeFunction)[];
}

function emptyLists(): Lists {
  return { calls: [], literals: [] };
}

// Read once: `ts` is the bundled compiler's exports object, each of whose properties is
// a getter, and in this walk V8 left the getters uninlined (a quarter of the walk's
// own time went to `ts.SyntaxKind` alone).
const { forEachChild, isTypeNode, isFunctionLike, isClassStaticBlockDeclaration } = ts;
const STRING_LITERAL = ts.SyntaxKind.StringLiteral;
const PLAIN_TEMPLATE = ts.SyntaxKind.NoSubstitutionTemplateLiteral;
const TEMPLATE = ts.SyntaxKind.TemplateExpression;
const CALL = ts.SyntaxKind.CallExpression;
const HERITAGE = ts.SyntaxKind.ExpressionWithTypeArguments;
const IMPORT = ts.SyntaxKind.ImportDeclaration;
const EXPORT = ts.SyntaxKind.ExportDeclaration;
const REQUIRE = ts.SyntaxKind.ExternalModuleReference;

function isLargeFunctionNode(node: ts.Node): node is LargeFunction {
  return node.end - node.pos >= MEMO_MIN_LENGTH && (isFunctionLike(node) || isClassStaticBlockDeclaration(node));
}

/**
 * A walk adding to `found`: two closures per walk, not one per node. Each node is
 * looked at by one switch on its kind, and its size before its kind for functions (most
 * nodes are small): trees have millions of nodes, and this walk is most of the cost of
 * finding the calls and literals.
 */
function visitor(found: Lists): (node: ts.Node) => void {
  // Inside types and import/export declarations: calls only.
  const outsideCode = (node: ts.Node): void => {
    if (node.kind === CALL) found.calls.push(node as ts.CallExpression);
    else if (isLargeFunctionNode(node)) {
      found.calls.push(node);
      return;
    }
    forEachChild(node, outsideCode);
  };
  const inCode = (node: ts.Node): void => {
    switch (node.kind) {
      case STRING_LITERAL:
      case PLAIN_TEMPLATE:
        found.literals.push(node as ts.StringLiteral | ts.NoSubstitutionTemplateLiteral);
        return; // no children
      case TEMPLATE:
        found.literals.push(node as ts.TemplateExpression); // its spans may hold more
        break;
      case CALL:
        found.calls.push(node as ts.CallExpression);
        break;
      case HERITAGE: // `extends mixin(Base)`: code
        break;
      case IMPORT:
      case EXPORT:
      case REQUIRE:
        outsideCode(node);
        return;
      default:
        if (isTypeNode(node)) {
          outsideCode(node);
          return;
        }
        if (isLargeFunctionNode(node)) {
          found.calls.push(node);
          found.literals.push(node);
          return;
        }
    }
    forEachChild(node, inCode);
  };
  return inCode;
}

/** A scan's lists of one file, by walk (a function declaration is a statement too, with other lists). */
interface ScanLists {
  file: ts.SourceFile;
  statement: Map<ts.Node, SubtreeNodes>;
  function: Map<ts.Node, SubtreeNodes>;
}

/**
 * A scan analyzes one file at a time, and both readers ask for its lists while it is
 * analyzed: the last file's lists are kept, in objects made new for each file. Measured
 * alternatives on the bench workspace: a WeakMap by file, or long-lived maps cleared
 * per file, made young-generation collections promote every file's tree (725 MB
 * promoted instead of ~370 MB, peak RSS ~700 MB instead of ~430 MB); a property on the
 * tree cost ~45 us per file to add.
 */
let scanLists: ScanLists | undefined;

function scanMemo(node: ts.Node, kind: 'statement' | 'function', walk: (node: ts.Node) => SubtreeNodes): SubtreeNodes {
  const file = node.getSourceFile();
  if (scanLists?.file !== file) scanLists = { file, statement: new Map(), function: new Map() };
  const memo = scanLists[kind];
  let lists = memo.get(node);
  if (!lists) {
    lists = walk(node);
    memo.set(node, lists);
  }
  return lists;
}
