// unbounded-query: a request handler returns every row a list query finds, with
// no limit or pagination. Fine with ten rows in development; with real data each
// request loads the whole table into memory and ships it to the client.
import type { DbCall } from '../../server/src/engine/facts';
import type { DbLibrary } from '../../server/src/engine/facts/appModel';
import type { ProjectSchema } from '../../server/src/engine/facts/schema';
import { defineRule } from '../../server/src/engine/rule';
import { FIX_ID, MAX_PAGE_SIZE, paginationFix } from './fix';
import { enclosingHandler, reachesResponse } from './requestPath';

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
  meta: {
    id: 'unbounded-query',
    title: 'List endpoint without pagination',
    dimension: 'data',
    defaultSeverity: 'warning',
    fileKinds: ['ts', 'tsx', 'js', 'jsx'],
    docs: {
      summary: 'A request handler sends the client every row a list query returns (findMany, find, select … FROM without LIMIT), with no limit or pagination.',
      why:
        'With a handful of rows in development the endpoint is instant; in production the table grows every day and each request loads all of it into memory, serializes it and sends it. ' +
        'Response times and memory climb with the data until requests time out or the process runs out of memory, and one client (or scraper) can load the database with a few calls. ' +
        'Reported when a read-many query on a request path (a route callback, a Next.js route handler, page or server action, a function taking the request) has no limit and its rows reach the response. ' +
        'Unique lookups (by id or a unique field), aggregates and queries with take/limit/range/LIMIT are not reported.',
      howToFix:
        'Page the list: read a page size from the request, cap it (100 is a common maximum), and pass it with an offset or cursor — `take`/`skip` or `cursor` in Prisma, `.limit().skip()` in Mongoose, `.range(from, to)` in Supabase, `LIMIT $n OFFSET $m` in SQL, `limit`/`offset` in Sequelize, knex and Drizzle. ' +
        'The "Add pagination" fix does that with `limit` and `page` query parameters (default 50, maximum 100); it changes what the endpoint returns, so clients that expect the full list need to follow pages. ' +
        'For small tables that never grow (countries, plans), suppress the finding with a reason.',
      references: ['CWE-400', 'CWE-770', 'https://www.prisma.io/docs/orm/prisma-client/queries/pagination', 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/'],
    },
    fixes: [{ id: FIX_ID, title: 'Add pagination', safe: false }],
  },

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
