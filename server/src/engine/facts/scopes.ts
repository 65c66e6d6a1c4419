// Name resolution without a type checker: which declaration an identifier refers
// to, and every value later assigned to it. Scopes are function-level (block-scoped
// names are hoisted to their function), which is exact for the code rules look at
// and conservative elsewhere: several same-named bindings in one function are all kept.
import { ts } from '../ts';
import { subtreeMemo } from './subtreeMemo';
import { topLevelNames } from './topLevelNames';

export type BindingKind = 'variable' | 'parameter' | 'function' | 'import' | 'class';

export interface Binding {
  kind: BindingKind;
  name: string;
  /** The declaring identifier. */
  identifier: ts.Identifier;
  /** VariableDeclaration, ParameterDeclaration, FunctionDeclaration, … */
  declaration: ts.Node;
  /** The function (or file) the name is visible in. */
  scope: ScopeNode;
  /** For variables and defaulted parameters: the whole initializer (for destructuring, the destructured value). */
  initializer?: ts.Expression;
  /** Whether the name was bound by destructuring (`const { id } = …`). */
  destructured: boolean;
  /** `const` declarations. */
  isConst: boolean;
  /** Right-hand sides of later `name = …` / `name += …` assignments. */
  readonly assignments: readonly ts.Expression[];
  /** Values stored into it in place later: `name.push(x)`, `name[i] = x`, `name.key = x`. */
  readonly stores: readonly ts.Expression[];
}

/** Never assigned to, nor written into in place, after its declaration: it holds its initial value throughout. */
export function keepsItsValue(binding: Binding): boolean {
  return binding.assignments.length === 0 && binding.stores.length === 0;
}

export type ScopeNode = ts.SourceFile | ts.FunctionLikeDeclaration | ts.ClassStaticBlockDeclaration;

// Read once for the per-node tests below (scope collection visits every node of each
// function asked about): `ts` is the bundle's exports object, every property a getter,
// and V8 left those getters uninlined here (~0.5 s of a cold scan's profile).
const { forEachChild, isFunctionLike, getCombinedNodeFlags, isIdentifier, isOmittedExpression, isForOfStatement, isForInStatement } = ts;
const Kind = ts.SyntaxKind;

export function isScopeNode(node: ts.Node): node is ScopeNode {
  const kind = node.kind;
  return kind === Kind.SourceFile || kind === Kind.ClassStaticBlockDeclaration || isFunctionLike(node);
}

type BindingFields = Omit<Binding, 'assignments' | 'stores' | 'scope'>;

/** A binding whose assignment sites are found the first time someone asks for them. */
class LazyBinding implements Binding {
  kind: BindingKind;
  name: string;
  identifier: ts.Identifier;
  declaration: ts.Node;
  initializer?: ts.Expression;
  destructured: boolean;
  isConst: boolean;
  readonly assignmentList: ts.Expression[] = [];
  readonly storeList: ts.Expression[] = [];

  constructor(
    fields: BindingFields,
    readonly scope: ScopeNode,
  ) {
    this.kind = fields.kind;
    this.name = fields.name;
    this.identifier = fields.identifier;
    this.declaration = fields.declaration;
    this.initializer = fields.initializer;
    this.destructured = fields.destructured;
    this.isConst = fields.isConst;
  }

  // The shortcuts below matter for file-level constants (`const TABLE = 'orders'`):
  // their scope is the whole file, re-read on every edit, and neither question needs it.

  get assignments(): readonly ts.Expression[] {
    if (this.isConst) return this.assignmentList; // assigning a const throws before it takes effect
    collectAssignments(this.scope);
    return this.assignmentList;
  }

  get stores(): readonly ts.Expression[] {
    if (this.isConst && this.initializer && isPrimitiveLiteral(this.initializer)) return this.storeList; // a string or number holds no properties
    collectAssignments(this.scope);
    return this.storeList;
  }
}

// What a scope declares, and where its bindings are assigned, depends only on the
// scope's own subtree. An incremental reparse keeps every function the edit did not
// touch as the same node object, so keying by node reuses the work across versions:
// an edit re-collects only the function it lands in (and the file's top level).
const DECLARATIONS = new WeakMap<ScopeNode, Declared>();
const ASSIGNMENTS_COLLECTED = new WeakSet<ScopeNode>();
const REFERENCES = new WeakMap<Binding, ts.Identifier[]>();

/**
 * Function-level name resolution for one file. Scopes are collected lazily, one
 * function at a time: a lookup collects only the scopes it walks through, and a
 * binding's assignments walk only the function that declares it. Holds no state of
 * its own (the caches above are per node), so any number of facts can share a file's.
 */
