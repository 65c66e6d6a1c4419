// How each web framework declares routes. Data, not logic: routes.ts reads these
// tables, so supporting another router is mostly adding rows here.
import type { HttpMethod, RouteFramework } from './appModel';

export type ServerFramework = Extract<RouteFramework, 'express' | 'fastify' | 'hono'>;

export interface RouterFactory {
  framework: ServerFramework;
  /** Packages the factory is imported from. */
  packages: readonly string[];
  /** Callee as written: `express`, `express.Router`, `Router`, `Hono`, `Fastify`. The last segment is matched against the import. */
  callees: readonly string[];
  /** `express()` / `new Hono()` / `Fastify()` is an application (a root); `Router()` only ever runs mounted somewhere. */
  application: boolean;
}

export const ROUTER_FACTORIES: readonly RouterFactory[] = [
  { framework: 'express', packages: ['express'], callees: ['express'], application: true },
  { framework: 'express', packages: ['express'], callees: ['express.Router', 'Router'], application: false },
  { framework: 'hono', packages: ['hono', '@hono/zod-openapi'], callees: ['Hono', 'OpenAPIHono'], application: true },
  { framework: 'fastify', packages: ['fastify'], callees: ['fastify', 'Fastify', 'fastify.default'], application: true },
];

/** Packages whose presence means routes may be registered across files (the route graph is worth building). */
export const SERVER_FRAMEWORK_PACKAGES: ReadonlySet<string> = new Set(['express', 'fastify', 'hono', '@hono/zod-openapi', 'fastify-plugin']);

/** Route-registering methods and the HTTP method each means. */
export const ROUTE_METHODS: Readonly<Record<string, HttpMethod>> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  del: 'DELETE',
  head: 'HEAD',
  options: 'OPTIONS',
  all: 'ALL',
};

/**
 * Parameter names and types that hold an app or router handed to a registration
 * function (`export default function routes(app: Express) { app.get(…) }`, a Fastify plugin).
 */
export const ROUTER_PARAMETER_NAMES: ReadonlySet<string> = new Set(['app', 'router', 'api', 'server', 'fastify', 'instance', 'routes']);
export const ROUTER_PARAMETER_TYPES: Readonly<Record<string, ServerFramework>> = {
  Express: 'express',
  Application: 'express',
  Router: 'express',
  IRouter: 'express',
  FastifyInstance: 'fastify',
  FastifyPluginAsync: 'fastify',
  FastifyPluginCallback: 'fastify',
  Hono: 'hono',
};

/** Fastify route options and hooks that run before the handler, in order. */
export const FASTIFY_PRE_HANDLER_HOOKS: readonly string[] = ['onRequest', 'preParsing', 'preValidation', 'preHandler'];

/** Functions that wrap a Fastify plugin without changing what it registers. */
export const PLUGIN_WRAPPERS: ReadonlySet<string> = new Set(['fp', 'fastifyPlugin']);

/**
 * A cheap text test for files that may register routes; only those are parsed
 * when the project-wide route graph is built.
 */
export const ROUTE_REGISTRATION_HINT = /\b(?:express|Router|fastify|Fastify|Hono)\b|\b(?:app|router|server|api|fastify|routes?|instance)\s*\.\s*(?:get|post|put|patch|delete|all|use|route|register)\s*\(/;

/** Next.js app-router route handlers: `app/**\/route.ts` (also under `src/`). */
export const NEXT_APP_ROUTE_FILE = /(?:^|\/)app\/(?:(.*)\/)?route\.(?:t|j)sx?$/;
/** Next.js pages-router API routes: `pages/api/**` (also under `src/`). */
export const NEXT_PAGES_API_FILE = /(?:^|\/)pages\/(api(?:\/.*)?)\.(?:t|j)sx?$/;
/** Next.js middleware (`proxy.ts` from Next 16 on), at the project root or under `src/`. */
export const NEXT_MIDDLEWARE_FILES: readonly string[] = ['middleware.ts', 'middleware.js', 'src/middleware.ts', 'src/middleware.js', 'proxy.ts', 'proxy.js', 'src/proxy.ts', 'src/proxy.js'];

/** Next.js route handler exports and the method each serves. */
export const NEXT_ROUTE_EXPORTS: Readonly<Record<string, HttpMethod>> = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
  HEAD: 'HEAD',
  OPTIONS: 'OPTIONS',
};

/** Most files a route graph parses; past this, routes in other files are not composed. */
export const MAX_ROUTE_GRAPH_FILES = 3_000;

/**
 * How a handler answers "not found" per framework, for fixes that insert a guard.
 * `{req}`/`{res}`/`{c}` stand for the handler's parameters; a server action throws.
 */
export const NOT_FOUND_RESPONSES: Readonly<Record<RouteFramework, string>> = {
  express: "return {res}.status(404).json({ error: 'Not found' });",
  'next-pages': "return {res}.status(404).json({ error: 'Not found' });",
  'next-app': "return Response.json({ error: 'Not found' }, { status: 404 });",
  'next-server-action': "throw new Error('Not found');",
  fastify: "return {res}.code(404).send({ error: 'Not found' });",
  hono: "return {c}.json({ error: 'Not found' }, 404);",
};

/**
 * Route path segments that are public by convention: signing in and up, password
 * resets, OAuth callbacks, auth-library handlers, health checks, and endpoints meant
 * for anonymous visitors (contact forms, newsletter and waitlist sign-ups).
 */
export const PUBLIC_ROUTE_SEGMENT = /^(?:login|log-?in|logout|log-?out|sign-?in|sign-?up|sign-?out|register|registration|forgot(?:-?password)?|reset(?:-?password)?|password-?reset|verify(?:-?email)?|confirm(?:-?email)?|callback|callbacks|oauth2?|auth|sso|saml|magic-?link|otp|unsubscribe|subscribe|newsletter|waitlist|contact|feedback|health(?:check|z)?|status|ping|\[\.\.\.nextauth\]|\[\.\.\.all\])$/i;

/** Server action names that are public by convention (`signUp`, `resetPassword`, `joinWaitlist`). */
export const PUBLIC_ACTION_NAME = /^(?:sign(?:In|Up|Out)|log(?:In|Out)|login|logout|signup|signin|register\w*|forgot\w*|reset\w*Password\w*|resetPassword\w*|verify(?:Email|Otp|Code)\w*|confirm(?:Email|Account)\w*|subscribe\w*|unsubscribe\w*|joinWaitlist\w*|\w*Newsletter|contact\w*|send(?:Contact|Feedback)\w*|submit(?:Contact|Feedback)\w*|authenticate\w*|requestPasswordReset\w*|sendMagicLink\w*)$/;

/** Path segments that name an inbound webhook: public, but only safe with a signature check. */
export const WEBHOOK_SEGMENT = /^(?:webhooks?|hooks?|stripe-webhook|[a-z]+-webhooks?)$/i;
