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
      'Add an index whose first column is the foreign key: `@@index([authorId])` in the Prisma model, or `CREATE INDEX reviews_author_id_idx ON reviews (author_id);` in a new migration. ' +
      'A composite index or unique constraint that starts with the column covers it too. The fixes add exactly that, and never edit an existing migration: an applied migration never runs again, and Prisma and Flyway refuse one whose checksum changed. ' +
      'With schema.prisma the fix adds `@@index` there (the migrations Prisma generates from it are not reported); run `prisma migrate dev` afterwards. ' +
      'For SQL migrations the fix creates the next migration in the layout the project uses, numbered from the existing ones (never from the clock): a Prisma-style folder `<version>_add_reviews_author_id_index/migration.sql`, or the next numbered file with the same padding and separator ' +
      '(`003_add_reviews_author_id_index.sql`, `0003-add-reviews-author-id-index.sql`, Flyway `V4__add_reviews_author_id_index.sql`, `002.sql` after `001.sql`). Timestamp versions advance by one second (`YYYYMMDDHHMM` ones by a minute, `YYYYMMDD` ones by a day), carried into the next minute, day, month or year; ' +
      'the up/down markers of goose, dbmate, sql-migrate and node-pg-migrate are repeated, with a `DROP INDEX` in the down section. A standalone `schema.sql` is edited in place, unless migrations create the same table (it is then likely a dump, and the index goes in a new migration). ' +
      'Other layouts get no fix, only the message: Prisma migration folders wherever a schema.prisma exists (add `@@index` to the schema instead), drizzle-kit output (declare the index in the Drizzle table and run `drizzle-kit generate`: drizzle runs only the migrations its journal lists), golang-migrate `.up.sql`/`.down.sql` pairs, migrations without a number or in subfolders, SQL beside JS or TS migrations, ' +
      'and a next number that would not sort after every existing migration (`10_…` after `9_…`).',
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