export class Scopes {
  /**
   * Every identifier that reads or writes the binding, its declaring name excluded
   * (`{ sql }` shorthand counts; `obj.sql` and `{ sql: 1 }` do not). Only the declaring
   * function can hold references, so only it is walked, once per binding.
   */
  references(binding: Binding): readonly ts.Identifier[] {
    const cached = REFERENCES.get(binding);
    if (cached) return cached;
    const found: ts.Identifier[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        if (node.text !== binding.name || !isReference(node)) return;
        const bindings = this.resolveAll(node);
        // A same-named declaration in the same function is a declaration, not a use.
        if (bindings.includes(binding) && !bindings.some((candidate) => candidate.identifier === node)) found.push(node);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(binding.scope);
    REFERENCES.set(binding, found);
    return found;
  }

  /** The nearest binding of `identifier`'s name visible from it, or undefined for globals. */
  resolve(identifier: ts.Identifier): Binding | undefined {
    return this.resolveAll(identifier)[0];
  }

  /** Every binding of that name in the nearest scope that declares it. */
  resolveAll(identifier: ts.Identifier): readonly Binding[] {
    return lookupBindings(identifier, identifier.text);
  }

  /** The binding `identifier` names when its scope declares the name once (`var x; var x;` or a redeclared parameter give none). */
  resolveOnly(identifier: ts.Identifier): Binding | undefined {
    const bindings = this.resolveAll(identifier);
    return bindings.length === 1 ? bindings[0] : undefined;
  }

  lookup(from: ts.Node, name: string): readonly Binding[] {
    return lookupBindings(from, name);
  }
}

function lookupBindings(from: ts.Node, name: string): readonly LazyBinding[] {
  for (let node: ts.Node | undefined = from; node; node = node.parent) {
    if (!isScopeNode(node)) continue;
    const found = declarationsOf(node).get(name);
    if (found && found.length > 0) return found;
  }
  return [];
}

/** The bindings a scope declares, by name. */
interface Declared {
  get(name: string): LazyBinding[] | undefined;
  has(name: string): boolean;
  readonly size: number;
}

/** The names a scope itself declares: its parameters, and what its body declares outside nested functions. */
function declarationsOf(scope: ScopeNode): Declared {
  const known = DECLARATIONS.get(scope);
  if (known) return known;
  if (ts.isSourceFile(scope)) {
    const names = new FileDeclarations(scope, fileNames(scope));
    DECLARATIONS.set(scope, names);
    return names;
  }
  const declared = new Map<string, LazyBinding[]>();
  DECLARATIONS.set(scope, declared);
  ts.forEachChild(scope, (node) =>
    collectDeclarations(node, (fields) => {
      const binding = new LazyBinding(fields, scope);
      const list = declared.get(fields.name);
      if (list) list.push(binding);
      else declared.set(fields.name, [binding]);
    }),
  );
  return declared;
}

/**
 * A file's top-level bindings in one version. The bindings are made per version (they
 * collect that version's assignments) but only for the names asked for: an edit asks
 * for a handful of the hundreds a large module declares. The names come from
 * `fileNames`, derived from the previous version's by the statements that changed.
 */
class FileDeclarations implements Declared {
  private readonly bindings = new Map<string, LazyBinding[]>();

  constructor(
    private readonly scope: ts.SourceFile,
    private readonly fields: ReadonlyMap<string, readonly BindingFields[]>,
  ) {}

  get size(): number {
    return this.fields.size;
  }

  has(name: string): boolean {
    return this.fields.has(name);
  }

