// How each database library's calls look, as data: which expression is the
// client or model, which method means which operation, where the filter sits,
// which options or chained methods bound or page the result. dbCalls.ts reads
// these tables; supporting another ORM should mostly mean adding rows here.
import type { DbLibrary, DbOperation } from './appModel';

/**
 * Where a method's filter is: argument `arg`, or its `key` property; `idField` when the argument is a primary key value;
 * `scalarIdField` when it is a criteria object or, given as a plain value, a primary key (TypeORM `delete(id)`).
 */
export interface FilterSpec {
  arg: number;
  key?: string;
  idField?: string;
  scalarIdField?: string;
}

export interface DbMethod {
  operation: DbOperation;
  filter?: FilterSpec;
  /** Index of the options object holding limit/offset keys (defaults to the filter argument). */
  optionsArg?: number;
}

/** Libraries whose calls read `<client>.<model>.<method>(options)` (Prisma) or `<client>.query.<table>.<method>` (Drizzle's relational API). */
export interface DelegateModel {
  library: DbLibrary;
  packages: readonly string[];
  /** The name a client is conventionally bound to; matched against the receiver's last name (`prisma`, `ctx.db`, `this.prisma`). */
  clientNames: RegExp;
  /** Names that identify the client even without import evidence (`prisma`, `prismaClient`). */
  distinctiveClientNames?: RegExp;
  /** The property between client and model: Drizzle's `db.query.users`. */
  via?: string;
  methods: Readonly<Record<string, DbMethod>>;
  limitKeys: readonly string[];
  offsetKeys: readonly string[];
}

const where = (arg = 0): FilterSpec => ({ arg, key: 'where' });

export const DELEGATE_MODELS: readonly DelegateModel[] = [
  {
    library: 'drizzle',
    packages: ['drizzle-orm'],
    clientNames: /^(db|tx|trx|database|drizzle\w*|\w*Db)$/i,
    via: 'query',
    methods: {
      findMany: { operation: 'read-many', filter: where() },
      findFirst: { operation: 'read-one', filter: where() },
    },
    limitKeys: ['limit'],
    offsetKeys: ['offset'],
  },
  {
    library: 'prisma',
    packages: ['@prisma/client', 'prisma'],
    clientNames: /^(prisma\w*|\w*Prisma|db|tx|trx|database)$/i,
    distinctiveClientNames: /prisma/i,
    methods: {
      findUnique: { operation: 'read-one', filter: where() },
      findUniqueOrThrow: { operation: 'read-one', filter: where() },
      findFirst: { operation: 'read-one', filter: where() },
      findFirstOrThrow: { operation: 'read-one', filter: where() },
      findMany: { operation: 'read-many', filter: where() },
      create: { operation: 'create' },
      createMany: { operation: 'create' },
      createManyAndReturn: { operation: 'create' },
      update: { operation: 'update', filter: where() },
      updateMany: { operation: 'update', filter: where() },
      updateManyAndReturn: { operation: 'update', filter: where() },
      upsert: { operation: 'update', filter: where() },
      delete: { operation: 'delete', filter: where() },
      deleteMany: { operation: 'delete', filter: where() },
      count: { operation: 'aggregate', filter: where() },
      aggregate: { operation: 'aggregate', filter: where() },
      groupBy: { operation: 'aggregate', filter: where() },
    },
    limitKeys: ['take'],
    offsetKeys: ['skip', 'cursor'],
  },
];

/**
 * Libraries whose calls read `Model.method(…)` on a model class (Mongoose,
 * Sequelize, TypeORM's BaseEntity) or on a repository (TypeORM, NestJS-injected
 * `this.userModel`). Mongoose chains `.limit()`/`.skip()` onto the call.
 */
export interface ModelCallModel {
  library: DbLibrary;
  packages: readonly string[];
  /** Receivers: a Capitalized model class, and/or a repository/model handle (`userRepository`, `this.userModel`). */
  receivers: readonly ('model-class' | 'repository' | 'model-handle' | 'entity-manager')[];
  methods: Readonly<Record<string, DbMethod>>;
  limitKeys: readonly string[];
  offsetKeys: readonly string[];
  /** Chained methods that bound the result, each taking the row count (`.limit(n)`). */
  chainLimit: readonly string[];
  chainOffset: readonly string[];
}

