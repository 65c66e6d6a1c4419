// The project's data model, from every source that declares one: schema.prisma
// (one file or a folder of them), SQL migrations and Mongoose schemas in code.
// Built once per project version (the ProjectView caches it; the Workspace makes
// a new view when a schema input changes) and queried by model or table name.
import { classifyFile, isCodeKind } from '../files/kinds';
import { parseCode } from '../files/parse';
import type { SchemaFacts, SchemaField, SchemaModel } from './appModel';
import { collectMongooseModels } from './mongooseSchemas';
import { type PrismaSchemaFile, completeRelations, parsePrismaSchema } from './prismaSchema';
import { MONGOOSE_PACKAGES, MONGOOSE_SCHEMA_MARKER, OWNER_FIELD_NAMES, OWNER_FIELDS_WITHOUT_RELATION, OWNER_MODEL_NAMES, SCHEMA_SQL_PATH } from './schemaModels';
import { type SqlMigrationFile, lineOf, parseSqlMigration } from './sqlMigrations';

export type { SchemaFacts, SchemaField, SchemaModel } from './appModel';

/** The schema facts plus the parsed files they came from (rules that report in those files need positions). */
export interface ProjectSchema extends SchemaFacts {
  readonly prismaFiles: readonly PrismaSchemaFile[];
  readonly sqlFiles: readonly SqlMigrationFile[];
}

export interface SchemaSources {
  listFiles(): readonly string[];
  readFile(path: string): string | undefined;
  readonly dependencies: ReadonlySet<string>;
}

/** Whether a change to this file can change the schema facts (and so every file's findings). */
export function isSchemaInput(path: string, texts: readonly (string | undefined)[] = []): boolean {
  if (path.endsWith('.prisma') || isSchemaSqlPath(path)) return true;
  const kind = classifyFile(path);
  return kind !== undefined && isCodeKind(kind) && texts.some((text) => text !== undefined && mayDefineMongooseSchema(text));
}

/**
 * Asked on every keystroke, of both versions of the edited file: the native substring
 * search rules out a file that never says `Schema` without the regex, which stops at
 * every `new` of the file.
 */
function mayDefineMongooseSchema(text: string): boolean {
  return text.includes('Schema') && MONGOOSE_SCHEMA_MARKER.test(text);
}

export function isSchemaSqlPath(path: string): boolean {
  return SCHEMA_SQL_PATH.test(path);
}

/**
 * Parses of schema files by kind and path, reused while the text is the same. Fix
 * verification rebuilds the project schema once per proposed edit of a schema file,
 * and only that one file changed: without this, every proposed `@@index` re-parsed
 * every migration of the project. Two versions per file (the current text and the
 * one a fix proposes); the oldest files are forgotten past a bound.
 */
const parses = new Map<string, { text: string; parsed: unknown }[]>();
const MAX_PARSED_FILES = 4_096;
const VERSIONS_PER_FILE = 2;

function parsedOnce<T>(kind: string, path: string, text: string, parse: () => T): T {
  const key = `${kind}:${path}`;
  const versions = parses.get(key) ?? [];
  const hit = versions.find((version) => version.text === text);
  if (hit) return hit.parsed as T; // the same key and text always hold a parse by the same `parse`
  const parsed = parse();
  parses.delete(key);
  if (parses.size >= MAX_PARSED_FILES) parses.delete(parses.keys().next().value as string);
  parses.set(key, [{ text, parsed }, ...versions].slice(0, VERSIONS_PER_FILE));
  return parsed;
}

/**
 * A copy of a shared parse that this build may complete: relations, owner fields and
 * RLS are written onto models (and relations onto fields), never onto the parse.
 */
function ownCopy(file: PrismaSchemaFile): PrismaSchemaFile {
  return { ...file, models: file.models.map((model) => ({ ...model, fieldDetails: model.fieldDetails.map((field) => ({ ...field })) })) };
}

/** schema.prisma as parsed (shared: callers must not modify it). */
export function prismaSchemaOf(path: string, text: string): PrismaSchemaFile {
  return parsedOnce('prisma', path, text, () => parsePrismaSchema(text, path));
}

/** A SQL migration as parsed (shared: callers must not modify it). */
export function sqlMigrationOf(path: string, text: string): SqlMigrationFile {
  return parsedOnce('sql', path, text, () => parseSqlMigration(text, path));
}

export function buildProjectSchema(sources: SchemaSources): ProjectSchema {
  const paths = [...sources.listFiles()].sort();
  const prismaFiles: PrismaSchemaFile[] = [];
  const sqlFiles: SqlMigrationFile[] = [];
  for (const path of paths) {
    if (path.endsWith('.prisma')) {
      const text = sources.readFile(path);
      if (text !== undefined) prismaFiles.push(ownCopy(prismaSchemaOf(path, text)));
    } else if (isSchemaSqlPath(path)) {
      const text = sources.readFile(path);
      if (text !== undefined) sqlFiles.push(sqlMigrationOf(path, text));
    }
  }

  // A schema split over several .prisma files relates models across them.
  const prismaModels = prismaFiles.flatMap((file) => file.models);
  if (prismaFiles.length > 1) {
    const names = new Set(prismaModels.map((model) => model.name));
    for (const model of prismaModels) completeRelations(model, names);
  }
  const sqlModels = sqlTables(sqlFiles);
  const mongooseModels = MONGOOSE_PACKAGES.some((pkg) => sources.dependencies.has(pkg)) ? mongooseSchemas(paths, sources) : [];

  for (const table of sqlModels) {
    if (!table.rls) continue;
    const mapped = prismaModels.find((model) => model.aliases.some((alias) => alias.toLowerCase() === table.name.toLowerCase()));
    if (mapped) mapped.rls = true;
  }
  const models: SchemaModel[] = [...prismaModels, ...sqlModels, ...mongooseModels];
  const byName = new Map<string, SchemaModel>();
  for (const model of models) for (const alias of model.aliases) if (!byName.has(alias.toLowerCase())) byName.set(alias.toLowerCase(), model);
  const find = (name: string): SchemaModel | undefined => {
    const key = name.toLowerCase();
    return byName.get(key) ?? byName.get(singular(key)) ?? byName.get(`${key}s`);
  };
  for (const model of models) assignOwner(model, find);

  const datasourceFile = prismaFiles.find((file) => file.datasource);
  return { models, find, datasource: datasourceFile?.datasource, prismaFiles, sqlFiles };
}

