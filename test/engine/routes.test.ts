// Route and auth facts: Express routers composed across files (mounts, router-level
// middleware, handlers and middleware imported from other modules), Fastify and Hono,
// Next.js route handlers, pages-router API routes, server actions and middleware.ts,
// and authentication recognized by what middleware and helpers do, not by their names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FileFacts } from '../../server/src/engine/facts';
import type { RouteHandler } from '../../server/src/engine/facts/appModel';
import { parseCode } from '../../server/src/engine/files/parse';
import { createProjectView } from '../../server/src/engine/project';
import type { FileKind } from '../../server/src/engine/types';

/** The routes whose handlers live in `path`, in a project made of `files` (package.json from `deps`). */
function routesOf(files: Record<string, string>, path: string, deps: readonly string[] = ['express']): RouteHandler[] {
  const all: Record<string, string> = { 'package.json': JSON.stringify({ dependencies: Object.fromEntries(deps.map((dep) => [dep, '1.0.0'])) }), ...files };
  const project = createProjectView('/virtual', (file) => all[file], () => false, () => Object.keys(all));
  const text = all[path];
  assert.ok(text !== undefined, `no file ${path}`);
  const kind: FileKind = path.endsWith('.tsx') ? 'tsx' : path.endsWith('.js') ? 'js' : 'ts';
  return [...new FileFacts({ path, kind, text, sourceFile: parseCode(path, text, kind) }, project).routes];
}

const summary = (route: RouteHandler): string => `${route.method} ${route.path}`;
const find = (routes: readonly RouteHandler[], key: string): RouteHandler => {
  const route = routes.find((candidate) => summary(candidate) === key);
  assert.ok(route, `no route ${key} in [${routes.map(summary).join(', ')}]`);
  return route;
};

