// String values written in code, with the context that says what they are: the
// name they are bound to (variable, property, object key, parameter, JSX
// attribute, the other side of a comparison), the call they are passed to, and
// the object literal around them. Secrets, URLs and other configuration are
// recognised by these, and replaced by fixes, so the shape lives here once.
import { ts } from '../ts';
import { subtreeMemo } from './subtreeMemo';
import { functionNodes, type LargeFunction, type StringLiteralNode, statementNodes, type SubtreeNodes } from './subtreeNodes';

export type { StringLiteralNode } from './subtreeNodes';

/** One piece of literal text: a whole string, or the head/middle/tail of a template. */
export interface StringSegment {
  /** The text as the program sees it (escapes resolved). */
  text: string;
  /** Offsets of the text as written, between its delimiters (quotes, backticks, `${`, `}`). */
  rawStart: number;
  rawEnd: number;
}

/** How a fix may replace the literal with an expression. */
export type Replaceability =
  /** Anywhere an expression may stand. */
  | 'expression'
  /** A JSX attribute value (`apiKey="…"`), replaced by `{…}`. */
  | 'jsx-attribute'
  /** A tagged template, an enum member, a `case`: replacing it would change what the code means. */
  | 'none';

export interface CallArgument {
  /** The callee as written, e.g. `jwt.sign`, `Stripe`, `twilio`. */
  callee: string;
  index: number;
  isNew: boolean;
  /** What the call's result is bound to (`replica` in `const replica = new Pool({…})`). */
  resultName?: string;
}

/** The object literal a value sits in. */
export interface ObjectContainer {
  /** Keys of the object (`apiKey`, `authDomain`, …), for recognising well-known config shapes. */
  keys: ReadonlySet<string>;
  /** What the object itself is bound to (`dbConfig` in `const dbConfig = { … }`, `auth` in `auth: { … }`). */
  name?: string;
  /** The call the object is passed to (`initializeApp`, `new Pool`). */
  argumentOf?: CallArgument;
  /** The object this one is nested in. */
  parent?: ObjectContainer;
}

export interface StringLiteralFact {
  node: StringLiteralNode;
  /** The literal text as the program sees it, piece by piece (cheap: no offsets computed). */
  readonly texts: readonly string[];
  /** The same pieces with their offsets in the file. */
  readonly segments: readonly StringSegment[];
  readonly replaceable: Replaceability;
  /** The name the value is bound to, through `??`, `||`, `?:`, `as`, `!`, `await` and parentheses. */
  readonly boundName?: string;
  readonly argumentOf?: CallArgument;
  readonly container?: ObjectContainer;
}

/** What judging a literal may read: its text and what names it, not where it stands (its offsets move while a judgement is kept). */
export type LiteralInContext = Pick<StringLiteralFact, 'texts' | 'replaceable' | 'boundName' | 'argumentOf' | 'container'>;

/** A literal a judgement found something in, with what it found. */
export interface JudgedLiteral<T> {
  literal: StringLiteralFact;
  value: T;
}

interface Found<T> {
  node: StringLiteralNode;
  value: T;
}

/**
 * A judgement of every string value in code positions (types, module specifiers and
 * property keys left out), kept across edits per top-level statement and, within one,
 * per function: the reparse keeps every statement and function an edit is not in as
 * the same node with the same subtree, so a keystroke judges the literals of the
 * function edited, not the file's. That holds because a judgement reads nothing
 * outside the kept node: what names a literal is found by climbing through
 * expressions, properties and object literals, never past a function or a top-level
 * statement, and `LiteralInContext` offers no offsets. A one-shot scan keeps nothing
 * (subtreeMemo.ts).
 */
export class LiteralJudgement<T> {
  private readonly ofStatement: (statement: ts.Node) => readonly Found<T>[];
  private readonly ofFunction: (fn: LargeFunction) => readonly Found<T>[];

  /** @param judge what a literal holds, or undefined when nothing (most literals); kept across versions, so no offsets or nodes in it. */
  constructor(judge: (literal: LiteralInContext) => T | undefined) {
    // The literals come from the walk shared with calls (subtreeNodes.ts); whether one is a value position is decided here.
    const judgeAll = (entries: SubtreeNodes['literals']): Found<T>[] => {
      const found: Found<T>[] = [];
      const containers = new Map<ts.ObjectLiteralExpression, ObjectContainer>();
      for (const entry of entries) {
        if (!isLiteral(entry)) {
          for (const inner of this.ofFunction(entry)) found.push(inner);
          continue;
        }
        if (!isValuePosition(entry)) continue;
        const value = judge(new LiteralContextFact(entry, containers));
        if (value !== undefined) found.push({ node: entry, value });
      }
      return found;
    };
    this.ofStatement = subtreeMemo((statement: ts.Node) => judgeAll(statementNodes(statement).literals));
    this.ofFunction = subtreeMemo((fn: LargeFunction) => judgeAll(functionNodes(fn).literals));
  }

