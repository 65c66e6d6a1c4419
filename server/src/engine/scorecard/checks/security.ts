// Security: rate limits on auth routes, security headers, CORS allow-list, secrets
// from env (from the hardcoded-secret findings), Supabase row-level security.
import { ts } from '../../ts';
import type { CheckContext, WorkspaceFile } from '../context';
import { CORS_PACKAGES, SECURITY_HEADER_IMPORTS, SECURITY_HEADER_PACKAGES } from '../knowledge';
import type { Evidence } from '../schema';
import { type CheckDefinition, at, defineChecks, fail, fromHit, lookedFor, notApplicable, pass, plural, unknown } from './check';

/** Rules whose findings mean a secret lives in the repository. */
export const SECRET_RULE_IDS: ReadonlySet<string> = new Set(['hardcoded-secret']);

const HEADER_NAMES = /Content-Security-Policy|X-Frame-Options|Strict-Transport-Security/;
const HEADER_SET = /(?:setHeader|header|set|append)\s*\(\s*['"`](Content-Security-Policy|X-Frame-Options|Strict-Transport-Security)['"`]/gi;
const NEXT_HEADER_NAME = /Content-Security-Policy|X-Frame-Options|Strict-Transport-Security/g;
const NEXT_CONFIG = /(^|\/)next\.config\.[cm]?[jt]s$/;
const HOST_HEADER_FILES = ['vercel.json', 'netlify.toml', '_headers', 'public/_headers', 'static/_headers', 'nginx.conf', 'Caddyfile'];
const WILDCARD_HEADER = /['"`]Access-Control-Allow-Origin['"`]\s*[,:]\s*(?:value\s*:\s*)?['"`]\*['"`]/gi;

/** How one CORS setup treats origins. */
interface CorsUse {
  line: number;
  verdict: 'any-origin' | 'allow-list' | 'unknown';
  detail: string;
}

function corsBindings(file: WorkspaceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.ast.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const spec = statement.moduleSpecifier.text;
      if (!CORS_PACKAGES.includes(spec) && spec !== 'hono/cors') continue;
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const named = clause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const element of named.elements) names.add(element.name.text);
      if (named && ts.isNamespaceImport(named)) names.add(named.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && ts.isIdentifier(declaration.name)) {
          const arg = init.arguments[0];
          if (arg && ts.isStringLiteral(arg) && CORS_PACKAGES.includes(arg.text)) names.add(declaration.name.text);
        }
      }
    }
  }
  return names;
}

/** `cors()`, `cors({ origin })`, `app.register(cors, { origin })`, `app.enableCors({ origin })`. */
export function corsUses(file: WorkspaceFile): readonly CorsUse[] {
  return file.memo('corsUses', () => {
    if (!/cors/i.test(file.text)) return [];
    const bindings = corsBindings(file);
    const uses: CorsUse[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const line = file.line(node.getStart(file.ast));
        if (ts.isIdentifier(callee) && bindings.has(callee.text)) uses.push({ line, ...judge(node.arguments[0], `${callee.text}()`) });
        else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'enableCors') uses.push({ line, ...judge(node.arguments[0], 'enableCors()') });
        else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'register' && node.arguments[0] && ts.isIdentifier(node.arguments[0]) && bindings.has(node.arguments[0].text)) uses.push({ line, ...judge(node.arguments[1], 'register(cors)') });
      }
      ts.forEachChild(node, visit);
    };
    visit(file.ast);
    return uses;
  });
}

function judge(options: ts.Expression | undefined, call: string): Omit<CorsUse, 'line'> {
  if (!options) return { verdict: 'any-origin', detail: `${call} with no options allows every origin` };
  if (!ts.isObjectLiteralExpression(options)) return { verdict: 'unknown', detail: `${call} with options built elsewhere` };
  const origin = options.properties.find((property) => property.name && ts.isIdentifier(property.name) && property.name.text === 'origin');
  if (!origin) return options.properties.some(ts.isSpreadAssignment) ? { verdict: 'unknown', detail: `${call} spreads its options` } : { verdict: 'any-origin', detail: `${call} without origin allows every origin` };
  if (!ts.isPropertyAssignment(origin)) return { verdict: 'unknown', detail: `${call} origin set elsewhere` };
  const value = origin.initializer;
  if (value.kind === ts.SyntaxKind.TrueKeyword) return { verdict: 'any-origin', detail: `${call} with origin: true reflects every origin` };
  if ((ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) && value.text === '*') return { verdict: 'any-origin', detail: `${call} with origin: '*'` };
  if (ts.isArrayLiteralExpression(value) && value.elements.some((element) => ts.isStringLiteral(element) && element.text === '*')) return { verdict: 'any-origin', detail: `${call} allow-list contains '*'` };
  return { verdict: 'allow-list', detail: `${call} with origin: ${value.getText(options.getSourceFile()).slice(0, 60)}` };
}