export const MODEL_CALL_MODELS: readonly ModelCallModel[] = [
  {
    library: 'mongoose',
    packages: ['mongoose', '@nestjs/mongoose', '@typegoose/typegoose'],
    receivers: ['model-class', 'model-handle'],
    methods: {
      find: { operation: 'read-many', filter: { arg: 0 } },
      findOne: { operation: 'read-one', filter: { arg: 0 } },
      findById: { operation: 'read-one', filter: { arg: 0, idField: '_id' } },
      exists: { operation: 'read-one', filter: { arg: 0 } },
      countDocuments: { operation: 'aggregate', filter: { arg: 0 } },
      estimatedDocumentCount: { operation: 'aggregate' },
      aggregate: { operation: 'aggregate' },
      distinct: { operation: 'aggregate', filter: { arg: 1 } },
      create: { operation: 'create' },
      insertMany: { operation: 'create' },
      updateOne: { operation: 'update', filter: { arg: 0 } },
      updateMany: { operation: 'update', filter: { arg: 0 } },
      replaceOne: { operation: 'update', filter: { arg: 0 } },
      findOneAndUpdate: { operation: 'update', filter: { arg: 0 } },
      findByIdAndUpdate: { operation: 'update', filter: { arg: 0, idField: '_id' } },
      deleteOne: { operation: 'delete', filter: { arg: 0 } },
      deleteMany: { operation: 'delete', filter: { arg: 0 } },
      findOneAndDelete: { operation: 'delete', filter: { arg: 0 } },
      findByIdAndDelete: { operation: 'delete', filter: { arg: 0, idField: '_id' } },
    },
    limitKeys: ['limit'],
    offsetKeys: ['skip'],
    chainLimit: ['limit'],
    chainOffset: ['skip'],
  },
  {
    library: 'sequelize',
    packages: ['sequelize', 'sequelize-typescript'],
    receivers: ['model-class'],
    methods: {
      findAll: { operation: 'read-many', filter: where() },
      findAndCountAll: { operation: 'read-many', filter: where() },
      findOne: { operation: 'read-one', filter: where() },
      findByPk: { operation: 'read-one', filter: { arg: 0, idField: 'id' }, optionsArg: 1 },
      findOrCreate: { operation: 'read-one', filter: where() },
      count: { operation: 'aggregate', filter: where() },
      max: { operation: 'aggregate', filter: where(1) },
      min: { operation: 'aggregate', filter: where(1) },
      sum: { operation: 'aggregate', filter: where(1) },
      create: { operation: 'create' },
      bulkCreate: { operation: 'create' },
      update: { operation: 'update', filter: where(1) },
      upsert: { operation: 'update' },
      destroy: { operation: 'delete', filter: where() },
    },
    limitKeys: ['limit'],
    offsetKeys: ['offset'],
    chainLimit: [],
    chainOffset: [],
  },
  {
    library: 'typeorm',
    packages: ['typeorm', '@nestjs/typeorm', '@mikro-orm/core'],
    receivers: ['repository', 'model-class', 'entity-manager'],
    methods: {
      find: { operation: 'read-many', filter: where() },
      findBy: { operation: 'read-many', filter: { arg: 0 } },
      findAndCount: { operation: 'read-many', filter: where() },
      findAndCountBy: { operation: 'read-many', filter: { arg: 0 } },
      findOne: { operation: 'read-one', filter: where() },
      findOneBy: { operation: 'read-one', filter: { arg: 0 } },
      findOneOrFail: { operation: 'read-one', filter: where() },
      findOneByOrFail: { operation: 'read-one', filter: { arg: 0 } },
      count: { operation: 'aggregate', filter: where() },
      countBy: { operation: 'aggregate', filter: { arg: 0 } },
      exists: { operation: 'aggregate', filter: where() },
      existsBy: { operation: 'aggregate', filter: { arg: 0 } },
      save: { operation: 'create' },
      insert: { operation: 'create' },
      update: { operation: 'update', filter: { arg: 0, scalarIdField: 'id' } },
      delete: { operation: 'delete', filter: { arg: 0, scalarIdField: 'id' } },
      remove: { operation: 'delete' },
      softDelete: { operation: 'delete', filter: { arg: 0, scalarIdField: 'id' } },
    },
    limitKeys: ['take'],
    offsetKeys: ['skip'],
    chainLimit: [],
    chainOffset: [],
  },
];

/** Capitalized globals that are never models, whatever method is called on them. */
export const NOT_MODEL_CLASSES: ReadonlySet<string> = new Set([
  'Object',
  'Array',
  'Promise',
  'Reflect',
  'JSON',
  'Math',
  'Date',
  'Number',
  'String',
  'Symbol',
  'Map',
  'Set',
  'WeakMap',
  'Intl',
  'Buffer',
  'Error',
  'URL',
  'Response',
  'NextResponse',
  'Request',
]);

