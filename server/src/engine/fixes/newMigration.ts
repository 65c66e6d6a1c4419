// Where a fix that changes the database schema puts its SQL when the schema is
// written as migrations: in a NEW migration that sorts after every existing one,
// named the way the project already names them. An applied migration never runs
// again, and tools that checksum applied migrations (Prisma, Flyway) refuse an
// edited one, so a fix that edits one never reaches production. The next name is
// derived from the existing names alone (never the clock): the same files give
// the same migration. Layouts it does not recognise get none, and the caller
// offers no fix there.
import { basename, dirname } from '../facts/modules';
import { eolOf } from '../files/text';
import type { ProjectView } from '../types';

/** What the new migration holds: the statements to apply, and the ones that undo them for tools with a down section. */
export interface MigrationSql {
  up: string;
  down: string;
}

export interface NewMigration {
  /** Workspace-relative path of the file to create. */
  path: string;
  /** The path below the migrations folder, for titles: `002_add_index.sql`, `20240102000000_add_index/migration.sql`. */
  label: string;
  text: string;
}

export interface MigrationSeries {
  /**
   * The migration that comes after every existing one, named from `words`
   * (`['add', 'orders', 'userId', 'index']`); undefined when that path is taken, or
   * when the next version would not sort after every existing one (`1000_` after `999_`).
   */
  next(words: readonly string[], sql: MigrationSql): NewMigration | undefined;
}

export type MigrationLayout =
  /** Migrations the fix can add to. */
  | { kind: 'series'; series: MigrationSeries }
  /** drizzle-kit output: the migrator applies only what its journal lists, so a file added by hand never runs. */
  | { kind: 'drizzle' }
  /**
   * Prisma Migrate folders beside a schema.prisma: they are generated from it, and
   * `prisma migrate dev` would see an index the schema lacks as drift and drop it.
   */
  | { kind: 'prisma-schema' }
  /** Not a layout this module extends with confidence. */
  | { kind: 'unknown' };

/** A SQL file that is a migration (applied once, in order), as opposed to a schema file such as `schema.sql`. */
export function isMigrationPath(path: string): boolean {
  return MIGRATION_FOLDER_IN_PATH.test(path) || DRIZZLE_FILE.test(path);
}

const MIGRATION_FOLDER_IN_PATH = /(^|\/)migrations?\//i;
const MIGRATION_FOLDER = /(^|\/)migrations?$/i;
const DRIZZLE_FILE = /(^|\/)drizzle\/[^/]+\.sql$/i;

/** `<version>_<name>/migration.sql`: one folder per migration (Prisma Migrate). */
const FOLDER_MIGRATION_FILE = 'migration.sql';
const FOLDER_VERSION = /^(\d+)_/;
/** `001_init.sql`, `0002-users.sql`, `20240101120000_init.sql` (Supabase, dbmate), `001.sql`. Names with a dot (`1_x.up.sql`, `001.do.sql`) are other layouts. */
const NUMBERED_FILE = /^(\d+)(?:([_-]+)([^.]*))?\.sql$/i;
/** Flyway: versioned `V3__x.sql` (`V1.1__`, `V1_1__`), undo `U3__x.sql`, repeatable `R__x.sql`. */
const FLYWAY_VERSIONED = /^[VU](\d+)(?:[._]\d+)*__[^/]*\.sql$/;
const FLYWAY_REPEATABLE = /^R__[^/]*\.sql$/;

/**
 * Up/down section markers of tools that keep both directions in one SQL file. A
 * migration without its tool's up marker is refused (goose, dbmate) or misread, so
 * the new one repeats the markers of the latest one.
 */
const SECTION_MARKERS: readonly { tool: string; up: RegExp; down: RegExp }[] = [
  { tool: 'goose', up: /^--[ \t]*\+goose[ \t]+up\b/im, down: /^--[ \t]*\+goose[ \t]+down\b/im },
  { tool: 'sql-migrate', up: /^--[ \t]*\+migrate[ \t]+up\b/im, down: /^--[ \t]*\+migrate[ \t]+down\b/im },
  { tool: 'dbmate', up: /^--[ \t]*migrate:up\b/im, down: /^--[ \t]*migrate:down\b/im },
  { tool: 'node-pg-migrate', up: /^--[ \t]*up[ \t]+migration\b/im, down: /^--[ \t]*down[ \t]+migration\b/im },
];

/**
 * The layout of the migrations `path` belongs to, worked out once per migrations
 * folder for as long as the project's schema facts stand: every SQL migration is a
 * schema input, so a migration added or edited means new facts and a fresh look.
 * (Once per file, a project with hundreds of migrations listed all its files for each.)
 */
