// Data: versioned migrations, no destructive schema sync at runtime, backups.
import type { CheckContext } from '../context';
import type { Evidence } from '../schema';
import { type CheckDefinition, at, defineChecks, fail, fromHit, lookedFor, notApplicable, pass, plural, unknown } from './check';

const MIGRATION_FILE = /(^|\/)(migrations?|migrate)\/.+\.(sql|[cm]?[jt]s)$|(^|\/)drizzle\/.+\.sql$/;
const DRIZZLE_CONFIG = /(^|\/)drizzle\.config\.[cm]?[jt]s$/;
const DESTRUCTIVE_CODE = /\.sync\s*\(\s*\{[^}]*\b(?:force|alter)\s*:\s*true\b|\bsynchronize\s*:\s*true\b|\bdropSchema\s*:\s*true\b/g;
const DESTRUCTIVE_ANYWHERE = /--accept-data-loss|--force-reset/;
const SCHEMA_PUSH = /\bprisma\s+db\s+push\b|\bprisma\s+migrate\s+reset\b|\bdrizzle-kit\s+push\b/;
const DEPLOY_FILE_SCHEMA_PUSH = /^.*(?:--accept-data-loss|--force-reset|prisma\s+db\s+push|prisma\s+migrate\s+reset|drizzle-kit\s+push).*$/gm;
/** Scripts a host runs on every deploy or start. */
const DEPLOY_SCRIPTS = new Set(['start', 'prestart', 'poststart', 'build', 'prebuild', 'postbuild', 'postinstall', 'deploy', 'predeploy', 'release', 'vercel-build', 'heroku-postbuild', 'render-build']);
const DEPLOY_FILES = ['Procfile', 'fly.toml', 'render.yaml', 'railway.json', 'railway.toml', 'app.json', 'nixpacks.toml'];
const BACKUP_WORDS = /\b(?:back\s?ups?|backed[- ]up|point[- ]in[- ]time|PITR|pg_dump|pg_basebackup|mysqldump|mongodump|wal-g|pgbackrest|barman|snapshot retention)\b/gi;
const DOC_PROBES = [
  'README.md',
  'README',
  'readme.md',
  'Readme.md',
  'docs/README.md',
  'docs/backups.md',
  'docs/backup.md',
  'docs/operations.md',
  'docs/ops.md',
  'docs/runbook.md',
  'docs/deploy.md',
  'docs/deployment.md',
  'docs/database.md',
  'docs/infrastructure.md',
  'RUNBOOK.md',
  'OPERATIONS.md',
  'DEPLOY.md',
  'DEPLOYMENT.md',
  'INFRASTRUCTURE.md',
  'fly.toml',
  'render.yaml',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yaml',
  'main.tf',
  'infra/main.tf',
];
const INFRA_LISTED = /\.(md|ya?ml|tf|toml)$/;

function database(ctx: CheckContext): { sql: boolean; evidence: Evidence } | undefined {
  const sql = ctx.app.sqlDatabases;
  if (sql.length > 0) return { sql: true, evidence: at('package.json', undefined, `depends on ${sql.join(', ')}`) };
  const documents = ctx.app.documentDatabases;
  if (documents.length > 0) return { sql: false, evidence: at('package.json', undefined, `depends on ${documents.join(', ')}`) };
  return undefined;
}

function lineOfScript(ctx: CheckContext, name: string): number | undefined {
  const file = ctx.file('package.json');
  const index = file?.text.indexOf(`"${name}"`) ?? -1;
  return file && index >= 0 ? file.line(index) : undefined;
}

export const DATA_CHECKS = defineChecks([
  {
    id: 'migrations-versioned',
    dimension: 'data',
    title: 'Schema changes are versioned migrations',
    weight: 12,
    remedy: 'Generate migrations (`prisma migrate dev`, `drizzle-kit generate`, `supabase db diff`) and commit the folder; deploy with `prisma migrate deploy`.',
    evaluate(ctx) {
      const db = database(ctx);
      if (!db) return notApplicable('No database library in dependencies.', lookedFor('prisma, drizzle-orm, knex, sequelize, typeorm, pg, mysql2, @supabase/supabase-js, …'));
      if (!db.sql) return notApplicable('A document database: no schema migrations to version.', db.evidence);
      const migrations = ctx.files.filter((path) => MIGRATION_FILE.test(path) && !/(^|\/)(test|tests|__tests__|fixtures)\//.test(path));
      if (migrations.length > 0) {
        const first = migrations[0] ?? '';
        if (!ctx.gitKnown) return pass(`${plural(migrations.length, 'migration file')}.`, at(first, undefined, 'migration'));
        const tracked = migrations.filter((path) => ctx.project.isTracked(path));
        if (tracked.length > 0) return pass(`${plural(tracked.length, 'migration file')} under version control.`, at(tracked[0] ?? first, undefined, 'tracked migration'));
        if (migrations.every((path) => ctx.project.isIgnored(path))) return fail('Migrations exist but .gitignore keeps them out of version control.', at(first, undefined, 'ignored by .gitignore'));
        return pass(`${plural(migrations.length, 'migration file')} (not committed yet).`, at(first, undefined, 'migration'));
      }
      const prisma = ctx.app.prismaSchemas[0];
      if (prisma) return fail(`${prisma.path} has no migrations folder: schema changes reach production through \`prisma db push\`, unreviewed and irreversible.`, at(prisma.path, undefined, 'Prisma schema'), lookedFor('prisma/migrations/*/migration.sql'));
      const drizzle = ctx.filesMatching(DRIZZLE_CONFIG)[0];
      if (drizzle) return fail('Drizzle is configured but no migrations are committed (schema pushed with drizzle-kit push?).', at(drizzle.path, undefined, 'drizzle config'), lookedFor('drizzle/*.sql'));
      return fail('No migrations: the schema exists only in the database, so no environment can be rebuilt or reviewed.', db.evidence, lookedFor('migrations/, prisma/migrations/, supabase/migrations/, drizzle/'));
    },
  },
  {
    id: 'no-destructive-sync',
    dimension: 'data',
    title: 'Nothing rewrites the schema destructively at runtime or on deploy',
    weight: 20,
    remedy: 'Remove `sync({ force/alter: true })`, `synchronize: true` and `db push --accept-data-loss` from runtime and deploy paths; apply reviewed migrations instead.',
    evaluate(ctx) {
      const db = database(ctx);
      if (!db) return notApplicable('No database library in dependencies.', lookedFor('prisma, sequelize, typeorm, drizzle-orm, …'));
      const evidence: Evidence[] = ctx.search(DESTRUCTIVE_CODE).map((hit) => fromHit(hit));
      for (const [name, script] of Object.entries(ctx.packageJson?.scripts ?? {})) {
        if (DESTRUCTIVE_ANYWHERE.test(script) || (DEPLOY_SCRIPTS.has(name) && SCHEMA_PUSH.test(script))) evidence.push(at('package.json', lineOfScript(ctx, name), `scripts.${name}: ${script}`));
      }
      const deployFiles = [...ctx.app.dockerfiles, ...DEPLOY_FILES.flatMap((path) => ctx.file(path) ?? [])];
      for (const file of deployFiles) {
        for (const match of file.matches(DEPLOY_FILE_SCHEMA_PUSH)) evidence.push(at(file.path, match.line, match.text.trim()));
      }
      if (evidence.length > 0) return fail('The schema is rewritten automatically: one model change can drop a column of production data.', ...evidence);
      return pass('No destructive schema sync in code, scripts or deploy files.', lookedFor('sync({ force: true }), synchronize: true, --accept-data-loss, db push on deploy'));
    },
  },
  {
    id: 'backups-documented',
    dimension: 'data',
    title: 'Database backups are configured and documented',
    weight: 10,
    remedy: 'Turn on automated backups with point-in-time recovery at your database host, test a restore, and note how in the README.',
    evaluate(ctx) {
      const db = database(ctx);
      if (!db) return notApplicable('No database library in dependencies.', lookedFor('a database dependency'));
      const listed = ctx.files.filter((path) => INFRA_LISTED.test(path));
      const files = [...new Set([...listed, ...DOC_PROBES])].flatMap((path) => ctx.file(path) ?? []);
      const hit = ctx.first(BACKUP_WORDS, files);
      if (hit) return pass(`${hit.file.path} covers backups.`, fromHit(hit, `mentions "${hit.text}"`));
      return unknown('Backups are not mentioned in the repository; they may be set up at the database host. Check them by hand.', lookedFor('backup, point-in-time recovery, pg_dump in README, docs/ and infra files'));
    },
  },
] satisfies CheckDefinition[]);