  /** The file's literals the judgement found something in, in source order. */
  judged(sourceFile: ts.SourceFile): JudgedLiteral<T>[] {
    const containers = new Map<ts.ObjectLiteralExpression, ObjectContainer>();
    const judged: JudgedLiteral<T>[] = [];
    ts.forEachChild(sourceFile, (statement) => {
      // the kept node has its current offsets; a fact built on this version reads them
      for (const { node, value } of this.ofStatement(statement)) judged.push({ literal: new LiteralFact(node, sourceFile, containers), value });
    });
    return judged;
  }
}

function isLiteral(node: ts.Node): node is StringLiteralNode {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

function isValuePosition(node: StringLiteralNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  // `{ 'x-api-key': … }`, `class { 'name' = … }`: the literal is a key, not a value
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isEnumMember(parent)) && parent.name === node) return false;
  if (ts.isComputedPropertyName(parent)) return false;
  if (ts.isCallExpression(parent) && (parent.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(parent.expression) && parent.expression.text === 'require'))) return false;
  return !ts.isExpressionStatement(parent); // directives: 'use strict', 'use client'
}

/**
 * Context is derived on first use: most literals are dismissed on their text
 * alone, and a big file holds tens of thousands of them.
 */
class LiteralContextFact implements LiteralInContext {
  private binding?: { boundName?: string; argumentOf?: CallArgument; value: ts.Expression };

  constructor(
    readonly node: StringLiteralNode,
    private readonly containers: Map<ts.ObjectLiteralExpression, ObjectContainer>,
  ) {}

  get texts(): readonly string[] {
    const node = this.node;
    return ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((span) => span.literal.text)] : [node.text];
  }

  get replaceable(): Replaceability {
    return replaceability(this.node);
  }

  get boundName(): string | undefined {
    return this.bind().boundName;
  }

  get argumentOf(): CallArgument | undefined {
    return this.bind().argumentOf;
  }

  get container(): ObjectContainer | undefined {
    const parent = this.bind().value.parent;
    return parent && ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent) ? containerOf(parent.parent, this.containers) : undefined;
  }

  private bind(): { boundName?: string; argumentOf?: CallArgument; value: ts.Expression } {
    if (this.binding) return this.binding;
    const value = outermostValue(this.node);
    const binding: { boundName?: string; argumentOf?: CallArgument; value: ts.Expression } = { value };
    const parent = value.parent;
    if (parent) {
      const name = boundName(value, parent);
      if (name !== undefined) binding.boundName = name;
      const argument = argumentOf(value, parent);
      if (argument) binding.argumentOf = argument;
    }
    return (this.binding = binding);
  }
}

/** The literal on one version of its file, offsets included. */
class LiteralFact extends LiteralContextFact implements StringLiteralFact {
  private segmentsCache?: StringSegment[];

  constructor(
    node: StringLiteralNode,
    private readonly sourceFile: ts.SourceFile,
    containers: Map<ts.ObjectLiteralExpression, ObjectContainer>,
  ) {
    super(node, containers);
  }

  get segments(): readonly StringSegment[] {
    return (this.segmentsCache ??= segmentsOf(this.node, this.sourceFile));
  }
}

/** Climbs through wrappers that pass the value on (`as`, `!`, `await`, `??` …): the node whose parent gives it a name. */
function outermostValue(node: ts.Expression): ts.Expression {
  let current: ts.Expression = node;
  for (;;) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent) return current;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isNonNullExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isAwaitExpression(parent)) {
      current = parent;
    } else if (ts.isBinaryExpression(parent) && (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      current = parent; // process.env.X ?? 'fallback'
    } else if (ts.isConditionalExpression(parent) && parent.condition !== current) {
      current = parent;
    } else {
      return current;
    }
  }
}

