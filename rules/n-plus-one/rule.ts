// n-plus-one: a query runs once per row of another query's result — in a for
// loop or a callback passed to map/forEach (usually under Promise.all). One list
// of 50 rows becomes 51 round trips, and the count grows with the data.
import { ts } from '../../server/src/engine/ts';
import type { DbCall } from '../../server/src/engine/facts';
import type { DbLibrary } from '../../server/src/engine/facts/appModel';
import { queryResultOf } from '../../server/src/engine/facts/dbCalls';
import { defineRule } from '../../server/src/engine/rule';
import { meta } from './meta';

/** The batched way to read related rows, per library. `{field}` is the filtered field. */
const BATCHED_READ: Record<DbLibrary, string> = {
  prisma: 'one `findMany({ where: { {field}: { in: ids } } })`, or load them with the first query through `include`',
  drizzle: 'one query with `inArray(table.{field}, ids)`, or load them with the first query through `with`',
  sequelize: 'one `findAll({ where: { {field}: ids } })`, or load them with the first query through `include`',
  typeorm: 'one `findBy({ {field}: In(ids) })`, or load them with the first query through `relations`',
  mongoose: 'one `find({ {field}: { $in: ids } })`, or `.populate()` them on the first query',
  sql: 'one query with a JOIN, or `WHERE {field} = ANY($1)` with the ids as one array value',
  knex: "one query with `whereIn('{field}', ids)`, or a join",
  supabase: "one query with `.in('{field}', ids)`, or an embedded select such as `select('*, author(*)')`",
};

/** The batched way to write many rows, per library. */
const BATCHED_WRITE: Record<DbLibrary, string> = {
  prisma: '`createMany` / `updateMany` with `{ in: ids }`, or one `$transaction([...])`',
  drizzle: 'one `insert().values([...])`, or one update with `inArray(...)`',
  sequelize: '`bulkCreate`, or one `update(values, { where: { id: ids } })`',
  typeorm: 'one `save([...])` / `insert([...])`, or one update with `In(ids)`',
  mongoose: '`insertMany` or `bulkWrite`, or one `updateMany({ _id: { $in: ids } })`',
  sql: 'one multi-row INSERT or one UPDATE … WHERE id = ANY($1)',
  knex: 'one `insert([...])`, or one update with `whereIn`',
  supabase: 'one `insert([...])` / `upsert([...])`, or one update with `.in()`',
};

export default defineRule({
  meta,

  check(context) {
    const { facts } = context;
    const calls = facts.dbCalls;
    const looped = calls.filter((call) => call.inLoop && call.iterated);
    if (looped.length === 0) return;
    const sourceFile = context.file.sourceFile;
    if (!sourceFile) return;
    const { scopes } = facts.flow;
    for (const call of looped) {
      if (!call.iterated) continue;
      const source = queryResultOf(call.iterated, calls, scopes);
      if (!source || source === call) continue;
      const text = context.file.text;
      const start = call.call.getStart();
      const lineEnd = text.indexOf('\n', start);
      const sourceLine = sourceFile.getLineAndCharacterOfPosition(source.call.getStart()).line + 1;
      context.report({
        start,
        end: Math.min(call.call.end, lineEnd === -1 ? text.length : lineEnd),
        message:
          `Runs one ${describe(call)} per row of \`${iteratedName(call.iterated)}\` (the query on line ${sourceLine}): N rows make N + 1 round trips, so the endpoint slows as the data grows. ` +
          `Use ${advice(call)} instead.`,
      });
    }
  },
});

function describe(call: DbCall): string {
  const verb = call.operation === 'read-one' || call.operation === 'read-many' || call.operation === 'aggregate' ? 'query' : call.operation;
  return call.model ? `${call.model} ${verb}` : verb;
}

function advice(call: DbCall): string {
  const isWrite = call.operation === 'create' || call.operation === 'update' || call.operation === 'delete';
  if (isWrite) return BATCHED_WRITE[call.library];
  const field = (call.conditions ?? []).find((condition) => condition.equality)?.field ?? 'id';
  return BATCHED_READ[call.library].replaceAll('{field}', field);
}

function iteratedName(expr: ts.Expression): string {
  const text = expr.getText();
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