interface SqlTable {
  name: string;
  path: string;
  line: number;
}

const CREATE_TABLE = /\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?((?:"?[\w]+"?\s*\.\s*)?"?[\w]+"?)/gi;
const ENABLE_RLS = /\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?((?:"?[\w]+"?\s*\.\s*)?"?[\w]+"?)\s+enable\s+row\s+level\s+security/gi;
const DROP_TABLE = /\bdrop\s+table\s+(?:if\s+exists\s+)?((?:"?[\w]+"?\s*\.\s*)?"?[\w]+"?)/gi;

/** `public.orders`, `"Orders"` → `public.orders`; tables in other schemas are not exposed by the Supabase API. */
function tableName(raw: string): string {
  const parts = raw.replace(/"/g, '').replace(/\s+/g, '').toLowerCase().split('.');
  return parts.length === 1 ? `public.${parts[0] ?? ''}` : parts.join('.');
}

function withoutSqlComments(text: string): string {
  return text.replace(/--[^\n]*/g, (comment) => ' '.repeat(comment.length)).replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
}

/** Tables created in the public schema, and which have row-level security enabled, across SQL files in path order. */
function supabaseTables(files: readonly WorkspaceFile[]): { tables: SqlTable[]; rls: Set<string> } {
  const created = new Map<string, SqlTable>();
  const rls = new Set<string>();
  for (const file of files) {
    const statements = file.memo('sql:tables', () => {
      const text = withoutSqlComments(file.text);
      const events: { index: number; kind: 'create' | 'rls' | 'drop'; name: string }[] = [];
      for (const [pattern, kind] of [[CREATE_TABLE, 'create'], [ENABLE_RLS, 'rls'], [DROP_TABLE, 'drop']] as const) for (const match of text.matchAll(pattern)) events.push({ index: match.index, kind, name: tableName(match[1] ?? '') });
      return events.sort((a, b) => a.index - b.index);
    });
    for (const event of statements) {
      if (event.kind === 'create' && !created.has(event.name)) created.set(event.name, { name: event.name, path: file.path, line: file.line(event.index) });
      else if (event.kind === 'rls') rls.add(event.name);
      else if (event.kind === 'drop') {
        created.delete(event.name);
        rls.delete(event.name);
      }
    }
  }
  return { tables: [...created.values()].filter((table) => table.name.startsWith('public.')), rls };
}

function securityHeaders(ctx: CheckContext): Evidence | undefined {
  const lib = ctx.firstImporting(SECURITY_HEADER_PACKAGES);
  if (lib) return at(lib.file.path, undefined, `uses ${lib.pkg}`);
  const subpath = ctx.first(SECURITY_HEADER_IMPORTS);
  if (subpath) return fromHit(subpath);
  for (const file of ctx.filesMatching(NEXT_CONFIG)) {
    const header = file.matches(NEXT_HEADER_NAME)[0];
    if (header && /\bheaders\b/.test(file.text)) return at(file.path, header.line, `next.config headers() sets ${header.text}`);
  }
  const set = ctx.first(HEADER_SET, ctx.serverCode);
  if (set) return fromHit(set, `sets ${set.groups[0] ?? 'a security header'}`);
  for (const path of HOST_HEADER_FILES) {
    const file = ctx.file(path);
    const header = file?.text.match(HEADER_NAMES);
    if (file && header?.index !== undefined) return at(path, file.line(header.index), `host config sets ${header[0]}`);
  }
  return undefined;
}

export const SECURITY_CHECKS = defineChecks([
  {
    id: 'auth-rate-limit',
    dimension: 'security',
    title: 'Sign-in and sign-up routes are rate limited',
    weight: 15,
    remedy: 'Put express-rate-limit (or @upstash/ratelimit, rate-limiter-flexible) in front of login, signup and password-reset: e.g. 5 attempts per minute per IP and account.',
    evaluate(ctx) {
      const routes = ctx.app.authRoutes;
      if (routes.length === 0) return notApplicable('No sign-in, sign-up or password-reset routes of its own.', lookedFor('POST routes for login, signup or password reset; app/api/auth/…/route.ts; signIn server actions'));
      const limiter = ctx.app.rateLimiters[0];
      if (limiter) return pass(`${limiter.pkg} is in use (not verified to cover every auth route).`, at(limiter.file.path, undefined, `imports ${limiter.pkg}`), ...routes.slice(0, 3));
      return fail(`${plural(routes.length, 'auth route')} with no rate limiter: passwords can be guessed and sign-ups scripted without limit.`, ...routes);
    },
  },
  {
    id: 'security-headers',
    dimension: 'security',
    title: 'Security headers are set (CSP, frame options, HSTS)',
    weight: 8,
    remedy: "Add `app.use(helmet())` (Express) or a `headers()` block in next.config with Content-Security-Policy and X-Frame-Options.",
    evaluate(ctx) {
      const server = ctx.app.server;
      if (server.kind === 'none') return notApplicable('No server; headers are the static host\'s job.', server.evidence);
      const evidence = securityHeaders(ctx);
      if (evidence) return pass('Security headers are set.', evidence);
      return fail('No security headers: pages can be framed (clickjacking) and injected scripts run unrestricted.', lookedFor('helmet, @fastify/helmet, hono/secure-headers, next.config headers(), setHeader(\'Content-Security-Policy\'), vercel.json/_headers'));
    },
  },
  {
    id: 'cors-allowlist',
    dimension: 'security',
    title: 'CORS allows only known origins',
    weight: 8,
    remedy: "Pass an allow-list: `cors({ origin: ['https://app.example.com'] })` (from config), never `cors()` or `origin: '*'`/`true`.",
    evaluate(ctx) {
      const uses = ctx.serverCode.flatMap((file) => corsUses(file).map((use) => ({ file, use })));
      const wildcard = ctx.search(WILDCARD_HEADER, [...ctx.serverCode, ...ctx.filesMatching(NEXT_CONFIG)]);
      const open = [...uses.filter(({ use }) => use.verdict === 'any-origin').map(({ file, use }) => at(file.path, use.line, use.detail)), ...wildcard.map((hit) => fromHit(hit, "Access-Control-Allow-Origin: '*'"))];
      if (open.length > 0) return fail('CORS lets any website call this API from a user\'s browser.', ...open);
      if (uses.length === 0) return notApplicable('No CORS configuration: browsers allow same-origin calls only.', lookedFor('cors(), @fastify/cors, hono/cors, enableCors(), Access-Control-Allow-Origin'));
      return pass('CORS is limited to configured origins.', ...uses.map(({ file, use }) => at(file.path, use.line, use.detail)));
    },
  },
  {
    id: 'secrets-from-env',
    dimension: 'security',
    title: 'Secrets come from the environment, not the code',
    weight: 10,
    remedy: 'Move every hardcoded key to an environment variable (the "Move secret to env" fix does it) and rotate it: it is already exposed.',
    evaluate(ctx) {
      const found = ctx.findings.filter((finding) => SECRET_RULE_IDS.has(finding.ruleId));
      if (found.length > 0) return fail(`${plural(found.length, 'hardcoded secret')} in the repository.`, ...found.map((finding) => at(finding.path, finding.range.start.line + 1, `${finding.ruleId}: ${finding.snippet || finding.message}`)));
      const ran = ctx.rulesRun === undefined || [...SECRET_RULE_IDS].some((id) => ctx.rulesRun?.has(id));
      if (!ran) return unknown('The hardcoded-secret rule did not run.', lookedFor('hardcoded-secret findings'));
      return pass('No hardcoded secrets found.', lookedFor('hardcoded-secret findings'));
    },
  },
  {
    id: 'supabase-rls',
    dimension: 'security',
    title: 'Every Supabase table has row-level security',
    weight: 20,
    remedy: 'Add `alter table <name> enable row level security;` and policies for each table in a migration: without RLS the anon key reads and writes every row.',
    evaluate(ctx) {
      const supabase = ctx.app.usesSupabase;
      if (!supabase) return notApplicable('Not a Supabase app.', lookedFor('@supabase/supabase-js, supabase/ folder'));
      const { tables, rls } = supabaseTables(ctx.app.sqlFiles);
      if (tables.length === 0) return unknown('No SQL migration creates a table; if tables were made in the dashboard, check RLS there.', supabase, lookedFor('create table in *.sql'));
      const open = tables.filter((table) => !rls.has(table.name));
      if (open.length > 0) return fail(`${plural(open.length, 'table')} without row-level security: ${open.map((table) => table.name.replace(/^public\./, '')).join(', ')}.`, ...open.map((table) => at(table.path, table.line, `create table ${table.name} without enable row level security`)));
      return pass(`All ${plural(tables.length, 'table')} enable row-level security.`, ...tables.slice(0, 5).map((table) => at(table.path, table.line, `${table.name}: RLS enabled`)));
    },
  },
] satisfies CheckDefinition[]);
