// Name resolution without a type checker: which declaration an identifier refers
// to, and every value later assigned to it. Scopes are function-level (block-scoped
// names are hoisted to their function), which is exact for the code rules look at
// and conservative elsewhere: several same-named bindings in one function are all kept.
import { ts } from 'ts-morph';

export type BindingKind = 'variable' | 'parameter' | 'function' | 'import' | 'class';

export interface Binding {
  kind: BindingKind;
  name: string;
  /** The declaring identifier. */
  identifier: ts.Identifier;
  /** VariableDeclaration, ParameterDeclaration, FunctionDeclaration, … */
  declaration: ts.Node;
  /** For variables and defaulted parameters: the whole initializer (for destructuring, the destructured value). */
  initializer?: ts.Expression;
  /** Whether the name was bound by destructuring (`const { id } = …`). */
  destructured: boolean;
  /** `const` declarations. */
  isConst: boolean;
  /** Right-hand sides of later `name = …` / `name += …` assignments. */
  assignments: ts.Expression[];
  /** Values stored into it in place later: `name.push(x)`, `name[i] = x`, `name.key = x`. */
  stores: ts.Expression[];
}

type ScopeNode = ts.SourceFile | ts.FunctionLikeDeclaration | ts.ClassStaticBlockDeclaration;

export function isScopeNode(node: ts.Node): node is ScopeNode {
  return ts.isSourceFile(node) || ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node);
}

export class Scopes {
  private readonly scopes = new Map<ts.Node, Map<string, Binding[]>>();
  private referencesCache?: Map<Binding, ts.Identifier[]>;
  private collected = false;

  // Built on first lookup: most files never ask (no sink, no secret-like name), and
  // the two walks are a large share of a cold scan.
  constructor(private readonly sourceFile: ts.SourceFile) {}

  private ensureCollected(): void {
    if (this.collected) return;
    this.collected = true;
    this.collectDeclarations(this.sourceFile);
    this.collectAssignments(this.sourceFile);
  }

  /**
   * Every identifier that reads or writes the binding, its declaring name excluded
   * (`{ sql }` shorthand counts; `obj.sql` and `{ sql: 1 }` do not). Built on first
   * use with one walk of the file, so "is this variable used anywhere else?" is cheap.
   */
  references(binding: Binding): readonly ts.Identifier[] {
    if (!this.referencesCache) {
      const cache = new Map<Binding, ts.Identifier[]>();
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) && isReference(node)) {
          const bindings = this.resolveAll(node);
          if (!bindings.some((candidate) => candidate.identifier === node)) {
            for (const candidate of bindings) {
              const list = cache.get(candidate);
              if (list) list.push(node);
              else cache.set(candidate, [node]);
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(this.sourceFile);
      this.referencesCache = cache;
    }
    return this.referencesCache.get(binding) ?? [];
  }

  /** The nearest binding of `identifier`'s name visible from it, or undefined for globals. */
  resolve(identifier: ts.Identifier): Binding | undefined {
    return this.resolveAll(identifier)[0];
  }

  /** Every binding of that name in the nearest scope that declares it. */
  resolveAll(identifier: ts.Identifier): readonly Binding[] {
    return this.lookup(identifier, identifier.text);
  }

  lookup(from: ts.Node, name: string): readonly Binding[] {
    this.ensureCollected();
    for (let node: ts.Node | undefined = from; node; node = node.parent) {
      if (!isScopeNode(node)) continue;
      const found = this.scopes.get(node)?.get(name);
      if (found && found.length > 0) return found;
    }
    return [];
  }

  private declare(scope: ts.Node, binding: Binding): void {
    let names = this.scopes.get(scope);
    if (!names) this.scopes.set(scope, (names = new Map()));
    const list = names.get(binding.name);
    if (list) list.push(binding);
    else names.set(binding.name, [binding]);
  }

  private bindName(
    scope: ts.Node,
    name: ts.BindingName,
    kind: BindingKind,
    declaration: ts.Node,
    initializer: ts.Expression | undefined,
    isConst: boolean,
    destructured: boolean,
  ): void {
    if (ts.isIdentifier(name)) {
      this.declare(scope, { kind, name: name.text, identifier: name, declaration, initializer, isConst, destructured, assignments: [], stores: [] });
      return;
    }
    for (const element of name.elements) {
      if (ts.isOmittedExpression(element)) continue;
      this.bindName(scope, element.name, kind, declaration, initializer, isConst, true);
    }
  }

  private collectDeclarations(sourceFile: ts.SourceFile): void {
    const visit = (node: ts.Node, scope: ts.Node): void => {
      if (ts.isVariableDeclaration(node)) {
        const isConst = (ts.getCombinedNodeFlags(node) & ts.NodeFlags.Const) !== 0;
        // `for (const row of rows)`: the loop variable takes its values from the iterated expression.
        const loop = node.parent?.parent;
        const initializer =
          node.initializer ?? (loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) ? loop.expression : undefined);
        this.bindName(scope, node.name, 'variable', node, initializer, isConst, false);
      } else if (ts.isParameter(node)) {
        this.bindName(scope, node.name, 'parameter', node, node.initializer, false, false);
      } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
        this.declare(scope, {
          kind: ts.isFunctionDeclaration(node) ? 'function' : 'class',
          name: node.name.text,
          identifier: node.name,
          declaration: node,
          destructured: false,
          isConst: true,
          assignments: [],
          stores: [],
        });
      } else if (ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) {
        if (node.name) {
          this.declare(scope, { kind: 'import', name: node.name.text, identifier: node.name, declaration: node, destructured: false, isConst: true, assignments: [], stores: [] });
        }
      }
      const inner = isScopeNode(node) ? node : scope;
      // A function's own name belongs to the outer scope (handled above); its parameters and body to the inner one.
      ts.forEachChild(node, (child) => visit(child, inner));
    };
    visit(sourceFile, sourceFile);
  }

  private collectAssignments(sourceFile: ts.SourceFile): void {
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
        if (ts.isIdentifier(node.left)) {
          for (const binding of this.resolveAll(node.left)) binding.assignments.push(node.right);
        } else {
          const root = storageRoot(node.left);
          if (root) for (const binding of this.resolveAll(root)) binding.stores.push(node.right);
        }
      } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && STORING_METHODS.has(node.expression.name.text)) {
        const target = node.expression.expression;
        const root = ts.isIdentifier(target) ? target : storageRoot(target);
        const skip = node.expression.name.text === 'splice' ? 2 : 0; // splice(start, deleteCount, ...items)
        if (root) for (const binding of this.resolveAll(root)) binding.stores.push(...node.arguments.slice(skip));
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
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
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** The innermost function (or the file) containing a node. */
export function enclosingScope(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) if (isScopeNode(current)) return current;
  return node.getSourceFile();
}
