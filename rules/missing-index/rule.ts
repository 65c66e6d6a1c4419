// missing-index: a foreign key no index starts with (schema.prisma relation
// scalars, SQL REFERENCES / FOREIGN KEY columns), and Prisma queries that filter
// a model only on fields no index covers. Postgres, SQLite and SQL Server do not
// index foreign keys by themselves, so every lookup by parent, join and
// cascading delete scans the child table. The SQL fix never edits an existing
// migration (it has run already and never runs again): it creates the next one
// (engine/fixes/newMigration.ts), or offers nothing for layouts it does not know.
import { ts } from '../../server/src/engine/ts';
import type { DbCondition, SqlMigrationFile } from '../../server/src/engine/facts';
import type { PrismaModel, PrismaSchemaFile } from '../../server/src/engine/facts/prismaSchema';
import { type ProjectSchema, isSchemaSqlPath } from '../../server/src/engine/facts/schema';
import { PRISMA_MIGRATION_PATH } from '../../server/src/engine/facts/schemaModels';
import type { RuleContext } from '../../server/src/engine/rule';
import { defineRule } from '../../server/src/engine/rule';
import { type MigrationLayout, isMigrationPath, projectMigrationLayout } from '../../server/src/engine/fixes/newMigration';
import type { RuleFix, TextEdit } from '../../server/src/engine/types';
import { meta, PRISMA_FIX, SQL_FIX } from './meta';

/** Prisma filter operators an ordinary B-tree index serves (`contains`, `endsWith`, `search` it cannot). */
const INDEXABLE_OPERATORS: ReadonlySet<string> = new Set(['equals', 'in', 'gt', 'gte', 'lt', 'lte']);

export default defineRule({
  meta,

  check(context) {
    if (context.file.kind === 'prisma') checkPrismaSchema(context);
    else if (context.file.kind === 'sql') checkMigration(context);
    else checkQueries(context);
  },
});

/** Whether an index exists whose leading columns are exactly `fields` (in any order). */
function covered(indexes: readonly (readonly string[])[], fields: readonly string[]): boolean {
  return indexes.some((index) => index.length >= fields.length && fields.every((field) => index.slice(0, fields.length).includes(field)));
}

// ---------------------------------------------------------------------------
// schema.prisma

function checkPrismaSchema(context: RuleContext): void {
  const file = context.facts.prismaSchema;
  const datasource = file.datasource ?? context.project.schema.datasource;
  const provider = datasource?.provider?.toLowerCase();
  if (provider === 'mongodb') return;
  if (provider === 'mysql' && datasource?.relationMode !== 'prisma') return;
  for (const model of file.models) {
    if (model.kind !== 'model') continue;
    for (const fk of model.foreignKeys) {
      const fields = fk.fields ?? [fk.field];
      if (covered(model.indexes, fields)) continue;
      const scalar = model.fieldDetails.find((field) => field.name === fields[0]);
      if (!scalar) continue;
      const attribute = `@@index([${fields.join(', ')}])`;
      context.report({
        start: scalar.offset,
        end: scalar.offset + scalar.name.length,
        message:
          `\`${fields.join('`, `')}\` links ${model.name} to ${fk.references}, but no index starts with it: looking up a ${fk.references}'s ${model.name} rows, joining them and cascading deletes all scan the whole table, slower with every row. ` +
          `Add \`${attribute}\` to model ${model.name}.`,
        fixes: [{ id: PRISMA_FIX, title: `Add ${attribute}`, changes: [{ kind: 'edit', path: context.file.path, edits: [prismaIndexEdit(file, model, attribute, context.file.text)] }] }],
      });
    }
  }
}

/** After the model's last @@index (or last block attribute), else before its closing brace after a blank line. */
function prismaIndexEdit(file: PrismaSchemaFile, model: PrismaModel, attribute: string, text: string): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indexes = model.blockAttributes.filter((block) => block.name === 'index');
  const anchor = indexes[indexes.length - 1] ?? model.blockAttributes[model.blockAttributes.length - 1];
  if (anchor) {
    const at = file.lineStarts[anchor.line + 1] ?? text.length;
    const needsBreak = at === text.length && !text.endsWith('\n');
    return { start: at, end: at, newText: `${needsBreak ? eol : ''}${model.indent}${attribute}${eol}` };
  }
  const previousLine = text.slice(file.lineStarts[model.closeLine - 1] ?? 0, model.closeLineStart);
  const blank = previousLine.trim() === '' ? '' : eol;
  return { start: model.closeLineStart, end: model.closeLineStart, newText: `${blank}${model.indent}${attribute}${eol}` };
}

// ---------------------------------------------------------------------------
// SQL migrations

