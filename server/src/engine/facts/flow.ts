// Simple intra-procedural data flow: does an expression carry request input
// (taint), and is it a compile-time constant? Through variables, destructuring,
// template literals, concatenation, method chains and later assignments.
import { ts } from '../ts';
import { LeastFixpoint, Question } from './fixpoint';
import { hasUseServerDirective } from './imports';
import {
  ESCAPING_METHODS,
  PASS_THROUGH_FUNCTIONS,
  REQUEST_INPUT_METHODS,
  REQUEST_INPUT_PROPERTIES,
  REQUEST_PARAMETER_NAMES,
  REQUEST_TYPE_NAMES,
  ROUTE_HANDLER_EXPORTS,
  SANITIZING_FUNCTIONS,
  SANITIZING_METHODS,
  SPLICING_FORMAT_RECEIVERS,
} from './requestInputModels';
import { isSafeRegexLiteral } from './safePatterns';
import { type Binding, Scopes, unwrap } from './scopes';
import { ZodSchemas } from './zodSchemas';

/** Array methods whose result is drawn from the receiver's elements (or undefined). */
const CONSTANT_PICKING_METHODS: ReadonlySet<string> = new Set(['find', 'findLast', 'at', 'filter', 'slice']);

export class DataFlow {
  readonly scopes: Scopes;
  /** Schemas declared in the file, for values they parsed. */
  readonly zod: ZodSchemas;
  /** Answers are least fixed points over cycles of assignments, so they do not depend on the order of asking (fixpoint.ts). */
  private readonly solver = new LeastFixpoint();
  private readonly taint = new Question((expr: ts.Expression) => this.computeTaint(unwrap(expr)));
  private readonly constant = new Question((expr: ts.Expression) => this.computeConstant(unwrap(expr)));
  private readonly safe = new Question((expr: ts.Expression) => this.computeInjectionSafe(unwrap(expr)));
  private readonly numeric = new Question((expr: ts.Expression) => this.computeNumeric(expr));

  constructor(
    readonly sourceFile: ts.SourceFile,
    /** The file is a Next.js app-router route handler or page, whose URL params are input. */
    private readonly routeFile: boolean,
    private readonly useServerFile: boolean,
  ) {
    this.scopes = new Scopes();
    this.zod = new ZodSchemas(this.scopes, (expr) => this.isConstant(expr));
  }

  /** Whether the value of `expr` can contain attacker-controlled request data. */
  isTainted(expr: ts.Expression): boolean {
    return this.solver.ask(this.taint, expr);
  }

  /** Whether `expr` is a compile-time constant, or chosen from constants (ternary, allow-list lookup). */
  isConstant(expr: ts.Expression): boolean {
    return this.solver.ask(this.constant, expr);
  }

  /**
   * Whether splicing `expr` into SQL or a shell cannot inject: a constant, a number,
   * or a value checked against an allow-list of constants before use (a guard, or a zod
   * schema in the file that only admits constants, numbers or UUIDs).
   */
  isInjectionSafe(expr: ts.Expression): boolean {
    return this.solver.ask(this.safe, expr);
  }

  /** Whether `expr` names the incoming request object (not its contents). */
  isRequestObject(expr: ts.Expression): boolean {
    const inner = unwrap(expr);
    if (ts.isPropertyAccessExpression(inner)) return REQUEST_PARAMETER_NAMES.has(inner.name.text); // Hono/Koa `c.req`
    if (!ts.isIdentifier(inner)) return false;
    const binding = this.scopes.resolve(inner);
    if (!binding) return false;
    if (binding.kind !== 'parameter' || binding.destructured) return false;
    return REQUEST_PARAMETER_NAMES.has(inner.text) || REQUEST_TYPE_NAMES.has(parameterTypeName(binding.declaration) ?? '');
  }

