// A file's SQL sinks and DB calls, found per large function (and per top-level
// statement for the calls outside those) and kept across edits (editContext.ts):
// typing inside one function finds that function's calls again and reuses every
// other function's. Each call is judged on its own, so the file's facts
// are its parts' in source order, as a single pass over all its calls would give.
// Statements do not overlap, so that order is each statement's, one after the other:
// while an edit keeps the context token (one function body or path literal edited, so
// the same imports and file-level names), the last version's facts are patched where
// the reparse replaced statements (and where a kept statement read a replaced one),
// instead of asking every statement and function again and sorting every call.
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
import { AcrossEdits, contextToken } from './editContext';
import { keepingFactsAcrossEdits } from './editCaching';
import type { ImportFacts } from './imports';
import { type Binding, Scopes, isScopeNode } from './scopes';
import { findSqlSinks, type SqlSink } from './sqlSinks';
import { MEMO_MIN_LENGTH, subtreeMemo } from './subtreeMemo';
import { type LargeFunction, statementNodes } from './subtreeNodes';

export interface DbFacts {
  sqlSinks: SqlSink[];
  dbCalls: DbCall[];
}

/** Facts with the project inputs they were found under (not covered by the edit context). */
interface Kept extends DbFacts {
  dependencies: ReadonlySet<string>;
  ormCalls: boolean;
}

/** Per large function, and per top-level statement for its calls outside those functions (a function declaration is both). */
const keptInFunction = new AcrossEdits<ts.Node, Kept & PartFacts>();
const keptInStatement = new AcrossEdits<ts.Node, Kept & PartFacts>();

/** A part's facts, with the nodes outside it they were read from (undefined: not kept, found again on every version). */
interface PartFacts extends DbFacts {
  reads: readonly ts.Node[] | undefined;
}

/** A top-level statement's facts in source order, with the other top-level statements they read (undefined: found again on every version). */
interface StatementFacts extends DbFacts {
  readStatements: readonly ts.Node[] | undefined;
}

/**
 * The last analysis of a file, per context token (editContext.ts): while the token is
 * the same, every statement the reparse kept has the facts it had, unless one it read
 * was replaced, so a new version is this one with the replaced statements patched.
 */
interface Snapshot {
  dependencies: ReadonlySet<string>;
  ormCalls: boolean;
  statements: readonly ts.Statement[];
  facts: readonly StatementFacts[];
  /** Per statement, whether it holds a Prisma-looking call (`ormCalls` is asked of the whole file). */
  prisma: readonly boolean[];
  /** Where each statement's sinks and calls start in `result` (one more entry: the ends). */
  sinkStarts: readonly number[];
  callStarts: readonly number[];
  /** Statements whose facts depend on other statements (or on nothing kept): looked at on every patch. */
  sensitive: readonly number[];
  result: DbFacts;
}

const snapshots = new WeakMap<object, Snapshot>();

export function findDbFacts(sourceFile: ts.SourceFile, imports: ImportFacts, dependencies: ReadonlySet<string>): DbFacts {
  if (!keepingFactsAcrossEdits()) return analyzed(sourceFile.statements, imports, dependencies).result;
  const token = contextToken(sourceFile);
  const previous = snapshots.get(token);
  const snapshot = (previous && patched(previous, sourceFile.statements, imports, dependencies)) ?? analyzed(sourceFile.statements, imports, dependencies);
  snapshots.set(token, snapshot);
  return snapshot.result;
}

function analyzed(statements: readonly ts.Statement[], imports: ImportFacts, dependencies: ReadonlySet<string>): Snapshot {
  const parts = statements.map(partsOf);
  const prisma = parts.map(hasDistinctivePrismaCall);
  // Whether the file may hold ORM calls at all, asked of the whole file: a Prisma-looking
  // call in one function makes another function's calls count.
  const ormCalls = usesOrmPackage(imports, dependencies) || prisma.includes(true);
  const facts = parts.map((part) => statementFacts(part, imports, dependencies, ormCalls));
  return snapshotOf(statements, facts, prisma, dependencies, ormCalls);
}