describe('Express', () => {
  const shop = {
    'src/server.ts': `
      import express from 'express';
      import ordersRouter from './routes/orders';
      import { publicRouter } from './routes/public';
      import { gatekeeper } from './middleware/session';
      const app = express();
      app.use(express.json());
      app.use('/api/public', publicRouter);
      app.use('/api/orders', gatekeeper, ordersRouter);
      app.listen(3000);
    `,
    'src/middleware/session.ts': `
      import type { Request, Response, NextFunction } from 'express';
      import jwt from 'jsonwebtoken';
      // Named nothing like "auth": recognized by what it does.
      export function gatekeeper(req: Request, res: Response, next: NextFunction) {
        const token = req.cookies.token;
        if (!token) return res.status(401).json({ error: 'Sign in first' });
        req.user = jwt.verify(token, process.env.JWT_SECRET!) as { id: string };
        next();
      }
      export function requestLogger(req: Request, res: Response, next: NextFunction) {
        console.log(req.method, req.url);
        next();
      }
    `,
    'src/routes/orders.ts': `
      import { Router } from 'express';
      import * as orders from '../controllers/orders';
      const router = Router();
      router.get('/:id', orders.getOrder);
      router.route('/:id/items').get(orders.listItems).delete(orders.clearItems);
      export default router;
    `,
    'src/routes/public.ts': `
      import { Router } from 'express';
      import { requestLogger } from '../middleware/session';
      import { requireRole } from '../middleware/roles';
      export const publicRouter = Router();
      publicRouter.get('/status', (req, res) => res.json({ ok: true }));
      publicRouter.use(requestLogger);
      publicRouter.post('/contact', async (req, res) => { res.json({}); });
      publicRouter.delete('/cache', requireRole('admin'), async (req, res) => { res.json({}); });
    `,
    'src/middleware/roles.ts': `
      export const requireRole = (role: string) => (req, res, next) => {
        if (!req.user || req.user.role !== role) return res.status(403).json({ error: 'Forbidden' });
        next();
      };
    `,
    'src/controllers/orders.ts': `
      import { prisma } from '../db';
      export async function getOrder(req, res) {
        res.json(await prisma.order.findUnique({ where: { id: req.params.id } }));
      }
      export const listItems = async (req, res) => res.json([]);
      export const clearItems = async (req, res) => res.json([]);
      export function notARoute(a: number) { return a; }
    `,
  };

  test('composes paths and middleware across files, for handlers defined in a third module', () => {
    const routes = routesOf(shop, 'src/controllers/orders.ts');
    assert.deepEqual(routes.map(summary).sort(), ['DELETE /api/orders/:id/items', 'GET /api/orders/:id', 'GET /api/orders/:id/items']);
    const getOrder = find(routes, 'GET /api/orders/:id');
    assert.equal(getOrder.framework, 'express');
    assert.deepEqual(getOrder.middlewares, ['express.json', 'gatekeeper']);
    assert.equal(getOrder.auth?.userIdExpression, 'req.user.id');
    assert.equal(getOrder.auth?.enforced, true);
    assert.equal(getOrder.auth?.hasRoleCheck, false);
    assert.equal(getOrder.partialChain, undefined);
  });

  test('router.use applies only to the routes registered after it; a logger is not authentication', () => {
    const routes = routesOf(shop, 'src/routes/public.ts');
    assert.deepEqual(find(routes, 'GET /api/public/status').middlewares, ['express.json']);
    const contact = find(routes, 'POST /api/public/contact');
    assert.deepEqual(contact.middlewares, ['express.json', 'requestLogger']);
    assert.equal(contact.auth, undefined);
    assert.equal(contact.authenticatedBy, undefined);
  });

  test('a middleware factory is judged by the function it returns, role checks included', () => {
    const cache = find(routesOf(shop, 'src/routes/public.ts'), 'DELETE /api/public/cache');
    assert.equal(cache.auth?.hasRoleCheck, true);
    assert.equal(cache.auth?.userIdExpression, 'req.user.id');
  });

  test('an exported router mounted nowhere visible has a partial chain', () => {
    const routes = routesOf({ 'routes/loose.ts': `import { Router } from 'express';\nconst r = Router();\nr.post('/x', async (req, res) => res.json({}));\nexport default r;` }, 'routes/loose.ts');
    assert.equal(find(routes, 'POST /x').partialChain, true);
  });

  test('passport, express-session and in-handler request checks name the user', () => {
    const files = {
      'app.js': `
        const express = require('express');
        const passport = require('passport');
        const app = express();
        app.get('/me', passport.authenticate('jwt', { session: false }), (req, res) => res.json(req.user));
        app.post('/notes', (req, res) => {
          if (!req.session.userId) return res.status(401).end();
          res.json({});
        });
        app.put('/profile', async (request, response) => {
          if (!request.isAuthenticated()) return response.redirect('/login');
          response.json({ id: request.user._id });
        });
      `,
    };
    const routes = routesOf(files, 'app.js');
    assert.equal(find(routes, 'GET /me').auth?.userIdExpression, 'req.user.id');
    assert.equal(find(routes, 'GET /me').auth?.evidence.includes('passport'), true);
    assert.equal(find(routes, 'POST /notes').auth?.userIdExpression, 'req.session.userId');
    assert.equal(find(routes, 'PUT /profile').auth?.userIdExpression, 'request.user._id');
  });

  test('CSRF checks and API-key gates are told apart from user authentication', () => {
    const files = {
      'server.ts': `
        import express from 'express';
        const app = express();
        function csrfProtection(req, res, next) {
          if (req.headers['x-csrf-token'] !== req.cookies.csrf) return res.status(403).send('bad csrf token');
          next();
        }
        function apiKey(req, res, next) {
          if (req.headers['x-api-key'] !== process.env.API_KEY) return res.sendStatus(401);
          next();
        }
        app.post('/form', csrfProtection, (req, res) => res.end());
        app.post('/ingest', apiKey, (req, res) => res.end());
      `,
    };
    const routes = routesOf(files, 'server.ts');
    assert.equal(find(routes, 'POST /form').authenticatedBy, undefined);
    assert.equal(find(routes, 'POST /form').auth, undefined);
    assert.match(find(routes, 'POST /ingest').authenticatedBy ?? '', /apiKey/);
    assert.equal(find(routes, 'POST /ingest').auth, undefined);
  });

  test('registration functions receive the app: routes(app) in another file', () => {
    const files = {
      'src/index.ts': `import express from 'express';\nimport registerRoutes from './routes';\nimport { requireAuth } from './auth';\nconst app = express();\napp.use(requireAuth);\nregisterRoutes(app);`,
      'src/auth.ts': `export const requireAuth = (req, res, next) => { if (!req.headers.authorization) return res.status(401).end(); req.user = { id: '1' }; next(); };`,
      'src/routes.ts': `import type { Express } from 'express';\nexport default function registerRoutes(app: Express) {\n  app.delete('/api/posts/:id', async (req, res) => res.end());\n}`,
    };
    const route = find(routesOf(files, 'src/routes.ts'), 'DELETE /api/posts/:id');
    assert.deepEqual(route.middlewares, ['requireAuth']);
    assert.equal(route.auth?.userIdExpression, 'req.user.id');
  });
});

