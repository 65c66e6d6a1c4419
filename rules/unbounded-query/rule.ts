// unbounded-query: a request handler returns every row a list query finds, with
// no limit or pagination. Fine with ten rows in development; with real data each
// request loads the whole table into memory and ships it to the client.
import type { DbCall } from '../../server/src/engine/facts';
import type { DbLibrary } from '../../server/src/engine/facts/appModel';
import type { ProjectSchema } from '../../server/src/engine/facts/schema';
import { defineRule } from '../../server/src/engine/rule';
import { MAX_PAGE_SIZE, paginationFix } from './fix';
import { enclosingHandler, reachesResponse } from './requestPath';
import { meta } from './meta';

/** How each library pages, for the message. */
const PAGING_ADVICE: Record<DbLibrary, string> = {
  prisma: '`take` and `skip` (or `cursor`)',
  drizzle: '`.limit()` and `.offset()`',
  sequelize: '`limit` and `offset`',
  typeorm: '`take` and `skip`',
  mongoose: '`.limit()` and `.skip()`',
  sql: '`LIMIT` and `OFFSET` (or a keyset `WHERE id > $1`)',
  knex: '`.limit()` and `.offset()`',
  supabase: '`.range(from, to)`',
};

export default defineRule({
  meta,

  check(context) {
    const { facts } = context;
    const candidates = facts.dbCalls.filter((call) => call.operation === 'read-many' && !call.limited);
    if (candidates.length === 0) return;
    const { flow, imports } = facts;
    for (const call of candidates) {
      if (isUniqueLookup(call, () => context.project.schema)) continue;
      const handler = enclosingHandler(call.call, flow, imports, context.file.path);
      if (!handler || !reachesResponse(call.call, handler.fn, flow)) continue;
      const text = context.file.text;
      const start = call.call.getStart();
      const lineEnd = text.indexOf('\n', start);
      const end = Math.min(call.call.end, lineEnd === -1 ? text.length : lineEnd);
      const what = call.model ? `all \`${call.model}\` rows` : 'every row the query finds';
      const fix = paginationFix({ call, handler, scopes: flow.scopes, text, path: context.file.path });
      context.report({
        start,
        end,
        message:
          `This handler sends ${what} with no limit: as the table grows, each request loads all of it into memory and the response until it times out. ` +
          `Page it with ${PAGING_ADVICE[call.library]} and cap the page size (e.g. ${MAX_PAGE_SIZE}).`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

/** An equality on every field of a unique key (`where: { email }` with `email @unique`) returns at most one row. */
function isUniqueLookup(call: DbCall, schema: () => ProjectSchema): boolean {
  const equalities = new Set((call.conditions ?? []).filter((condition) => condition.equality).map((condition) => condition.field));
  if (equalities.size === 0 || !call.model) return false;
  const model = schema().find(call.model);
  if (!model) return false;
  const columnsToFields = new Map((model.fieldDetails ?? []).filter((field) => field.column).map((field) => [field.column ?? '', field.name]));
  const named = new Set([...equalities].map((field) => columnsToFields.get(field) ?? field));
  return (model.uniques ?? []).some((key) => key.length > 0 && key.every((field) => named.has(field)));
}
