// The whole-app model's vocabulary: routes, auth context, database calls and the
// schema. Plain data over raw `ts` nodes; derived per file (routes, auth, DB calls)
// or per project (schema), and consumed by rules such as missing-ownership-check,
// missing-auth, unbounded-query, n-plus-one and missing-index.
import type { ts } from 'ts-morph';
import type { SqlSink } from './sqlSinks';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ALL';

export type RouteFramework = 'express' | 'next-app' | 'next-pages' | 'next-server-action' | 'fastify' | 'hono';

/** The expression that names the authenticated user's id, and how we know. */
export interface AuthContext {
  /** Source text usable in a fix, e.g. `req.user.id`, `session.user.id`, `userId`, `user.id`. */
  userIdExpression: string;
  /** What established it: `requireAuth middleware`, `getServerSession()`, `auth()`, `supabase.auth.getUser()`, … */
  evidence: string;
  /** Whether a role/admin check is also in scope (`req.user.role === 'admin'`, `requireAdmin`). */
  hasRoleCheck: boolean;
  /**
   * Whether a signed-out caller is turned away before the handler's work (middleware
   * that rejects, `if (!session) return …`, a `requireUser()` helper that throws).
   * When false the user may be missing and `userIdExpression` uses optional chaining.
   */
  enforced?: boolean;
}

export interface RouteHandler {
  framework: RouteFramework;
  method: HttpMethod;
  /** `/orders/:id`, `/api/orders/[id]`, or the action's name for server actions. */
  path: string;
  /** Names of middlewares in the chain, outermost first (`requireAuth`, `rateLimit`, …). */
  middlewares: string[];
  /** The handler function node. */
  handler: ts.FunctionLikeDeclaration;
  /** Present when an authenticated user is in scope for the whole handler. */
  auth?: AuthContext;
  /**
   * Evidence that callers must authenticate even where no user expression is known:
   * an API-key or basic-auth middleware, Next.js middleware whose matcher covers the path.
   */
  authenticatedBy?: string;
  /** A webhook signature check in the handler or its chain (`stripe.webhooks.constructEvent`, svix `verify`). */
  verifiesSignature?: string;
  /**
   * True when the router is exported but where it is mounted was not found: app-level
   * middleware may run before it that `middlewares` does not list.
   */
  partialChain?: boolean;
}

export type DbLibrary = 'prisma' | 'drizzle' | 'sequelize' | 'typeorm' | 'mongoose' | 'sql' | 'knex' | 'supabase';

export type DbOperation = 'read-one' | 'read-many' | 'create' | 'update' | 'delete' | 'aggregate' | 'raw';

export interface DbCall {
  library: DbLibrary;
  /** The outermost call expression of the query (for chains, the last call). */
  call: ts.CallExpression;
  /** Model or table as written in code: `order` (prisma.order), `Order` (Mongoose/Sequelize model), `orders` (SQL/Supabase/knex table). */
  model: string;
  operation: DbOperation;
  /** The filter: Prisma/Sequelize/TypeORM `where` object, Mongoose filter, Supabase `.eq` chain root, SQL WHERE text's node. */
  filter?: ts.Expression;
  /** Field names constrained by the filter (`id`, `userId`, …), as far as they can be read statically. */
  filterFields: string[];
  /** A limit is applied: take/limit/range/LIMIT/first/findUnique… */
  limited: boolean;
  /** The values that set how many rows a limited query returns, where the code passes them (not for `first()`, `findUnique`, a literal `LIMIT 10`). */
  limit?: DbLimit;
  /** Offset/cursor/page applied. */
  paginated: boolean;
  /** Inside a loop body or a callback passed to map/forEach/Promise.all. */
  inLoop: boolean;
  /** The loop or callback node when `inLoop`. */
  loop?: ts.Node;
  /** The collection the loop walks when it can be read (`orders` in `for (const o of orders)` / `orders.map(…)`). */
  iterated?: ts.Expression;
  /** Conditions of the filter, one per constrained field, where they can be read statically. */
  conditions?: DbCondition[];
  /** For SQL text: the raw-SQL call it was read from (driver, SQL expression, bound values). */
  sql?: SqlSink;
}

