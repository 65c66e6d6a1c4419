// What a file's top-level statements declare, grouped by name, for one version of the
// file. Each version is a new SourceFile, but an incremental reparse keeps every
// statement an edit did not touch as the same node, in the same order: the statements
// that differ from the previous version's are one run between a common prefix and a
// common suffix. So a version's index is the previous one's with that run's names
// replaced, rather than a pass over every statement (829 on the 10k-line bench module,
// ~600 names, on every keystroke). The previous index is found through a statement
// both versions share (the first or the last one), so nothing holds a version's index
// beyond the life of its tree's nodes. A one-shot scan keeps nothing (editCaching.ts).
import type { ts } from '../ts';
import { keepingFactsAcrossEdits } from './editCaching';

export interface Named {
  readonly name: string;
}

interface Index<F extends Named> {
  readonly statements: readonly ts.Statement[];
  readonly byName: ReadonlyMap<string, readonly F[]>;
}

/** Beyond this many changed statements, the index is built again from scratch. */
const MAX_DERIVED = 64;

/**
 * `namesOf(sourceFile)`: every F that `fieldsOf` gives for the file's statements, by
 * name, in source order. `fieldsOf` must depend on the statement's own subtree only (a
 * subtreeMemo): a statement kept by the reparse is taken to declare what it did.
 */
export function topLevelNames<F extends Named>(fieldsOf: (statement: ts.Statement) => readonly F[]): (sourceFile: ts.SourceFile) => ReadonlyMap<string, readonly F[]> {
  const byFile = new WeakMap<ts.SourceFile, Index<F>>();
  /** The latest index built, under its first and last statements. */
  const byStatement = new WeakMap<ts.Statement, Index<F>>();

  const build = (statements: readonly ts.Statement[]): Index<F> => {
    const byName = new Map<string, F[]>();
    for (const statement of statements) {
      for (const fields of fieldsOf(statement)) {
        const list = byName.get(fields.name);
        if (list) list.push(fields);
        else byName.set(fields.name, [fields]);
      }
    }
    return { statements, byName };
  };

  return (sourceFile) => {
    const known = byFile.get(sourceFile);
    if (known) return known.byName;
    const statements = sourceFile.statements;
    if (!keepingFactsAcrossEdits()) return build(statements).byName;
    const first = statements[0];
    const last = statements[statements.length - 1];
    const previous = (first && byStatement.get(first)) ?? (last && byStatement.get(last));
    const index = (previous && derive(previous, statements, fieldsOf)) ?? build(statements);
    byFile.set(sourceFile, index);
    if (first) byStatement.set(first, index);
    if (last) byStatement.set(last, index);
    return index.byName;
  };
}

/** `previous` with the statements between the common prefix and suffix replaced; undefined when rebuilding is simpler. */
function derive<F extends Named>(previous: Index<F>, statements: readonly ts.Statement[], fieldsOf: (statement: ts.Statement) => readonly F[]): Index<F> | undefined {
  const old = previous.statements;
  const shorter = Math.min(old.length, statements.length);
  let prefix = 0;
  while (prefix < shorter && old[prefix] === statements[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && old[old.length - 1 - suffix] === statements[statements.length - 1 - suffix]) suffix++;
  const removed = old.slice(prefix, old.length - suffix);
  const added = statements.slice(prefix, statements.length - suffix);
  if (removed.length + added.length > MAX_DERIVED) return undefined;
  const gone = new Set<F>();
  for (const statement of removed) {
    for (const fields of fieldsOf(statement)) {
      // Not what the previous index holds for it (fieldsOf forgot the statement): rebuild.
      if (!previous.byName.get(fields.name)?.includes(fields)) return undefined;
      gone.add(fields);
    }
  }
  const arrived = new Map<string, F[]>();
  for (const statement of added) {
    for (const fields of fieldsOf(statement)) {
      const list = arrived.get(fields.name);
      if (list) list.push(fields);
      else arrived.set(fields.name, [fields]);
    }
  }
  const touched = new Set<string>(arrived.keys());
  for (const fields of gone) touched.add(fields.name);
  // Typing in a route handler replaces a statement that declares nothing: the same index.
  if (touched.size === 0) return { statements, byName: previous.byName };
  const byName = new Map(previous.byName);
  for (const name of touched) {
    const staying = (previous.byName.get(name) ?? []).filter((fields) => !gone.has(fields));
    const coming = arrived.get(name) ?? [];
    // Where new declarations go among other statements' of the same name is a question of
    // statement order, which the index does not hold: rare (overloads), so rebuild.
    if (staying.length > 0 && coming.length > 0) return undefined;
    const list = staying.length > 0 ? staying : coming;
    if (list.length > 0) byName.set(name, list);
    else byName.delete(name);
  }
  return { statements, byName };
}