describe('Fastify and Hono', () => {
  test('Fastify: preHandler hooks by name, plugins registered with a prefix, addHook for a whole plugin', () => {
    const files = {
      'src/server.ts': `
        import Fastify from 'fastify';
        import postRoutes from './posts';
        const fastify = Fastify();
        fastify.get('/health', async () => ({ ok: true }));
        fastify.register(postRoutes, { prefix: '/posts' });
      `,
      'src/posts.ts': `
        import type { FastifyInstance } from 'fastify';
        export default async function postRoutes(app: FastifyInstance) {
          app.get('/:id', async (request, reply) => ({}));
          app.delete('/:id', { preHandler: [app.authenticate] }, async (request, reply) => ({}));
        }
      `,
    };
    const routes = routesOf(files, 'src/posts.ts', ['fastify']);
    assert.equal(find(routes, 'GET /posts/:id').authenticatedBy, undefined);
    const remove = find(routes, 'DELETE /posts/:id');
    assert.equal(remove.framework, 'fastify');
    assert.match(remove.authenticatedBy ?? '', /authenticate/);
  });

  test('Hono: app.use with a wildcard path, jwt() middleware, sub-apps mounted with app.route', () => {
    const files = {
      'src/index.ts': `
        import { Hono } from 'hono';
        import { jwt } from 'hono/jwt';
        import orders from './orders';
        const app = new Hono();
        app.use('/api/*', jwt({ secret: process.env.JWT_SECRET! }));
        app.route('/api/orders', orders);
        app.get('/', (c) => c.text('hi'));
        export default app;
      `,
      'src/orders.ts': `
        import { Hono } from 'hono';
        const orders = new Hono();
        orders.get('/:id', async (c) => c.json({}));
        export default orders;
      `,
    };
    const route = find(routesOf(files, 'src/orders.ts', ['hono']), 'GET /api/orders/:id');
    assert.equal(route.framework, 'hono');
    assert.equal(route.auth?.userIdExpression, "c.get('jwtPayload').sub");
    assert.equal(find(routesOf(files, 'src/index.ts', ['hono']), 'GET /').auth, undefined);
  });
});

