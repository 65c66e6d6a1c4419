// Database calls in one file, across libraries: which model or table, which
// operation, the filter and its conditions, whether a limit or pagination
// applies, and whether the call runs once per element of a loop. Recognition is
// driven by the tables in dbCallModels.ts; SQL text comes from the raw-SQL sinks
// (sqlSinks.ts) and is read by sqlQuery.ts.
import { ts } from '../ts';
import type { DbCall, DbCondition, DbLibrary, DbLimit, DbOperation } from './appModel';
import {
  AGGREGATE_FUNCTIONS,
  AND_KEYS,
  type ChainModel,
  DELEGATE_MODELS,
  DRIZZLE_CHAIN,
  DRIZZLE_CLIENT_NAMES,
  DRIZZLE_OPERATORS,
  ENTITY_MANAGER_NAMES,
  EQUALITY_OPERATOR_CALLS,
  EQUALITY_OPERATOR_KEYS,
  MEMBERSHIP_OPERATOR_CALLS,
  MEMBERSHIP_OPERATOR_KEYS,
  FIND_OPERATOR_CALLS,
  ITERATION_FUNCTIONS,
  ITERATION_METHODS,
  KNEX_CHAIN,
  KNEX_CLIENT_NAMES,
  KNEX_TABLE_METHODS,
  LOGICAL_KEYS,
  MODEL_CALL_MODELS,
  MODEL_HANDLE_NAME,
  type ModelCallModel,
  NOT_MODEL_CLASSES,
  PROMISE_METHODS,
  REPOSITORY_FACTORIES,
  REPOSITORY_NAME,
  STATEMENT_METHODS,
  SUPABASE_CHAIN,
  SUPABASE_CLIENT_FACTORIES,
  SUPABASE_CLIENT_NAME,
  TYPEORM_QUERY_BUILDER,
  UNIQUE_KEY_FIELDS,
} from './dbCallModels';
import type { ImportFacts } from './imports';
import { type Scopes, unwrap } from './scopes';
import { SUBSTITUTION, type SqlPlaceholder, readSqlQuery } from './sqlQuery';
import type { SqlSink } from './sqlSinks';

export type { DbCall, DbCondition } from './appModel';

interface Evidence {
  /** The file imports one of the packages. */
  imported(packages: readonly string[]): boolean;
  /** The file imports one, or the project depends on one. */
  uses(packages: readonly string[]): boolean;
}

/** One call in a method chain, innermost (the root) first. */
interface Link {
  call: ts.CallExpression;
  /** The method name, when the callee is `receiver.name`. */
  name?: string;
  receiver?: ts.Expression;
}

type Draft = Omit<DbCall, 'inLoop' | 'loop' | 'iterated' | 'filterFields'>;

const ANY_ORM_PACKAGES = [...DELEGATE_MODELS.flatMap((m) => m.packages), ...MODEL_CALL_MODELS.flatMap((m) => m.packages), ...SUPABASE_CHAIN.packages, ...KNEX_CHAIN.packages, ...DRIZZLE_CHAIN.packages];

/** The file imports an ORM's package, or the project depends on one. */
export function usesOrmPackage(imports: ImportFacts, dependencies: ReadonlySet<string>): boolean {
  return ANY_ORM_PACKAGES.some((pkg) => imports.packages.has(pkg) || dependencies.has(pkg));
}

/**
 * The DB calls among some of a file's calls and SQL sinks (a function's, say), in
 * source order. Each call is judged on its own (with the file-wide `ormCalls`), so the
 * file's DB calls are the concatenation of its parts'.
 */
export function findDbCallsAmong(
  calls: readonly ts.CallExpression[],
  sqlSinks: readonly SqlSink[],
  imports: ImportFacts,
  dependencies: ReadonlySet<string>,
  scopes: Scopes,
  ormCalls: boolean,
): DbCall[] {
  const evidence: Evidence = {
    imported: (packages) => packages.some((pkg) => imports.packages.has(pkg)),
    uses: (packages) => packages.some((pkg) => imports.packages.has(pkg) || dependencies.has(pkg)),
  };
  const drafts: Draft[] = [];
  const seen = new Set<ts.CallExpression>();
  const add = (draft: Draft | undefined): void => {
    if (!draft || seen.has(draft.call)) return;
    seen.add(draft.call);
    drafts.push(draft);
  };

  if (ormCalls) {
    for (const call of calls) {
      if (!isChainTop(call)) continue;
      const links = chainOf(call);
      add(
        delegateCall(links, evidence, scopes) ??
          modelCall(links, evidence, scopes) ??
          supabaseCall(links, evidence, scopes) ??
          drizzleCall(links, evidence, scopes) ??
          knexCall(links, evidence, scopes) ??
          queryBuilderCall(links, evidence, scopes),
      );
    }
  }
  for (const sink of sqlSinks) add(sqlCall(sink, scopes));

  drafts.sort((a, b) => a.call.pos - b.call.pos);
  return drafts.map((draft) => {
    const loop = loopContext(draft.call);
    const filterFields = [...new Set((draft.conditions ?? []).map((condition) => condition.field))];
    const unique = draft.operation === 'read-many' && (draft.conditions ?? []).some((c) => c.equality && UNIQUE_KEY_FIELDS.has(c.field));
    const operation: DbOperation = unique ? 'read-one' : draft.operation;
    const limited = draft.limited || operation === 'read-one' || operation === 'aggregate';
    return { ...draft, operation, limited, filterFields, inLoop: loop !== undefined, loop: loop?.loop, iterated: loop?.iterated };
  });
}