  get(name: string): LazyBinding[] | undefined {
    const made = this.bindings.get(name);
    if (made) return made;
    const fields = this.fields.get(name);
    if (!fields) return undefined;
    const list = fields.map((declared) => new LazyBinding(declared, this.scope));
    this.bindings.set(name, list);
    return list;
  }
}

/** The names `root` and what it holds declare, nested functions' parameters and bodies left to them. */
function collectDeclarations(root: ts.Node, declare: (fields: BindingFields) => void): void {
  const visit = (node: ts.Node): void => {
    declareNode(node, declare);
    // A nested function's own name belongs here (declared above); its parameters and body to it.
    if (!isScopeNode(node)) forEachChild(node, visit);
  };
  visit(root);
}

/**
 * What one top-level statement declares, kept by its node: the file is a new scope node
 * on every version, but an edit leaves every other statement the same node, so the
 * file's names are gathered from the statements' lists instead of a walk of the whole
 * top level. (The bindings themselves are made per version: they collect the file's
 * assignments.)
 */
const statementDeclarations = subtreeMemo((statement: ts.Statement): BindingFields[] => {
  const fields: BindingFields[] = [];
  collectDeclarations(statement, (declared) => fields.push(declared));
  return fields;
});

/** A file's top-level names by name, each version's derived from the last (topLevelNames.ts). */
const fileNames = topLevelNames(statementDeclarations);

/** A place a value is written into a name: `name = v` (an assignment) or `name.push(v)`, `name[k] = v` (a store). */
interface WriteSite {
  target: ts.Identifier;
  values: readonly ts.Expression[];
  store: boolean;
}

/** The writes a scope holds outside its nested functions, and those functions. */
interface ScopeWrites {
  sites: WriteSite[];
  nested: ScopeNode[];
}

const WRITES = new WeakMap<ScopeNode, ScopeWrites>();

function writesOf(scope: ScopeNode): ScopeWrites {
  const cached = WRITES.get(scope);
  if (cached) return cached;
  const writes: ScopeWrites = { sites: [], nested: [] };
  ts.forEachChild(scope, writesVisitor(writes));
  WRITES.set(scope, writes);
  return writes;
}

/** A walk that adds to `writes` the writes in a node outside nested functions, and those functions. */
function writesVisitor(writes: ScopeWrites): (node: ts.Node) => void {
  const visit = (node: ts.Node): void => {
    if (isScopeNode(node)) {
      writes.nested.push(node);
      return;
    }
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      if (ts.isIdentifier(node.left)) writes.sites.push({ target: node.left, values: [node.right], store: false });
      else {
        const root = storageRoot(node.left);
        if (root) writes.sites.push({ target: root, values: [node.right], store: true });
      }
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && STORING_METHODS.has(node.expression.name.text)) {
      const target = node.expression.expression;
      const root = ts.isIdentifier(target) ? target : storageRoot(target);
      const skip = node.expression.name.text === 'splice' ? 2 : 0; // splice(start, deleteCount, ...items)
      if (root) writes.sites.push({ target: root, values: node.arguments.slice(skip), store: true });
    }
    ts.forEachChild(node, visit);
  };
  return visit;
}

/**
 * Fills in the assignments and stores of every binding `scope` declares: they can sit
 * anywhere inside it, nested functions included. Each function's writes are cached by
 * node, so for the file scope an edit costs one pass over the cached lists.
 */
function collectAssignments(scope: ScopeNode): void {
  if (ASSIGNMENTS_COLLECTED.has(scope)) return;
  ASSIGNMENTS_COLLECTED.add(scope);
  const names = declarationsOf(scope);
  if (names.size === 0) return;
  const written = new Set<LazyBinding>();
  const write = (site: WriteSite, bindings: readonly LazyBinding[]): void => {
    for (const binding of bindings) {
      (site.store ? binding.storeList : binding.assignmentList).push(...site.values);
      written.add(binding);
    }
  };
  if (ts.isSourceFile(scope)) {
    for (const statement of scope.statements) {
      for (const site of outwardWrites(statement)) {
        const bindings = names.get(site.target.text);
        if (bindings) write(site, bindings);
      }
    }
  } else {
    const pending: ScopeNode[] = [scope];
    for (let current = pending.pop(); current; current = pending.pop()) {
      const writes = writesOf(current);
      for (const site of writes.sites) {
        if (!names.has(site.target.text)) continue;
        const bindings = lookupBindings(site.target, site.target.text);
        if (bindings[0]?.scope === scope) write(site, bindings); // else shadowed by a nearer declaration
      }
      pending.push(...writes.nested);
    }
  }
  // Source order: `sql += …` parts are spliced back together in the order they are written.
  for (const binding of written) {
    binding.assignmentList.sort(bySourceOrder);
    binding.storeList.sort(bySourceOrder);
  }
}

/**
 * The writes of a top-level statement (nested functions included) that land in
 * file-level (or global) names: none of its functions declares them. Kept by statement
 * node, so the file's assignments cost one pass over its statements after an edit,
 * whose statement alone is walked again.
 */
const outwardWrites = subtreeMemo((statement: ts.Statement): WriteSite[] => {
  const own: ScopeWrites = { sites: [], nested: [] };
  writesVisitor(own)(statement);
  const outward = own.sites; // outside every function of the statement: nothing nearer can declare their names
  const pending = own.nested;
  for (let current = pending.pop(); current; current = pending.pop()) {
    const writes = writesOf(current);
    for (const site of writes.sites) if (!declaredInsideFile(site.target)) outward.push(site);
    pending.push(...writes.nested);
  }
  return outward;
});

/** Whether a function around `identifier` declares its name (it then does not name a file-level binding). */
function declaredInsideFile(identifier: ts.Identifier): boolean {
  for (let node = identifier.parent; node && !ts.isSourceFile(node); node = node.parent) {
    if (isScopeNode(node) && (declarationsOf(node).get(identifier.text)?.length ?? 0) > 0) return true;
  }
  return false;
}

