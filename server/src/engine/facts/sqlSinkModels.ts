// Raw-SQL sinks per database library. A row names the packages that identify the
// library, the methods that take SQL text, where the SQL and its bound values go,
// and how placeholders are written — everything the sql-injection rule and its
// fix need to know about a driver.

export type SqlLibrary = 'pg' | 'mysql2' | 'better-sqlite3' | 'sqlite3' | 'sequelize' | 'prisma' | 'knex' | 'drizzle' | 'postgres' | 'supabase';

/**
 * How bound values travel:
 * - `values-array`: `query(sql, [a, b])` (an array argument at `valuesArg`)
 * - `rest-args`: `$queryRawUnsafe(sql, a, b)` (every argument from `valuesArg` on)
 * - `options-replacements`: Sequelize `query(sql, { replacements: [a, b] })`
 * - `chained-call`: better-sqlite3 `prepare(sql).get(a, b)`
 * - `tagged-template`: rewrite to a tagged template that binds every substitution
 * - `none`: the API cannot bind values; no automatic fix
 */
export type BindingStyle = 'values-array' | 'rest-args' | 'options-replacements' | 'chained-call' | 'tagged-template' | 'none';

export interface SqlSinkModel {
  library: SqlLibrary;
  /** Packages whose import (or presence in package.json) identifies the library. */
  packages: readonly string[];
  /** Method names that take raw SQL. */
  methods: readonly string[];
  /** Methods are distinctive enough to be a sink without any import evidence. */
  distinctive: boolean;
  /** Only a sink when the SQL text visibly looks like SQL (generic names such as `query`). */
  needsSqlLookingText: boolean;
  /** Which argument holds the SQL text. */
  sqlArg: number;
  /** The key of a query config object passed there instead (`query({ text, values })`) that holds the SQL text. */
  configKey?: string;
  binding: BindingStyle;
  /** Index of the values argument for `values-array` / `rest-args`. */
  valuesArg?: number;
  /** `$1, $2, …` (Postgres) or `?`: the style the fix writes. */
  placeholder: 'dollar' | 'question';
  /** Other placeholder styles the API takes, so that SQL already written in them is no evidence against it (Sequelize `bind` takes `$1`). */
  otherPlaceholders?: readonly ('dollar' | 'question')[];
  /** For `tagged-template`: the tag that replaces the call (Drizzle's `sql`). */
  tag?: string;
  /** For `tagged-template` on the same receiver: the safe tagged method for each unsafe one (Prisma). */
  taggedMethods?: Readonly<Record<string, string>>;
  /** The SQL is a fragment spliced into a query the library builds (`sequelize.literal`), not a statement: no database call of its own. */
  fragment?: boolean;
  /** Only match when the receiver is one of these: a name imported from `packages` under it (under any local name), or so named (Drizzle's `sql.raw`). */
  receivers?: readonly string[];
}

