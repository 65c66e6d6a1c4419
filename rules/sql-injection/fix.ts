// The "Parameterize query" fix, per binding style: where the placeholders go and
// how the values travel (a values array, Sequelize replacements, the chained
// better-sqlite3 call, Prisma's extra arguments, or a tagged template that binds
// every `${…}`). The SQL text itself is rewritten by ./parameterize; this module
// maps it to and from source text and builds the edits.
import { ts } from '../../server/src/engine/ts';
import type { SqlSink } from '../../server/src/engine/facts';
import type { Scopes } from '../../server/src/engine/facts/scopes';
import { enclosingScope, unwrap } from '../../server/src/engine/facts/scopes';
import type { SqlLibrary, SqlSinkModel } from '../../server/src/engine/facts/sqlSinkModels';
import type { SplicedString } from '../../server/src/engine/facts/splicing';
import type { RuleFix, TextEdit } from '../../server/src/engine/types';
import type { FileReader } from './kept';
import { FIX_ID } from './meta';
import {
  type Parameter,
  type ParameterizeOptions,
  type ParameterizeResult,
  type PlaceholderStyle,
  type Refusal,
  type SqlPiece,
  type ValuePart,
  escapeQuotedText,
  escapeTemplateText,
  parameterize,
} from './parameterize';

/** How each SQL dialect writes string literals and whether LIMIT takes a bound value. */
const DIALECTS: Record<SqlLibrary, Omit<ParameterizeOptions, 'style' | 'existingValues'>> = {
  pg: { stringQuotes: "'", bindLimit: true },
  postgres: { stringQuotes: "'", bindLimit: true },
  // MySQL reads "…" as a string; its drivers send bound values as quoted strings, which LIMIT rejects.
  mysql2: { stringQuotes: `'"`, bindLimit: false },
  'better-sqlite3': { stringQuotes: "'", bindLimit: true },
  sqlite3: { stringQuotes: "'", bindLimit: true },
  // These run on several databases; LIMIT stays unbound in case it is MySQL.
  sequelize: { stringQuotes: "'", bindLimit: false },
  knex: { stringQuotes: "'", bindLimit: false },
  prisma: { stringQuotes: "'", bindLimit: false },
  drizzle: { stringQuotes: "'", bindLimit: false },
  supabase: { stringQuotes: "'", bindLimit: true },
};

/** better-sqlite3 statement methods that take the bound values. */
const STATEMENT_METHODS = new Set(['get', 'all', 'run', 'iterate']);

/** Prisma datasource providers and their placeholder style for `$queryRawUnsafe(sql, …values)`. */
const PRISMA_PROVIDERS: Readonly<Record<string, 'dollar' | 'question'>> = {
  postgresql: 'dollar',
  postgres: 'dollar',
  cockroachdb: 'dollar',
  mysql: 'question',
  sqlite: 'question',
};
const PRISMA_SCHEMA_PATHS = ['prisma/schema.prisma', 'schema.prisma'];

export interface FixContext {
  /** Whether a spliced value must be bound (it is not provably safe to splice). */
  mustBind(expression: ts.Expression): boolean;
  scopes: Scopes;
  project: FileReader;
  /** The file being fixed (workspace-relative). */
  path: string;
}

export interface FixPlan {
  fix?: RuleFix;
  /** Why the SQL cannot be parameterized as written, and at which value. */
  refusal?: { reason: Refusal; value: ts.Expression };
}

/** Where the values list lives and how to add to it. */
interface ValueSlot {
  existing: readonly ts.Expression[];
  /** Edits that make the list hold `values` (existing ones included, in order). */
  write(values: readonly string[], appendOnly: boolean): TextEdit[] | undefined;
}

/** Why the text cannot be rewritten, whatever the library: identifiers, fragments, lists. */
export function positionRefusal(splice: SplicedString, context: FixContext, library: SqlLibrary | undefined): FixPlan['refusal'] {
  const pieces = toSqlPieces(splice, context.mustBind);
  const result = parameterize(pieces, { ...DIALECTS[library ?? 'pg'], bindLimit: true, style: 'question', existingValues: 0 });
  return result.ok ? undefined : refusalOf(result, splice);
}

