// n-plus-one: what the rule is called, what it explains and which fixes it declares. Kept apart
// from the check so front ends that only list rules (the CLI's main thread) load no analysis code.
import type { RuleMeta } from '../../server/src/engine/types';

export const meta: RuleMeta = {
  id: 'n-plus-one',
  title: 'Query per row (N+1)',
  dimension: 'data',
  defaultSeverity: 'warning',
  fileKinds: ['ts', 'tsx', 'js', 'jsx'],
  docs: {
    summary: 'A database query inside a loop (or a map/forEach callback, often under Promise.all) that walks the rows of another query: one query per row.',
    why:
      'Each row costs a network round trip to the database, so a page of 50 orders with their customers is 51 queries instead of 2. ' +
      'It is invisible with three rows in development; with real data the endpoint slows linearly, Promise.all fans the queries out and exhausts the connection pool, and the database load multiplies with traffic.',
    howToFix:
      'Fetch the related rows in one query: collect the ids and query them with `in` (Prisma `where: { id: { in: ids } }`, SQL `= ANY($1)`, Mongoose `$in`, knex `whereIn`, Supabase `.in()`), then join them in memory with a Map; ' +
      'or let the first query load them (Prisma `include`, Sequelize `include`, TypeORM `relations`, Drizzle `with`, Mongoose `populate`, a SQL JOIN). For writes use the batch form (`createMany`, `updateMany`, `insertMany`, a multi-row INSERT).',
    references: ['https://www.prisma.io/docs/orm/prisma-client/queries/query-optimization-performance#solving-the-n1-problem', 'https://docs.sentry.io/product/issues/issue-details/performance-issues/n-one-queries/'],
  },
  fixes: [],
};