export function isDistinctivePrismaCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isPropertyAccessExpression(callee.expression)) return false;
  const client = lastName(callee.expression.expression);
  return client !== undefined && /prisma/i.test(client);
}

// ---------------------------------------------------------------------------
// Chains

/** Whether no further call is made on this call's result (`a.b()` in `a.b().c()` is not a top). */
function isChainTop(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return !(parent && ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.parent && ts.isCallExpression(parent.parent) && parent.parent.expression === parent);
}

function chainOf(top: ts.CallExpression): Link[] {
  const links: Link[] = [];
  let current: ts.CallExpression | undefined = top;
  while (current) {
    const callee = unwrap(current.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      links.push({ call: current, name: callee.name.text, receiver: callee.expression });
      const inner = unwrap(callee.expression);
      current = ts.isCallExpression(inner) ? inner : undefined;
    } else {
      links.push({ call: current });
      current = undefined;
    }
  }
  return links.reverse();
}

/** The last link that is still part of the query (`.then()`/`.catch()` only consume it). */
function queryEnd(links: readonly Link[], from: number): number {
  let end = links.length - 1;
  while (end > from && PROMISE_METHODS.has(links[end]?.name ?? '')) end--;
  return end;
}

// ---------------------------------------------------------------------------
// Prisma and Drizzle's relational API: <client>[.query].<model>.<method>(options)

