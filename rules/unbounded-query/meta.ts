// unbounded-query: what the rule is called, what it explains and which fixes it declares. Kept apart
// from the check so front ends that only list rules (the CLI's main thread) load no analysis code.
import type { RuleMeta } from '../../server/src/engine/types';

export const FIX_ID = 'add-pagination';
export const CAP_FIX_ID = 'cap-page-size';

export const meta: RuleMeta = {
  id: 'unbounded-query',
  title: 'List endpoint without pagination',
  dimension: 'data',
  defaultSeverity: 'warning',
  fileKinds: ['ts', 'tsx', 'js', 'jsx'],
  docs: {
    summary: 'A request handler sends the client every row a list query returns (findMany, find, select … FROM without LIMIT), with no limit or pagination, or with a page size the request picks and nothing caps.',
    why:
      'With a handful of rows in development the endpoint is instant; in production the table grows every day and each request loads all of it into memory, serializes it and sends it. ' +
      'Response times and memory climb with the data until requests time out or the process runs out of memory, and one client (or scraper) can load the database with a few calls. ' +
      'Reported when a read-many query on a request path (a route callback or a controller a route registers, a Next.js route handler, page or server action) has no limit and its rows reach the response. ' +
      'A function that takes the request but that no route is known to register is reported when it sends the rows itself (`res.json(rows)`), not when it only returns them. ' +
      'Unique lookups (by id or a unique field), lookups of a bounded list of ids (`id: { in: ids.slice(0, 50) }`, `in: [a, b]`), aggregates and queries with take/limit/range/LIMIT are not reported; a list of ids the request supplies (`in: req.body.ids`) is no bound. ' +
      'A limit is no bound when the request picks it with no upper bound (`take: Number(req.query.limit)`, `.limit(req.query.limit)`, `LIMIT $1` bound to it, `.range(0, to)` with `to` from the request, directly or through a local variable): `?limit=10000000` asks for the whole table, so such a query is reported too. ' +
      'A page size capped with `Math.min`, clamped by a ternary, checked against a maximum before use (`if (limit > 100) return …`), parsed by a zod schema of the same file that has `.max()`, passed through any other call (`clamp(…)`, whose body is not read), constant or not from the request counts as bounded; checking only the floor (`if (limit < 1)`) does not.',
    howToFix:
      'Page the list: read a page size from the request, cap it (100 is a common maximum), and pass it with an offset or cursor — `take`/`skip` or `cursor` in Prisma, `.limit().skip()` in Mongoose, `.range(from, to)` in Supabase, `LIMIT $n OFFSET $m` in SQL, `limit`/`offset` in Sequelize, knex and Drizzle. ' +
      'The "Add pagination" fix does that with `limit` and `page` query parameters (default 50, maximum 100); it changes what the endpoint returns, so clients that expect the full list need to follow pages. ' +
      'For a page size the request picks, the "Cap page size" fix caps it where it is read: `Math.min(Number(req.query.limit) || 50, 100)`, keeping a default the code already gives; callers that asked for more than 100 rows get 100. ' +
      'For small tables that never grow (countries, plans), suppress the finding with a reason.',
    references: ['CWE-400', 'CWE-770', 'https://www.prisma.io/docs/orm/prisma-client/queries/pagination', 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/'],
  },
  fixes: [
    { id: FIX_ID, title: 'Add pagination', safe: false },
    { id: CAP_FIX_ID, title: 'Cap page size', safe: false },
  ],
};
