// Which packages a file imports, and under which local names: the cheapest
// evidence of which database driver or SDK a call belongs to.
import { ts } from '../ts';

export interface ImportFacts {
  /** Package names (`pg`, `mysql2`, `@prisma/client`, …) imported or required anywhere in the file. */
  readonly packages: ReadonlySet<string>;
  /** Local binding name -> package it came from. */
  readonly bindings: ReadonlyMap<string, string>;
  /** Local name -> the name the package exports it under, for named imports (`import { sql as dsql }`: dsql -> sql). */
  readonly importedNames: ReadonlyMap<string, string>;
  /** Whether the file (or a function in it) opts into server actions with `'use server'`. */
  readonly useServerFile: boolean;
}

/** `mysql2/promise` -> `mysql2`, `@scope/pkg/sub` -> `@scope/pkg`. Relative specifiers stay as they are. */
export function packageName(specifier: string): string {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function collectImports(sourceFile: ts.SourceFile): ImportFacts {
  const packages = new Set<string>();
  const bindings = new Map<string, string>();
  const importedNames = new Map<string, string>();

  const bindName = (name: ts.BindingName | undefined, pkg: string): void => {
    if (!name) return;
    if (ts.isIdentifier(name)) bindings.set(name.text, pkg);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindName(element.name, pkg);
  };

  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const pkg = packageName(statement.moduleSpecifier.text);
      packages.add(pkg);
      const clause = statement.importClause;
      if (clause?.name) bindings.set(clause.name.text, pkg);
      const named = clause?.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, pkg);
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) {
          bindings.set(element.name.text, pkg);
          importedNames.set(element.name.text, element.propertyName?.text ?? element.name.text);
        }
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const expr = statement.moduleReference.expression;
      if (ts.isStringLiteral(expr)) {
        const pkg = packageName(expr.text);
        packages.add(pkg);
        bindings.set(statement.name.text, pkg);
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const pkg = requiredPackage(declaration.initializer);
        if (pkg) {
          packages.add(pkg);
          bindName(declaration.name, pkg);
        }
      }
    }
  }
  return { packages, bindings, importedNames, useServerFile: hasUseServerDirective(sourceFile.statements) };
}

/** `require('pg')`, `require('pg').Pool`, `await import('pg')`. */
function requiredPackage(expr: ts.Expression | undefined): string | undefined {
  let current = expr;
  while (current && (ts.isPropertyAccessExpression(current) || ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current))) {
    current = current.expression;
  }
  if (current && ts.isCallExpression(current)) {
    const isRequire = ts.isIdentifier(current.expression) && current.expression.text === 'require';
    const isDynamicImport = current.expression.kind === ts.SyntaxKind.ImportKeyword;
    const arg = current.arguments[0];
    if ((isRequire || isDynamicImport) && arg && ts.isStringLiteralLike(arg)) return packageName(arg.text);
  }
  return undefined;
}

/** `'use server'` as the first statement(s) of a file or function body. */
export function hasUseServerDirective(statements: ts.NodeArray<ts.Statement>): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === 'use server') return true;
  }
  return false;
}