/** The fix for `sink` as the library of `model` runs it (undefined: the driver is not known for certain, so no fix). */
export function planFix(sink: SqlSink, model: SqlSinkModel | undefined, context: FixContext): FixPlan {
  const splice = sink.splice;
  // A query config object (`{ text, values }`) would take its values there: not written yet.
  if (!splice || !splice.exact || !model || model.binding === 'none' || sink.appended.length > 0 || sink.config) return {};
  if (sink.variable && !usedOnlyBy(sink, context.scopes)) return {};
  const dialect = DIALECTS[model.library];

  if (model.binding === 'tagged-template') {
    if (model.taggedMethods) return prismaFix(sink, model, splice, context);
    return drizzleFix(sink, splice, context);
  }
  const style: PlaceholderStyle = model.binding === 'values-array' ? model.placeholder : 'question';
  const slot =
    model.binding === 'values-array' ? valuesArraySlot(sink, model.valuesArg ?? 1, style, context.scopes) : model.binding === 'options-replacements' ? replacementsSlot(sink, context.scopes) : model.binding === 'chained-call' ? chainedCallSlot(sink) : undefined;
  if (!slot) return {};
  return withSlot(sink, splice, slot, { ...dialect, style, existingValues: slot.existing.length }, context);
}

/** Rewrites the SQL text with placeholders and puts the values in `slot`. */
function withSlot(sink: SqlSink, splice: SplicedString, slot: ValueSlot, options: ParameterizeOptions, context: FixContext): FixPlan {
  const result = parameterize(toSqlPieces(splice, context.mustBind), options);
  if (!result.ok) return { refusal: refusalOf(result, splice) };
  if (result.parameters.length === 0) return {};
  const merged = mergeValues(slot.existing, result, options.style, splice);
  if (!merged) return {};
  const valueEdits = slot.write(merged.values, merged.appendOnly);
  if (!valueEdits) return {};
  const placeholder = (parameter: Parameter): string => (options.style === 'dollar' ? `$${parameter.number}` : '?');
  const sqlEdit = { start: splice.expression.getStart(), end: splice.expression.end, newText: renderSql(splice, result, placeholder, (text) => `\${${text}}`) };
  return { fix: { id: FIX_ID, changes: [{ kind: 'edit', path: context.path, edits: [sqlEdit, ...valueEdits] }] } };
}

/**
 * Prisma: `$queryRawUnsafe(\`…${x}\`)` -> `$queryRaw\`…${x}\``. SQL kept in a variable
 * used only here moves into the call (the declaration goes); with values already
 * passed, more values in the database's placeholder style.
 */
function prismaFix(sink: SqlSink, model: SqlSinkModel, splice: SplicedString, context: FixContext): FixPlan {
  const callee = unwrap(sink.call.expression);
  const tagged = model.taggedMethods?.[sink.method];
  const extraArgs = sink.call.arguments.slice(1);
  const dialect = DIALECTS.prisma;
  const declaration = sink.variable ? removableDeclaration(sink.variable.declaration) : undefined;
  const inline = !sink.variable && unwrap(sink.argument) === splice.expression;
  if (tagged && extraArgs.length === 0 && ts.isPropertyAccessExpression(callee) && (inline || declaration)) {
    // A tagged template binds every `${…}`, so every spliced value must sit where a value can.
    const result = parameterize(toSqlPieces(splice, () => true), { ...dialect, style: 'inline', existingValues: 0 });
    if (result.ok && result.existingPlaceholders === 0) {
      const typeArguments = sink.call.typeArguments ? `<${sink.call.typeArguments.map((type) => type.getText()).join(', ')}>` : '';
      const template = renderSql(splice, result, (parameter) => `\${${renderValue(parameter.value, splice)}}`, (text) => `\${${text}}`, true);
      const edits: TextEdit[] = [{ start: callee.name.getStart(), end: sink.call.end, newText: `${tagged}${typeArguments}${template}` }];
      if (declaration) edits.push(declaration);
      return { fix: { id: FIX_ID, changes: [{ kind: 'edit', path: context.path, edits }] } };
    }
  }
  // `$queryRawUnsafe(sql, …values)`: placeholders in the database's own style.
  if (extraArgs.some((arg) => ts.isSpreadElement(arg))) return {};
  const style = prismaPlaceholderStyle(splice, context);
  if (!style) return {};
  const slot = restArgsSlot(sink.call, 1, sink.argument);
  return withSlot(sink, splice, slot, { ...dialect, style, existingValues: extraArgs.length }, context);
}

