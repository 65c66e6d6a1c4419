// missing-index: what the rule is called, what it explains and which fixes it declares. Kept apart
// from the check so front ends that only list rules (the CLI's main thread) load no analysis code.
import type { RuleMeta } from '../../server/src/engine/types';

export const PRISMA_FIX = 'add-prisma-index';
export const SQL_FIX = 'add-sql-index';

export const meta: RuleMeta = {
  id: 'missing-index',
  title: 'Foreign key or filter without an index',
  dimension: 'data',
  defaultSeverity: 'warning',
  fileKinds: ['prisma', 'sql', 'ts', 'tsx', 'js', 'jsx'],
  docs: {
    summary: 'A relation field or foreign-key column that no index starts with (schema.prisma, SQL migrations), or a Prisma query filtering a model only on unindexed fields.',
    why:
      'Postgres, SQLite and SQL Server do not index foreign keys by themselves. Without an index, every "orders of this user" lookup, every join on the relation and every cascading delete reads the whole child table: ' +
      'fast with test data, then slower with every row until the endpoint times out and the database CPU is pegged. The same goes for a query that filters only on a column no index covers. ' +
      'MySQL (InnoDB) indexes foreign keys automatically, so Prisma relations on MySQL are not reported unless `relationMode = "prisma"`. Filters on constant values (`status: "paid"`, `active: true`) and text searches (`contains`) are not reported: an index rarely helps them.',
    howToFix:
      'Add an index whose first column is the foreign key: `@@index([authorId])` in the Prisma model, or `CREATE INDEX reviews_author_id_idx ON reviews (author_id);` in a migration. ' +
      'A composite index or unique constraint that starts with the column covers it too. The fixes add exactly that; run your migration tool afterwards (`prisma migrate dev`).',
    references: [
      'https://www.prisma.io/docs/orm/prisma-schema/data-model/indexes',
      'https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/relation-mode#indexes',
      'https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK',
    ],
  },
  fixes: [
    { id: PRISMA_FIX, title: 'Add @@index', safe: true },
    { id: SQL_FIX, title: 'Add CREATE INDEX', safe: true },
  ],
};