  private computeTaint(expr: ts.Expression): boolean {
    if (ts.isIdentifier(expr)) return this.scopes.resolveAll(expr).some((binding) => this.isBindingTainted(binding));
    if (ts.isPropertyAccessExpression(expr)) {
      if (this.isRequestObject(expr.expression) && REQUEST_INPUT_PROPERTIES.has(expr.name.text)) return true;
      return this.isTainted(expr.expression);
    }
    if (ts.isElementAccessExpression(expr)) {
      const key = expr.argumentExpression;
      if (this.isRequestObject(expr.expression) && ts.isStringLiteralLike(key) && REQUEST_INPUT_PROPERTIES.has(key.text)) return true;
      return this.isTainted(expr.expression);
    }
    if (ts.isCallExpression(expr)) return this.isCallTainted(expr);
    // new URL(request.url), new URLSearchParams(body): wrappers keep their input's content
    if (ts.isNewExpression(expr)) return (expr.arguments ?? []).some((arg) => this.isTainted(arg));
    if (ts.isTemplateExpression(expr)) return expr.templateSpans.some((span) => this.isTainted(span.expression));
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.CommaToken) {
        return this.isTainted(expr.left) || this.isTainted(expr.right);
      }
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) return this.isTainted(expr.right);
      if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) return this.isTainted(expr.right);
      return false; // comparisons and arithmetic yield booleans and numbers
    }
    if (ts.isConditionalExpression(expr)) return this.isTainted(expr.whenTrue) || this.isTainted(expr.whenFalse);
    if (ts.isAwaitExpression(expr) || ts.isSpreadElement(expr)) return this.isTainted(expr.expression);
    if (ts.isArrayLiteralExpression(expr)) return expr.elements.some((element) => this.isTainted(element));
    if (ts.isObjectLiteralExpression(expr)) {
      return expr.properties.some((property) => {
        if (ts.isPropertyAssignment(property)) return this.isTainted(property.initializer);
        if (ts.isShorthandPropertyAssignment(property)) return this.isTainted(property.name);
        if (ts.isSpreadAssignment(property)) return this.isTainted(property.expression);
        return false;
      });
    }
    return false;
  }

  private isCallTainted(call: ts.CallExpression): boolean {
    const callee = unwrap(call.expression);
    const argsTainted = (): boolean => call.arguments.some((arg) => this.isTainted(arg));
    if (ts.isIdentifier(callee)) {
      if (SANITIZING_FUNCTIONS.has(callee.text)) return false;
      return PASS_THROUGH_FUNCTIONS.has(callee.text) && argsTainted();
    }
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const method = callee.name.text;
    const receiver = callee.expression;
    if (this.isRequestObject(receiver) && REQUEST_INPUT_METHODS.has(method)) return true;
    if (SANITIZING_METHODS.has(method)) return false;
    if (method === 'format') return ts.isIdentifier(receiver) && SPLICING_FORMAT_RECEIVERS.has(receiver.text) && argsTainted();
    if (this.isTainted(receiver)) return true; // formData.get('x'), input.trim(), ids.join(',')
    return PASS_THROUGH_FUNCTIONS.has(method) && argsTainted(); // JSON.stringify(x), 'a'.concat(x)
  }

  private isBindingTainted(binding: Binding): boolean {
    if (binding.kind === 'parameter' && this.isInputParameter(binding)) return true;
    if (binding.initializer && this.isTainted(binding.initializer)) return true;
    return binding.assignments.some((value) => this.isTainted(value)) || binding.stores.some((value) => this.isTainted(value));
  }

  /** Parameters whose whole value is client data: server action arguments, route `params`/`searchParams`. */
  private isInputParameter(binding: Binding): boolean {
    const parameter = binding.declaration;
    if (!ts.isParameter(parameter)) return false;
    const fn = parameter.parent;
    if (!ts.isFunctionLike(fn)) return false;
    if (this.isServerAction(fn)) return true;
    const exportedName = exportedFunctionName(fn);
    const routeHandler = exportedName !== undefined && ROUTE_HANDLER_EXPORTS.has(exportedName);
    // Outside app/…/route.ts (re-exported handlers, tests), `export function GET(request: NextRequest, …)` still says it.
    if (routeHandler && (this.routeFile || REQUEST_TYPE_NAMES.has(parameterTypeName(fn.parameters[0] ?? parameter) ?? ''))) {
      return fn.parameters.indexOf(parameter) === 1;
    }
    if (!this.routeFile) return false;
    // app router pages and layouts: `({ params, searchParams })`
    return exportedName === 'default' && fn.parameters.indexOf(parameter) === 0;
  }

  private isServerAction(fn: ts.SignatureDeclaration): boolean {
    const body = 'body' in fn ? fn.body : undefined;
    if (body && ts.isBlock(body) && hasUseServerDirective(body.statements)) return true;
    return this.useServerFile && exportedFunctionName(fn) !== undefined;
  }

  /**
   * Constants, numbers, allow-listed names (a guard before the use, or a zod enum, literal,
   * number or UUID schema that parsed the value), deployment config, and anything built only from those.
   */
  private computeInjectionSafe(expr: ts.Expression): boolean {
    if (this.isConstant(expr) || this.isNumeric(expr) || isDeploymentConfig(expr)) return true;
    if (this.zod.isSafeParsedValue(expr)) return true;
    if (ts.isIdentifier(expr)) {
      if (this.isAllowListed(expr)) return true;
      return this.everyValueOf(expr, (value) => this.isInjectionSafe(value));
    }
    if (ts.isTemplateExpression(expr)) return expr.templateSpans.every((span) => this.isInjectionSafe(span.expression));
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      const joins = op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken;
      return joins && this.isInjectionSafe(expr.left) && this.isInjectionSafe(expr.right);
    }
    if (ts.isConditionalExpression(expr)) return this.isInjectionSafe(expr.whenTrue) && this.isInjectionSafe(expr.whenFalse);
    // connection.escape(name), client.escapeIdentifier(column): quoted by the driver
    if (ts.isCallExpression(expr)) {
      const callee = unwrap(expr.expression);
      return ts.isPropertyAccessExpression(callee) && ESCAPING_METHODS.has(callee.name.text);
    }
    return false;
  }

  private computeConstant(expr: ts.Expression): boolean {
    switch (expr.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NumericLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
      case ts.SyntaxKind.NullKeyword:
        return true;
    }
    if (ts.isTemplateExpression(expr)) return expr.templateSpans.every((span) => this.isInjectionSafe(span.expression));
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
        return this.isConstantOrSafe(expr.left) && this.isConstantOrSafe(expr.right);
      }
      return false;
    }
    if (ts.isConditionalExpression(expr)) return this.isConstantOrSafe(expr.whenTrue) && this.isConstantOrSafe(expr.whenFalse);
    if (ts.isArrayLiteralExpression(expr)) return expr.elements.every((element) => this.isConstant(element));
    if (ts.isObjectLiteralExpression(expr)) {
      return expr.properties.every((property) => ts.isPropertyAssignment(property) && this.isConstant(property.initializer));
    }
    if (ts.isNewExpression(expr)) {
      // new Set([...constants]) — the usual allow-list
      return ts.isIdentifier(expr.expression) && expr.expression.text === 'Set' && (expr.arguments ?? []).every((arg) => this.isConstant(arg));
    }
    if (ts.isIdentifier(expr)) {
      if (expr.text === 'undefined') return true;
      return this.everyValueOf(expr, (value) => this.isConstant(value));
    }
    // TABLES.users, SORT_COLUMNS[req.query.sort]: a pick from a constant table is one of its constants.
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) return this.isConstant(expr.expression);
    if (ts.isCallExpression(expr)) {
      const callee = unwrap(expr.expression);
      if (!ts.isPropertyAccessExpression(callee) || !this.isConstant(callee.expression)) return false;
      // [...constants].join(', ')
      if (callee.name.text === 'join') return expr.arguments.every((arg) => this.isConstant(arg));
      // SORTABLE.find((c) => c === requested): whatever the callback, the result is one of the constants
      return CONSTANT_PICKING_METHODS.has(callee.name.text);
    }
    return false;
  }

  /**
   * Whether every value a variable can hold (initializer, later assignments, values
   * stored into it) satisfies `test`. Parameters and destructured names never do.
   */
  private everyValueOf(identifier: ts.Identifier, test: (value: ts.Expression) => boolean): boolean {
    const bindings = this.scopes.resolveAll(identifier);
    return (
      bindings.length > 0 &&
      bindings.every(
        (binding) =>
          binding.kind === 'variable' &&
          !binding.destructured &&
          // `let column; switch (…) { case …: column = 'name' }`: no initializer, only later assignments
          (binding.initializer === undefined ? binding.assignments.length > 0 : test(binding.initializer)) &&
          binding.assignments.every(test) &&
          binding.stores.every(test),
      )
    );
  }

  private isConstantOrSafe(expr: ts.Expression): boolean {
    return this.isConstant(expr) || this.isNumeric(unwrap(expr)) || (ts.isIdentifier(unwrap(expr)) && this.isAllowListed(unwrap(expr) as ts.Identifier));
  }

  /** Numbers cannot carry SQL or shell syntax: `Number(x)`, `parseInt(x)`, `x.length`, `+x`, a `number` parameter. */
  private isNumeric(expr: ts.Expression): boolean {
    return this.solver.ask(this.numeric, expr);
  }

  private computeNumeric(expr: ts.Expression): boolean {
    if (ts.isNumericLiteral(expr)) return true;
    if (ts.isPrefixUnaryExpression(expr)) return expr.operator === ts.SyntaxKind.PlusToken || expr.operator === ts.SyntaxKind.MinusToken;
    if (ts.isCallExpression(expr)) {
      const callee = unwrap(expr.expression);
      if (ts.isIdentifier(callee)) return SANITIZING_FUNCTIONS.has(callee.text);
      return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Math';
    }
    if (ts.isPropertyAccessExpression(expr)) return expr.name.text === 'length';
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.AsteriskToken || op === ts.SyntaxKind.SlashToken || op === ts.SyntaxKind.PercentToken) return true;
      // `Number(req.query.page) || 1`, `a + b` of numbers
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.PlusToken) {
        return this.isNumeric(unwrap(expr.left)) && this.isNumeric(unwrap(expr.right));
      }
      return false;
    }
    if (ts.isConditionalExpression(expr)) return this.isNumeric(unwrap(expr.whenTrue)) && this.isNumeric(unwrap(expr.whenFalse));
    if (ts.isIdentifier(expr)) {
      const bindings = this.scopes.resolveAll(expr);
      return (
        bindings.length > 0 &&
        bindings.every((binding) => {
          const type = parameterOrVariableType(binding.declaration);
          // A negated answer, which a fixed point cannot take in general; taint never asks
          // the other questions, so the taint read here is always final.
          if (type === 'number' || type === 'boolean' || type === 'bigint') return !this.isBindingTainted(binding);
          return binding.initializer !== undefined && !binding.destructured && this.isNumeric(unwrap(binding.initializer)) && binding.assignments.every((value) => this.isNumeric(unwrap(value)));
        })
      );
    }
    return false;
  }

  /**
   * `if (!ALLOWED.includes(sort)) return …` (or throw) before the use, with a
   * constant allow-list, or `if (typeof id !== 'string' || !/^\d+$/.test(id)) return …`
   * with an anchored pattern of safe characters (safePatterns.ts): from there on `sort`
   * is one of the constants, `id` digits. Also `ALLOWED.includes(sort) ? sort : …`.
   */
  private isAllowListed(identifier: ts.Identifier): boolean {
    const name = identifier.text;
    for (let node: ts.Node = identifier; node.parent; node = node.parent) {
      const parent = node.parent;
      if (ts.isConditionalExpression(parent) && parent.whenTrue === node && operands(parent.condition, ts.SyntaxKind.AmpersandAmpersandToken).some((test) => this.isAllowListTest(test, name, false))) return true;
      if (!ts.isBlock(parent) && !ts.isSourceFile(parent)) continue;
      for (const statement of parent.statements) {
        if (statement.pos >= node.pos) break;
        if (!ts.isIfStatement(statement) || !exits(statement.thenStatement)) continue;
        // every `||` operand is false past the exit
        if (operands(statement.expression, ts.SyntaxKind.BarBarToken).some((test) => this.isAllowListTest(test, name, true))) return true;
      }
    }
    return false;
  }

  /**
   * `LIST.includes(name)` / `SET.has(name)` on a constant collection, or `RE.test(name)` /
   * `name.match(RE)` with a safe anchored pattern; `negated` expects a leading `!`.
   */
  private isAllowListTest(condition: ts.Expression, name: string, negated: boolean): boolean {
    let test = unwrap(condition);
    if (negated) {
      if (!ts.isPrefixUnaryExpression(test) || test.operator !== ts.SyntaxKind.ExclamationToken) return false;
      test = unwrap(test.operand);
    }
    if (!ts.isCallExpression(test)) return false;
    const callee = unwrap(test.expression);
    const arg = test.arguments[0];
    if (!ts.isPropertyAccessExpression(callee) || arg === undefined) return false;
    const names = (expr: ts.Expression): boolean => ts.isIdentifier(unwrap(expr)) && (unwrap(expr) as ts.Identifier).text === name;
    const method = callee.name.text;
    if (method === 'includes' || method === 'has') return names(arg) && this.isConstant(callee.expression);
    if (method === 'test') return names(arg) && this.isSafePattern(callee.expression);
    if (method === 'match') return names(callee.expression) && this.isSafePattern(arg);
    return false;
  }

  /** A regular expression literal, or a `const` holding one, that only fully matches safe characters. */
  private isSafePattern(expr: ts.Expression): boolean {
    let inner = unwrap(expr);
    if (ts.isIdentifier(inner)) {
      const bindings = this.scopes.resolveAll(inner);
      const binding = bindings[0];
      if (bindings.length !== 1 || !binding || binding.kind !== 'variable' || !binding.isConst || binding.destructured || !binding.initializer) return false;
      inner = unwrap(binding.initializer);
    }
    return ts.isRegularExpressionLiteral(inner) && isSafeRegexLiteral(inner);
  }
}