describe('Next.js', () => {
  test('app-router route handlers: path from the folder, NextAuth session after a guard', () => {
    const files = {
      'src/app/api/(shop)/posts/[id]/route.ts': `
        import { getServerSession } from 'next-auth';
        import { authOptions } from '@/lib/auth';
        export async function GET(request: Request, { params }: { params: { id: string } }) {
          return Response.json({});
        }
        export async function DELETE(request: Request, { params }: { params: { id: string } }) {
          const session = await getServerSession(authOptions);
          if (!session) return new Response('Unauthorized', { status: 401 });
          return Response.json({});
        }
      `,
    };
    const routes = routesOf(files, 'src/app/api/(shop)/posts/[id]/route.ts', ['next']);
    assert.deepEqual(routes.map(summary), ['GET /api/posts/[id]', 'DELETE /api/posts/[id]']);
    assert.equal(routes[0]?.framework, 'next-app');
    assert.equal(routes[0]?.auth, undefined);
    assert.deepEqual(routes[1]?.auth, { userIdExpression: 'session.user.id', evidence: 'getServerSession()', hasRoleCheck: false, enforced: true });
  });

  test('Clerk auth(), Supabase getUser() and Auth.js auth() name the user; Supabase getSession() does not', () => {
    const route = (body: string, imports: string): RouteHandler | undefined =>
      routesOf({ 'app/api/x/route.ts': `${imports}\nexport async function POST(req: Request) {\n${body}\n}` }, 'app/api/x/route.ts', ['next'])[0];
    const clerk = route(`const { userId } = await auth();\nif (!userId) return new Response(null, { status: 401 });`, `import { auth } from '@clerk/nextjs/server';`);
    assert.equal(clerk?.auth?.userIdExpression, 'userId');
    assert.equal(clerk?.auth?.enforced, true);
    const supabase = route(`const supabase = await createClient();\nconst { data: { user } } = await supabase.auth.getUser();\nif (!user) return new Response(null, { status: 401 });`, `import { createClient } from '@/utils/supabase/server';`);
    assert.equal(supabase?.auth?.userIdExpression, 'user.id');
    const unguarded = route(`const session = await auth();\nreturn Response.json({ id: session?.user?.id });`, `import { auth } from '@/auth';`);
    assert.equal(unguarded?.auth?.userIdExpression, 'session?.user?.id');
    assert.equal(unguarded?.auth?.enforced, false);
    const getSession = route(`const supabase = await createClient();\nconst { data: { session } } = await supabase.auth.getSession();\nif (!session) return new Response(null, { status: 401 });`, `import { createClient } from '@/utils/supabase/server';`);
    assert.equal(getSession?.auth, undefined);
  });

  test('a project helper is recognized by what it does, across files and tsconfig path aliases', () => {
    const files = {
      'tsconfig.json': `{ "compilerOptions": { /* aliases */ "paths": { "@/*": ["./src/*"] }, } }`,
      'src/lib/session.ts': `
        import { getServerSession } from 'next-auth';
        import { redirect } from 'next/navigation';
        export async function loadViewer() {
          const session = await getServerSession();
          if (!session?.user) redirect('/login');
          return session.user;
        }
      `,
      'src/app/api/notes/route.ts': `
        import { loadViewer } from '@/lib/session';
        export async function POST(request: Request) {
          const viewer = await loadViewer();
          return Response.json({ owner: viewer.id });
        }
      `,
    };
    const route = routesOf(files, 'src/app/api/notes/route.ts', ['next', 'next-auth'])[0];
    assert.equal(route?.auth?.userIdExpression, 'viewer.id');
    assert.equal(route?.auth?.enforced, true);
  });

  test('server actions: exported functions of a "use server" file and inline "use server" functions', () => {
    const files = {
      'app/actions.ts': `'use server';\nexport async function deletePost(id: string) {}\nexport const renamePost = async (id: string, name: string) => {};\nfunction helper() {}`,
      'app/page.tsx': `export default function Page() {\n  async function like(formData: FormData) {\n    'use server';\n  }\n  return <form action={like} />;\n}`,
    };
    assert.deepEqual(routesOf(files, 'app/actions.ts', ['next']).map((route) => `${route.framework} ${summary(route)}`), ['next-server-action POST deletePost', 'next-server-action POST renamePost']);
    assert.deepEqual(routesOf(files, 'app/page.tsx', ['next']).map(summary), ['POST like']);
  });

  test('pages-router API routes, wrappers such as withApiAuthRequired, and middleware.ts matchers', () => {
    const files = {
      'middleware.ts': `export { default } from 'next-auth/middleware';\nexport const config = { matcher: ['/api/admin/:path*'] };`,
      'pages/api/orders/[id].ts': `export default async function handler(req, res) { res.json({}); }`,
      'pages/api/admin/index.ts': `export default async function handler(req, res) { res.json({}); }`,
      'src/pages/api/me.ts': `import { withApiAuthRequired } from '@auth0/nextjs-auth0';\nexport default withApiAuthRequired(async function me(req, res) { res.json({}); });`,
    };
    const order = routesOf(files, 'pages/api/orders/[id].ts', ['next'])[0];
    assert.equal(order && summary(order), 'ALL /api/orders/[id]');
    assert.equal(order?.framework, 'next-pages');
    assert.equal(order?.authenticatedBy, undefined);
    const admin = routesOf(files, 'pages/api/admin/index.ts', ['next'])[0];
    assert.equal(admin && summary(admin), 'ALL /api/admin');
    assert.match(admin?.authenticatedBy ?? '', /next-auth/);
    const me = routesOf(files, 'src/pages/api/me.ts', ['next'])[0];
    assert.deepEqual(me?.middlewares, ['withApiAuthRequired']);
    assert.match(me?.authenticatedBy ?? '', /withApiAuthRequired/);
  });

  test('Clerk middleware protects only what reaches auth.protect()', () => {
    const files = {
      'src/middleware.ts': `
        import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';
        const isPublic = createRouteMatcher(['/api/webhooks(.*)', '/']);
        export default clerkMiddleware(async (auth, req) => {
          if (!isPublic(req)) await auth.protect();
        });
      `,
      'src/app/api/webhooks/clerk/route.ts': `export async function POST(req: Request) { return new Response(); }`,
      'src/app/api/posts/route.ts': `export async function POST(req: Request) { return new Response(); }`,
    };
    assert.equal(routesOf(files, 'src/app/api/webhooks/clerk/route.ts', ['next'])[0]?.authenticatedBy, undefined);
    assert.match(routesOf(files, 'src/app/api/posts/route.ts', ['next'])[0]?.authenticatedBy ?? '', /Clerk/);
  });
});