function delegateCall(links: readonly Link[], evidence: Evidence, scopes: Scopes): Draft | undefined {
  const root = links[0];
  if (!root?.name || !root.receiver) return undefined;
  const delegate = unwrap(root.receiver);
  if (!ts.isPropertyAccessExpression(delegate)) return undefined;
  const modelName = delegate.name.text;
  if (modelName.startsWith('$')) return undefined;
  for (const model of DELEGATE_MODELS) {
    const method = model.methods[root.name];
    if (!method) continue;
    let client: ts.Expression = unwrap(delegate.expression);
    if (model.via) {
      if (!ts.isPropertyAccessExpression(client) || client.name.text !== model.via) continue;
      client = unwrap(client.expression);
    } else if (ts.isPropertyAccessExpression(client) && client.name.text === 'query' && DELEGATE_MODELS.some((other) => other.via === 'query')) {
      continue;
    }
    const clientName = lastName(client);
    if (!clientName || !model.clientNames.test(clientName)) continue;
    if (!evidence.uses(model.packages) && !model.distinctiveClientNames?.test(clientName)) continue;
    const options = argumentObject(root.call.arguments[method.optionsArg ?? method.filter?.arg ?? 0], scopes);
    const conditions: DbCondition[] = [];
    let filter: ts.Expression | undefined;
    if (method.filter?.key && options) {
      filter = propertyValue(options, method.filter.key);
      if (filter) {
        if (model.library === 'drizzle') readDrizzleCondition(filter, conditions, scopes);
        else readObjectFilter(filter, conditions, scopes, false);
      }
    }
    return {
      library: model.library,
      call: root.call,
      model: modelName,
      operation: method.operation,
      filter,
      conditions,
      limited: options !== undefined && (hasSpread(options) || model.limitKeys.some((key) => propertyValue(options, key) !== undefined)),
      limit: optionsLimit(options, model.limitKeys),
      paginated: options !== undefined && (hasSpread(options) || model.offsetKeys.some((key) => propertyValue(options, key) !== undefined)),
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Mongoose, Sequelize, TypeORM repositories: Model.method(…)[.limit().skip()]

type ReceiverKind = ModelCallModel['receivers'][number];

function modelCall(allLinks: readonly Link[], evidence: Evidence, scopes: Scopes): Draft | undefined {
  // dataSource.getRepository(User).find(…): the repository is built by the first link.
  const links = REPOSITORY_FACTORIES.has(allLinks[0]?.name ?? '') ? allLinks.slice(1) : allLinks;
  const root = links[0];
  if (!root?.name || !root.receiver) return undefined;
  const receiver = classifyReceiver(unwrap(root.receiver), root.call);
  if (!receiver) return undefined;
  const method = root.name;
  const candidates = MODEL_CALL_MODELS.filter((model) => model.receivers.includes(receiver.kind) && model.methods[method] && evidence.uses(model.packages));
  const model = candidates.find((candidate) => evidence.imported(candidate.packages)) ?? candidates[0];
  const spec = model?.methods[method];
  if (!model || !spec) return undefined;
  const shift = receiver.kind === 'entity-manager' ? 1 : 0;
  const firstArg = root.call.arguments[shift];
  // `rows.find((row) => …)` is Array.prototype.find, never a query.
  if (firstArg && (ts.isArrowFunction(unwrap(firstArg)) || ts.isFunctionExpression(unwrap(firstArg)))) return undefined;

  const conditions: DbCondition[] = [];
  let filter: ts.Expression | undefined;
  const filterArg = spec.filter ? root.call.arguments[spec.filter.arg + shift] : undefined;
  if (spec.filter && filterArg) {
    if (spec.filter.idField) {
      filter = filterArg;
      conditions.push({ field: spec.filter.idField, equality: true, value: filterArg, node: filterArg });
    } else if (spec.filter.key) {
      const options = argumentObject(filterArg, scopes);
      filter = options ? propertyValue(options, spec.filter.key) : undefined;
      if (filter) readObjectFilter(filter, conditions, scopes, false);
    } else {
      filter = filterArg;
      if (spec.filter.scalarIdField && isScalarValue(filterArg, scopes)) conditions.push({ field: spec.filter.scalarIdField, equality: true, value: filterArg, node: filterArg });
      else readObjectFilter(filterArg, conditions, scopes, false);
    }
  }
  const options = argumentObject(root.call.arguments[(spec.optionsArg ?? spec.filter?.arg ?? 0) + shift], scopes);
  let limited = options !== undefined && model.limitKeys.some((key) => propertyValue(options, key) !== undefined);
  let limit = optionsLimit(options, model.limitKeys);
  let paginated = options !== undefined && model.offsetKeys.some((key) => propertyValue(options, key) !== undefined);
  const end = queryEnd(links, 0);
  for (const link of links.slice(1, end + 1)) {
    if (model.chainLimit.includes(link.name ?? '')) {
      limited = true;
      limit = countLimit(link.call);
    }
    if (model.chainOffset.includes(link.name ?? '')) paginated = true;
  }
  const call = links[end]?.call ?? root.call;
  return { library: model.library, call, model: receiver.model, operation: spec.operation, filter, conditions, limited, limit, paginated };
}

function classifyReceiver(receiver: ts.Expression, call: ts.CallExpression): { kind: ReceiverKind; model: string } | undefined {
  if (ts.isCallExpression(receiver)) {
    // getRepository(User).find(…), dataSource.getRepository(User).find(…)
    const factory = lastName(receiver.expression);
    const entity = receiver.arguments[0];
    if (factory && REPOSITORY_FACTORIES.has(factory) && entity) return { kind: 'repository', model: entity.getText() };
    return undefined;
  }
  const name = lastName(receiver);
  if (!name) return undefined;
  if (ENTITY_MANAGER_NAMES.has(name)) {
    const entity = call.arguments[0];
    if (entity && ts.isIdentifier(unwrap(entity)) && isCapitalized(unwrap(entity).getText())) return { kind: 'entity-manager', model: unwrap(entity).getText() };
    return undefined;
  }
  const repository = REPOSITORY_NAME.exec(name);
  if (repository?.[1]) return { kind: 'repository', model: capitalize(repository[1]) };
  const handle = MODEL_HANDLE_NAME.exec(name);
  if (handle?.[1]) return { kind: 'model-handle', model: capitalize(handle[1]) };
  if (ts.isIdentifier(receiver) && isCapitalized(name) && !NOT_MODEL_CLASSES.has(name) && name !== name.toUpperCase()) return { kind: 'model-class', model: name };
  return undefined;
}

// ---------------------------------------------------------------------------
// Supabase: supabase.from('orders').select().eq('user_id', id).range(0, 9)

function supabaseCall(links: readonly Link[], evidence: Evidence, scopes: Scopes): Draft | undefined {
  const fromIndex = links.findIndex((link) => link.name === 'from');
  const from = links[fromIndex];
  if (!from?.receiver || !evidence.uses(SUPABASE_CHAIN.packages)) return undefined;
  let client = unwrap(from.receiver);
  if (ts.isCallExpression(client) && ts.isPropertyAccessExpression(client.expression) && client.expression.name.text === 'schema') client = unwrap(client.expression.expression);
  if (!isSupabaseClient(client, scopes)) return undefined;
  const table = from.call.arguments[0];
  const model = table && ts.isStringLiteralLike(table) ? table.text : (table?.getText() ?? '');
  return readChain(SUPABASE_CHAIN, links, fromIndex + 1, model, scopes);
}

function isSupabaseClient(client: ts.Expression, scopes: Scopes): boolean {
  if (ts.isAwaitExpression(client)) return isSupabaseClient(unwrap(client.expression), scopes);
  if (ts.isCallExpression(client)) return SUPABASE_CLIENT_FACTORIES.has(lastName(client.expression) ?? '');
  const name = lastName(client);
  if (name && SUPABASE_CLIENT_NAME.test(name)) return true;
  if (ts.isIdentifier(client)) {
    return scopes.resolveAll(client).some((binding) => binding.initializer !== undefined && !binding.destructured && isSupabaseClient(unwrap(binding.initializer), scopes));
  }
  return false;
}

// ---------------------------------------------------------------------------
// Drizzle's builder: db.select().from(users).where(eq(users.id, id)).limit(1)

function drizzleCall(links: readonly Link[], evidence: Evidence, scopes: Scopes): Draft | undefined {
  if (!evidence.uses(DRIZZLE_CHAIN.packages)) return undefined;
  // The client may be made in place: drizzle(env.DB).select()…, so the query starts at the first operation on a client.
  const rootIndex = links.findIndex((link) => link.name !== undefined && DRIZZLE_CHAIN.operations[link.name] !== undefined && link.receiver !== undefined && isClient(unwrap(link.receiver), DRIZZLE_CLIENT_NAMES, 'drizzle', scopes));
  const root = links[rootIndex];
  if (!root?.name || rootIndex > 1) return undefined;
  let model: string;
  let start = rootIndex + 1;
  if (root.name === 'select' || root.name === 'selectDistinct') {
    const fromIndex = links.findIndex((link, index) => index > rootIndex && link.name === 'from');
    const table = links[fromIndex]?.call.arguments[0];
    if (fromIndex === -1 || !table || ts.isStringLiteralLike(table)) return undefined; // a string table is knex
    model = lastName(unwrap(table)) ?? table.getText();
    start = fromIndex + 1;
  } else {
    const table = root.call.arguments[0];
    if (!table || ts.isStringLiteralLike(table)) return undefined;
    model = lastName(unwrap(table)) ?? table.getText();
  }
  const draft = readChain(DRIZZLE_CHAIN, links, start, model, scopes, DRIZZLE_CHAIN.operations[root.name]);
  if (!draft) return undefined;
  const shape = root.call.arguments[0];
  const groupBy = links.some((link) => link.name === 'groupBy');
  if (draft.operation === 'read-many' && shape && ts.isObjectLiteralExpression(unwrap(shape)) && !groupBy && isAggregateShape(unwrap(shape) as ts.ObjectLiteralExpression)) {
    draft.operation = 'aggregate';
  }
  return draft;
}

function isAggregateShape(shape: ts.ObjectLiteralExpression): boolean {
  return (
    shape.properties.length > 0 &&
    shape.properties.every((property) => {
      if (!ts.isPropertyAssignment(property)) return false;
      const value = unwrap(property.initializer);
      if (ts.isCallExpression(value)) return AGGREGATE_FUNCTIONS.has(lastName(value.expression) ?? '');
      // sql<number>`count(*)`
      return ts.isTaggedTemplateExpression(value) && /^\s*(count|sum|avg|min|max)\s*\(/i.test(value.template.getText().slice(1));
    })
  );
}

// ---------------------------------------------------------------------------
// knex: knex('users').where({ id }).first(), db.select('*').from('users').limit(10)

function knexCall(links: readonly Link[], evidence: Evidence, scopes: Scopes): Draft | undefined {
  const root = links[0];
  if (!root || !evidence.uses(KNEX_CHAIN.packages)) return undefined;
  let table: ts.Expression | undefined;
  let start = 1;
  if (!root.name) {
    // knex('users')
    const callee = unwrap(root.call.expression);
    if (!isClient(callee, KNEX_CLIENT_NAMES, 'knex', scopes)) return undefined;
    table = root.call.arguments[0];
  } else {
    if (!root.receiver || !isClient(unwrap(root.receiver), KNEX_CLIENT_NAMES, 'knex', scopes)) return undefined;
    const tableIndex = links.findIndex((link) => KNEX_TABLE_METHODS.has(link.name ?? ''));
    if (tableIndex === -1) return undefined;
    table = links[tableIndex]?.call.arguments[0];
    start = 0;
  }
  if (!table || !ts.isStringLiteralLike(table)) return undefined;
  const model = table.text.split(/\s+as\s+|\s+/i)[0] ?? table.text;
  return readChain(KNEX_CHAIN, links, start, model, scopes, 'read-many');
}

// ---------------------------------------------------------------------------
// TypeORM's query builder: repo.createQueryBuilder('u').where('u.id = :id', { id }).getOne()

function queryBuilderCall(links: readonly Link[], evidence: Evidence, scopes: Scopes): Draft | undefined {
  const builderIndex = links.findIndex((link) => link.name === 'createQueryBuilder');
  const builder = links[builderIndex];
  if (!builder?.receiver || !evidence.uses(TYPEORM_QUERY_BUILDER.packages)) return undefined;
  const receiver = classifyReceiver(unwrap(builder.receiver), builder.call);
  const fromLink = links.find((link) => link.name === 'from');
  const entity = fromLink?.call.arguments[0] ?? (receiver?.kind === 'entity-manager' ? builder.call.arguments[0] : undefined);
  const model = receiver && receiver.kind !== 'entity-manager' ? receiver.model : (entity?.getText() ?? '');
  const draft = readChain(TYPEORM_QUERY_BUILDER, links, builderIndex + 1, model, scopes);
  return draft;
}

// ---------------------------------------------------------------------------
// A chain read with a ChainModel: operation, filters, limit, offset.

function readChain(chain: ChainModel, links: readonly Link[], start: number, model: string, scopes: Scopes, initial?: DbOperation): Draft | undefined {
  const end = queryEnd(links, Math.max(0, start - 1));
  let operation = initial;
  let limited = false;
  let limit: DbLimit | undefined;
  let paginated = false;
  let single = false;
  let hasOr = false;
  let filter: ts.Expression | undefined;
  const conditions: DbCondition[] = [];
  for (const link of links.slice(start, end + 1)) {
    const name = link.name;
    if (!name) continue;
    const op = chain.operations[name];
    if (op && (operation === undefined || (operation === 'read-many' && op !== 'read-many' && chain !== SUPABASE_CHAIN))) operation = op;
    if (chain === SUPABASE_CHAIN && name === 'select' && isCountHead(link.call.arguments[1])) operation = operation === 'read-many' ? 'aggregate' : operation;
    if (chain.limit.includes(name)) {
      limited = true;
      // The last bound set is the one the query runs with.
      limit = chain.countMethods.includes(name) ? countLimit(link.call) : name === chain.rangeMethod ? rangeLimit(link.call) : undefined;
    }
    if (chain.offset.includes(name)) paginated = true;
    if (chain.single.includes(name)) single = true;
    if (/^or/.test(name)) hasOr = true;
    const kind = chain.filters[name];
    if (!kind) continue;
    filter ??= link.call;
    const [first, second, third] = link.call.arguments;
    if (chain === DRIZZLE_CHAIN) {
      if (first) readDrizzleCondition(first, conditions, scopes);
    } else if (kind === 'object' || (first && !ts.isStringLiteralLike(unwrap(first)))) {
      if (first) readObjectFilter(first, conditions, scopes, false);
    } else if (kind === 'sql-string') {
      if (first && ts.isStringLiteralLike(unwrap(first))) readSqlStringCondition(unwrap(first) as ts.StringLiteralLike, second, conditions, scopes);
    } else if (first && ts.isStringLiteralLike(unwrap(first))) {
      const field = columnName((unwrap(first) as ts.StringLiteralLike).text);
      // knex where('col', value) and where('col', '=', value); Supabase eq('col', value)
      const isEq = kind === 'eq' && (third === undefined || (ts.isStringLiteralLike(unwrap(second ?? first)) && (unwrap(second ?? first) as ts.StringLiteralLike).text === '='));
      const value = third ?? second;
      conditions.push({ field, equality: isEq && value !== undefined, value, node: first, members: kind === 'in' ? second : undefined });
    }
  }
  if (operation === undefined) return undefined;
  if (single && (operation === 'read-many' || operation === undefined)) operation = 'read-one';
  if (hasOr) {
    for (const condition of conditions) {
      condition.equality = false;
      condition.members = undefined;
    }
  }
  const call = links[end]?.call;
  if (!call) return undefined;
  return { library: chain.library, call, model, operation, filter, conditions, limited, limit, paginated };
}

/** Supabase `select('*', { count: 'exact', head: true })`: a count, no rows. */
function isCountHead(options: ts.Expression | undefined): boolean {
  if (!options || !ts.isObjectLiteralExpression(unwrap(options))) return false;
  const head = propertyValue(unwrap(options) as ts.ObjectLiteralExpression, 'head');
  return head !== undefined && head.kind === ts.SyntaxKind.TrueKeyword;
}

/** TypeORM `where('user.ownerId = :ownerId', { ownerId })`. */
function readSqlStringCondition(text: ts.StringLiteralLike, params: ts.Expression | undefined, out: DbCondition[], scopes: Scopes): void {
  const shape = readSqlQuery(`SELECT 1 FROM t WHERE ${text.text}`);
  const values = params ? argumentObject(params, scopes) : undefined;
  for (const condition of shape.conditions) {
    const name = condition.placeholder?.kind === 'named' ? condition.placeholder.name : undefined;
    const value = name && values ? (propertyValue(values, name) ?? shorthandValue(values, name)) : undefined;
    out.push({ field: condition.column, equality: condition.equality, value, node: text });
  }
}

// ---------------------------------------------------------------------------
// SQL text sent through a driver

function sqlCall(sink: SqlSink, scopes: Scopes): Draft | undefined {
  const library = sink.model?.library;
  if (sink.method === 'rpc' || library === 'drizzle' || sink.model?.fragment || (library === 'knex' && sink.method !== 'raw')) return undefined;
  const substitutions: ts.Expression[] = [];
  const text = [sink.built, ...sink.appended].map((part) => sqlSkeleton(part, substitutions, scopes, 0)).join(' ');
  const shape = readSqlQuery(text);

  let call = sink.call;
  let values: readonly ts.Expression[] = [];
  let named: ts.ObjectLiteralExpression | undefined;
  let rows: 'one' | 'many' | 'write' | undefined;
  const binding = sink.model?.binding;
  if (binding === 'chained-call') {
    const statement = sink.call.parent;
    if (statement && ts.isPropertyAccessExpression(statement) && statement.parent && ts.isCallExpression(statement.parent) && statement.parent.expression === statement) {
      rows = STATEMENT_METHODS[statement.name.text];
      if (rows) {
        call = statement.parent;
        values = call.arguments;
      }
    }
  } else if (binding === 'rest-args' || (binding === 'tagged-template' && sink.model?.valuesArg !== undefined)) {
    values = sink.call.arguments.slice(sink.model?.valuesArg ?? 1);
  } else if (sink.config) {
    // `query({ text, values: [a, b] })`
    const list = propertyValue(sink.config, 'values');
    const inner = list ? unwrap(list) : undefined;
    if (inner && ts.isArrayLiteralExpression(inner)) values = inner.elements;
  } else {
    const valuesArg = sink.call.arguments[sink.model?.valuesArg ?? 1];
    const list = valuesArg ? unwrap(valuesArg) : undefined;
    if (list && ts.isArrayLiteralExpression(list)) values = list.elements;
    else if (list && ts.isObjectLiteralExpression(list)) {
      const replacements = propertyValue(list, 'replacements') ?? propertyValue(list, 'bind');
      const inner = replacements ? unwrap(replacements) : undefined;
      if (inner && ts.isArrayLiteralExpression(inner)) values = inner.elements;
      else if (inner && ts.isObjectLiteralExpression(inner)) named = inner;
    }
  }
  const valueOf = (placeholder: SqlPlaceholder | undefined): ts.Expression | undefined => {
    if (!placeholder) return undefined;
    if (placeholder.kind === 'dollar') return values[placeholder.index - 1];
    if (placeholder.kind === 'question') return values[placeholder.ordinal];
    if (placeholder.kind === 'substitution') return substitutions[placeholder.index];
    return named ? (propertyValue(named, placeholder.name) ?? shorthandValue(named, placeholder.name)) : undefined;
  };

  let operation: DbOperation;
  if (shape.verb === 'select') {
    if (shape.aggregateOnly) operation = 'aggregate';
    else if (shape.limit?.value === 1 || rows === 'one') operation = 'read-one';
    else operation = 'read-many';
  } else if (shape.verb === 'insert') operation = 'create';
  else if (shape.verb === 'update') operation = 'update';
  else if (shape.verb === 'delete') operation = 'delete';
  else operation = 'raw';

  const conditions: DbCondition[] = shape.conditions.map((condition) => ({
    field: condition.column,
    equality: condition.equality,
    value: valueOf(condition.placeholder),
    node: sink.built,
  }));
  return {
    library: 'sql',
    call,
    model: shape.table ?? '',
    operation,
    filter: sink.built,
    conditions,
    limited: shape.limit !== undefined,
    limit: countOf(valueOf(shape.limit?.placeholder)),
    paginated: shape.offset,
    sql: sink,
  };
}

/** SQL text of an expression, each value spliced in shown as a substitution marker (remembered in `substitutions`). */
function sqlSkeleton(expr: ts.Expression, substitutions: ts.Expression[], scopes: Scopes, depth: number): string {
  const inner = unwrap(expr);
  if (ts.isStringLiteralLike(inner)) return inner.text;
  if (ts.isTemplateExpression(inner)) {
    return inner.head.text + inner.templateSpans.map((span) => sqlSkeleton(span.expression, substitutions, scopes, depth + 1) + span.literal.text).join('');
  }
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return sqlSkeleton(inner.left, substitutions, scopes, depth + 1) + sqlSkeleton(inner.right, substitutions, scopes, depth + 1);
  }
  if (ts.isIdentifier(inner) && depth < 6) {
    // A constant fragment (`const COLUMNS = 'id, name'`) reads as its text.
    const only = scopes.resolveOnly(inner);
    if (only && only.kind === 'variable' && only.isConst && !only.destructured && only.initializer && isStringish(unwrap(only.initializer))) {
      return sqlSkeleton(only.initializer, substitutions, scopes, depth + 1);
    }
  }
  substitutions.push(inner);
  return SUBSTITUTION(substitutions.length - 1);
}

function isStringish(expr: ts.Expression): boolean {
  return ts.isStringLiteralLike(expr) || ts.isTemplateExpression(expr) || (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken);
}

// ---------------------------------------------------------------------------
// Filters

/**
 * Object filters: Prisma/Sequelize/TypeORM `where`, Mongoose filters, knex `where({…})`,
 * Supabase `match({…})`. `{ field: value }` is an equality; an operator object
 * (`{ in: [...] }`, `{ $gt: 1 }`) is not, unless it is `equals`/`$eq`.
 */
function readObjectFilter(expr: ts.Expression, out: DbCondition[], scopes: Scopes, nested: boolean): void {
  const object = argumentObject(expr, scopes);
  if (!object) return;
  for (const property of object.properties) {
    if (ts.isShorthandPropertyAssignment(property)) {
      out.push({ field: property.name.text, equality: !nested, value: property.name, node: property.name });
      continue;
    }
    if (!ts.isPropertyAssignment(property)) continue;
    const key = propertyKey(property.name);
    if (key === undefined) continue;
    if (AND_KEYS.has(key)) {
      const value = unwrap(property.initializer);
      for (const part of ts.isArrayLiteralExpression(value) ? value.elements : [value]) readObjectFilter(part, out, scopes, nested);
      continue;
    }
    if (LOGICAL_KEYS.has(key)) continue;
    const value = unwrap(property.initializer);
    if (ts.isObjectLiteralExpression(value)) {
      const only = value.properties.length === 1 ? value.properties[0] : undefined;
      const equals = only && ts.isPropertyAssignment(only) && EQUALITY_OPERATOR_KEYS.has(propertyKey(only.name) ?? '') ? only.initializer : undefined;
      // The operators of one field's object all hold: `{ in: ids, not: x }` still only matches members of ids.
      const members = nested ? undefined : value.properties.find((operator): operator is ts.PropertyAssignment => ts.isPropertyAssignment(operator) && isMembershipKey(operator.name))?.initializer;
      out.push({ field: key, equality: !nested && equals !== undefined, value: equals, node: property.name, members });
    } else if (ts.isCallExpression(value) && ts.isIdentifier(value.expression) && FIND_OPERATOR_CALLS.has(value.expression.text)) {
      // TypeORM find operators: Equal(x) is an equality, In([...]) / MoreThan(x) are not.
      const isEqual = EQUALITY_OPERATOR_CALLS.has(value.expression.text);
      const members = !nested && MEMBERSHIP_OPERATOR_CALLS.has(value.expression.text) ? value.arguments[0] : undefined;
      out.push({ field: key, equality: !nested && isEqual, value: isEqual ? value.arguments[0] : undefined, node: property.name, members });
    } else if (ts.isArrayLiteralExpression(value)) {
      out.push({ field: key, equality: false, node: property.name, members: nested ? undefined : value }); // Sequelize `{ id: [1, 2] }` is IN
    } else {
      out.push({ field: key, equality: !nested, value: property.initializer, node: property.name });
    }
  }
}

/** Drizzle conditions: `eq(users.id, id)`, `and(…)`, the relational API's `(t, { eq }) => eq(t.id, id)` and object form. */
function readDrizzleCondition(expr: ts.Expression, out: DbCondition[], scopes: Scopes): void {
  const inner = unwrap(expr);
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) {
    const body = inner.body;
    if (ts.isBlock(body)) {
      const returned = body.statements.find(ts.isReturnStatement)?.expression;
      if (returned) readDrizzleCondition(returned, out, scopes);
    } else {
      readDrizzleCondition(body, out, scopes);
    }
    return;
  }
  if (ts.isObjectLiteralExpression(inner)) {
    readObjectFilter(inner, out, scopes, false);
    return;
  }
  if (!ts.isCallExpression(inner)) return;
  const operator = DRIZZLE_OPERATORS[lastName(inner.expression) ?? ''];
  if (operator === 'and') {
    for (const arg of inner.arguments) readDrizzleCondition(arg, out, scopes);
    return;
  }
  const column = inner.arguments[0];
  if (!operator || !column) return;
  const field = lastName(unwrap(column));
  if (field) out.push({ field, equality: operator === 'eq', value: operator === 'eq' ? inner.arguments[1] : undefined, node: column, members: operator === 'in' ? inner.arguments[1] : undefined });
}

// ---------------------------------------------------------------------------
// Loops

/**
 * The loop a node runs in, within its function: a for/for…of/for…in/while/do
 * body, or a callback run per element (`rows.map(fn)`, `Promise.all(rows.map(fn))`,
 * `Array.from(rows, fn)`). Other callbacks passed as arguments (`$transaction(fn)`,
 * `.then(fn)`) run as part of their caller, so the walk continues through them.
 */
export function loopContext(node: ts.Node): { loop: ts.Node; iterated?: ts.Expression } | undefined {
  let child: ts.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (ts.isFunctionLike(current)) {
      const collection = iterationCollection(current);
      if (collection !== undefined) return { loop: current, iterated: collection ?? undefined };
      const parent = current.parent;
      if (!parent || !ts.isCallExpression(parent) || !parent.arguments.includes(current as ts.Expression)) return undefined;
      continue;
    }
    if ((ts.isForOfStatement(current) || ts.isForInStatement(current)) && child === current.statement) return { loop: current, iterated: current.expression };
    if (ts.isForStatement(current) && child === current.statement) return { loop: current, iterated: lengthBound(current.condition) };
    if ((ts.isWhileStatement(current) || ts.isDoStatement(current)) && child === current.statement) return { loop: current };
  }
  return undefined;
}

/** For a callback run per element: the collection (or null when unknown); undefined when it is not such a callback. */
function iterationCollection(fn: ts.Node): ts.Expression | null | undefined {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee) && ITERATION_METHODS.has(callee.name.text) && call.arguments[0] === fn) return callee.expression;
  const name = callee.getText();
  const known = ITERATION_FUNCTIONS.find((entry) => entry.callee === name);
  if (known) return call.arguments[known.collectionArg] ?? null;
  return undefined;
}

