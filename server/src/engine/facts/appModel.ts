// The whole-app model's vocabulary: routes, auth context, database calls and the
// schema. Plain data over raw `ts` nodes; derived per file (routes, auth, DB calls)
// or per project (schema), and consumed by rules such as missing-ownership-check,
// missing-auth, unbounded-query, n-plus-one and missing-index.
import type { ts } from 'ts-morph';

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
  /** Offset/cursor/page applied. */
  paginated: boolean;
  /** Inside a loop body or a callback passed to map/forEach/Promise.all. */
  inLoop: boolean;
  /** The loop or callback node when `inLoop`. */
  loop?: ts.Node;
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
  /** Relation scalar / foreign-key fields. */
  foreignKeys: { field: string; references: string }[];
  /** Postgres row-level security enabled (SQL migrations). */
  rls?: boolean;
  /** Where it is declared, for pointing at it. */
  source: { path: string; line: number };
}

export interface SchemaFacts {
  models: SchemaModel[];
  /** Looks a model up by any of its names, case-insensitively. */
  find(name: string): SchemaModel | undefined;
}