export function projectMigrationLayout(project: ProjectView, path: string): MigrationLayout {
  const key = isFolderMigration(path) ? `${dirname(dirname(path))}/*/${FOLDER_MIGRATION_FILE}` : dirname(path);
  let layouts = LAYOUTS_BY_SCHEMA.get(project.schema);
  if (!layouts) LAYOUTS_BY_SCHEMA.set(project.schema, (layouts = new Map()));
  let layout = layouts.get(key);
  if (!layout) layouts.set(key, (layout = migrationLayout(project, path)));
  return layout;
}

const LAYOUTS_BY_SCHEMA = new WeakMap<ProjectView['schema'], Map<string, MigrationLayout>>();

const isFolderMigration = (path: string): boolean => basename(path) === FOLDER_MIGRATION_FILE && MIGRATION_FOLDER.test(dirname(dirname(path)));

/** How the migration at `path` and its siblings are laid out, and so where a new one goes. */
export function migrationLayout(project: Pick<ProjectView, 'listFiles' | 'readFile'>, path: string): MigrationLayout {
  const folder = dirname(path);
  const files = new Set(project.listFiles());
  files.add(path);
  if (DRIZZLE_FILE.test(path) || files.has(`${folder}/meta/_journal.json`)) return { kind: 'drizzle' };
  const parent = dirname(folder);
  if (isFolderMigration(path)) {
    if ([...files].some((file) => file.endsWith('.prisma'))) return { kind: 'prisma-schema' };
    return folderSeries(project, files, parent) ?? UNKNOWN;
  }
  if (MIGRATION_FOLDER.test(folder)) return fileSeries(project, files, folder) ?? UNKNOWN;
  return UNKNOWN;
}

const UNKNOWN: MigrationLayout = { kind: 'unknown' };

/** Prisma Migrate: `prisma/migrations/<version>_<name>/migration.sql`, applied in folder-name order. */
function folderSeries(project: Pick<ProjectView, 'readFile'>, files: ReadonlySet<string>, root: string): MigrationLayout | undefined {
  const folders: string[] = [];
  for (const file of files) {
    if (!file.startsWith(`${root}/`)) continue;
    const parts = file.slice(root.length + 1).split('/');
    // Anything but `<folder>/migration.sql` under the root is another layout.
    if (parts.length !== 2 || parts[1] !== FOLDER_MIGRATION_FILE) return undefined;
    folders.push(parts[0] ?? '');
  }
  const latest = folders.reduce((max, name) => (name > max ? name : max), '');
  const version = FOLDER_VERSION.exec(latest)?.[1];
  if (version === undefined) return undefined;
  const eol = eolOf(project.readFile(`${root}/${latest}/${FOLDER_MIGRATION_FILE}`) ?? '');
  return {
    kind: 'series',
    series: {
      next(words, sql) {
        const name = `${nextVersion(version)}_${slug(words, '_')}`;
        if (name <= latest) return undefined; // `latest` sorts after every other folder
        const label = `${name}/${FOLDER_MIGRATION_FILE}`;
        const path = `${root}/${label}`;
        if (project.readFile(path) !== undefined) return undefined;
        return { path, label, text: `${sql.up}${eol}` };
      },
    },
  };
}

interface NumberedFile {
  name: string;
  version: string;
  separator?: string;
}

/** One SQL file per migration, directly in the folder, every name numbered the same way (plain or Flyway). */
function fileSeries(project: Pick<ProjectView, 'readFile'>, files: ReadonlySet<string>, folder: string): MigrationLayout | undefined {
  const names: string[] = [];
  for (const file of files) {
    if (!file.startsWith(`${folder}/`)) continue;
    const name = file.slice(folder.length + 1);
    if (name.includes('/')) return undefined; // migrations in subfolders: another layout, or a tool that reads them all
    names.push(name);
  }
  if (names.every((name) => FLYWAY_VERSIONED.test(name) || FLYWAY_REPEATABLE.test(name))) return flywaySeries(project, folder, names);
  const numbered: NumberedFile[] = [];
  for (const name of names) {
    const match = NUMBERED_FILE.exec(name);
    if (!match?.[1]) return undefined;
    numbered.push({ name, version: match[1], separator: match[3] ? match[2] : undefined });
  }
  const latest = numbered.reduce((max, file) => (compareVersions(file.version, max.version) > 0 || (compareVersions(file.version, max.version) === 0 && file.name > max.name) ? file : max));
  const separator = latest.separator ?? numbered.find((file) => file.separator)?.separator;
  const lastName = numbered.reduce((max, file) => (file.name > max ? file.name : max), '');
  const latestText = project.readFile(`${folder}/${latest.name}`) ?? '';
  return {
    kind: 'series',
    series: {
      next(words, sql) {
        const version = nextVersion(latest.version);
        // Files without a name (`001.sql`) get none either: an unknown tool may read only digits.
        const name = separator ? `${version}${separator}${slug(words, separator.includes('-') ? '-' : '_')}.sql` : `${version}.sql`;
        // Ordered after every migration by number and by name, whichever the tool goes by.
        if (compareVersions(version, latest.version) <= 0 || name <= lastName) return undefined;
        const path = `${folder}/${name}`;
        if (project.readFile(path) !== undefined) return undefined;
        return { path, label: name, text: withSections(latestText, sql) };
      },
    },
  };
}