/** The operands of a chain of one binary operator (`a || b || c` -> a, b, c); the expression itself otherwise. */
function operands(expr: ts.Expression, operator: ts.SyntaxKind): ts.Expression[] {
  const inner = unwrap(expr);
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === operator) return [...operands(inner.left, operator), ...operands(inner.right, operator)];
  return [inner];
}

/** `process.env.NAME`: chosen by whoever deploys the app, never by a request. */
function isDeploymentConfig(expr: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(expr) && !ts.isElementAccessExpression(expr)) return false;
  const env = unwrap(expr.expression);
  return ts.isPropertyAccessExpression(env) && env.name.text === 'env' && ts.isIdentifier(env.expression) && env.expression.text === 'process';
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && exits(last);
  }
  return false;
}

function typeName(type: ts.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  if (ts.isTypeReferenceNode(type)) return ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  if (type.kind === ts.SyntaxKind.NumberKeyword) return 'number';
  if (type.kind === ts.SyntaxKind.BooleanKeyword) return 'boolean';
  if (type.kind === ts.SyntaxKind.BigIntKeyword) return 'bigint';
  return undefined;
}

function parameterTypeName(declaration: ts.Node): string | undefined {
  return ts.isParameter(declaration) ? typeName(declaration.type) : undefined;
}

function parameterOrVariableType(declaration: ts.Node): string | undefined {
  return ts.isParameter(declaration) || ts.isVariableDeclaration(declaration) ? typeName(declaration.type) : undefined;
}

/** `export function GET`, `export const POST = async () =>`, `export default function`. */
export function exportedFunctionName(fn: ts.Node): string | undefined {
  const isExported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  if (ts.isFunctionDeclaration(fn) && isExported(fn)) return isDefault(fn) ? 'default' : fn.name?.text;
  const parent = fn.parent;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && parent) {
    if (ts.isExportAssignment(parent)) return 'default';
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
      const statement = parent.parent?.parent;
      if (statement && ts.isVariableStatement(statement) && isExported(statement)) return parent.name.text;
    }
  }
  return undefined;
}
