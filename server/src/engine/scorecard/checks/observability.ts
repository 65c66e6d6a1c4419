// Observability: structured logging, error tracking, request ids.
import { ERROR_TRACKERS, INFRA_TRACKING, PRELOADED_AGENT, REQUEST_ID_PACKAGES, STRUCTURED_LOGGER_PACKAGES } from '../knowledge';
import { type CheckDefinition, at, defineChecks, fail, fromHit, lookedFor, notApplicable, pass, plural, unknown } from './check';

const OPENTELEMETRY_PACKAGES = ['@opentelemetry/'];
const CONSOLE_CALL = /\bconsole\s*\.\s*(log|info|warn|error|debug|trace)\s*\(/g;
const FASTIFY_LOGGER = /\bfastify\s*\(\s*\{[^}]*\blogger\s*:\s*(true|\{)/g;
const REQUEST_ID_CODE = /['"`]x-(?:request|correlation|trace)-id['"`]|\bgenReqId\b|\brequestIdHeader\b|\b(?:requestId|correlationId|traceId)\s*[:=][^;\n]*\b(?:randomUUID|uuid|v4|nanoid|cuid|ulid|createId|headers)\b/gi;
const INFRA_FILE = /(^|\/)(Dockerfile[\w.-]*|[\w.-]+\.dockerfile|docker-compose[\w.-]*\.ya?ml|compose\.ya?ml|.*\.(tf|toml))$|(^|\/)(k8s|kubernetes|deploy|helm|charts|infra|ops)\/.+\.ya?ml$/;
const INFRA_PROBES = ['fly.toml', 'render.yaml', 'app.yaml', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'main.tf', 'infra/main.tf'];

export const OBSERVABILITY_CHECKS = defineChecks([
  {
    id: 'structured-logger',
    dimension: 'observability',
    title: 'Logs go through a structured logger',
    weight: 12,
    remedy: 'Use pino (or winston) with JSON output and log levels instead of console.log, so production logs can be searched and filtered.',
    evaluate(ctx) {
      const server = ctx.app.server;
      if (server.kind === 'none') return notApplicable('No server code to log from.', server.evidence);
      const used = ctx.firstImporting(STRUCTURED_LOGGER_PACKAGES);
      if (used) return pass(`${used.pkg} is used for logging.`, at(used.file.path, undefined, `imports ${used.pkg}`));
      const fastify = ctx.first(FASTIFY_LOGGER);
      if (fastify) return pass("Fastify's built-in pino logger is enabled.", fromHit(fastify, 'fastify({ logger })'));
      const consoleCalls = ctx.search(CONSOLE_CALL, ctx.serverCode);
      const files = new Set(consoleCalls.map((hit) => hit.file.path));
      const consoleEvidence = consoleCalls[0] ? [fromHit(consoleCalls[0], `${plural(consoleCalls.length, 'console call')} in ${plural(files.size, 'file')}`)] : [];
      const installed = ctx.dependencies(STRUCTURED_LOGGER_PACKAGES);
      if (installed.length > 0) return fail(`${installed.join(', ')} ${installed.length === 1 ? 'is' : 'are'} installed but never imported.`, at('package.json', undefined, `depends on ${installed.join(', ')}`), ...consoleEvidence);
      return fail(consoleCalls.length > 0 ? `No structured logger; ${plural(consoleCalls.length, 'console call')} instead.` : 'No structured logger.', lookedFor('pino, winston, bunyan, @logtail/*, consola'), ...consoleEvidence);
    },
  },
  {
    id: 'error-tracking',
    dimension: 'observability',
    title: 'Errors are reported to an error tracker',
    weight: 15,
    remedy: 'Initialize Sentry (or OpenTelemetry, Datadog, Bugsnag) at startup so production exceptions reach you before users do.',
    evaluate(ctx) {
      if (ctx.code.length === 0) return notApplicable('No application code.', lookedFor('code files'));
      for (const tracker of ERROR_TRACKERS) {
        const importers = ctx.importing(tracker.packages);
        for (const { file } of importers) {
          const init = file.matches(tracker.init)[0];
          if (init) return pass(`${tracker.name} is initialized.`, at(file.path, init.line, `${tracker.name} init`));
        }
        const load = tracker.load && ctx.first(tracker.load);
        if (load) return pass(`${tracker.name} is loaded at startup.`, fromHit(load));
      }
      const preload = Object.entries(ctx.packageJson?.scripts ?? {}).find(([, script]) => PRELOADED_AGENT.test(script));
      if (preload) return pass(`The \`${preload[0]}\` script preloads an agent.`, at('package.json', undefined, `scripts.${preload[0]}: ${preload[1]}`));
      const infraFiles = [...ctx.files.filter((path) => INFRA_FILE.test(path)), ...INFRA_PROBES].flatMap((path) => ctx.file(path) ?? []);
      const infra = ctx.first(INFRA_TRACKING, [...new Set(infraFiles)]);
      if (infra) return pass(`Infra config sets up ${infra.text}.`, fromHit(infra));
      const installed = ERROR_TRACKERS.flatMap((tracker) => ctx.dependencies(tracker.packages).map((pkg) => ({ tracker, pkg })))[0];
      if (installed) return fail(`${installed.pkg} is installed but ${installed.tracker.name} is never initialized: errors go nowhere.`, at('package.json', undefined, `depends on ${installed.pkg}`), lookedFor(`${installed.tracker.name} init call`));
      return unknown('No error tracker found in code or infra files; the host may provide one. Confirm that production errors reach someone.', lookedFor('Sentry.init, @opentelemetry/sdk-node, dd-trace, Bugsnag.start, Honeybadger.configure, newrelic; DD_/OTEL_/SENTRY_DSN in infra files'));
    },
  },
  {
    id: 'request-ids',
    dimension: 'observability',
    title: 'Each request gets an id that its log lines carry',
    weight: 6,
    remedy: 'Add pino-http (or set `x-request-id` in a middleware with crypto.randomUUID()) so one request\'s log lines can be found together.',
    evaluate(ctx) {
      const server = ctx.app.server;
      if (!ctx.app.longRunning) return notApplicable(server.kind === 'none' ? 'No server in this app.' : 'The platform assigns request ids (x-vercel-id, …).', server.evidence);
      const lib = ctx.firstImporting(REQUEST_ID_PACKAGES);
      if (lib) return pass(`${lib.pkg} assigns request ids.`, at(lib.file.path, undefined, `imports ${lib.pkg}`));
      const fastify = ctx.dependencies(['fastify', '@hapi/hapi'])[0];
      if (fastify) return pass(`${fastify} assigns every request an id (request.id / request.info.id).`, at('package.json', undefined, `depends on ${fastify}`));
      const code = ctx.first(REQUEST_ID_CODE, ctx.serverCode);
      if (code) return pass('Request ids are set in code.', fromHit(code));
      const otel = ctx.firstImporting(OPENTELEMETRY_PACKAGES);
      if (otel) return pass('OpenTelemetry traces carry a trace id per request.', at(otel.file.path, undefined, `imports ${otel.pkg}`));
      return fail('No request ids: one user\'s failing request cannot be told apart in the logs.', lookedFor('pino-http, express-request-id, x-request-id, genReqId, requestId = randomUUID()'));
    },
  },
] satisfies CheckDefinition[]);