function checkMigration(context: RuleContext): void {
  const path = context.file.path;
  if (!isSchemaSqlPath(path)) return;
  const schema = context.project.schema;
  // Prisma writes prisma/migrations from schema.prisma: report (and fix) there instead.
  if (PRISMA_MIGRATION_PATH.test(path) && schema.prismaFiles.length > 0) return;
  const file = context.facts.sqlMigration;
  // This file as it is now, plus every other file's indexes as the project view has them.
  const own = new Map<string, string[][]>();
  collectIndexes(file, own);
  const elsewhere = projectIndexes(schema);
  const indexesOn = (table: string): string[][] => [...(own.get(table) ?? []), ...(elsewhere.get(table) ?? []).filter((index) => index.path !== path).map((index) => index.columns)];

  const text = context.file.text;
  file.statements.forEach((statement, position) => {
    if (statement.kind !== 'create-table' && statement.kind !== 'alter-table') return;
    if (statement.kind === 'create-table' && statement.mysql) return;
    for (const fk of statement.foreignKeys) {
      if (covered(indexesOn(statement.table.name.toLowerCase()), fk.columns)) continue;
      const quoted = /["`]/.test(text.charAt(fk.offset - 1));
      const columns = fk.columns.map((column) => (quoted ? `"${column}"` : column)).join(', ');
      const bareName = `${statement.table.name}_${fk.columns.join('_')}_idx`;
      const indexName = statement.table.quoted ? `"${bareName}"` : bareName;
      // Written in the file's own keyword case.
      const lower = /^[a-z]/.test(text.slice(statement.start, statement.start + 1));
      const create = lower ? `create index ${indexName} on ${statement.table.text} (${columns});` : `CREATE INDEX ${indexName} ON ${statement.table.text} (${columns});`;
      const place = fixPlace(context, statement.table.name.toLowerCase());
      let advice: string;
      let fix: RuleFix | undefined;
      if (place.kind === 'this-file') {
        advice = `Add \`${create}\`.`;
        fix = { id: SQL_FIX, title: `Add ${create}`, changes: [{ kind: 'edit', path, edits: [sqlIndexEdit(file, position, create, text)] }] };
      } else if (place.kind === 'drizzle') {
        advice = `Declare the index in the Drizzle table (\`index('${bareName}').on(…)\`) and run \`drizzle-kit generate\`: drizzle applies only the migrations its journal lists.`;
      } else if (place.kind === 'prisma-schema') {
        advice = `Add \`@@index([${fk.columns.join(', ')}])\` to the model in schema.prisma and run \`prisma migrate dev\`: these migrations are generated from it.`;
      } else {
        advice = `Add \`${create}\` in a new migration: an applied migration never runs again.`;
        // Layouts newMigration does not know get no fix: a guess at the next name could run in the wrong order, or never.
        const created = place.kind === 'series' ? place.series.next(['add', statement.table.name, ...fk.columns, 'index'], { up: create, down: dropIndex(statement.table.text, indexName, lower) }) : undefined;
        if (created) fix = { id: SQL_FIX, title: `Add ${create} in new migration ${created.label}`, changes: [{ kind: 'create', path: created.path, text: created.text }] };
      }
      context.report({
        start: fk.offset,
        end: fk.offset + (fk.columns[0]?.length ?? 1),
        message:
          `Foreign key \`${fk.columns.join(', ')}\` on ${statement.table.name} references ${fk.references}, but no index starts with it: looking up rows by ${fk.references}, joining them and cascading deletes all scan the whole table, slower with every row. ` +
          advice,
        fixes: fix ? [fix] : [],
      });
    }
  });
}

type SqlFixPlace = { kind: 'this-file' } | MigrationLayout;

/**
 * Where the CREATE INDEX goes. Never into an existing migration: it has been (or will
 * be) applied once and never runs again, and Prisma and Flyway refuse one whose
 * checksum changed. So a new migration after the others, when the layout is one
 * newMigration knows. A schema file (`schema.sql`) is edited in place like
 * schema.prisma, unless migrations create the same table: then the database gets it
 * from them (the schema file is likely a dump), and the index goes in a new one.
 */
function fixPlace(context: RuleContext, table: string): SqlFixPlace {
  const path = context.file.path;
  if (isMigrationPath(path)) return projectMigrationLayout(context.project, path);
  const migration = context.project.schema.sqlFiles.find(
    (other) => other.path !== path && isMigrationPath(other.path) && other.statements.some((statement) => statement.kind === 'create-table' && statement.table.name.toLowerCase() === table),
  );
  return migration ? projectMigrationLayout(context.project, migration.path) : { kind: 'this-file' };
}

/** `DROP INDEX` for a down section, in the table's schema (Postgres puts an index beside its table); MySQL names the table instead. */
function dropIndex(tableText: string, indexName: string, lower: boolean): string {
  const keyword = lower ? 'drop index' : 'DROP INDEX';
  if (tableText.startsWith('`')) return `${keyword} ${indexName} ${lower ? 'on' : 'ON'} ${tableText};`;
  const qualifier = TABLE_QUALIFIER.exec(tableText)?.[1];
  return `${keyword} ${qualifier ? `${qualifier}.` : ''}${indexName};`;
}

/** The schema part of `public.orders`, `"app"."Order"`. */
const TABLE_QUALIFIER = /^(.+?)\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)$/;