describe('routers reached through other modules', () => {
  const files = {
    'src/app.ts': `import express from 'express';\nexport const app = express();`,
    'src/auth.ts': `export const requireAuth = (req, res, next) => { if (!req.headers.authorization) return res.status(401).end(); req.user = { id: '1' }; next(); };`,
    'src/http/index.ts': `export { app } from '../app';`,
    'src/http/registry.ts': `export function mountAll(app) {\n  app.get('/api/health', async (req, res) => res.json({ ok: true }));\n}`,
    'src/services/orders.ts': `export const orderService = { get: (id: string) => ({ id }), delete: (id: string) => id };`,
    'src/main.ts': `import { app } from './http';\nimport { mountAll } from './http/registry';\nimport { requireAuth } from './auth';\nimport { orderService } from './services/orders';\napp.use(requireAuth);\napp.get('/api/orders/:id', async (req, res) => res.json(orderService.get(req.params.id)));\norderService.delete('x');\nmountAll(app);`,
  };

  test('a router imported through a barrel is seen as receiver and as argument; a service with get() is not a router', () => {
    assert.deepEqual(routesOf(files, 'src/main.ts').map(summary), ['GET /api/orders/:id']);
    assert.deepEqual(find(routesOf(files, 'src/http/registry.ts'), 'GET /api/health').middlewares, ['requireAuth'], 'mounted through mountAll(app)');
  });

  test('a module that starts re-exporting a router is read again', () => {
    const live: Record<string, string> = { 'package.json': JSON.stringify({ dependencies: { express: '4' } }), ...files, 'src/http/index.ts': `export const server = 1;` };
    live['src/main.ts'] = `import { app } from './app';\nimport { server } from './http';\nimport { mountAll } from './http/registry';\nimport { requireAuth } from './auth';\napp.use(requireAuth);\napp.get('/api/orders/:id', async (req, res) => res.end());\nmountAll(server);`;
    const project = createProjectView('/virtual-reexport', (path) => live[path], () => false, () => Object.keys(live));
    const health = (): RouteHandler => {
      const text = live['src/http/registry.ts'] ?? '';
      return find(new FileFacts({ path: 'src/http/registry.ts', kind: 'ts', text, sourceFile: parseCode('src/http/registry.ts', text, 'ts') }, project).routes, 'GET /api/health');
    };
    assert.deepEqual(health().middlewares, [], '`server` names no router yet');
    live['src/http/index.ts'] = `export { app as server } from '../app';`;
    assert.deepEqual(health().middlewares, ['requireAuth']);
  });
});