/** What a query's page size is written as, for judging who picks it (`take: Number(req.query.limit)`). */
export type DbLimit =
  /** `take: n`, `limit: n`, `.limit(n)`, `.take(n)`, the value bound to `LIMIT $1` or spliced as `LIMIT ${n}`. */
  | { kind: 'count'; count: ts.Expression }
  /** Supabase `.range(from, to)`: inclusive row indexes, so `to - from + 1` rows. */
  | { kind: 'range'; from: ts.Expression; to: ts.Expression };

/** One field constrained by a query's filter. */
export interface DbCondition {
  field: string;
  /** `=`/`eq`/`equals`/`{ field: value }`: matches at most the rows with that one value. */
  equality: boolean;
  /** The compared value when it is an expression in code (`req.user.id`, a bound `$2` value). */
  value?: ts.Expression;
  /**
   * For a membership test that matches only the rows whose field is in a list: the list
   * (`{ id: { in: ids } }`, `$in`, TypeORM `In(ids)`, Sequelize `{ id: [1, 2] }` / `[Op.in]`,
   * Drizzle `inArray(t.id, ids)`, Supabase `.in('id', ids)`, knex `.whereIn('id', ids)`).
   */
  members?: ts.Expression;
  /** The node that names the field (property name, string argument, SQL text), for reporting. */
  node: ts.Node;
}

/** A model or table from `schema.prisma`, SQL migrations or a Mongoose schema. */
export interface SchemaModel {
  /** Name as declared (`Order`, `orders`). */
  name: string;
  /** Names code uses to reach it: Prisma delegate (`order`), table name, collection. */
  aliases: string[];
  fields: string[];
  /** The field linking a record to its owner (user/account/tenant), if any: `userId`, `user_id`, `authorId`, `orgId`. */
  ownerField?: string;
  /** Sets of fields covered by an index, a unique constraint or the primary key (leading column first). */
  indexes: string[][];
  /** The subset of `indexes` that is unique (primary key, unique constraints and indexes): an equality on all its fields names one row. */
  uniques?: string[][];
  /**
   * Relation scalar / foreign-key fields. `references` names the referenced model or
   * table as declared (`User`, `users`); composite keys list every field in `fields`.
   */
  foreignKeys: { field: string; references: string; fields?: string[]; line?: number }[];
  /** Postgres row-level security enabled (SQL migrations). */
  rls?: boolean;
  /** Where it is declared, for pointing at it. */
  source: { path: string; line: number };
  /** The model `ownerField` relates to (`User`, `Organization`), when known from a relation. */
  ownerModel?: string;
  /** Per-field detail: type, column name, relation, declaration line. */
  fieldDetails?: SchemaField[];
  /** Where the schema comes from. */
  origin?: 'prisma' | 'sql' | 'mongoose';
}

export interface SchemaField {
  name: string;
  /** The database column when it differs from the name (`@map("user_id")`). */
  column?: string;
  /** Declared type as written: `String`, `uuid`, `ObjectId`, a model name for relations. */
  type: string;
  optional: boolean;
  list: boolean;
  /** Prisma relation fields (`author User @relation(…)`): not stored, they name the scalar fields that are. */
  relation?: { model: string; fields: string[]; references: string[] };
  /** 0-based line of the declaration in `source.path`. */
  line: number;
}

export interface SchemaFacts {
  models: SchemaModel[];
  /** Looks a model up by any of its names, case-insensitively. */
  find(name: string): SchemaModel | undefined;
  /** The Prisma datasource, when a schema.prisma declares one (`postgresql`, `mysql`, …; `relationMode`). */
  datasource?: { provider?: string; relationMode?: string; path: string };
}