function boundName(value: ts.Expression, parent: ts.Node): string | undefined {
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === value) {
    if (ts.isBindingElement(parent) && parent.propertyName) return propertyNameText(parent.propertyName);
    const name = parent.name;
    if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) return undefined;
    return propertyNameText(name);
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === value) return propertyNameText(parent.name);
  if (ts.isEnumMember(parent) && parent.initializer === value) return propertyNameText(parent.name);
  if (ts.isJsxAttribute(parent)) return jsxAttributeName(parent);
  if (ts.isJsxExpression(parent) && parent.parent && ts.isJsxAttribute(parent.parent)) return jsxAttributeName(parent.parent);
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken && parent.right === value) return referenceName(parent.left);
    const comparison = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (comparison) return referenceName(parent.left === value ? parent.right : parent.left);
  }
  return undefined;
}

/** `apiKey`, `config.apiKey`, `this.apiKey`, `config['api-key']` → the last name. */
function referenceName(expr: ts.Expression): string | undefined {
  let inner = expr;
  while (ts.isParenthesizedExpression(inner) || ts.isNonNullExpression(inner) || ts.isAsExpression(inner)) inner = inner.expression;
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  if (ts.isElementAccessExpression(inner) && ts.isStringLiteralLike(inner.argumentExpression)) return inner.argumentExpression.text;
  return undefined;
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function jsxAttributeName(attribute: ts.JsxAttribute): string {
  return ts.isIdentifier(attribute.name) ? attribute.name.text : `${attribute.name.namespace.text}:${attribute.name.name.text}`;
}

function argumentOf(value: ts.Expression, parent: ts.Node): CallArgument | undefined {
  if (!ts.isCallExpression(parent) && !ts.isNewExpression(parent)) return undefined;
  const args: readonly ts.Expression[] = parent.arguments ?? [];
  const index = args.indexOf(value);
  if (index === -1) return undefined;
  const argument: CallArgument = { callee: calleeText(parent.expression), index, isNew: ts.isNewExpression(parent) };
  const result = outermostValue(parent);
  const resultName = result.parent ? boundName(result, result.parent) : undefined;
  if (resultName !== undefined) argument.resultName = resultName;
  return argument;
}

/** `jwt.sign`, `Stripe`, `this.client.send`; calls and element accesses in the chain become `…`. */
function calleeText(expr: ts.Expression): string {
  let inner = expr;
  while (ts.isParenthesizedExpression(inner) || ts.isNonNullExpression(inner)) inner = inner.expression;
  if (ts.isIdentifier(inner)) return inner.text;
  if (inner.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(inner)) return `${calleeText(inner.expression)}.${inner.name.text}`;
  return '…';
}

function containerOf(object: ts.ObjectLiteralExpression, cache: Map<ts.ObjectLiteralExpression, ObjectContainer>): ObjectContainer {
  const cached = cache.get(object);
  if (cached) return cached;
  const keys = new Set<string>();
  for (const property of object.properties) {
    const key = property.name ? propertyNameText(property.name) : undefined;
    if (key !== undefined) keys.add(key);
  }
  const container: ObjectContainer = { keys };
  const value = outermostValue(object);
  const parent = value.parent;
  if (parent) {
    const name = boundName(value, parent);
    if (name !== undefined) container.name = name;
    const argument = argumentOf(value, parent);
    if (argument) container.argumentOf = argument;
    if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) container.parent = containerOf(parent.parent, cache);
  }
  cache.set(object, container);
  return container;
}

function replaceability(node: StringLiteralNode): Replaceability {
  const parent = node.parent;
  if (!parent) return 'none';
  if (ts.isJsxAttribute(parent)) return 'jsx-attribute';
  if (ts.isTaggedTemplateExpression(parent) || ts.isEnumMember(parent) || ts.isCaseClause(parent)) return 'none';
  return 'expression';
}

function segmentsOf(node: StringLiteralNode, sourceFile: ts.SourceFile): StringSegment[] {
  if (!ts.isTemplateExpression(node)) {
    return [{ text: node.text, rawStart: node.getStart(sourceFile) + 1, rawEnd: node.end - 1 }];
  }
  // head: `…${   middle: }…${   tail: }…`
  const segments: StringSegment[] = [{ text: node.head.text, rawStart: node.head.getStart(sourceFile) + 1, rawEnd: node.head.end - 2 }];
  for (const span of node.templateSpans) {
    const literal = span.literal;
    const closing = ts.isTemplateTail(literal) ? 1 : 2;
    segments.push({ text: literal.text, rawStart: literal.getStart(sourceFile) + 1, rawEnd: literal.end - closing });
  }
  return segments;
}