describe('incremental analysis', () => {
  test('edits inside a handler, in the router file and in the file that mounts it are all seen', () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ dependencies: { express: '4' } }),
      'server.ts': `import express from 'express';\nimport items from './items';\nconst app = express();\napp.use('/api/items', items);`,
      'items.ts': `import { Router } from 'express';\nconst router = Router();\nrouter.post('/', async (req, res) => {\n  res.json({});\n});\nexport default router;`,
      'auth.ts': `export function guard(req, res, next) { if (!req.headers.authorization) return res.sendStatus(401); req.user = { id: '1' }; next(); }`,
    };
    const project = createProjectView('/virtual-incremental', (path) => files[path], () => false, () => Object.keys(files));
    const routes = (): RouteHandler[] => {
      const text = files['items.ts'] ?? '';
      return [...new FileFacts({ path: 'items.ts', kind: 'ts', text, sourceFile: parseCode('items.ts', text, 'ts') }, project).routes];
    };
    assert.deepEqual(routes().map(summary), ['POST /api/items']);
    assert.equal(routes()[0]?.auth, undefined);

    files['items.ts'] = (files['items.ts'] ?? '').replace('res.json({});', 'const value = 1;\n  res.json({ value });');
    const edited = routes();
    assert.deepEqual(edited.map(summary), ['POST /api/items']);
    assert.match(edited[0]?.handler.getText() ?? '', /const value = 1/, 'the handler node is the edited one');

    files['items.ts'] = (files['items.ts'] ?? '').replace("const router = Router();", "import { guard } from './auth';\nconst router = Router();\nrouter.use(guard);");
    assert.equal(routes()[0]?.auth?.userIdExpression, 'req.user.id');

    files['server.ts'] = (files['server.ts'] ?? '').replace("'/api/items'", "'/v2/items'");
    assert.deepEqual(routes().map(summary), ['POST /v2/items']);

    files['auth.ts'] = `export function guard(req, res, next) { next(); }`;
    assert.equal(routes()[0]?.auth, undefined, 'a middleware that stopped rejecting no longer counts');
  });

  test('typing in a route path renames that route alone; where router.use scopes middleware by path, the chain follows', () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ dependencies: { express: '4' } }),
      'server.ts': `import express from 'express';\nimport items from './items';\nconst app = express();\napp.use('/api', items);`,
      'items.ts': `import { Router } from 'express';\nimport { guard } from './auth';\nconst router = Router();\nrouter.get('/items', async (req, res) => res.json([]));\nexport default router;`,
      'auth.ts': `export function guard(req, res, next) { if (!req.headers.authorization) return res.sendStatus(401); req.user = { id: '1' }; next(); }`,
    };
    const project = createProjectView('/virtual-rename', (path) => files[path], () => false, () => Object.keys(files));
    const routes = (): RouteHandler[] => {
      const text = files['items.ts'] ?? '';
      return [...new FileFacts({ path: 'items.ts', kind: 'ts', text, sourceFile: parseCode('items.ts', text, 'ts') }, project).routes];
    };
    assert.deepEqual(routes().map(summary), ['GET /api/items']);
    for (const typed of ['/items2', '/items2/:id', '/items2/:id/tags']) {
      files['items.ts'] = (files['items.ts'] ?? '').replace(/router\.get\('[^']*'/, `router.get('${typed}'`);
      assert.deepEqual(routes().map(summary), [`GET /api${typed}`]);
    }
    // A path-scoped router.use: renaming a route into its scope adds the guard.
    files['items.ts'] = (files['items.ts'] ?? '').replace('const router = Router();', "const router = Router();\nrouter.use('/admin', guard);");
    assert.equal(routes()[0]?.auth, undefined);
    files['items.ts'] = (files['items.ts'] ?? '').replace("router.get('/items2/:id/tags'", "router.get('/admin/tags'");
    assert.deepEqual(routes().map(summary), ['GET /api/admin/tags']);
    assert.equal(routes()[0]?.auth?.userIdExpression, 'req.user.id');
  });

  test('a file that starts registering routes joins the graph whichever file is analyzed next', () => {
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ dependencies: { express: '4' } }),
      'server.ts': `import express from 'express';\nimport items from './items';\nconst app = express();\napp.use('/api/items', items);`,
      'items.ts': `import { Router } from 'express';\nconst router = Router();\nrouter.post('/', async (req, res) => {\n  res.json({});\n});\nexport default router;`,
      'notes.ts': `export const note = 'mounted nowhere yet';`,
    };
    // A workspace-like view: a revision per change, and which paths changed since one.
    const changes: string[] = [];
    const project = createProjectView('/virtual-candidates', (path) => files[path], () => false, () => Object.keys(files), undefined, () => changes.length, (since) => changes.slice(since));
    const routes = (): string[] => {
      const text = files['items.ts'] ?? '';
      return new FileFacts({ path: 'items.ts', kind: 'ts', text, sourceFile: parseCode('items.ts', text, 'ts') }, project).routes.map(summary);
    };
    assert.deepEqual(routes(), ['POST /api/items']);
    files['notes.ts'] = `import express from 'express';\nimport items from './items';\nconst admin = express();\nadmin.use('/admin/items', items);`;
    changes.push('notes.ts');
    assert.deepEqual(routes().sort(), ['POST /admin/items', 'POST /api/items'], 'seen before notes.ts itself is analyzed');
  });
});

