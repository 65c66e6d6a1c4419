// What marks a record's owner, and where schemas live: data for schema.ts.

/**
 * Models whose records own other records, most specific first: a relation to one
 * of these (by singular, lower-cased name) makes the relation's field the owner field.
 */
export const OWNER_MODEL_NAMES: readonly string[] = ['user', 'account', 'profile', 'member', 'customer', 'tenant', 'organization', 'organisation', 'org', 'team', 'workspace'];

/**
 * Field and column names that name the owner, most specific first. Used to choose
 * among several owner relations, and on their own when no relation is declared
 * (`user_id uuid` with no REFERENCES, a Mongoose `userId: String`).
 */
export const OWNER_FIELD_NAMES: readonly string[] = [
  'userId',
  'user_id',
  'ownerId',
  'owner_id',
  'authorId',
  'author_id',
  'createdById',
  'created_by_id',
  'createdBy',
  'created_by',
  'accountId',
  'account_id',
  'profileId',
  'profile_id',
  'memberId',
  'member_id',
  'customerId',
  'customer_id',
  'tenantId',
  'tenant_id',
  'organizationId',
  'organization_id',
  'orgId',
  'org_id',
  'teamId',
  'team_id',
  'workspaceId',
  'workspace_id',
  'owner',
  'user',
  'author',
];

/** Names (as written in code) that only ever name the owner when no relation is declared. */
export const OWNER_FIELDS_WITHOUT_RELATION: ReadonlySet<string> = new Set([
  'userId',
  'user_id',
  'ownerId',
  'owner_id',
  'authorId',
  'author_id',
  'createdBy',
  'created_by',
  'createdById',
  'created_by_id',
  'orgId',
  'org_id',
  'organizationId',
  'organization_id',
  'tenantId',
  'tenant_id',
]);

/**
 * SQL files that describe the schema: migrations (any `migrations/` folder, Supabase's
 * included), drizzle-kit's default output (`drizzle/0000_name.sql`) and `schema.sql`.
 */
export const SCHEMA_SQL_PATH = /(^|\/)migrations?\/.*\.sql$|(^|\/)drizzle\/[^/]+\.sql$|(^|\/)schema\.sql$/i;

/** Prisma's own generated migrations: the schema.prisma they come from is the place to report and fix. */
export const PRISMA_MIGRATION_PATH = /(^|\/)prisma\/migrations\//;

/** Packages whose presence means Mongoose schemas in code are worth looking for. */
export const MONGOOSE_PACKAGES: readonly string[] = ['mongoose', '@nestjs/mongoose', '@typegoose/typegoose'];

/** A code file that may define a Mongoose schema: `new Schema(`, `new mongoose.Schema<T>(`. */
export const MONGOOSE_SCHEMA_MARKER = /\bnew\s+(?:mongoose\.)?Schema\s*(?:<[^>()]*>)?\s*\(/;

/** Mongoose's id type names. */
export const MONGOOSE_ID_TYPES: ReadonlySet<string> = new Set(['ObjectId', 'Schema.Types.ObjectId', 'mongoose.Schema.Types.ObjectId', 'Types.ObjectId', 'mongoose.Types.ObjectId', 'SchemaTypes.ObjectId']);