/** `userRepository`, `this.orderRepo`, `usersRepo`: TypeORM / MikroORM repositories; the suffix is stripped to name the model. */
export const REPOSITORY_NAME = /^(\w+?)(Repository|Repo)$/i;
/** `this.userModel`, `orderModel` (NestJS `@InjectModel`, Mongoose models held in a variable). */
export const MODEL_HANDLE_NAME = /^(\w+?)Model$/;
/** TypeORM `manager.find(User, …)`, MikroORM `em.find(User, …)`: the entity is the first argument. */
export const ENTITY_MANAGER_NAMES: ReadonlySet<string> = new Set(['manager', 'entityManager', 'em', 'orm']);
/** `dataSource.getRepository(User)`, `getRepository(User)`: a repository built in place. */
export const REPOSITORY_FACTORIES: ReadonlySet<string> = new Set(['getRepository', 'getMongoRepository', 'getCustomRepository']);

/** A query built by chaining calls: Drizzle's select builder, knex, Supabase, TypeORM's query builder. */
export interface ChainModel {
  library: DbLibrary;
  packages: readonly string[];
  /** Methods that change the operation: `insert` -> create. The first one met (from the root) wins. */
  operations: Readonly<Record<string, DbOperation>>;
  /** Methods that bound the result (`limit`, `range`, `first`, `single`). */
  limit: readonly string[];
  /** Of `limit`, those whose first argument is the row count (`limit(n)`; knex `first(columns)` and `paginate(options)` take none). */
  countMethods: readonly string[];
  /** Of `limit`, the one bounded by inclusive row indexes (`range(from, to)`). */
  rangeMethod?: string;
  /** Methods that page (`offset`, `range`). */
  offset: readonly string[];
  /** Methods that make it a single-row read. */
  single: readonly string[];
  /** Filter methods: which argument names the field and whether it is an equality. */
  filters: Readonly<Record<string, 'eq' | 'in' | 'other' | 'object' | 'sql-string'>>;
}

export const SUPABASE_CHAIN: ChainModel = {
  library: 'supabase',
  packages: ['@supabase/supabase-js', '@supabase/ssr', '@supabase/auth-helpers-nextjs'],
  operations: { select: 'read-many', insert: 'create', upsert: 'update', update: 'update', delete: 'delete' },
  limit: ['limit', 'range', 'single', 'maybeSingle'],
  countMethods: ['limit'],
  rangeMethod: 'range',
  offset: ['range'],
  single: ['single', 'maybeSingle'],
  filters: {
    eq: 'eq',
    match: 'object',
    neq: 'other',
    gt: 'other',
    gte: 'other',
    lt: 'other',
    lte: 'other',
    like: 'other',
    ilike: 'other',
    is: 'other',
    in: 'in',
    contains: 'other',
    containedBy: 'other',
    textSearch: 'other',
    filter: 'other',
  },
};

/** Functions that create a Supabase client; a variable initialized from one is a client whatever its name. */
export const SUPABASE_CLIENT_FACTORIES: ReadonlySet<string> = new Set([
  'createClient',
  'createServerClient',
  'createBrowserClient',
  'createRouteHandlerClient',
  'createServerComponentClient',
  'createServerActionClient',
  'createPagesServerClient',
  'createMiddlewareClient',
]);
export const SUPABASE_CLIENT_NAME = /supabase/i;

export const KNEX_CHAIN: ChainModel = {
  library: 'knex',
  packages: ['knex'],
  operations: { insert: 'create', update: 'update', del: 'delete', delete: 'delete', count: 'aggregate', sum: 'aggregate', avg: 'aggregate', min: 'aggregate', max: 'aggregate', countDistinct: 'aggregate' },
  limit: ['limit', 'first', 'paginate'],
  countMethods: ['limit'],
  offset: ['offset', 'paginate'],
  single: ['first'],
  filters: { where: 'eq', andWhere: 'eq', whereIn: 'in', whereNot: 'other', whereNull: 'other', whereNotNull: 'other', whereBetween: 'other', whereLike: 'other', whereILike: 'other' },
};
/** Names a knex instance is conventionally bound to (`knex('users')`, `db('users')`, `trx('users')`). */
export const KNEX_CLIENT_NAMES = /^(knex|db|trx|database|k)$/;
/** knex entry points on the instance that name the table. */
export const KNEX_TABLE_METHODS: ReadonlySet<string> = new Set(['from', 'table', 'into']);

