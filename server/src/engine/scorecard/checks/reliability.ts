// Reliability: health route, graceful shutdown, process-level error handlers,
// timeouts on outbound calls.
import { ts } from '../../ts';
import type { CheckContext, WorkspaceFile } from '../context';
import type { Evidence } from '../schema';
import { type CheckDefinition, at, defineChecks, fail, fromHit, lookedFor, notApplicable, pass, plural } from './check';

const SIGNAL_HANDLER = /\bprocess\s*\.\s*(?:on|once|addListener|prependListener)\s*\(\s*['"`](SIGTERM|SIGINT)['"`]/g;
const SIGNAL_NAME = /['"`](SIGTERM|SIGINT)['"`]/g;
const PROCESS_LISTENER = /\bprocess\s*\.\s*(?:on|once|addListener|prependListener)\s*\(/;
const CLOSE_CALL = /\.\s*(close|end|\$disconnect|disconnect|destroy|quit|shutdown|stop|drain|terminate|closeAllConnections)\s*\(/g;
const SHUTDOWN_PACKAGES = ['@godaddy/terminus', 'http-terminator', 'stoppable', 'lightship', 'close-with-grace', 'http-graceful-shutdown', '@nestjs/terminus', 'fastify-graceful-shutdown'];
const NEST_SHUTDOWN_HOOKS = /\.\s*enableShutdownHooks\s*\(/g;
const PROCESS_ERROR_EVENT = /\bprocess\s*\.\s*(?:on|once|addListener|prependListener)\s*\(\s*['"`](unhandledRejection|uncaughtException|uncaughtExceptionMonitor)['"`]/g;
const SENTRY_NODE_INIT = /\bSentry\s*\.\s*init\s*\(/g;
const SENTRY_NODE_PACKAGES = ['@sentry/node', '@sentry/nestjs', '@sentry/bun', '@sentry/aws-serverless', '@sentry/google-cloud-serverless'];
const AXIOS_DEFAULT_TIMEOUT = /\baxios\s*\.\s*create\s*\(\s*\{[^}]*\btimeout\s*:|\baxios\s*\.\s*defaults\s*\.\s*timeout\s*=/g;
/** Next.js pages-router pages are browser code; API routes are not. */
const BROWSER_PAGE = /(^|\/)pages\/(?!api\/).+\.[jt]sx$/;

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);

/** An outbound HTTP call and whether it can time out: true, false, or undefined when its options are not visible here. */
export interface OutboundCall {
  line: number;
  client: 'fetch' | 'axios' | 'got';
  timed: boolean | undefined;
}

export function outboundCalls(file: WorkspaceFile): readonly OutboundCall[] {
  return file.memo('outboundCalls', () => {
    if (!/\bfetch\s*\(|\baxios\b|\bgot\b/.test(file.text)) return [];
    const calls: OutboundCall[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const call = classify(node);
        if (call) calls.push({ line: file.line(node.getStart(file.ast)), ...call });
      }
      ts.forEachChild(node, visit);
    };
    visit(file.ast);
    return calls;
  });
}

function classify(node: ts.CallExpression): Omit<OutboundCall, 'line'> | undefined {
  const callee = node.expression;
  const name = ts.isIdentifier(callee) ? callee.text : undefined;
  const owner = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name === 'fetch' || (method === 'fetch' && (owner === 'globalThis' || owner === 'window' || owner === 'global'))) {
    const target = node.arguments[0];
    if (target && (ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target)) && target.text.startsWith('/')) return undefined;
    if (target && ts.isTemplateExpression(target) && target.head.text.startsWith('/')) return undefined;
    return { client: 'fetch', timed: optionsHave(node.arguments[1], ['signal']) };
  }
  if (name === 'axios' || (owner === 'axios' && method && HTTP_METHODS.has(method))) return { client: 'axios', timed: optionsHave(configArgument(node.arguments, method), ['timeout', 'signal']) };
  if (name === 'got' || (owner === 'got' && method && HTTP_METHODS.has(method))) return { client: 'got', timed: optionsHave(configArgument(node.arguments, undefined), ['timeout', 'signal']) };
  return undefined;
}

/** Whether an options argument names one of these keys; undefined when it is not an object literal (or spreads one). */
function optionsHave(arg: ts.Expression | undefined, keys: readonly string[]): boolean | undefined {
  if (!arg) return false;
  if (!ts.isObjectLiteralExpression(arg)) return undefined;
  let spread = false;
  for (const property of arg.properties) {
    if (ts.isSpreadAssignment(property)) spread = true;
    else if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && keys.includes(property.name.text)) return true;
  }
  return spread ? undefined : false;
}

/** Where the options go: axios.post(url, data, config), axios.get(url, config), axios(config), axios(url, config), got(url, options). */
function configArgument(args: readonly ts.Expression[], method: string | undefined): ts.Expression | undefined {
  if (method === 'request') return args[0];
  if (method === 'post' || method === 'put' || method === 'patch') return args[2];
  const first = args[0];
  return first && ts.isObjectLiteralExpression(first) ? first : args[1];
}

function shutdownLibrary(ctx: CheckContext): Evidence | undefined {
  const lib = ctx.firstImporting(SHUTDOWN_PACKAGES);
  if (lib) return at(lib.file.path, undefined, `uses ${lib.pkg}`);
  const hooks = ctx.first(NEST_SHUTDOWN_HOOKS);
  return hooks ? fromHit(hooks, 'app.enableShutdownHooks()') : undefined;
}

export const RELIABILITY_CHECKS = defineChecks([
  {
    id: 'health-route',
    dimension: 'reliability',
    title: 'A health or readiness route exists',
    weight: 12,
    remedy: "Add `GET /health` that returns 200 (and checks the database for readiness), and point the host's health check at it.",
    evaluate(ctx) {
      const server = ctx.app.server;
      if (!ctx.app.longRunning) return notApplicable(server.kind === 'none' ? 'No server in this app.' : 'The platform runs the app (no process of its own to probe).', server.evidence);
      const route = ctx.app.healthRoute;
      if (route) return pass('The app answers health checks.', route);
      return fail('No health route: the load balancer cannot tell a hung instance from a healthy one.', lookedFor("routes '/health', '/healthz', '/ready', '/api/health', app/api/health/route.ts, terminus/lightship"));
    },
  },
  {
    id: 'graceful-shutdown',
    dimension: 'reliability',
    title: 'SIGTERM drains requests and closes connections',
    weight: 10,
    remedy: "Handle SIGTERM: `server.close()`, then close the database pool (`pool.end()`, `prisma.$disconnect()`), then exit; every deploy sends one.",
    evaluate(ctx) {
      const server = ctx.app.server;
      if (!ctx.app.longRunning || server.kind !== 'node') return notApplicable(server.kind === 'none' ? 'No server in this app.' : 'The framework or platform owns the process and its shutdown.', server.evidence);
      const library = shutdownLibrary(ctx);
      if (library) return pass('A graceful-shutdown library handles SIGTERM.', library);
      const handlers = ctx.search(SIGNAL_HANDLER);
      const indirect = ctx.search(SIGNAL_NAME).filter((hit) => PROCESS_LISTENER.test(hit.file.searchText));
      const sigterm = [...handlers, ...indirect].find((hit) => hit.groups[0] === 'SIGTERM');
      if (sigterm) {
        const close = sigterm.file.matches(CLOSE_CALL)[0];
        if (close) return pass('SIGTERM closes the server and connections.', fromHit(sigterm, 'SIGTERM handler'), at(sigterm.file.path, close.line, `.${close.groups[0] ?? 'close'}()`));
        return fail('SIGTERM is handled but nothing is closed: in-flight requests and DB connections are cut on every deploy.', fromHit(sigterm, 'SIGTERM handler without close()/end()/$disconnect()'));
      }
      const sigint = [...handlers, ...indirect][0];
      if (sigint) return fail('Only SIGINT is handled; containers and hosts stop the app with SIGTERM.', fromHit(sigint, 'SIGINT handler'));
      return fail('No SIGTERM handler: every deploy cuts in-flight requests and leaves DB connections open.', lookedFor("process.on('SIGTERM', …) with server.close(), pool.end(), prisma.$disconnect()"));
    },
  },
  {
    id: 'process-error-handlers',
    dimension: 'reliability',
    title: 'Unhandled rejections and uncaught exceptions are logged before exit',
    weight: 6,
    remedy: "Add `process.on('unhandledRejection', …)` and `process.on('uncaughtException', …)` that log the error (and report it) and exit non-zero.",
    evaluate(ctx) {
      const server = ctx.app.server;
      if (server.kind !== 'node') return notApplicable(server.kind === 'none' ? 'No server in this app.' : 'The framework or platform owns the process.', server.evidence);
      const hits = ctx.search(PROCESS_ERROR_EVENT);
      const rejection = hits.find((hit) => hit.groups[0] === 'unhandledRejection');
      const exception = hits.find((hit) => hit.groups[0] === 'uncaughtException' || hit.groups[0] === 'uncaughtExceptionMonitor');
      if (rejection && exception) return pass('Both process-level handlers are installed.', fromHit(rejection), fromHit(exception));
      const sentry = ctx.importing(SENTRY_NODE_PACKAGES).find(({ file }) => file.matches(SENTRY_NODE_INIT).length > 0);
      if (sentry) return pass('Sentry.init installs both handlers.', at(sentry.file.path, sentry.file.matches(SENTRY_NODE_INIT)[0]?.line, 'Sentry.init (Node SDK)'));
      const missing = [rejection ? undefined : 'unhandledRejection', exception ? undefined : 'uncaughtException'].filter((name): name is string => name !== undefined);
      const found = [rejection, exception].flatMap((hit) => (hit ? [fromHit(hit)] : []));
      return fail(`No ${missing.join(' or ')} handler: a crash leaves no trace of why.`, ...found, lookedFor(missing.map((name) => `process.on('${name}', …)`).join(', ')));
    },
  },
  {
    id: 'outbound-timeouts',
    dimension: 'reliability',
    title: 'Outbound HTTP calls have timeouts',
    weight: 8,
    remedy: 'Pass `signal: AbortSignal.timeout(10_000)` to fetch (or `timeout` to axios/got): a slow upstream otherwise holds requests open until the server runs out of sockets.',
    evaluate(ctx) {
      if (ctx.app.server.kind === 'none') return notApplicable('No server code.', ctx.app.server.evidence);
      const files = ctx.serverCode.filter((file) => !BROWSER_PAGE.test(file.path));
      const calls = files.flatMap((file) => outboundCalls(file).map((call) => ({ file, call })));
      if (calls.length === 0) return notApplicable('No outbound HTTP calls (fetch, axios, got) in server code.', lookedFor('fetch(, axios., got('));
      const axiosDefault = ctx.first(AXIOS_DEFAULT_TIMEOUT, files);
      const untimed = calls.filter(({ call }) => call.timed === false && !(call.client === 'axios' && axiosDefault));
      if (untimed.length > 0) return fail(`${plural(untimed.length, 'outbound call')} without a timeout.`, ...untimed.map(({ file, call }) => at(file.path, call.line, `${call.client}() without ${call.client === 'fetch' ? 'signal' : 'timeout'}`)));
      const evidence = calls.slice(0, 3).map(({ file, call }) => at(file.path, call.line, `${call.client}() ${call.timed ? 'with a timeout' : 'options built elsewhere'}`));
      return pass(`All ${plural(calls.length, 'outbound call')} set a timeout (or pass options built elsewhere).`, ...(axiosDefault ? [fromHit(axiosDefault, 'axios default timeout')] : []), ...evidence);
    },
  },
] satisfies CheckDefinition[]);
