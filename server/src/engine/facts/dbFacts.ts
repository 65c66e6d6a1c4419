// A file's SQL sinks and DB calls, found per large function (and per top-level
// statement for the calls outside those) and kept across edits (editContext.ts):
// typing inside one function finds that function's calls again and reuses every
// other function's. Each call is judged on its own, so the file's facts
// are its parts' in source order, as a single pass over all its calls would give.
//
// A part may read outside its function: file-level names it resolves (`const db =
// knex(…)`, a constant SQL fragment, a filter object) and the loop around it. Those
// nodes are recorded as the part's reads, so the part is found again when any of them
// changes. A part whose facts hold a file-level binding (a SQL text kept in a
// file-level variable) is not kept: bindings are recreated with every version.
import { ts } from '../ts';
import type { DbCall } from './appModel';
import { callsOfFunction } from './calls';
import { findDbCallsAmong, isDistinctivePrismaCall, usesOrmPackage } from './dbCalls';
import { AcrossEdits } from './editContext';
import type { ImportFacts } from './imports';
import { type Binding, Scopes, isScopeNode } from './scopes';
import { findSqlSinks, type SqlSink } from './sqlSinks';
import { MEMO_MIN_LENGTH, subtreeMemo } from './subtreeMemo';

export interface DbFacts {
  sqlSinks: SqlSink[];
  dbCalls: DbCall[];
}

/** A function's facts, with the project inputs they were found under (not covered by the edit context). */
interface Kept extends DbFacts {
  dependencies: ReadonlySet<string>;
  ormCalls: boolean;
}

/** Per large function, and per top-level statement for its calls outside those functions (a function declaration is both). */
const keptInFunction = new AcrossEdits<ts.Node, Kept>();
const keptInStatement = new AcrossEdits<ts.Node, Kept>();

export function findDbFacts(sourceFile: ts.SourceFile, imports: ImportFacts, dependencies: ReadonlySet<string>): DbFacts {
  const statements = sourceFile.statements.map(partsOf);
  // Whether the file may hold ORM calls at all, asked of the whole file: a Prisma-looking
  // call in one function makes another function's calls count.
  const ormCalls = usesOrmPackage(imports, dependencies) || statements.some(hasDistinctivePrismaCall);
  const sqlSinks: SqlSink[] = [];
  const dbCalls: DbCall[] = [];
  const add = (part: DbFacts): void => {
    for (const sink of part.sqlSinks) sqlSinks.push(sink);
    for (const call of part.dbCalls) dbCalls.push(call);
  };
  for (const { statement, loose, functions } of statements) {
    if (loose.length > 0) add(keptFacts(keptInStatement, statement, loose, imports, dependencies, ormCalls));
    for (const fn of functions) add(keptFacts(keptInFunction, fn, callsOfFunction(fn), imports, dependencies, ormCalls));
  }
  // Back to one pass's order. Ties (`a.b().c()` and `a.b()` share a start) only occur
  // within one part, which keeps its own order; the sort is stable.
  sqlSinks.sort((a, b) => a.call.pos - b.call.pos);
  dbCalls.sort((a, b) => a.call.pos - b.call.pos);
  return { sqlSinks, dbCalls };
}

function keptFacts(
  memo: AcrossEdits<ts.Node, Kept>,
  key: ts.Node,
  calls: readonly ts.CallExpression[],
  imports: ImportFacts,
  dependencies: ReadonlySet<string>,
  ormCalls: boolean,
): DbFacts {
  const previous = memo.get(key);
  if (previous && previous.ormCalls === ormCalls && sameSet(previous.dependencies, dependencies)) return previous;
  const scopes = new RecordingScopes();
  const sqlSinks = findSqlSinks(calls, imports, dependencies, scopes);
  const found = { sqlSinks, dbCalls: findDbCallsAmong(calls, sqlSinks, imports, dependencies, scopes, ormCalls) };
  const reads = readsOutside(key, found, scopes.outer);
  if (reads) memo.set(key, { ...found, dependencies, ormCalls }, reads);
  return found;
}

/** Name resolution that notes the file-level bindings it hands out. */
class RecordingScopes extends Scopes {
  readonly outer = new Set<Binding>();

  override resolveAll(identifier: ts.Identifier): readonly Binding[] {
    return this.note(super.resolveAll(identifier));
  }

  override lookup(from: ts.Node, name: string): readonly Binding[] {
    return this.note(super.lookup(from, name));
  }

  private note(bindings: readonly Binding[]): readonly Binding[] {
    for (const binding of bindings) if (ts.isSourceFile(binding.scope)) this.outer.add(binding);
    return bindings;
  }
}

/**
 * The nodes outside `fn` that its facts were read from or point at, or undefined when
 * the facts cannot be kept (they hold a file-level binding). `fn` is outermost, so
 * every binding outside it is file-level.
 */
function readsOutside(fn: ts.Node, facts: DbFacts, outer: ReadonlySet<Binding>): ts.Node[] | undefined {
  const reads = new Set<ts.Node>();
  for (const binding of outer) reads.add(binding.declaration);
  const note = (node: ts.Node | undefined): void => {
    if (node && (node.pos < fn.pos || node.end > fn.end)) reads.add(node);
  };
  for (const sink of facts.sqlSinks) {
    if (sink.variable && ts.isSourceFile(sink.variable.scope)) return undefined;
    note(sink.argument);
    note(sink.built);
    sink.appended.forEach(note);
  }
  for (const call of facts.dbCalls) {
    note(call.call);
    note(call.filter);
    note(call.loop);
    note(call.iterated);
    for (const condition of call.conditions ?? []) {
      note(condition.node);
      note(condition.value);
    }
  }
  return [...reads];
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

/**
 * The node a call's facts are kept by: the outermost large function around it, else
 * its top-level statement (as `partsOf` divides a statement). While a sink or DB call
 * is handed out again on a later version, this node is the same and unchanged, so
 * every offset inside it has moved by the same amount as the node.
 */
export function keptWith(node: ts.Node): ts.Node {
  let kept: ts.Node | undefined;
  let current = node;
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (isScopeNode(current) && current.end - current.pos >= MEMO_MIN_LENGTH) kept = current;
    if (ts.isSourceFile(parent)) return kept ?? current;
    current = parent;
  }
  return kept ?? current;
}

/** A top-level statement's calls outside large functions, and its outermost large functions. */
interface StatementParts {
  statement: ts.Statement;
  loose: ts.CallExpression[];
  functions: ts.Node[];
  distinctivePrisma?: boolean;
}

/** Kept per statement node: the reparse keeps every statement the edit is not in. */
const partsOf = subtreeMemo((statement: ts.Statement): StatementParts => {
  const parts: StatementParts = { statement, loose: [], functions: [] };
  const visit = (node: ts.Node): void => {
    if (isScopeNode(node) && node.end - node.pos >= MEMO_MIN_LENGTH) {
      parts.functions.push(node);
      return;
    }
    if (ts.isCallExpression(node)) parts.loose.push(node);
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return parts;
});

function hasDistinctivePrismaCall(parts: StatementParts): boolean {
  return (parts.distinctivePrisma ??= parts.loose.some(isDistinctivePrismaCall) || parts.functions.some((fn) => callsOfFunction(fn).some(isDistinctivePrismaCall)));
}
