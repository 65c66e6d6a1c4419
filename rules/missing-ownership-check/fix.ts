// "Add ownership check": scope the query to the signed-in user with the schema's owner
// field, keeping the call's result shape —
//   Prisma   findUnique({ where: { id } })      -> findFirst({ where: { id, userId: uid } })
//            update/delete({ where: { id } })    -> an owner-scoped findFirst first, 404 when it finds nothing
//   Mongoose findById(id)                        -> findOne({ _id: id, owner: uid }) (…AndUpdate/…AndDelete alike)
//   Supabase .eq('id', id)                       -> .eq('id', id).eq('user_id', uid)
//   knex     .where({ id })                      -> .where({ id }).where('user_id', uid)
//   SQL      WHERE id = $1, [id]                 -> WHERE id = $1 AND user_id = $2, [id, uid]
// or, when the query cannot be scoped, a 404 guard right after a read:
//   if (!order || order.userId !== uid) return res.status(404).json({ error: 'Not found' });
// Scoping needs a user that is certainly present (an `undefined` owner value would
// match every row in Prisma); the guard is safe either way.
import { ts } from '../../server/src/engine/ts';
import type { AuthContext, DbCall, DbCondition, RouteHandler, SchemaModel } from '../../server/src/engine/facts/appModel';
import { NOT_FOUND_RESPONSES } from '../../server/src/engine/facts/routeModels';
import { chainRoot } from '../../server/src/engine/facts/dbCalls';
import { unwrap } from '../../server/src/engine/facts/scopes';
import type { DataFlow } from '../../server/src/engine/facts/flow';
import type { RuleFix, TextEdit } from '../../server/src/engine/types';
import { ownerColumn, resultNames } from './ownership';
import { FIX_ID } from './meta';

export interface FixInput {
  path: string;
  text: string;
  route: RouteHandler;
  call: DbCall;
  model: SchemaModel & { ownerField: string };
  idCondition: DbCondition;
  auth: AuthContext;
  flow: DataFlow;
}

/** The preferred fix: scope the query when the library allows it, else guard the result. */
export function buildFix(input: FixInput): RuleFix | undefined {
  const edits = (input.auth.enforced ? scopeQuery(input) : undefined) ?? guardResult(input);
  return edits ? { id: FIX_ID, changes: [{ kind: 'edit', path: input.path, edits }] } : undefined;
}