export const SQL_SINK_MODELS: readonly SqlSinkModel[] = [
  {
    library: 'prisma',
    packages: ['@prisma/client'],
    methods: ['$queryRawUnsafe', '$executeRawUnsafe'],
    distinctive: true,
    needsSqlLookingText: false,
    sqlArg: 0,
    binding: 'tagged-template',
    valuesArg: 1,
    placeholder: 'dollar',
    // MySQL and SQLite datasources take `?`
    otherPlaceholders: ['question'],
    taggedMethods: { $queryRawUnsafe: '$queryRaw', $executeRawUnsafe: '$executeRaw' },
  },
  {
    library: 'drizzle',
    packages: ['drizzle-orm'],
    methods: ['raw'],
    distinctive: true,
    needsSqlLookingText: false,
    sqlArg: 0,
    binding: 'tagged-template',
    placeholder: 'dollar',
    tag: 'sql',
    receivers: ['sql'],
  },
  {
    // `Prisma.raw(…)`: text put into a tagged $queryRaw as is, unlike Prisma.sql`…`, which binds
    library: 'prisma',
    packages: ['@prisma/client'],
    methods: ['raw'],
    distinctive: false,
    needsSqlLookingText: false,
    sqlArg: 0,
    binding: 'none',
    placeholder: 'dollar',
    fragment: true,
    receivers: ['Prisma'],
  },
  {
    library: 'knex',
    packages: ['knex'],
    methods: ['whereRaw', 'orWhereRaw', 'andWhereRaw', 'havingRaw', 'orHavingRaw', 'orderByRaw', 'groupByRaw', 'joinRaw', 'fromRaw'],
    distinctive: true,
    needsSqlLookingText: false,
    sqlArg: 0,
    binding: 'values-array',
    valuesArg: 1,
    placeholder: 'question',
  },
  {
    library: 'knex',
    packages: ['knex'],
    methods: ['raw'],
    distinctive: false,
    needsSqlLookingText: false,
    sqlArg: 0,
    binding: 'values-array',
    valuesArg: 1,
    placeholder: 'question',
  },
  {
    library: 'postgres',
    packages: ['postgres'],
    methods: ['unsafe'],
    distinctive: false,
    needsSqlLookingText: false,
    sqlArg: 0,
    binding: 'values-array',
    valuesArg: 1,
    placeholder: 'dollar',
  },
  {
    library: 'pg',
    packages: ['pg', 'pg-pool', '@vercel/postgres', '@neondatabase/serverless', 'slonik'],
    methods: ['query'],
    distinctive: false,
    needsSqlLookingText: true,
    sqlArg: 0,
    configKey: 'text',
    binding: 'values-array',
    valuesArg: 1,
    placeholder: 'dollar',
  },
  {
    library: 'mysql2',
    packages: ['mysql2', 'mysql', '@planetscale/database'],
    methods: ['query', 'execute'],
    distinctive: false,
    needsSqlLookingText: true,
    sqlArg: 0,
    configKey: 'sql',
    binding: 'values-array',
    valuesArg: 1,
    placeholder: 'question',
  },
  {
    library: 'sequelize',
    packages: ['sequelize', 'sequelize-typescript'],
    methods: ['query'],
    distinctive: false,
    needsSqlLookingText: true,
    sqlArg: 0,
    binding: 'options-replacements',
    valuesArg: 1,
    placeholder: 'question',
    // `bind: [a]` with `$1`
    otherPlaceholders: ['dollar'],
  },
  {
    // `sequelize.literal(…)` / `Sequelize.literal(…)`: text put into the generated SQL as is
    library: 'sequelize',
    packages: ['sequelize', 'sequelize-typescript'],
    methods: ['literal'],
    distinctive: false,
    needsSqlLookingText: false,
    sqlArg: 0,
    binding: 'none',
    placeholder: 'question',
    fragment: true,
    receivers: ['sequelize', 'Sequelize'],
  },
  {
    library: 'better-sqlite3',
    packages: ['better-sqlite3'],
    methods: ['prepare'],
    distinctive: false,
    needsSqlLookingText: true,
    sqlArg: 0,
    binding: 'chained-call',
    placeholder: 'question',
  },
  {
    library: 'better-sqlite3',
    packages: ['better-sqlite3'],
    methods: ['exec'],
    distinctive: false,
    needsSqlLookingText: true,
    sqlArg: 0,
    binding: 'none',
    placeholder: 'question',
  },
  {
    library: 'sqlite3',
    packages: ['sqlite3', 'sqlite'],
    methods: ['run', 'all', 'get', 'each'],
    distinctive: false,
    needsSqlLookingText: true,
    sqlArg: 0,
    binding: 'values-array',
    valuesArg: 1,
    placeholder: 'question',
  },
];

/** Supabase `rpc('exec_sql', { query: … })`: SQL smuggled to a database function that runs it. */
export const SUPABASE_SQL_RPC = {
  packages: ['@supabase/supabase-js', '@supabase/ssr'],
  method: 'rpc',
  /** Argument-object keys that conventionally hold SQL text. */
  sqlKeys: ['query', 'sql', 'statement', 'sql_query'],
} as const;

/**
 * Generic method names resolve to the first library, in this order, that the file imports or the project depends on:
 * the sink's `model`, enough to tell a query from other calls. A fix does not rely on it (sqlDrivers.ts).
 */
export const GENERIC_LIBRARY_PREFERENCE: readonly SqlLibrary[] = ['pg', 'mysql2', 'sequelize', 'better-sqlite3', 'sqlite3', 'knex', 'postgres'];

/** Text that reads as a SQL statement: the gate for generic method names like `query`. */
export const SQL_TEXT = /^\s*(select|insert|update|delete|with|create|drop|alter|truncate|merge|replace|call|exec|grant|show|pragma|upsert)\b|\b(select\s[\s\S]*?\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from)\b/i;

/**
 * Packages of SQL clients whose calls take SQL text but which no row above models
 * (their placeholders and values differ): a receiver created from one of them is
 * known not to be any modelled library, so no fix writes placeholders for it.
 */
export const UNMODELLED_SQL_CLIENTS: readonly string[] = ['typeorm', 'mssql', 'tedious', 'oracledb', '@libsql/client', 'kysely', 'pg-promise'];

/** The library a package belongs to (`mysql2` -> mysql2, `@supabase/supabase-js` -> supabase), if any row names it. */
export function libraryOfPackage(pkg: string): SqlLibrary | undefined {
  if ((SUPABASE_SQL_RPC.packages as readonly string[]).includes(pkg)) return 'supabase';
  return SQL_SINK_MODELS.find((model) => model.packages.includes(pkg))?.library;
}
