// App-level facts several checks share, derived once per run from cheap evidence
// (dependencies, imports, regex hits, file paths). When the engine's route, auth
// and schema facts (facts/routes.ts, facts/auth.ts, project-level schema) land,
// these are the places to switch over to them. User accounts already come from the
// project's schema facts (with regex fallbacks for what those do not read); a route
// is still "a string like '/login' passed to .post()/.use()/.route()".
import type { SchemaModel } from '../facts/appModel';
import type { CheckContext, Hit, WorkspaceFile } from './context';
import {
  ACCOUNT_PACKAGES,
  DOCUMENT_DATABASE_PACKAGES,
  EDGE_PACKAGES,
  FRAMEWORK_PACKAGES,
  HOSTED_AUTH_PACKAGES,
  NODE_SERVER_PACKAGES,
  PAID_API_PACKAGES,
  PLATFORM_CONFIG_FILES,
  RATE_LIMIT_PACKAGES,
  SQL_DATABASE_PACKAGES,
  SUPABASE_PACKAGES,
} from './knowledge';
import type { Evidence } from './schema';

export type ServerKind = 'node' | 'framework' | 'edge' | 'none';

const CREATE_SERVER = /\b(?:https?\s*\.\s*)?createServer\s*\(/g;

// Route paths as registered: app.post('/login'), router.route('/auth/login'), { url: '/login' }.
const AUTH_WORDS = 'login|log-in|signin|sign-in|signup|sign-up|register|forgot-password|reset-password|password-reset|password\\/reset|verify-otp|otp|magic-link|callback\\/credentials';
// Paths start with '/': `axios.post('https://idp.example.com/login')` calls a route, it does not define one.
const AUTH_ROUTE = new RegExp(`\\.(?:post|put|patch|all|use|route)\\s*\\(\\s*['"\`]((?:/[^'"\`/]+)*/(?:${AUTH_WORDS}))/?['"\`]|\\burl\\s*:\\s*['"\`]((?:/[^'"\`/]+)*/(?:${AUTH_WORDS}))/?['"\`]`, 'gi');
const AUTH_ROUTE_FILE = new RegExp(`(^|/)(app|pages)/(.+/)?(${AUTH_WORDS}|\\[\\.\\.\\.nextauth\\])(/route|/index)?\\.[cm]?[jt]sx?$`, 'i');
const AUTH_ACTION = /^\s*export\s+(?:async\s+)?function\s+(login|logIn|signIn|signin|signUp|signup|register|resetPassword|forgotPassword|sendMagicLink)\s*\(/gm;
const USE_SERVER = /^\s*['"]use server['"]/gm;

const HEALTH_WORDS = 'health|healthz|healthcheck|health-check|ready|readyz|readiness|livez|liveness|ping';
const HEALTH_ROUTE = new RegExp(`\\.(?:get|all|use|route|head)\\s*\\(\\s*['"\`]((?:/api)?(?:/v\\d+)?/(?:${HEALTH_WORDS}))\\/?['"\`]|\\burl\\s*:\\s*['"\`]((?:/api)?(?:/v\\d+)?/(?:${HEALTH_WORDS}))['"\`]`, 'g');
const HEALTH_ROUTE_FILE = new RegExp(`(^|/)(app|pages)/(api/)?(${HEALTH_WORDS})(/route|/index)?\\.[cm]?[jt]sx?$`);
const HEALTH_PACKAGES = ['@godaddy/terminus', 'lightship', '@nestjs/terminus', 'express-healthcheck', '@cloudnative/health-connect'];

// User models and tables: Prisma models, SQL tables, Drizzle/Mongoose/Sequelize/TypeORM definitions.
const ACCOUNT_MODEL = /^(users?|accounts?|customers?|members?|profiles?)$/i;
const PRISMA_USER_MODEL = /^\s*model\s+(User|Users|Account|Customer|Member|Profile)\s*\{/gm;
const SQL_USER_TABLE = /\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?(?:"?\w+"?\.)?"?(users|user|profiles|accounts|customers|members)"?\s*\(/gi;
const CODE_USER_MODEL =
  /\b(?:pgTable|mysqlTable|sqliteTable)\s*\(\s*['"`](users?|profiles?|accounts?|customers?)['"`]|\bmodel\s*(?:<[^>]*>)?\s*\(\s*['"`](User|Account|Customer|Profile)['"`]|\bdefine\s*\(\s*['"`](User|Account|Customer)['"`]|@Entity\s*\([^)]*\)\s*(?:export\s+)?class\s+(User|Account|Customer)\b/g;

export interface AuthRoute extends Evidence {
  path: string;
  line: number;
}

export class AppFacts {
  private cache = new Map<string, unknown>();

  constructor(private readonly ctx: CheckContext) {}

  private memo<T>(key: string, derive: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, derive());
    return this.cache.get(key) as T;
  }

  /** What serves HTTP: a Node server the app owns, a full-stack framework, an edge worker, or nothing (a library or static site). */
  get server(): { kind: ServerKind; evidence: Evidence } {
    return this.memo('server', () => {
      const node = this.ctx.dependencies(NODE_SERVER_PACKAGES);
      if (node.length > 0) return { kind: 'node' as const, evidence: { path: 'package.json', detail: `depends on ${node.join(', ')}` } };
      const created = this.ctx.first(CREATE_SERVER, this.ctx.serverCode);
      if (created) return { kind: 'node' as const, evidence: hitEvidence(created, 'creates an HTTP server') };
      const framework = this.ctx.dependencies(FRAMEWORK_PACKAGES);
      if (framework.length > 0) return { kind: 'framework' as const, evidence: { path: 'package.json', detail: `depends on ${framework.join(', ')}` } };
      const edge = this.ctx.dependencies(EDGE_PACKAGES);
      if (edge.length > 0) return { kind: 'edge' as const, evidence: { path: 'package.json', detail: `depends on ${edge.join(', ')}` } };
      return { kind: 'none' as const, evidence: { detail: `no server framework (${[...NODE_SERVER_PACKAGES.slice(0, 4), ...FRAMEWORK_PACKAGES.slice(0, 2)].join(', ')}, …) or createServer call` } };
    });
  }

  /** Dockerfiles outside tests and fixtures. */
  get dockerfiles(): WorkspaceFile[] {
    return this.memo('dockerfiles', () => this.ctx.filesMatching(/(^|\/)(Dockerfile(\.[\w.-]+)?|[\w.-]+\.dockerfile)$/).filter((file) => !file.isTest));
  }

  /** The first platform deploy config at the root (vercel.json, fly.toml, …). */
  get platformConfig(): string | undefined {
    return this.memo('platformConfig', () => this.ctx.firstExisting(PLATFORM_CONFIG_FILES));
  }

  /** The app runs as a long-lived process it owns: a Node server, or a framework in its own container. */
  get longRunning(): boolean {
    const kind = this.server.kind;
    return kind === 'node' || (kind === 'framework' && this.dockerfiles.length > 0);
  }

  /** SQL database libraries in dependencies (ORMs, drivers, Supabase). */
  get sqlDatabases(): string[] {
    return this.memo('sql', () => this.ctx.dependencies(SQL_DATABASE_PACKAGES));
  }

  get documentDatabases(): string[] {
    return this.memo('documentDb', () => this.ctx.dependencies(DOCUMENT_DATABASE_PACKAGES));
  }

  get usesSupabase(): Evidence | undefined {
    return this.memo('supabase', () => {
      const deps = this.ctx.dependencies(SUPABASE_PACKAGES);
      if (deps.length > 0) return { path: 'package.json', detail: `depends on ${deps.join(', ')}` };
      const folder = this.ctx.files.find((path) => path.startsWith('supabase/'));
      return folder ? { path: folder, detail: 'has a supabase/ folder' } : undefined;
    });
  }

  /** Listed SQL files outside tests. */
  get sqlFiles(): WorkspaceFile[] {
    return this.memo('sqlFiles', () => this.ctx.filesMatching(/\.sql$/i).filter((file) => !file.isTest));
  }

  get prismaSchemas(): WorkspaceFile[] {
    return this.memo('prisma', () => this.ctx.filesMatching(/\.prisma$/).filter((file) => !file.isTest));
  }

  /** Routes and server actions that sign people in, up, or reset passwords. */
  get authRoutes(): AuthRoute[] {
    return this.memo('authRoutes', () => {
      const routes: AuthRoute[] = [];
      for (const hit of this.ctx.search(AUTH_ROUTE, this.ctx.serverCode)) routes.push({ path: hit.file.path, line: hit.line, detail: `route ${hit.groups[0] ?? hit.groups[1] ?? ''}` });
      for (const file of this.ctx.code) {
        if (AUTH_ROUTE_FILE.test(file.path) && !file.isClient && !/\/page\.[cm]?[jt]sx?$/.test(file.path)) routes.push({ path: file.path, line: 1, detail: 'auth route file' });
        else if (file.matches(USE_SERVER).length > 0) for (const match of file.matches(AUTH_ACTION)) routes.push({ path: file.path, line: match.line, detail: `server action ${match.groups[0] ?? ''}` });
      }
      return routes;
    });
  }

  /** A route that answers health or readiness probes. */
  get healthRoute(): Evidence | undefined {
    return this.memo('health', () => {
      const hit = this.ctx.first(HEALTH_ROUTE, this.ctx.serverCode);
      if (hit) return hitEvidence(hit, `health route ${hit.groups[0] ?? hit.groups[1] ?? ''}`);
      const file = this.ctx.code.find((candidate) => HEALTH_ROUTE_FILE.test(candidate.path));
      if (file) return { path: file.path, line: 1, detail: 'health route file' };
      const lib = this.ctx.firstImporting(HEALTH_PACKAGES);
      return lib ? { path: lib.file.path, detail: `uses ${lib.pkg} health checks` } : undefined;
    });
  }

  /** Rate limiter packages imported by production code. */
  get rateLimiters(): { file: WorkspaceFile; pkg: string }[] {
    return this.memo('rateLimiters', () => this.ctx.importing(RATE_LIMIT_PACKAGES));
  }

  /** The app stores user accounts: where that shows, and whether a hosted provider holds them. */
  get userAccounts(): { evidence: Evidence; hostedOnly: boolean } | undefined {
    return this.memo('users', () => {
      // The engine's schema facts (schema.prisma files, SQL migrations, Mongoose schemas) first.
      const model = this.schemaModels().find((candidate) => ACCOUNT_MODEL.test(candidate.name) && !this.ctx.file(candidate.source.path)?.isTest);
      if (model) return { evidence: { path: model.source.path, line: model.source.line + 1, detail: `model ${model.name}` }, hostedOnly: false };
      // Then what they do not cover: other SQL files, Drizzle/Sequelize/TypeORM definitions, auth libraries.
      for (const file of this.prismaSchemas) {
        const match = file.matches(PRISMA_USER_MODEL)[0];
        if (match) return { evidence: { path: file.path, line: match.line, detail: `model ${match.groups[0] ?? ''}` }, hostedOnly: false };
      }
      for (const file of this.sqlFiles) {
        const match = file.matches(SQL_USER_TABLE)[0];
        if (match) return { evidence: { path: file.path, line: match.line, detail: `table ${match.groups[0] ?? ''}` }, hostedOnly: false };
      }
      const defined = this.ctx.first(CODE_USER_MODEL);
      if (defined) return { evidence: hitEvidence(defined, `model ${defined.groups.find(Boolean) ?? ''}`), hostedOnly: false };
      const own = this.ctx.dependencies(ACCOUNT_PACKAGES);
      if (own.length > 0) return { evidence: { path: 'package.json', detail: `depends on ${own.join(', ')}` }, hostedOnly: false };
      const hosted = this.ctx.dependencies(HOSTED_AUTH_PACKAGES);
      if (hosted.length > 0) return { evidence: { path: 'package.json', detail: `accounts held by ${hosted.join(', ')}` }, hostedOnly: true };
      return undefined;
    });
  }

  /** The engine's schema facts; a schema that cannot be read leaves the regex fallbacks to answer. */
  private schemaModels(): readonly SchemaModel[] {
    try {
      return this.ctx.project.schema.models;
    } catch {
      return [];
    }
  }

  /** Paid-per-call SDKs in dependencies. */
  get paidApis(): string[] {
    return this.memo('paid', () => this.ctx.dependencies(PAID_API_PACKAGES));
  }
}

export function hitEvidence(hit: Hit, detail: string): Evidence {
  return { path: hit.file.path, line: hit.line, detail };
}