describe('more identity sources', () => {
  const route = (body: string, imports: string): RouteHandler | undefined =>
    routesOf({ 'app/api/x/route.ts': `${imports}\nexport async function POST(req: Request) {\n${body}\n}` }, 'app/api/x/route.ts', ['next'])[0];

  test('Lucia validateRequest() and iron-session, using the id path the app reads', () => {
    const lucia = route(`const { user } = await validateRequest();\nif (!user) return new Response(null, { status: 401 });`, `import { validateRequest } from '@/lib/auth';`);
    assert.equal(lucia?.auth?.userIdExpression, 'user.id');
    assert.equal(lucia?.auth?.enforced, true);
    const iron = route(`const session = await getIronSession(cookies(), options);\nif (!session.user) return new Response(null, { status: 401 });\nreturn Response.json({ by: session.user.id });`, `import { getIronSession } from 'iron-session';`);
    assert.equal(iron?.auth?.userIdExpression, 'session.user.id');
    const ironFlat = route(`const session = await getIronSession(cookies(), options);\nif (!session.userId) return new Response(null, { status: 401 });`, `import { getIronSession } from 'iron-session';`);
    assert.equal(ironFlat?.auth?.userIdExpression, 'session.userId');
  });

  test('role checks in the handler set hasRoleCheck', () => {
    const admin = route(`const session = await getServerSession();\nif (!session || session.user.role !== 'admin') return new Response(null, { status: 403 });`, `import { getServerSession } from 'next-auth';`);
    assert.equal(admin?.auth?.hasRoleCheck, true);
    const plain = route(`const session = await getServerSession();\nif (!session) return new Response(null, { status: 401 });\nreturn Response.json({ role: session.user.role });`, `import { getServerSession } from 'next-auth';`);
    assert.equal(plain?.auth?.hasRoleCheck, false, 'reading the role is not checking it');
  });
});