/** `i < rows.length` -> `rows`. */
function lengthBound(condition: ts.Expression | undefined): ts.Expression | undefined {
  if (!condition || !ts.isBinaryExpression(condition)) return undefined;
  const side = unwrap(condition.right);
  return ts.isPropertyAccessExpression(side) && side.name.text === 'length' ? side.expression : undefined;
}

/**
 * The query whose rows an expression holds, if any: `orders`, `orders.filter(…)`,
 * `result.rows`, `order.items` (rows loaded with the order), a loop variable or
 * a per-element callback's parameter over such rows.
 */
export function queryResultOf(expr: ts.Expression, dbCalls: readonly DbCall[], scopes: Scopes, depth = 0): DbCall | undefined {
  if (depth > 8) return undefined;
  const inner = unwrap(expr);
  const next = (e: ts.Expression): DbCall | undefined => queryResultOf(e, dbCalls, scopes, depth + 1);
  if (ts.isAwaitExpression(inner)) return next(inner.expression);
  if (ts.isCallExpression(inner)) {
    const direct = dbCalls.find((candidate) => candidate.call === inner);
    if (direct) return direct;
    const callee = unwrap(inner.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      if (['map', 'filter', 'slice', 'flat', 'flatMap', 'sort', 'toSorted', 'concat', 'values', 'entries', 'reverse'].includes(callee.name.text)) return next(callee.expression);
      if (['from', 'values', 'entries'].includes(callee.name.text) && inner.arguments[0]) return next(inner.arguments[0]); // Array.from(x), Object.values(x)
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) return next(inner.expression);
  if (ts.isBinaryExpression(inner)) {
    // `order?.items ?? []`, `rows || []`
    const op = inner.operatorToken.kind;
    return op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken ? (next(inner.left) ?? next(inner.right)) : undefined;
  }
  if (ts.isConditionalExpression(inner)) return next(inner.whenTrue) ?? next(inner.whenFalse);
  if (ts.isIdentifier(inner)) {
    for (const binding of scopes.resolveAll(inner)) {
      if (binding.kind === 'variable' && binding.initializer) {
        const found = next(binding.initializer);
        if (found) return found;
      }
      if (binding.kind === 'parameter') {
        const fn = binding.declaration.parent;
        const collection = fn && ts.isFunctionLike(fn) ? iterationCollection(fn) : undefined;
        if (collection) {
          const found = next(collection);
          if (found) return found;
        }
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Small syntax helpers

function isClient(expr: ts.Expression, names: RegExp, pkg: string, scopes: Scopes): boolean {
  const name = lastName(expr);
  if (name && names.test(name)) return true;
  // drizzle(env.DB).select()…: a client made in place
  if (ts.isCallExpression(expr)) return lastName(expr.expression)?.toLowerCase() === pkg;
  // const pg = knex(config); const conn = drizzle(pool)
  if (ts.isIdentifier(expr)) {
    return scopes.resolveAll(expr).some((binding) => {
      if (binding.kind === 'import') return false;
      const init = binding.initializer ? unwrap(binding.initializer) : undefined;
      const factory = init && ts.isCallExpression(init) ? lastName(init.expression) : undefined;
      return factory !== undefined && (factory === pkg || factory.toLowerCase() === pkg);
    });
  }
  return false;
}

/** `prisma` for `prisma`, `this.prisma`, `ctx.db` -> `db`. */
function lastName(expr: ts.Expression): string | undefined {
  const inner = unwrap(expr);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  return undefined;
}

function isCapitalized(name: string): boolean {
  const first = name.charAt(0);
  return first >= 'A' && first <= 'Z';
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A value that is not a criteria object: `req.params.id`, `Number(id)`, `id`, `42` (not an object or array, nor a name bound to one). */
function isScalarValue(expr: ts.Expression, scopes: Scopes): boolean {
  const inner = unwrap(expr);
  if (ts.isObjectLiteralExpression(inner) || ts.isArrayLiteralExpression(inner) || argumentObject(inner, scopes)) return false;
  if (ts.isStringLiteralLike(inner) || ts.isNumericLiteral(inner) || ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) return true;
  if (ts.isCallExpression(inner)) return ts.isIdentifier(inner.expression) && ['Number', 'String', 'parseInt', 'BigInt'].includes(inner.expression.text);
  if (ts.isIdentifier(inner)) {
    return scopes.resolveAll(inner).some((binding) => binding.kind === 'variable' && binding.initializer !== undefined && isScalarValue(binding.initializer, scopes));
  }
  return false;
}

/** The object literal an argument is, or names through a `const`. */
function argumentObject(expr: ts.Expression | undefined, scopes: Scopes): ts.ObjectLiteralExpression | undefined {
  if (!expr) return undefined;
  const inner = unwrap(expr);
  if (ts.isObjectLiteralExpression(inner)) return inner;
  if (ts.isIdentifier(inner)) {
    const only = scopes.resolveOnly(inner);
    const init = only && only.kind === 'variable' && !only.destructured && only.assignments.length === 0 && only.initializer ? unwrap(only.initializer) : undefined;
    if (init && ts.isObjectLiteralExpression(init)) return init;
  }
  return undefined;
}

/** `in`, `$in`, and Sequelize's `[Op.in]` / `[Sequelize.Op.in]`. */
function isMembershipKey(name: ts.PropertyName): boolean {
  if (ts.isComputedPropertyName(name)) {
    const expr = unwrap(name.expression);
    return ts.isPropertyAccessExpression(expr) && expr.name.text === 'in' && lastName(unwrap(expr.expression)) === 'Op';
  }
  return MEMBERSHIP_OPERATOR_KEYS.has(propertyKey(name) ?? '');
}

function propertyKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** The value of `key` in an object literal (`key: value` or the shorthand `key`). */
export function propertyValue(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyKey(property.name) === key) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === key) return property.name;
  }
  return undefined;
}

function shorthandValue(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  return propertyValue(object, key);
}

function hasSpread(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some(ts.isSpreadAssignment);
}

/** `{ take: n }`: the value of the first limit key the options hold; none beside a spread, which may set it instead. */
function optionsLimit(options: ts.ObjectLiteralExpression | undefined, keys: readonly string[]): DbLimit | undefined {
  if (!options || hasSpread(options)) return undefined;
  for (const key of keys) {
    const value = propertyValue(options, key);
    if (value) return { kind: 'count', count: value };
  }
  return undefined;
}

/** `.limit(n)`: the count is the first argument. */
function countLimit(call: ts.CallExpression): DbLimit | undefined {
  return countOf(call.arguments[0]);
}

function countOf(count: ts.Expression | undefined): DbLimit | undefined {
  return count ? { kind: 'count', count } : undefined;
}

/** `.range(from, to)`. */
function rangeLimit(call: ts.CallExpression): DbLimit | undefined {
  const [from, to] = call.arguments;
  return from && to ? { kind: 'range', from, to } : undefined;
}

/** `u.user_id` -> `user_id`; `users.id as uid` is not a filter column and is left as written. */
function columnName(text: string): string {
  const dot = text.lastIndexOf('.');
  return (dot === -1 ? text : text.slice(dot + 1)).trim();
}

export type { DbLibrary };

/** The innermost call of a chain: `Model.find(f)` in `Model.find(f).sort(s).lean()`. */
export function chainRoot(call: ts.CallExpression): ts.CallExpression {
  let current = call;
  for (;;) {
    const callee = unwrap(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) return current;
    const inner = unwrap(callee.expression);
    if (!ts.isCallExpression(inner)) return current;
    current = inner;
  }
}