function scopeQuery(input: FixInput): TextEdit[] | undefined {
  switch (input.call.library) {
    case 'prisma':
      return scopePrisma(input);
    case 'mongoose':
      return scopeMongoose(input);
    case 'supabase':
    case 'knex':
      return scopeChain(input, CHAIN_OWNER_FILTERS[input.call.library]);
    case 'sql':
      return scopeSql(input);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// Prisma

const PRISMA_SCOPED_READS: Readonly<Record<string, string>> = {
  findUnique: 'findFirst',
  findUniqueOrThrow: 'findFirstOrThrow',
  findFirst: 'findFirst',
  findFirstOrThrow: 'findFirstOrThrow',
};

function scopePrisma(input: FixInput): TextEdit[] | undefined {
  const { call, model, auth } = input;
  const callee = unwrap(call.call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const where = call.filter ? unwrap(call.filter) : undefined;
  if (!where || !ts.isObjectLiteralExpression(where) || !within(where, call.call)) return undefined;
  const scoped = PRISMA_SCOPED_READS[method];
  if (scoped) {
    // findUnique only takes unique fields; findFirst takes any filter and returns the same shape.
    const edits: TextEdit[] = [appendProperty(input.text, where, `${model.ownerField}: ${auth.userIdExpression}`)];
    if (scoped !== method) edits.push({ start: callee.name.getStart(), end: callee.name.end, newText: scoped });
    return edits;
  }
  if (!['update', 'delete', 'upsert'].includes(method)) return undefined;
  // A write by id: look the record up scoped to the owner first and stop when it is not theirs.
  const notFound = notFoundStatement(input.route);
  const statement = statementInHandler(call.call, input.route.handler);
  const id = input.idCondition.value;
  if (!notFound || !statement || !id || !isRepeatable(id)) return undefined;
  const name = freshName(input, `owned${capitalize(call.model)}`);
  const indent = indentationAt(input.text, statement.getStart());
  const delegate = callee.expression.getText();
  const idProperty = id.getText() === input.idCondition.field ? id.getText() : `${input.idCondition.field}: ${id.getText()}`;
  const lookup = `const ${name} = await ${delegate}.findFirst({ where: { ${idProperty}, ${model.ownerField}: ${auth.userIdExpression} } });`;
  return [{ start: statement.getStart(), end: statement.getStart(), newText: `${lookup}\n${indent}if (!${name}) ${notFound}\n${indent}` }];
}

// ---------------------------------------------------------------------------
// Mongoose

const MONGOOSE_BY_ID: Readonly<Record<string, string>> = {
  findById: 'findOne',
  findByIdAndUpdate: 'findOneAndUpdate',
  findByIdAndDelete: 'findOneAndDelete',
  findByIdAndRemove: 'findOneAndRemove',
};
const MONGOOSE_FILTERED = new Set(['findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndRemove', 'findOneAndReplace', 'updateOne', 'deleteOne', 'replaceOne', 'exists']);

function scopeMongoose(input: FixInput): TextEdit[] | undefined {
  const { call, model, auth } = input;
  const root = chainRoot(call.call);
  const callee = unwrap(root.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const owner = `${model.ownerField}: ${auth.userIdExpression}`;
  const byId = MONGOOSE_BY_ID[method];
  const first = root.arguments[0];
  if (byId && first) {
    return [
      { start: callee.name.getStart(), end: callee.name.end, newText: byId },
      { start: first.getStart(), end: first.end, newText: `{ _id: ${first.getText()}, ${owner} }` },
    ];
  }
  const filter = first ? unwrap(first) : undefined;
  if (MONGOOSE_FILTERED.has(method) && filter && ts.isObjectLiteralExpression(filter)) return [appendProperty(input.text, filter, owner)];
  return undefined;
}

// ---------------------------------------------------------------------------
// Query chains: Supabase, knex — one more equality filter right after the one on the id

/** The chained filter that adds `column = value` (an AND with the filters before it). */
const CHAIN_OWNER_FILTERS: Readonly<Record<'supabase' | 'knex', string>> = { supabase: 'eq', knex: 'where' };

function scopeChain(input: FixInput, filterMethod: string): TextEdit[] | undefined {
  const { call, model, auth, idCondition } = input;
  const column = ownerColumn(model);
  if (!column) return undefined;
  // The filter call that names the id: .eq('id', id) / .match({ id })
  let link: ts.Node | undefined = idCondition.node;
  while (link && !(ts.isCallExpression(link) && within(link, call.call))) link = link.parent;
  if (!link || !ts.isCallExpression(link)) return undefined;
  const callee = unwrap(link.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const between = input.text.slice(callee.expression.end, callee.name.getStart());
  const separator = between.includes('\n') ? between.slice(0, between.indexOf('.')) : '';
  return [{ start: link.end, end: link.end, newText: `${separator}.${filterMethod}('${column}', ${auth.userIdExpression})` }];
}

// ---------------------------------------------------------------------------
// Raw SQL

const WHERE_END = /\b(?:ORDER\s+BY|GROUP\s+BY|HAVING|LIMIT|OFFSET|RETURNING|FOR\s+UPDATE|FOR\s+SHARE|UNION)\b|;/i;

function scopeSql(input: FixInput): TextEdit[] | undefined {
  const { call, model, auth } = input;
  const sink = call.sql;
  const column = ownerColumn(model);
  if (!sink || !column) return undefined;
  const literal = unwrap(sink.argument);
  if (!ts.isStringLiteral(literal) && !ts.isNoSubstitutionTemplateLiteral(literal)) return undefined;
  const raw = literal.getText().slice(1, -1);
  if (raw !== literal.text) return undefined; // escapes would shift offsets
  const sql = literal.text;
  const where = /\bWHERE\b/i.exec(sql);
  if (!where) return undefined;
  const rest = sql.slice(where.index);
  const end = WHERE_END.exec(rest);
  const clauseEnd = where.index + (end ? end.index : rest.length);
  const clause = sql.slice(where.index, clauseEnd);
  if (/\bOR\b/i.test(clause)) return undefined; // `a OR b AND owner` would bind the wrong way
  const valuesArg = sink.call.arguments.indexOf(sink.argument) === 0 ? sink.call.arguments[sink.model?.valuesArg ?? 1] : undefined;
  const values = valuesArg ? unwrap(valuesArg) : undefined;
  if (!values || !ts.isArrayLiteralExpression(values)) return undefined;
  const dollars = [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
  let placeholder: string;
  if (dollars.length > 0) placeholder = `$${Math.max(...dollars) + 1}`;
  else if (sql.includes('?')) {
    if (sql.slice(clauseEnd).includes('?')) return undefined; // positional values after the insertion point
    placeholder = '?';
  } else return undefined;
  const trimmedEnd = clauseEnd - (clause.length - clause.trimEnd().length);
  const offset = literal.getStart() + 1 + trimmedEnd;
  const lastValue = values.elements[values.elements.length - 1];
  const valueEdit: TextEdit = lastValue
    ? { start: lastValue.end, end: lastValue.end, newText: `, ${auth.userIdExpression}` }
    : { start: values.getStart() + 1, end: values.getStart() + 1, newText: auth.userIdExpression };
  return [{ start: offset, end: offset, newText: ` AND ${column} = ${placeholder}` }, valueEdit];
}

// ---------------------------------------------------------------------------
// The fallback: a 404 guard right after a read

function guardResult(input: FixInput): TextEdit[] | undefined {
  const { call, model, auth } = input;
  if (call.operation !== 'read-one') return undefined; // after a write the harm is done
  const { declaration } = resultNames(call.call);
  const notFound = notFoundStatement(input.route);
  const statement = statementInHandler(call.call, input.route.handler);
  if (!declaration || !notFound || !statement || !ts.isVariableStatement(statement)) return undefined;
  const name = resultVariable(declaration.name);
  if (!name) return undefined;
  const field = resultField(call, model);
  if (!field || selectsWithout(call, field)) return undefined;
  // Mongoose ids are ObjectIds: compare as strings.
  const comparison = call.library === 'mongoose' ? `String(${name}.${field}) !== String(${auth.userIdExpression})` : `${name}.${field} !== ${auth.userIdExpression}`;
  const indent = indentationAt(input.text, statement.getStart());
  return [{ start: statement.end, end: statement.end, newText: `\n${indent}if (!${name} || ${comparison}) ${notFound}` }];
}

/**
 * How a library's results name their fields: by column (SQL drivers, Supabase, knex) or by the
 * schema's own field (Prisma, Mongoose). Drizzle, Sequelize and TypeORM map columns to properties
 * their model code names (`userId: integer('user_id')`), which SQL migrations do not tell: no guess.
 */
const RESULT_FIELDS: Readonly<Record<DbCall['library'], 'column' | 'field' | 'mapped'>> = {
  sql: 'column',
  supabase: 'column',
  knex: 'column',
  prisma: 'field',
  mongoose: 'field',
  drizzle: 'mapped',
  sequelize: 'mapped',
  typeorm: 'mapped',
};

function resultField(call: DbCall, model: SchemaModel & { ownerField: string }): string | undefined {
  const naming = RESULT_FIELDS[call.library];
  if (naming === 'column') return ownerColumn(model);
  if (naming === 'mapped' && model.origin === 'sql') return undefined;
  return model.ownerField;
}

/** `const order = …` -> order; `const { data: order } = …` (Supabase) -> order. */
function resultVariable(name: ts.BindingName): string | undefined {
  if (ts.isIdentifier(name)) return name.text;
  if (ts.isObjectBindingPattern(name)) {
    for (const element of name.elements) {
      const key = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : ts.isIdentifier(element.name) ? element.name.text : undefined;
      if (key === 'data' && ts.isIdentifier(element.name)) return element.name.text;
    }
  }
  return undefined;
}

/** A Prisma `select` that leaves the owner field out: the guard would read undefined. */
function selectsWithout(call: DbCall, field: string): boolean {
  const options = call.call.arguments[0] ? unwrap(call.call.arguments[0]) : undefined;
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  const select = options.properties.find((property) => ts.isPropertyAssignment(property) && property.name.getText() === 'select');
  if (!select || !ts.isPropertyAssignment(select)) return false;
  const value = unwrap(select.initializer);
  return !ts.isObjectLiteralExpression(value) || !value.properties.some((property) => property.name?.getText() === field);
}

// ---------------------------------------------------------------------------
// Small edit helpers

/** Adds `property` at the end of an object literal, following its layout (one line or one per line, trailing comma). */
export function appendProperty(text: string, object: ts.ObjectLiteralExpression, property: string): TextEdit {
  const last = object.properties[object.properties.length - 1];
  if (!last) return { start: object.getStart() + 1, end: object.end - 1, newText: ` ${property} ` };
  const afterLast = text.slice(last.end, object.end - 1);
  const trailingComma = afterLast.trimStart().startsWith(',');
  const multiline = text.slice(object.getStart(), last.getStart()).includes('\n');
  if (multiline) {
    const indent = indentationAt(text, last.getStart());
    const at = trailingComma ? last.end + afterLast.indexOf(',') + 1 : last.end;
    return { start: at, end: at, newText: `${trailingComma ? '' : ','}\n${indent}${property}${trailingComma ? ',' : ''}` };
  }
  return { start: last.end, end: last.end, newText: `, ${property}` };
}

function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.getStart() >= container.getStart() && node.end <= container.end;
}

/** The statement holding the call, when it sits directly in the handler's own body (a `return` there ends the request). */
function statementInHandler(call: ts.Node, handler: ts.FunctionLikeDeclaration): ts.Statement | undefined {
  for (let node: ts.Node = call; node.parent; node = node.parent) {
    if (ts.isFunctionLike(node) && node !== handler) return undefined;
    if (ts.isBlock(node.parent) && ts.isStatement(node)) {
      let owner: ts.Node | undefined = node.parent;
      while (owner && !ts.isFunctionLike(owner)) owner = owner.parent;
      return owner === handler ? node : undefined;
    }
  }
  return undefined;
}

/** The framework's "not found" answer with the handler's parameter names, or undefined when they are destructured. */
function notFoundStatement(route: RouteHandler): string | undefined {
  const template = NOT_FOUND_RESPONSES[route.framework];
  const params = route.handler.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
  const needs = (placeholder: string, index: number): boolean => template.includes(placeholder) && params[index] === undefined;
  if (needs('{req}', 0) || needs('{c}', 0) || needs('{res}', 1)) return undefined;
  return template.replaceAll('{req}', params[0] ?? '').replaceAll('{c}', params[0] ?? '').replaceAll('{res}', params[1] ?? '');
}

/** Expressions that can be evaluated twice with the same result: names, property reads, number conversions of those. */
function isRepeatable(expr: ts.Expression): boolean {
  const inner = unwrap(expr);
  if (ts.isIdentifier(inner) || ts.isStringLiteralLike(inner) || ts.isNumericLiteral(inner)) return true;
  if (ts.isPropertyAccessExpression(inner)) return isRepeatable(inner.expression);
  if (ts.isElementAccessExpression(inner)) return isRepeatable(inner.expression) && isRepeatable(inner.argumentExpression);
  if (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && ['Number', 'String', 'parseInt', 'BigInt'].includes(inner.expression.text)) return inner.arguments.every(isRepeatable);
  return false;
}

function freshName(input: FixInput, base: string): string {
  const taken = (name: string): boolean => input.flow.scopes.lookup(input.call.call, name).length > 0;
  if (!taken(base)) return base;
  for (let index = 2; ; index++) if (!taken(`${base}${index}`)) return `${base}${index}`;
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
