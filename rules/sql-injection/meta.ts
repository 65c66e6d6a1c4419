// sql-injection: what the rule is called, what it explains and which fixes it declares. Kept apart
// from the check so front ends that only list rules (the CLI's main thread) load no analysis code.
import type { RuleMeta } from '../../server/src/engine/types';

export const FIX_ID = 'parameterize-query';

export const meta: RuleMeta = {
  id: 'sql-injection',
  title: 'SQL built from untrusted input',
  dimension: 'security',
  defaultSeverity: 'error',
  fileKinds: ['ts', 'tsx', 'js', 'jsx'],
  docs: {
    summary:
      'SQL text built by splicing values into a string (template literal, +, concat, util.format, join) and sent to a raw-SQL API, ' +
      "including a query config's `text`/`sql` and raw fragments (Sequelize `literal()`, `Prisma.raw()`).",
    why:
      'Whoever controls a spliced value controls the query: one crafted search term or id reads every table, deletes rows or logs in as anyone, and attackers scan for this first. ' +
      'Values that come from the request (req.query/body/params, request.json(), searchParams, route params, server-action arguments) are reported as errors. ' +
      'Values that are not constant but are not traced to request input here, such as a helper that splices its own parameter, are reported as warnings: the value is not traced to request input, but the query is still built by string splicing and is one caller away from an injection.',
    howToFix:
      'Let the driver bind values: `$1` placeholders with a values array for node-postgres and postgres.js, `?` for mysql2, SQLite and knex, Sequelize `replacements`, ' +
      "Prisma's tagged `$queryRaw` and Drizzle's `sql` template instead of the `Unsafe`/`raw` variants. Identifiers (table, column, sort direction) cannot be bound: check them against a constant allow-list " +
      '(`if (!ALLOWED.includes(sort)) return …`) or pick them from a constant object. Numbers are safe once converted with `Number()`/`parseInt()`. ' +
      'A value is also accepted after an early exit on a pattern anchored at both ends that admits only letters, digits, `_` and single dashes (`if (!/^\\d+$/.test(id)) return …`), ' +
      'and when a zod schema declared in the same file parsed it as an enum, literal, number, boolean or UUID (`z.enum([…])`, `z.coerce.number()`, `z.string().uuid()`); a `z.string()` field is still client text. ' +
      'The fix is not offered for query config objects or raw fragments (`literal()`, `Prisma.raw()`): use a `values` array, a `where` object, `sequelize.escape()` or `Prisma.sql`. ' +
      'The "Parameterize query" fix rewrites the SQL with the driver\'s placeholders and passes the values; it is not offered for splices of identifiers or SQL fragments, for SQL extended with `+=`, or where the library cannot bind values. ' +
      'The driver is the one that creates the receiver (`pool`, `conn`, `sequelize`, `db`): where it is initialized in the same file or in the project module it is imported from (`new Pool()`, `mysql.createPool()`, `new Sequelize()`, `knex()`, `drizzle()`, …), or a parameter\'s type. ' +
      "Where that cannot be traced, the call's own placeholders (`$1` or `?`) and values argument, the file's imports and the project's dependencies decide, but only when they leave exactly one driver: " +
      'where two could run the query (a project with both pg and Sequelize, and a receiver of unknown origin), no fix is offered, since a one-click fix must not guess.',
    references: [
      'CWE-89',
      'https://owasp.org/www-community/attacks/SQL_Injection',
      'https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html',
    ],
  },
  fixes: [{ id: FIX_ID, title: 'Parameterize query', safe: true }],
};