/** Tables as the migrations leave them, applied in path order (timestamped names sort chronologically). */
function sqlTables(files: readonly SqlMigrationFile[]): SchemaModel[] {
  const tables = new Map<string, SchemaModel>();
  const pendingIndexes: { table: string; columns: string[]; unique: boolean }[] = [];
  const pendingRls = new Set<string>();
  for (const file of files) {
    for (const statement of file.statements) {
      const key = statement.table.name.toLowerCase();
      if (statement.kind === 'create-table') {
        const fieldDetails: SchemaField[] = statement.columns.map((column) => ({ name: column.name, type: column.type, optional: true, list: false, line: lineOf(file, column.offset) }));
        tables.set(key, {
          name: statement.table.name,
          aliases: [statement.table.name],
          fields: statement.columns.map((column) => column.name),
          indexes: [...statement.keys],
          uniques: [...statement.keys],
          foreignKeys: statement.foreignKeys.map((fk) => ({ field: fk.columns[0] ?? '', references: fk.references, fields: fk.columns, line: lineOf(file, fk.offset) })),
          rls: false,
          source: { path: file.path, line: lineOf(file, statement.start) },
          fieldDetails,
          origin: 'sql',
        });
      } else if (statement.kind === 'create-index') {
        const table = tables.get(key);
        if (table) {
          table.indexes.push(statement.columns);
          if (statement.unique) table.uniques?.push(statement.columns);
        } else pendingIndexes.push({ table: key, columns: statement.columns, unique: statement.unique });
      } else if (statement.kind === 'alter-table') {
        const table = tables.get(key);
        if (!table) {
          if (statement.rls) pendingRls.add(key);
          continue;
        }
        if (statement.rls) table.rls = true;
        for (const column of statement.columns) {
          table.fields.push(column.name);
          table.fieldDetails?.push({ name: column.name, type: column.type, optional: true, list: false, line: lineOf(file, column.offset) });
        }
        table.indexes.push(...statement.keys);
        table.uniques?.push(...statement.keys);
        for (const fk of statement.foreignKeys) table.foreignKeys.push({ field: fk.columns[0] ?? '', references: fk.references, fields: fk.columns, line: lineOf(file, fk.offset) });
      } else if (statement.kind === 'drop-table') {
        tables.delete(key);
      }
    }
  }
  for (const pending of pendingIndexes) {
    const table = tables.get(pending.table);
    table?.indexes.push(pending.columns);
    if (pending.unique) table?.uniques?.push(pending.columns);
  }
  for (const name of pendingRls) {
    const table = tables.get(name);
    if (table) table.rls = true;
  }
  return [...tables.values()];
}

function mongooseSchemas(paths: readonly string[], sources: SchemaSources): SchemaModel[] {
  const models: SchemaModel[] = [];
  for (const path of paths) {
    const kind = classifyFile(path);
    if (!kind || !isCodeKind(kind)) continue;
    const text = sources.readFile(path);
    if (text === undefined || !mayDefineMongooseSchema(text)) continue;
    try {
      const parsed = parsedOnce('mongoose', path, text, () => collectMongooseModels(parseCode(path, text, kind), path));
      models.push(...parsed.map((model) => ({ ...model })));
    } catch {
      // Too deeply nested to parse: the workspace reports that file as skipped already.
    }
  }
  return models;
}

/**
 * The owner field: the relation to the most owner-like model (User before
 * Organization), ties broken by field name (`userId` before `reviewerId`); else a
 * column named like an owner (`user_id`, `owner_id`, `created_by`).
 */
function assignOwner(model: SchemaModel, find: (name: string) => SchemaModel | undefined): void {
  const self = singular(model.name.toLowerCase());
  const rank = (name: string): number => {
    const target = find(name)?.name ?? name;
    const normalized = singular(target.toLowerCase());
    return normalized === self ? -1 : OWNER_MODEL_NAMES.indexOf(normalized);
  };
  const fieldRank = (field: string): number => {
    const index = OWNER_FIELD_NAMES.indexOf(field);
    return index === -1 ? OWNER_FIELD_NAMES.length : index;
  };
  const candidates = model.foreignKeys.filter((fk) => rank(fk.references) >= 0).sort((a, b) => rank(a.references) - rank(b.references) || fieldRank(a.field) - fieldRank(b.field));
  const best = candidates[0];
  if (best) {
    model.ownerField = best.field;
    model.ownerModel = find(best.references)?.name ?? best.references;
    return;
  }
  const named = OWNER_FIELD_NAMES.find((name) => OWNER_FIELDS_WITHOUT_RELATION.has(name) && model.fields.includes(name));
  if (named) model.ownerField = named;
}

function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('sses')) return name.slice(0, -2);
  if (name.endsWith('s') && !name.endsWith('ss')) return name.slice(0, -1);
  return name;
}