function snapshotOf(statements: readonly ts.Statement[], facts: readonly StatementFacts[], prisma: readonly boolean[], dependencies: ReadonlySet<string>, ormCalls: boolean): Snapshot {
  const sqlSinks: SqlSink[] = [];
  const dbCalls: DbCall[] = [];
  const sinkStarts: number[] = [];
  const callStarts: number[] = [];
  const sensitive: number[] = [];
  // Statements do not overlap and come in source order, so the file's facts in one
  // pass's order are each statement's in that order, one after the other.
  facts.forEach((statement, index) => {
    sinkStarts.push(sqlSinks.length);
    callStarts.push(dbCalls.length);
    for (const sink of statement.sqlSinks) sqlSinks.push(sink);
    for (const call of statement.dbCalls) dbCalls.push(call);
    if (statement.readStatements?.length !== 0) sensitive.push(index);
  });
  sinkStarts.push(sqlSinks.length);
  callStarts.push(dbCalls.length);
  return { statements, facts, prisma, sinkStarts, callStarts, sensitive, result: { sqlSinks, dbCalls }, dependencies, ormCalls };
}

/**
 * `previous` brought to `statements` (a later version with the same context token) by
 * finding again the statements the reparse replaced and those reading them; undefined
 * when the file-wide inputs changed (then every statement is looked at again).
 */
function patched(previous: Snapshot, statements: readonly ts.Statement[], imports: ImportFacts, dependencies: ReadonlySet<string>): Snapshot | undefined {
  if (!sameSet(previous.dependencies, dependencies)) return undefined;
  const old = previous.statements;
  if (old === statements) return previous;
  // The replaced statements: between the longest runs of kept ones at either end.
  let first = 0;
  while (first < old.length && first < statements.length && old[first] === statements[first]) first++;
  let kept = 0;
  while (kept < old.length - first && kept < statements.length - first && old[old.length - 1 - kept] === statements[statements.length - 1 - kept]) kept++;
  const oldEnd = old.length - kept;
  const end = statements.length - kept;
  const added = statements.slice(first, end).map(partsOf);
  const prisma = [...previous.prisma.slice(0, first), ...added.map(hasDistinctivePrismaCall), ...previous.prisma.slice(oldEnd)];
  const ormCalls = usesOrmPackage(imports, dependencies) || prisma.includes(true);
  if (ormCalls !== previous.ormCalls) return undefined;
  const replaced = new Set<ts.Node>(old.slice(first, oldEnd));
  const shift = end - oldEnd;
  // Kept statements to find again: those read nothing kept, or read a replaced statement.
  const stale: number[] = [];
  for (const index of previous.sensitive) {
    if (index >= first && index < oldEnd) continue;
    const reads = previous.facts[index]?.readStatements;
    if (!reads || reads.some((node) => replaced.has(node))) stale.push(index < first ? index : index + shift);
  }
  const facts = [...previous.facts.slice(0, first), ...added.map((part) => statementFacts(part, imports, dependencies, ormCalls)), ...previous.facts.slice(oldEnd)];
  for (const index of stale) facts[index] = statementFacts(partsOf(statements[index] as ts.Statement), imports, dependencies, ormCalls);
  if (stale.length > 0) return snapshotOf(statements, facts, prisma, dependencies, ormCalls);
  return splicedSnapshot(previous, statements, facts, prisma, first, oldEnd, end);
}

/** The snapshot for `facts` when only statements [first, end) differ from `previous`'s [first, oldEnd): its arrays spliced, not rebuilt. */
function splicedSnapshot(previous: Snapshot, statements: readonly ts.Statement[], facts: readonly StatementFacts[], prisma: readonly boolean[], first: number, oldEnd: number, end: number): Snapshot {
  const sinks = facts.slice(first, end).flatMap((statement) => statement.sqlSinks);
  const calls = facts.slice(first, end).flatMap((statement) => statement.dbCalls);
  const oldSinks = previous.result.sqlSinks;
  const oldCalls = previous.result.dbCalls;
  const sinkFrom = previous.sinkStarts[first] as number;
  const sinkTo = previous.sinkStarts[oldEnd] as number;
  const callFrom = previous.callStarts[first] as number;
  const callTo = previous.callStarts[oldEnd] as number;
  const result = {
    sqlSinks: [...oldSinks.slice(0, sinkFrom), ...sinks, ...oldSinks.slice(sinkTo)],
    dbCalls: [...oldCalls.slice(0, callFrom), ...calls, ...oldCalls.slice(callTo)],
  };
  const starts = (old: readonly number[], from: number, added: readonly DbFacts[], count: (facts: DbFacts) => number): number[] => {
    const next = old.slice(0, first + 1);
    let at = from;
    for (const statement of added) next.push((at += count(statement)));
    const delta = at - (old[oldEnd] as number);
    for (let index = oldEnd + 1; index < old.length; index++) next.push((old[index] as number) + delta);
    return next;
  };
  const added = facts.slice(first, end);
  const shift = end - oldEnd;
  const sensitive: number[] = [];
  for (const index of previous.sensitive) if (index < first) sensitive.push(index);
  added.forEach((statement, offset) => {
    if (statement.readStatements?.length !== 0) sensitive.push(first + offset);
  });
  for (const index of previous.sensitive) if (index >= oldEnd) sensitive.push(index + shift);
  return {
    statements,
    facts,
    prisma,
    sinkStarts: starts(previous.sinkStarts, sinkFrom, added, (statement) => statement.sqlSinks.length),
    callStarts: starts(previous.callStarts, callFrom, added, (statement) => statement.dbCalls.length),
    sensitive,
    result,
    dependencies: previous.dependencies,
    ormCalls: previous.ormCalls,
  };
}

