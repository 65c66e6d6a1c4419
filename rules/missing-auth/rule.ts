// missing-auth: a route or server action that changes data (POST/PUT/PATCH/DELETE, or
// any server action) with no authentication anywhere in front of it — no auth
// middleware in its chain (router-level `use` and app-level mounts across files
// included), no session check in the handler, no Next.js middleware covering its path
// — while it creates, updates or deletes records, or touches a model that has owners.
// Sign-in/up, password reset, OAuth callbacks, contact/newsletter forms, webhooks that
// verify their signature, and paths listed in `publicRoutes` are public on purpose.
// No automatic fix: choosing how a route authenticates needs a person.
import picomatch from 'picomatch';
import type { DbCall, RouteHandler } from '../../server/src/engine/facts/appModel';
import { PUBLIC_ACTION_NAME, PUBLIC_ROUTE_SEGMENT, WEBHOOK_SEGMENT } from '../../server/src/engine/facts/routeModels';
import { defineRule } from '../../server/src/engine/rule';
import type { SchemaFacts } from '../../server/src/engine/facts/appModel';
import { handlerHead } from './location';
import { meta } from './meta';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WRITE_VERBS: Readonly<Partial<Record<DbCall['operation'], string>>> = { create: 'creates', update: 'updates', delete: 'deletes' };

export default defineRule({
  meta,

  check(context) {
    const { facts } = context;
    const dbCalls = facts.dbCalls;
    if (dbCalls.length === 0) return;
    const routes = facts.routes;
    if (routes.length === 0) return;
    const isConfiguredPublic = publicMatcher(context.config.publicRoutes ?? []);
    const reported = new Set<RouteHandler['handler']>();

    for (const route of routes) {
      if (reported.has(route.handler)) continue;
      // Authenticated somehow, or middleware we could not see may run first.
      if (route.auth || route.authenticatedBy || route.partialChain) continue;
      if (route.verifiesSignature) continue;
      if (isPublicByConvention(route) || isConfiguredPublic(route.path)) continue;
      const touched = touchedData(route, dbCalls, context.project.schema);
      const writes = touched.filter((entry) => entry.write);
      const changesData = STATE_CHANGING.has(route.method) || (route.method === 'ALL' && writes.length > 0);
      if (!changesData || touched.length === 0) continue;

      reported.add(route.handler);
      const head = handlerHead(route.handler);
      context.report({ start: head.start, end: head.end, message: message(route, touched) });
    }
  },
});

interface Touched {
  verb: string;
  model: string;
  write: boolean;
}

/** What the handler does to data: writes to any model, reads of models that have owners. */
function touchedData(route: RouteHandler, dbCalls: readonly DbCall[], schema: SchemaFacts): Touched[] {
  const touched: Touched[] = [];
  // The calls come in source order: start at the first one inside the handler.
  for (let index = firstAtOrAfter(dbCalls, route.handler.pos); index < dbCalls.length; index++) {
    const call = dbCalls[index] as DbCall;
    if (call.call.pos >= route.handler.end) break;
    if (call.call.end > route.handler.end) continue;
    const model = schema.find(call.model);
    const name = model?.name ?? call.model;
    const verb = WRITE_VERBS[call.operation];
    if (verb) touched.push({ verb, model: name, write: true });
    else if (model?.ownerField && call.operation !== 'raw') touched.push({ verb: 'reads', model: name, write: false });
  }
  return touched;
}

function firstAtOrAfter(dbCalls: readonly DbCall[], pos: number): number {
  let low = 0;
  let high = dbCalls.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((dbCalls[middle] as DbCall).call.pos < pos) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isPublicByConvention(route: RouteHandler): boolean {
  if (route.framework === 'next-server-action') return PUBLIC_ACTION_NAME.test(route.path);
  return route.path.split('/').some((segment) => PUBLIC_ROUTE_SEGMENT.test(segment));
}

function isWebhook(route: RouteHandler): boolean {
  return route.path.split('/').some((segment) => WEBHOOK_SEGMENT.test(segment));
}

/** `publicRoutes` globs, matched against route paths (`/api/public/**`, `/api/orders/:id/receipt`). */
function publicMatcher(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matchers = patterns.map((pattern) => picomatch(pattern, { dot: true }));
  return (path) => matchers.some((matches) => matches(path) || matches(path.replace(/\/$/, '')));
}

function message(route: RouteHandler, touched: readonly Touched[]): string {
  const where = route.framework === 'next-server-action' ? `Server action ${route.path}` : `${route.method === 'ALL' ? 'API route' : route.method} ${route.path}`;
  const seen = new Set<string>();
  const actions: string[] = [];
  for (const entry of [...touched.filter((item) => item.write), ...touched.filter((item) => !item.write)]) {
    const phrase = `${entry.verb} ${entry.model}`;
    if (seen.has(phrase)) continue;
    seen.add(phrase);
    actions.push(phrase);
  }
  const what = actions.slice(0, 3).join(', ');
  if (isWebhook(route)) {
    return `${where} ${what} with no authentication and no signature check: anyone can forge this webhook and change your data. Verify the provider's signature (e.g. stripe.webhooks.constructEvent, svix verify) before acting on the payload.`;
  }
  const fix =
    route.framework === 'next-server-action'
      ? 'Check the session at the top of the action (server actions are public POST endpoints)'
      : route.framework === 'next-app' || route.framework === 'next-pages'
        ? 'Check the session at the top of the handler and return 401 without one'
        : 'Add your auth middleware to this route or its router';
  return `${where} ${what} with no authentication in front of it: anyone on the internet can call it. ${fix}, or list the path in publicRoutes in .shipshape.json if it is public on purpose.`;
}