/** Drizzle: `sql.raw(\`…${x}\`)` -> `` sql`…${x}` ``; safe splices of names stay raw as `${sql.raw(NAME)}`. */
function drizzleFix(sink: SqlSink, splice: SplicedString, context: FixContext): FixPlan {
  const callee = unwrap(sink.call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return {};
  const tag = callee.expression.text;
  const options: ParameterizeOptions = { ...DIALECTS.drizzle, style: 'inline', existingValues: 0 };
  let result = parameterize(toSqlPieces(splice, () => true), options);
  if (!result.ok) result = parameterize(toSqlPieces(splice, context.mustBind), options);
  if (!result.ok) return { refusal: refusalOf(result, splice) };
  if (result.existingPlaceholders > 0) return {};
  const template = renderSql(splice, result, (parameter) => `\${${renderValue(parameter.value, splice)}}`, (text) => `\${${tag}.raw(${text})}`, true);
  const path = context.path;
  if (!sink.variable) {
    return { fix: { id: FIX_ID, changes: [{ kind: 'edit', path, edits: [{ start: sink.call.getStart(), end: sink.call.end, newText: `${tag}${template}` }] }] } };
  }
  const edits = [
    { start: splice.expression.getStart(), end: splice.expression.end, newText: `${tag}${template}` },
    { start: sink.call.getStart(), end: sink.call.end, newText: sink.argument.getText() },
  ];
  return { fix: { id: FIX_ID, changes: [{ kind: 'edit', path, edits }] } };
}

/** The schema's datasource provider, else the placeholders the SQL already uses. */
function prismaPlaceholderStyle(splice: SplicedString, context: FixContext): 'dollar' | 'question' | undefined {
  for (const path of PRISMA_SCHEMA_PATHS) {
    const provider = /datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"(\w+)"/.exec(context.project.readFile(path) ?? '')?.[1];
    if (provider) return PRISMA_PROVIDERS[provider];
  }
  const pieces = toSqlPieces(splice, context.mustBind);
  for (const style of ['dollar', 'question'] as const) {
    const result = parameterize(pieces, { ...DIALECTS.prisma, style, existingValues: 0 });
    if (result.ok && result.existingPlaceholders > 0) return style;
  }
  return undefined;
}

/** `query(sql)`, `query(sql, [a])`, `query(sql, callback)`, `query(sql, undefined)`, `query(sql, params)` (Postgres: `[...params, b]`). */
function valuesArraySlot(sink: SqlSink, index: number, style: PlaceholderStyle, scopes: Scopes): ValueSlot | undefined {
  const args = sink.call.arguments;
  const sqlArg = args[index - 1];
  const arg = args[index];
  if (!sqlArg || args.slice(0, index).some((candidate) => ts.isSpreadElement(candidate))) return undefined;
  if (!arg) return { existing: [], write: (values) => [insert(sqlArg.end, `, [${values.join(', ')}]`)] };
  const inner = unwrap(arg);
  if (isNoValue(inner, scopes)) return replacedBy(arg, (values) => `[${values.join(', ')}]`);
  if (isCallback(inner, scopes)) return { existing: [], write: (values) => [insert(arg.getStart(), `[${values.join(', ')}], `)] };
  if (ts.isArrayLiteralExpression(inner)) return arraySlot(inner);
  // A values array we cannot see into: for `$n` the text already numbers its entries, so new ones append.
  if (style !== 'dollar' || ts.isObjectLiteralExpression(inner)) return undefined;
  return {
    existing: [],
    write: (values) => [{ start: arg.getStart(), end: arg.end, newText: `[...${arg.getText()}, ${values.join(', ')}]` }],
  };
}

/** Sequelize: `query(sql)`, `query(sql, { type })`, `query(sql, { replacements: [a] })`, `query(sql, undefined)`. */
function replacementsSlot(sink: SqlSink, scopes: Scopes): ValueSlot | undefined {
  const sqlArg = sink.call.arguments[0];
  const arg = sink.call.arguments[1];
  if (!sqlArg) return undefined;
  if (!arg) return { existing: [], write: (values) => [insert(sqlArg.end, `, { replacements: [${values.join(', ')}] }`)] };
  const options = unwrap(arg);
  if (isNoValue(options, scopes)) return replacedBy(arg, (values) => `{ replacements: [${values.join(', ')}] }`);
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  const named = (name: string): ts.ObjectLiteralElementLike | undefined => options.properties.find((property) => property.name !== undefined && ts.isIdentifier(property.name) && property.name.text === name);
  if (named('bind') || options.properties.some((property) => ts.isSpreadAssignment(property))) return undefined;
  const replacements = named('replacements');
  if (replacements) {
    const value = ts.isPropertyAssignment(replacements) ? unwrap(replacements.initializer) : undefined;
    return value && ts.isArrayLiteralExpression(value) ? arraySlot(value) : undefined;
  }
  return { existing: [], write: (values) => [appendProperty(options, `replacements: [${values.join(', ')}]`)] };
}

/** `undefined`, `null`, `void 0` where the values go: the call passes none. */
function isNoValue(expr: ts.Expression, scopes: Scopes): boolean {
  if (expr.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(expr)) return true;
  return ts.isIdentifier(expr) && expr.text === 'undefined' && scopes.resolve(expr) === undefined;
}

/** A slot that replaces the argument passing no values (`undefined`) with the new list. */
function replacedBy(arg: ts.Expression, list: (values: readonly string[]) => string): ValueSlot {
  return { existing: [], write: (values) => [{ start: arg.getStart(), end: arg.end, newText: list(values) }] };
}

/** Adds a property to an object literal in its own layout: inline, or on a new line with a trailing comma if it has one. */
function appendProperty(object: ts.ObjectLiteralExpression, property: string): TextEdit {
  const last = object.properties[object.properties.length - 1];
  if (!last) return { start: object.getStart(), end: object.end, newText: `{ ${property} }` };
  const text = object.getSourceFile().text;
  const lineStart = text.lastIndexOf('\n', last.getStart()) + 1;
  const multiline = text.lastIndexOf('\n', last.getStart()) > object.getStart();
  if (!multiline) return insert(last.end, `, ${property}`);
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  if (!object.properties.hasTrailingComma) return insert(last.end, `,\n${indent}${property}`);
  const comma = text.indexOf(',', last.end);
  return insert(comma + 1, `\n${indent}${property},`);
}

/** better-sqlite3: `db.prepare(sql).get(…values)`. */
function chainedCallSlot(sink: SqlSink): ValueSlot | undefined {
  const access = sink.call.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== sink.call || !STATEMENT_METHODS.has(access.name.text)) return undefined;
  const statementCall = access.parent;
  if (!statementCall || !ts.isCallExpression(statementCall) || statementCall.expression !== access) return undefined;
  // One object argument binds named parameters (`@id`): a different scheme.
  if (statementCall.arguments.some((arg) => ts.isObjectLiteralExpression(unwrap(arg)))) return undefined;
  return restArgsSlot(statementCall, 0, undefined);
}

