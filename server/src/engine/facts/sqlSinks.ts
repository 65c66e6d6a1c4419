// Calls that hand raw SQL text to a database, resolved to their library, with the
// expression that builds the SQL (following a `const sql = …` to its declaration).
import { ts } from '../ts';
import type { ImportFacts } from './imports';
import { type Binding, type Scopes, unwrap } from './scopes';
import { GENERIC_LIBRARY_PREFERENCE, SQL_SINK_MODELS, SQL_TEXT, SUPABASE_SQL_RPC, type SqlSinkModel } from './sqlSinkModels';
import { type SplicedString, spliceString } from './splicing';

export interface SqlSink {
  call: ts.CallExpression;
  method: string;
  /**
   * The library the call likely belongs to, by the file's imports and the project's dependencies;
   * undefined when only the SQL text says it is a query. Enough to tell a query from other calls,
   * but it may be a guess: a fix asks `FileFacts.sqlDriver` (sqlDrivers.ts), which follows the receiver.
   */
  model: SqlSinkModel | undefined;
  /** Every model whose method (and receiver) the call matches: the libraries that could own it. */
  candidates: readonly SqlSinkModel[];
  /** The argument as written; for a query config object, the value of its SQL key. */
  argument: ts.Expression;
  /** Set when the SQL is a property of a query config object (`pool.query({ text: sql, values })`, mysql2 `{ sql }`). */
  config?: ts.ObjectLiteralExpression;
  /** The expression that builds the SQL: the argument, or the initializer of the `const` it names. */
  built: ts.Expression;
  /** Set when the SQL was built in a variable declared elsewhere in the function. */
  variable?: Binding;
  /** The variable is extended later (`sql += …`); those parts are in `appended`. */
  appended: readonly ts.Expression[];
  /** How `built` assembles the SQL from text and spliced values; undefined when it is not assembled (a literal, a name, a call). */
  splice?: SplicedString;
  /** The same for each `appended` part, index for index. */
  appendedSplices: (SplicedString | undefined)[];
}

export function findSqlSinks(calls: readonly ts.CallExpression[], imports: ImportFacts, dependencies: ReadonlySet<string>, scopes: Scopes): SqlSink[] {
  const sinks: SqlSink[] = [];
  for (const call of calls) {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const method = callee.name.text;
    if (method === SUPABASE_SQL_RPC.method) {
      const sink = supabaseRpcSink(call, imports, dependencies, scopes);
      if (sink) sinks.push(sink);
      continue;
    }
    let candidates = SQL_SINK_MODELS.filter((model) => model.methods.includes(method) && (!model.receivers || isReceiver(callee.expression, model, imports)));
    if (candidates.length === 0) continue;
    let argument = call.arguments[candidates[0]?.sqlArg ?? 0];
    let config: ts.ObjectLiteralExpression | undefined;
    const written = argument && unwrap(argument);
    if (written && ts.isObjectLiteralExpression(written)) {
      // `pool.query({ text: \`…\`, values })`: the SQL is the property the libraries that take a config name
      const found = configText(written, candidates);
      if (found) {
        ({ argument, candidates } = found);
        config = written;
      }
    }
    if (!argument || ts.isTaggedTemplateExpression(unwrap(argument))) continue;
    const { built, variable, appended } = followSqlVariable(argument, scopes);
    const model = resolveModel(candidates, imports, dependencies);
    const looksLikeSql = SQL_TEXT.test(staticText(built) + appended.map(staticText).join(' '));
    if (model === undefined) {
      // No evidence of the library: still a sink when the text is plainly SQL and the method is a query verb.
      if ((method === 'query' || method === 'execute') && looksLikeSql) sinks.push(withSplices({ call, method, model, candidates, argument, config, built, variable, appended }, imports));
      continue;
    }
    if (model.needsSqlLookingText && !looksLikeSql) continue;
    sinks.push(withSplices({ call, method, model, candidates, argument, config, built, variable, appended }, imports));
  }
  return sinks;
}

function withSplices(sink: Omit<SqlSink, 'splice' | 'appendedSplices'>, imports: ImportFacts): SqlSink {
  return { ...sink, splice: spliceString(sink.built, imports), appendedSplices: sink.appended.map((part) => spliceString(part, imports)) };
}

/** The SQL text of a query config object, and the candidates whose config key holds it. */
function configText(config: ts.ObjectLiteralExpression, candidates: readonly SqlSinkModel[]): { argument: ts.Expression; candidates: SqlSinkModel[] } | undefined {
  for (const property of config.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
    const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
    const owners = candidates.filter((model) => model.configKey !== undefined && model.configKey === key);
    if (owners.length > 0) return { argument: ts.isPropertyAssignment(property) ? property.initializer : property.name, candidates: owners };
  }
  return undefined;
}