/** A statement's facts from its parts' (each kept across edits of the others), in one pass's order. */
function statementFacts(parts: StatementParts, imports: ImportFacts, dependencies: ReadonlySet<string>, ormCalls: boolean): StatementFacts {
  const { statement, loose, functions } = parts;
  const sqlSinks: SqlSink[] = [];
  const dbCalls: DbCall[] = [];
  const readStatements = new Set<ts.Node>();
  let keepable = true;
  const add = (part: PartFacts): void => {
    for (const sink of part.sqlSinks) sqlSinks.push(sink);
    for (const call of part.dbCalls) dbCalls.push(call);
    if (!part.reads) keepable = false;
    else for (const node of part.reads) if (node.pos < statement.pos || node.end > statement.end) readStatements.add(topStatement(node));
  };
  if (loose.length > 0) add(keptFacts(keptInStatement, statement, loose, imports, dependencies, ormCalls));
  functions.forEach((fn, index) => add(keptFacts(keptInFunction, fn, parts.functionCalls[index] ?? [], imports, dependencies, ormCalls)));
  // Back to one pass's order. Ties (`a.b().c()` and `a.b()` share a start) only occur
  // within one part, which keeps its own order; the sort is stable.
  sqlSinks.sort((a, b) => a.call.pos - b.call.pos);
  dbCalls.sort((a, b) => a.call.pos - b.call.pos);
  return { sqlSinks, dbCalls, readStatements: keepable ? [...readStatements] : undefined };
}

/** The top-level statement holding `node`. */
function topStatement(node: ts.Node): ts.Node {
  let top = node;
  while (top.parent && !ts.isSourceFile(top.parent)) top = top.parent;
  return top;
}

function keptFacts(
  memo: AcrossEdits<ts.Node, Kept & PartFacts>,
  key: ts.Node,
  calls: readonly ts.CallExpression[],
  imports: ImportFacts,
  dependencies: ReadonlySet<string>,
  ormCalls: boolean,
): PartFacts {
  const previous = memo.get(key);
  if (previous && previous.ormCalls === ormCalls && sameSet(previous.dependencies, dependencies)) return previous;
  const scopes = new RecordingScopes();
  const sqlSinks = findSqlSinks(calls, imports, dependencies, scopes);
  const found = { sqlSinks, dbCalls: findDbCallsAmong(calls, sqlSinks, imports, dependencies, scopes, ormCalls) };
  // A scan keeps nothing and reads the facts alone: what they read outside is for patching an edit.
  if (!keepingFactsAcrossEdits()) return { ...found, reads: [] };
  const reads = readsOutside(key, found, scopes.outer);
  if (reads) memo.set(key, { ...found, dependencies, ormCalls, reads }, reads);
  return { ...found, reads };
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
    if (call.limit?.kind === 'count') note(call.limit.count);
    if (call.limit?.kind === 'range') {
      note(call.limit.from);
      note(call.limit.to);
    }
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
  functions: LargeFunction[];
  /** Each function's calls, asked once here: a scan keeps no list (subtreeMemo.ts), and the Prisma check and the facts both read them. */
  functionCalls: (readonly ts.CallExpression[])[];
  distinctivePrisma?: boolean;
}

/** Kept per statement node: the reparse keeps every statement the edit is not in. */
const partsOf = subtreeMemo((statement: ts.Statement): StatementParts => {
  const parts: StatementParts = { statement, loose: [], functions: [], functionCalls: [] };
  for (const entry of statementNodes(statement).calls) {
    if (ts.isCallExpression(entry)) parts.loose.push(entry);
    else {
      parts.functions.push(entry);
      parts.functionCalls.push(callsOfFunction(entry));
    }
  }
  return parts;
});

function hasDistinctivePrismaCall(parts: StatementParts): boolean {
  return (parts.distinctivePrisma ??= parts.loose.some(isDistinctivePrismaCall) || parts.functionCalls.some((calls) => calls.some(isDistinctivePrismaCall)));
}