/** Values passed as arguments from `from` on (Prisma's `$queryRawUnsafe(sql, a, b)`, better-sqlite3's `.get(a, b)`). */
function restArgsSlot(call: ts.CallExpression, from: number, before: ts.Expression | undefined): ValueSlot {
  const existing = call.arguments.slice(from);
  return {
    existing,
    write: (values, appendOnly) => {
      const lastExisting = existing[existing.length - 1];
      const first = existing[0];
      if (!lastExisting || !first) return [insert(before ? before.end : call.arguments.pos, before ? `, ${values.join(', ')}` : values.join(', '))];
      if (appendOnly) return [insert(lastExisting.end, `, ${values.slice(existing.length).join(', ')}`)];
      return [{ start: first.getStart(), end: lastExisting.end, newText: values.join(', ') }];
    },
  };
}

function arraySlot(array: ts.ArrayLiteralExpression): ValueSlot | undefined {
  if (array.elements.some((element) => ts.isSpreadElement(element) || ts.isOmittedExpression(element))) return undefined;
  const existing = [...array.elements];
  return {
    existing,
    write: (values, appendOnly) => {
      const last = existing[existing.length - 1];
      if (last && appendOnly) return [insert(last.end, `, ${values.slice(existing.length).join(', ')}`)];
      return [{ start: array.getStart(), end: array.end, newText: `[${values.join(', ')}]` }];
    },
  };
}

/**
 * The full values list: `$n` values append; `?` values go in text order among the
 * existing ones, which must match the `?` already there one for one.
 */
function mergeValues(existing: readonly ts.Expression[], result: Extract<ParameterizeResult, { ok: true }>, style: PlaceholderStyle, splice: SplicedString): { values: string[]; appendOnly: boolean } | undefined {
  const existingTexts = existing.map((node) => node.getText());
  const added = result.parameters.map((parameter) => renderValue(parameter.value, splice));
  if (style !== 'question') return { values: [...existingTexts, ...added], appendOnly: true };
  if (existing.length !== result.existingPlaceholders) return undefined;
  const byOrdinal = new Map(result.parameters.map((parameter, index) => [parameter.ordinal, added[index] ?? '']));
  const values: string[] = [];
  let next = 0;
  for (let ordinal = 0; ordinal < existing.length + added.length; ordinal++) values.push(byOrdinal.get(ordinal) ?? existingTexts[next++] ?? '');
  return { values, appendOnly: result.parameters.every((parameter) => parameter.ordinal >= existing.length) };
}