/**
 * Whether `fn` (its nested functions included) assigns or stores into a name declared
 * outside it. Without such writes, what `fn`'s body holds can change nothing that code
 * outside it reads through names: facts of other functions survive an edit inside it.
 */
export function writesOutside(fn: ScopeNode): boolean {
  const pending: ScopeNode[] = [fn];
  for (let current = pending.pop(); current; current = pending.pop()) {
    const writes = writesOf(current);
    for (const site of writes.sites) {
      for (const binding of lookupBindings(site.target, site.target.text)) if (!isWithin(binding.scope, fn)) return true;
    }
    pending.push(...writes.nested);
  }
  return false;
}

/** Whether `node` is `ancestor` or lies inside it. */
export function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

function bySourceOrder(a: ts.Node, b: ts.Node): number {
  return a.pos - b.pos;
}

/** Declares the names `node` itself introduces into the scope being collected (one switch: called for every node of a scope). */
function declareNode(node: ts.Node, declare: (fields: BindingFields) => void): void {
  switch (node.kind) {
    case Kind.VariableDeclaration: {
      const declaration = node as ts.VariableDeclaration;
      const isConst = (getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
      // `for (const row of rows)`: the loop variable takes its values from the iterated expression.
      const loop = declaration.parent?.parent;
      const initializer = declaration.initializer ?? (loop && (isForOfStatement(loop) || isForInStatement(loop)) ? loop.expression : undefined);
      bindName(declaration.name, 'variable', declaration, initializer, isConst, false, declare);
      return;
    }
    case Kind.Parameter: {
      const parameter = node as ts.ParameterDeclaration;
      bindName(parameter.name, 'parameter', parameter, parameter.initializer, false, false, declare);
      return;
    }
    case Kind.FunctionDeclaration:
    case Kind.ClassDeclaration: {
      const name = (node as ts.FunctionDeclaration | ts.ClassDeclaration).name;
      if (name) declare({ kind: node.kind === Kind.FunctionDeclaration ? 'function' : 'class', name: name.text, identifier: name, declaration: node, destructured: false, isConst: true });
      return;
    }
    case Kind.ImportClause:
    case Kind.ImportSpecifier:
    case Kind.NamespaceImport: {
      const name = (node as ts.ImportClause | ts.ImportSpecifier | ts.NamespaceImport).name;
      if (name) declare({ kind: 'import', name: name.text, identifier: name, declaration: node, destructured: false, isConst: true });
      return;
    }
  }
}

function bindName(
  name: ts.BindingName,
  kind: BindingKind,
  declaration: ts.Node,
  initializer: ts.Expression | undefined,
  isConst: boolean,
  destructured: boolean,
  declare: (fields: BindingFields) => void,
): void {
  if (isIdentifier(name)) {
    declare({ kind, name: name.text, identifier: name, declaration, initializer, isConst, destructured });
    return;
  }
  for (const element of name.elements) {
    if (isOmittedExpression(element)) continue;
    bindName(element.name, kind, declaration, initializer, isConst, true, declare);
  }
}

/** Whether an identifier names a value in scope, rather than a property, a label or a type member. */
function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (ts.isQualifiedName(parent)) return parent.left === identifier;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent)) return parent.name !== identifier;
  if (ts.isBindingElement(parent)) return parent.propertyName !== identifier;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return parent.propertyName !== identifier;
  return true;
}

function isPrimitiveLiteral(expr: ts.Expression): boolean {
  const inner = unwrap(expr);
  return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) || ts.isNumericLiteral(inner) || ts.isTemplateExpression(inner);
}

/** Array methods that put their arguments into the array. */
const STORING_METHODS = new Set(['push', 'unshift', 'splice']);

/** `a.b[c].d` -> `a`: the variable a property or element store lands in. */
function storageRoot(target: ts.Expression): ts.Identifier | undefined {
  let current = target;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current)) {
    current = current.expression;
  }
  return ts.isIdentifier(current) && current !== target ? current : undefined;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Strips wrappers that do not change a value: parentheses, `as`, `!`, `satisfies`, `<T>x`. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let current = expr;
  for (;;) {
    switch (current.kind) {
      case Kind.ParenthesizedExpression:
      case Kind.AsExpression:
      case Kind.NonNullExpression:
      case Kind.SatisfiesExpression:
      case Kind.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.SatisfiesExpression | ts.TypeAssertion).expression;
        break;
      default:
        return current;
    }
  }
}

/** The innermost function (or the file) containing a node. */
export function enclosingScope(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) if (isScopeNode(current)) return current;
  return node.getSourceFile();
}