export const DRIZZLE_CHAIN: ChainModel = {
  library: 'drizzle',
  packages: ['drizzle-orm'],
  operations: { select: 'read-many', selectDistinct: 'read-many', insert: 'create', update: 'update', delete: 'delete' },
  limit: ['limit'],
  countMethods: ['limit'],
  offset: ['offset'],
  single: [],
  filters: { where: 'object' },
};
export const DRIZZLE_CLIENT_NAMES = /^(db|tx|trx|database|drizzle\w*|\w*Db)$/i;
/** Drizzle's condition helpers: `eq(users.id, id)` constrains `id`. */
export const DRIZZLE_OPERATORS: Readonly<Record<string, 'eq' | 'in' | 'other' | 'and'>> = {
  eq: 'eq',
  ne: 'other',
  gt: 'other',
  gte: 'other',
  lt: 'other',
  lte: 'other',
  like: 'other',
  ilike: 'other',
  inArray: 'in',
  notInArray: 'other',
  isNull: 'other',
  isNotNull: 'other',
  between: 'other',
  and: 'and',
};
/** Aggregate helpers in a select shape: `db.select({ n: count() })`. */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set(['count', 'countDistinct', 'sum', 'avg', 'min', 'max', 'sumDistinct', 'avgDistinct']);

export const TYPEORM_QUERY_BUILDER: ChainModel = {
  library: 'typeorm',
  packages: ['typeorm', '@nestjs/typeorm'],
  operations: {
    getMany: 'read-many',
    getRawMany: 'read-many',
    getManyAndCount: 'read-many',
    stream: 'read-many',
    getOne: 'read-one',
    getRawOne: 'read-one',
    getOneOrFail: 'read-one',
    getCount: 'aggregate',
    getExists: 'aggregate',
    insert: 'create',
    update: 'update',
    delete: 'delete',
    softDelete: 'delete',
  },
  limit: ['take', 'limit'],
  countMethods: ['take', 'limit'],
  offset: ['skip', 'offset'],
  single: [],
  filters: { where: 'sql-string', andWhere: 'sql-string' },
};

/** Method names that run over each element of the receiver: a query in the callback runs once per element. */
export const ITERATION_METHODS: ReadonlySet<string> = new Set(['map', 'forEach', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex']);
/** Functions that run a callback per element of an argument: `Array.from(rows, fn)`, p-map, Bluebird, async. */
export const ITERATION_FUNCTIONS: readonly { callee: string; collectionArg: number }[] = [
  { callee: 'Array.from', collectionArg: 0 },
  { callee: 'pMap', collectionArg: 0 },
  { callee: 'Bluebird.map', collectionArg: 0 },
  { callee: 'Promise.map', collectionArg: 0 },
  { callee: 'async.each', collectionArg: 0 },
  { callee: 'async.map', collectionArg: 0 },
  { callee: 'async.eachSeries', collectionArg: 0 },
  { callee: 'async.mapSeries', collectionArg: 0 },
];

/** Fields that name one row by themselves: an equality on one of these is a single-row read. */
export const UNIQUE_KEY_FIELDS: ReadonlySet<string> = new Set(['id', '_id', 'uuid']);

/** Filter keys that combine conditions which all must hold (recursed into); other logical keys (OR, NOT) constrain nothing for sure. */
export const AND_KEYS: ReadonlySet<string> = new Set(['AND', '$and']);
export const LOGICAL_KEYS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', '$and', '$or', '$nor', '$not', '$expr', '$text', '$where']);
/** Operator keys inside a field's condition object meaning "equals". */
export const EQUALITY_OPERATOR_KEYS: ReadonlySet<string> = new Set(['equals', '$eq']);
/** Operator keys inside a field's condition object meaning "is one of" (Prisma `in`, MongoDB `$in`; Sequelize's `[Op.in]` is read apart). */
export const MEMBERSHIP_OPERATOR_KEYS: ReadonlySet<string> = new Set(['in', '$in']);
/** Calls in a filter value meaning "is one of" (TypeORM `In(list)`). */
export const MEMBERSHIP_OPERATOR_CALLS: ReadonlySet<string> = new Set(['In']);
/** Calls in a filter value meaning "equals" (TypeORM `Equal(x)`). */
export const EQUALITY_OPERATOR_CALLS: ReadonlySet<string> = new Set(['Equal']);
/** TypeORM find operators: a filter value built with one is a condition, not a plain value. */
export const FIND_OPERATOR_CALLS: ReadonlySet<string> = new Set([
  'Equal',
  'Not',
  'In',
  'Any',
  'Like',
  'ILike',
  'Between',
  'IsNull',
  'MoreThan',
  'MoreThanOrEqual',
  'LessThan',
  'LessThanOrEqual',
  'Raw',
  'ArrayContains',
  'ArrayContainedBy',
  'ArrayOverlap',
  'And',
  'Or',
]);

/** Methods after the query that only consume its promise. */
export const PROMISE_METHODS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/** better-sqlite3 statement methods: how many rows each returns. */
export const STATEMENT_METHODS: Readonly<Record<string, 'one' | 'many' | 'write'>> = { get: 'one', all: 'many', iterate: 'many', run: 'write' };