function toSqlPieces(splice: SplicedString, mustBind: (expression: ts.Expression) => boolean): SqlPiece[] {
  return splice.pieces.map((piece) => (piece.kind === 'text' ? { kind: 'text', text: piece.text } : { kind: 'value', bind: mustBind(piece.expression) }));
}

function refusalOf(result: Extract<ParameterizeResult, { ok: false }>, splice: SplicedString): FixPlan['refusal'] {
  const piece = splice.pieces[result.piece];
  return piece?.kind === 'value' ? { reason: result.reason, value: piece.expression } : undefined;
}

/**
 * The rewritten SQL as source: a template literal when the original was one or
 * values stay spliced, else a string literal in the original's quotes.
 */
function renderSql(
  splice: SplicedString,
  result: Extract<ParameterizeResult, { ok: true }>,
  placeholder: (parameter: Parameter) => string,
  keptValue: (text: string) => string,
  forceTemplate = false,
): string {
  const keepsValues = result.segments.some((segment) => segment.kind === 'value');
  const quote = forceTemplate || splice.shape === 'template' || keepsValues ? '`' : quoteOf(splice);
  let out = '';
  for (const segment of result.segments) {
    if (segment.kind === 'parameter') {
      const parameter = result.parameters[segment.index];
      if (parameter) out += placeholder(parameter);
      continue;
    }
    const piece = splice.pieces[segment.piece];
    if (segment.kind === 'value') {
      if (piece?.kind === 'value') out += keptValue(expressionText(piece.expression));
      continue;
    }
    if (piece?.kind !== 'text') continue;
    const text = piece.text.slice(segment.start, segment.end);
    if (quote !== '`') out += escapeQuotedText(text, quote);
    else if (piece.raw !== undefined && segment.start === 0 && segment.end === piece.text.length) out += piece.raw;
    else if (piece.raw !== undefined && piece.raw === piece.text) out += piece.raw.slice(segment.start, segment.end);
    else out += escapeTemplateText(text);
  }
  return `${quote}${out}${quote}`;
}

/** A bound value as source: the expression itself, or a template for `'%${q}%'`-style literals. */
function renderValue(parts: readonly ValuePart[], splice: SplicedString): string {
  const only = parts.length === 1 ? parts[0] : undefined;
  const valueText = (piece: number): string => {
    const source = splice.pieces[piece];
    return source?.kind === 'value' ? expressionText(source.expression) : '';
  };
  if (only?.kind === 'value') return valueText(only.piece);
  return `\`${parts.map((part) => (part.kind === 'text' ? escapeTemplateText(part.text) : `\${${valueText(part.piece)}}`)).join('')}\``;
}

function expressionText(expression: ts.Expression): string {
  const text = expression.getText();
  const inner = unwrap(expression);
  return ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.CommaToken ? `(${text})` : text;
}

/** The quote of the first string literal in a concatenation (`'` if there is none). */
function quoteOf(splice: SplicedString): string {
  for (const piece of splice.pieces) {
    if (piece.kind === 'text' && ts.isStringLiteral(piece.node)) return piece.node.getText().charAt(0);
  }
  return "'";
}

/** mysql2 / sqlite3 / pg callbacks: `query(sql, (err, rows) => …)` or a named function. */
function isCallback(expr: ts.Expression, scopes: Scopes): boolean {
  if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) return true;
  return ts.isIdentifier(expr) && scopes.resolve(expr)?.kind === 'function';
}

/**
 * The SQL variable can be rewritten only if this call is its one use, in the same
 * function (the values move from the declaration to the call).
 */
function usedOnlyBy(sink: SqlSink, scopes: Scopes): boolean {
  const variable = sink.variable;
  if (!variable) return true;
  const references = scopes.references(variable);
  const use = unwrap(sink.argument);
  return references.length === 1 && references[0] === use && enclosingScope(variable.declaration) === enclosingScope(sink.call);
}

/** The edit deleting `const sql = …;` (a statement declaring only it) with its line. */
function removableDeclaration(declaration: ts.Node): TextEdit | undefined {
  const list = declaration.parent;
  const statement = list?.parent;
  if (!list || !ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !statement || !ts.isVariableStatement(statement)) return undefined;
  const text = statement.getSourceFile().text;
  const start = statement.getStart();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const trailing = /^[ \t]*\r?\n/.exec(text.slice(statement.end))?.[0] ?? '';
  const ownLine = text.slice(lineStart, start).trim() === '';
  return { start: ownLine ? lineStart : start, end: statement.end + (ownLine ? trailing.length : 0), newText: '' };
}

function insert(at: number, text: string): TextEdit {
  return { start: at, end: at, newText: text };
}