/**
 * The indexes of every SQL schema file by table (lower case), each with its file: built
 * once per schema, since every migration of a project asks (once per file it was
 * quadratic in the number of migrations).
 */
const INDEXES_BY_SCHEMA = new WeakMap<ProjectSchema, Map<string, { path: string; columns: string[] }[]>>();

function projectIndexes(schema: ProjectSchema): Map<string, { path: string; columns: string[] }[]> {
  let byTable = INDEXES_BY_SCHEMA.get(schema);
  if (byTable) return byTable;
  byTable = new Map();
  for (const other of schema.sqlFiles) {
    const indexes = new Map<string, string[][]>();
    collectIndexes(other, indexes);
    for (const [table, list] of indexes) {
      const entries = byTable.get(table) ?? [];
      for (const columns of list) entries.push({ path: other.path, columns });
      byTable.set(table, entries);
    }
  }
  INDEXES_BY_SCHEMA.set(schema, byTable);
  return byTable;
}

function collectIndexes(file: SqlMigrationFile, into: Map<string, string[][]>): void {
  const add = (table: string, columns: string[]): void => {
    if (columns.length === 0) return;
    const key = table.toLowerCase();
    const list = into.get(key);
    if (list) list.push(columns);
    else into.set(key, [columns]);
  };
  for (const statement of file.statements) {
    if (statement.kind === 'create-index') add(statement.table.name, statement.columns);
    else if (statement.kind === 'create-table' || statement.kind === 'alter-table') for (const key of statement.keys) add(statement.table.name, key);
  }
}

/** After the statement and the CREATE INDEX statements on the same table that follow it, so several fixes keep column order. */
function sqlIndexEdit(file: SqlMigrationFile, position: number, create: string, text: string): TextEdit {
  const table = file.statements[position]?.table.name.toLowerCase();
  let last = position;
  for (let next = position + 1; next < file.statements.length; next++) {
    const statement = file.statements[next];
    if (statement?.kind !== 'create-index' || statement.table.name.toLowerCase() !== table) break;
    last = next;
  }
  const end = file.statements[last]?.end ?? text.length;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const terminated = text.charAt(end - 1) === ';';
  return { start: end, end, newText: `${terminated ? '' : ';'}${eol}${create}` };
}

// ---------------------------------------------------------------------------
// Prisma queries in code

function checkQueries(context: RuleContext): void {
  const calls = context.facts.dbCalls.filter((call) => call.library === 'prisma' && call.filter && call.operation !== 'create');
  if (calls.length === 0) return;
  const schema: ProjectSchema = context.project.schema;
  const { flow } = context.facts;
  for (const call of calls) {
    const model = schema.find(call.model);
    if (!model || model.origin !== 'prisma') continue;
    const scalars = new Map((model.fieldDetails ?? []).filter((field) => !field.relation).map((field) => [field.name, field]));
    const conditions = (call.conditions ?? []).filter((condition) => scalars.has(condition.field));
    if (conditions.length === 0) continue;
    // One indexed condition is enough: the database narrows with that index first.
    if (conditions.some((condition) => model.indexes.some((index) => index[0] === condition.field))) continue;
    const target = conditions.find((condition) => scalars.get(condition.field)?.type !== 'Boolean' && isSelective(condition, (expr) => flow.isConstant(expr)));
    if (!target) continue;
    const field = scalars.get(target.field);
    const method = ts.isPropertyAccessExpression(call.call.expression) ? call.call.expression.name.text : 'query';
    context.report({
      start: target.node.getStart(),
      end: target.node.end,
      message:
        `\`${method}\` filters ${model.name} by \`${target.field}\`, which no index covers (${model.source.path}:${(field?.line ?? model.source.line) + 1}): the database reads every row on each call, so it slows as the table grows. ` +
        `Add \`@@index([${target.field}])\` to model ${model.name}.`,
    });
  }
}

/** A lookup by a value that varies (an id from the request, a variable): what an index is for. */
function isSelective(condition: DbCondition, isConstant: (expr: ts.Expression) => boolean): boolean {
  if (condition.equality) return condition.value !== undefined && !isConstant(condition.value);
  const property = condition.node.parent;
  if (!property || !ts.isPropertyAssignment(property) || !ts.isObjectLiteralExpression(property.initializer)) return false;
  const operators = property.initializer.properties;
  return (
    operators.length > 0 &&
    operators.every((operator) => ts.isPropertyAssignment(operator) && INDEXABLE_OPERATORS.has(operator.name.getText())) &&
    operators.some((operator) => ts.isPropertyAssignment(operator) && !isConstant(operator.initializer))
  );
}