/** Flyway orders versions numerically (`V10` after `V9`); the next major version comes after all of them. */
function flywaySeries(project: Pick<ProjectView, 'readFile'>, folder: string, names: readonly string[]): MigrationLayout | undefined {
  const majors = names.flatMap((name) => FLYWAY_VERSIONED.exec(name)?.[1] ?? []);
  if (majors.length === 0) return undefined;
  const latest = majors.reduce((max, major) => (compareVersions(major, max) > 0 ? major : max));
  const latestName = names.find((name) => FLYWAY_VERSIONED.exec(name)?.[1] === latest && name.startsWith('V'));
  const eol = eolOf((latestName && project.readFile(`${folder}/${latestName}`)) ?? '');
  return {
    kind: 'series',
    series: {
      next(words, sql) {
        const label = `V${nextNumber(latest)}__${slug(words, '_')}.sql`;
        const path = `${folder}/${label}`;
        if (project.readFile(path) !== undefined) return undefined;
        return { path, label, text: `${sql.up}${eol}` };
      },
    },
  };
}

/** The statements, under the latest migration's up/down markers when it has them (the down section only if it has one). */
function withSections(latest: string, sql: MigrationSql): string {
  const eol = eolOf(latest);
  for (const markers of SECTION_MARKERS) {
    const up = markers.up.exec(latest);
    if (!up) continue;
    const down = markers.down.exec(latest);
    return `${up[0]}${eol}${sql.up}${eol}${down ? `${eol}${down[0]}${eol}${sql.down}${eol}` : ''}`;
  }
  return `${sql.up}${eol}`;
}

/**
 * The version after `version`, same width. Timestamps (`YYYYMMDDHHMMSS`,
 * `YYYYMMDDHHMM`, `YYYYMMDD`) advance by their smallest unit, carried through
 * minutes, hours, days, months and years in UTC, so the result is still a valid
 * timestamp; other numbers by one, zero-padded to the same width.
 */
export function nextVersion(version: string): string {
  return nextTimestamp(version) ?? nextNumber(version);
}

function nextNumber(version: string): string {
  return (BigInt(version) + 1n).toString().padStart(version.length, '0');
}

const TIMESTAMP_UNIT_MS: Readonly<Record<number, number>> = { 14: 1_000, 12: 60_000, 8: 86_400_000 };

function nextTimestamp(version: string): string | undefined {
  const unit = TIMESTAMP_UNIT_MS[version.length];
  if (unit === undefined) return undefined;
  const field = (start: number): number => (start < version.length ? Number(version.slice(start, start + 2)) : 0);
  const [year, month, day, hour, minute, second] = [Number(version.slice(0, 4)), field(4), field(6), field(8), field(10), field(12)];
  if (year < 1900) return undefined;
  const time = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2024-02-30 over to March: only a date that reads back unchanged is one.
  if (time.getUTCFullYear() !== year || time.getUTCMonth() !== month - 1 || time.getUTCDate() !== day || time.getUTCHours() !== hour || time.getUTCMinutes() !== minute || time.getUTCSeconds() !== second) return undefined;
  const next = new Date(time.getTime() + unit);
  const two = (value: number): string => String(value).padStart(2, '0');
  const text = `${next.getUTCFullYear()}${two(next.getUTCMonth() + 1)}${two(next.getUTCDate())}${two(next.getUTCHours())}${two(next.getUTCMinutes())}${two(next.getUTCSeconds())}`;
  return text.length === 14 ? text.slice(0, version.length) : undefined; // past year 9999
}

function compareVersions(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

/** `['add', 'Invoice', 'accountId', 'index']` -> `add_invoice_account_id_index`. */
function slug(words: readonly string[], separator: string): string {
  return words
    .map((word) =>
      word
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean)
        .join(separator),
    )
    .filter(Boolean)
    .join(separator);
}