/** `sql.raw`: the receiver is so named, or is the package's `sql` imported under another name (`import { sql as dsql }`). */
function isReceiver(receiver: ts.Expression, model: SqlSinkModel, imports: ImportFacts): boolean {
  if (!ts.isIdentifier(receiver) || !model.receivers) return false;
  const local = receiver.text;
  if (model.receivers.includes(local)) return true;
  const pkg = imports.bindings.get(local);
  const imported = imports.importedNames.get(local);
  return pkg !== undefined && imported !== undefined && model.packages.includes(pkg) && model.receivers.includes(imported);
}

function resolveModel(candidates: readonly SqlSinkModel[], imports: ImportFacts, dependencies: ReadonlySet<string>): SqlSinkModel | undefined {
  const imported = candidates.find((model) => model.packages.some((pkg) => imports.packages.has(pkg)));
  if (imported) return imported;
  const distinctive = candidates.find((model) => model.distinctive);
  if (distinctive) return distinctive;
  for (const library of GENERIC_LIBRARY_PREFERENCE) {
    const model = candidates.find((candidate) => candidate.library === library && candidate.packages.some((pkg) => dependencies.has(pkg)));
    if (model) return model;
  }
  return undefined;
}

function supabaseRpcSink(call: ts.CallExpression, imports: ImportFacts, dependencies: ReadonlySet<string>, scopes: Scopes): SqlSink | undefined {
  const usesSupabase = SUPABASE_SQL_RPC.packages.some((pkg) => imports.packages.has(pkg) || dependencies.has(pkg));
  const params = call.arguments[1];
  if (!usesSupabase || !params || !ts.isObjectLiteralExpression(unwrap(params))) return undefined;
  for (const property of (unwrap(params) as ts.ObjectLiteralExpression).properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
    const key = property.name.getText();
    if (!(SUPABASE_SQL_RPC.sqlKeys as readonly string[]).includes(key.replace(/['"]/g, ''))) continue;
    const argument = ts.isPropertyAssignment(property) ? property.initializer : property.name;
    const { built, variable, appended } = followSqlVariable(argument, scopes);
    return withSplices({ call, method: 'rpc', model: undefined, candidates: [], argument, built, variable, appended }, imports);
  }
  return undefined;
}

/** `const sql = \`…\`; db.query(sql)` -> the template; `let sql = …; sql += …` -> both parts. */
function followSqlVariable(argument: ts.Expression, scopes: Scopes): { built: ts.Expression; variable?: Binding; appended: readonly ts.Expression[] } {
  const inner = unwrap(argument);
  if (!ts.isIdentifier(inner)) return { built: argument, appended: [] };
  const binding = visibleBinding(scopes.resolveAll(inner), inner);
  if (!binding || binding.kind !== 'variable' || binding.destructured || !binding.initializer) return { built: argument, appended: [] };
  return { built: binding.initializer, variable: binding, appended: binding.assignments };
}

/**
 * Scopes are function-level, so `if (a) { const sql = …; q(sql) } else { const sql = …; q(sql) }`
 * yields two bindings: keep the one whose block encloses the use.
 */
function visibleBinding(bindings: readonly Binding[], use: ts.Node): Binding | undefined {
  if (bindings.length <= 1) return bindings[0];
  let best: { binding: Binding; size: number } | undefined;
  let tie = false;
  for (const binding of bindings) {
    const list = binding.declaration.parent;
    const block = list && ts.isVariableDeclarationList(list) ? list.parent?.parent : undefined;
    if (!block || block.pos > use.pos || use.end > block.end || binding.declaration.end > use.pos) continue;
    const size = block.end - block.pos;
    if (best && size === best.size) tie = true;
    if (!best || size < best.size) {
      best = { binding, size };
      tie = false;
    }
  }
  return best && !tie ? best.binding : undefined;
}

/** The constant skeleton of a SQL-building expression, substitutions dropped: enough to tell SQL from not-SQL. */
export function staticText(expr: ts.Expression): string {
  const inner = unwrap(expr);
  if (ts.isStringLiteralLike(inner)) return inner.text;
  if (ts.isTemplateExpression(inner)) return inner.head.text + inner.templateSpans.map((span) => ` ${span.literal.text}`).join('');
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) return `${staticText(inner.left)} ${staticText(inner.right)}`;
  if (ts.isCallExpression(inner)) return inner.arguments.map(staticText).join(' ') + (ts.isPropertyAccessExpression(inner.expression) ? ` ${staticText(inner.expression.expression)}` : '');
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.map((element) => staticText(element)).join(' ');
  return '';
}
