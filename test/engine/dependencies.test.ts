// Cross-file invalidation: a result records the other files its analysis read (the
// route graph's files, the middleware and helpers it resolved), so editing one of
// them re-analyzes exactly the files whose findings depend on it, and the Workspace
// says which ones those are.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { Workspace } from '../../server/src/engine/workspace';
import { makeWorkspace } from '../support/tempWorkspace';

const makeRoot = (files: Record<string, string>): string => makeWorkspace(files, 'shipshape-deps-');

// Named nothing like "auth" on purpose: a middleware whose body proves nothing either way
// still counts when its name says auth (requireAuth, ensureUser), so only what it does
// can be edited away here.
const REQUIRE_AUTH = `import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

export function gatekeeper(req: Request, res: Response, next: NextFunction) {
  const token = req.headers.authorization?.split(' ')[1];
  if (!token) return res.status(401).json({ error: 'Unauthorized' });
  req.user = jwt.verify(token, process.env.JWT_SECRET as string) as { id: string };
  next();
}
`;
/** The same middleware after an edit that stops it rejecting anyone. */
const LET_EVERYONE_IN = REQUIRE_AUTH.replace("  if (!token) return res.status(401).json({ error: 'Unauthorized' });\n", '').replace(
  'req.user = jwt.verify(token, process.env.JWT_SECRET as string) as { id: string };',
  'if (token) req.user = jwt.decode(token) as { id: string };',
);

const ORDERS = `import { Router } from 'express';
import { prisma } from '../db';

const router = Router();

router.post('/', async (req, res) => {
  const order = await prisma.order.create({ data: { total: req.body.total, userId: req.body.userId } });
  res.status(201).json(order);
});

export default router;
`;

const PRODUCTS = `import { Router } from 'express';
import { prisma } from '../db';

const router = Router();

router.post('/', async (req, res) => {
  const product = await prisma.product.create({ data: { name: req.body.name } });
  res.status(201).json(product);
});

export default router;
`;

const APP = {
  'package.json': JSON.stringify({ dependencies: { '@prisma/client': '^5.14.0', express: '^4.19.2', jsonwebtoken: '^9.0.2' } }),
  'prisma/schema.prisma': `model User {
  id     String  @id @default(cuid())
  orders Order[]
}

model Order {
  id     String @id @default(cuid())
  total  Int
  userId String
  user   User   @relation(fields: [userId], references: [id])

  @@index([userId])
}

model Product {
  id   String @id @default(cuid())
  name String
}
`,
  'src/db.ts': `import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n`,
  'src/server.ts': `import express from 'express';
import orders from './routes/orders';
import products from './routes/products';
import { gatekeeper } from './middleware/auth';

const app = express();
app.use(express.json());
app.use('/api/orders', gatekeeper, orders);
app.use('/api/products', gatekeeper, products);
app.listen(3000);
`,
  'src/middleware/auth.ts': REQUIRE_AUTH,
  'src/routes/orders.ts': ORDERS,
  'src/routes/products.ts': PRODUCTS,
  'src/lib/format.ts': `export function money(cents: number): string {\n  return (cents / 100).toFixed(2);\n}\n`,
};

const open = (root: string): Workspace => new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS });
const rulesOf = (workspace: Workspace, path: string): string[] => (workspace.analyzeFile(path)?.findings ?? []).map((finding) => finding.ruleId);

describe('editing a file other files depend on', () => {
  test('a middleware that stops rejecting makes the route file missing-auth, and reverting clears it, without touching the route file', () => {
    const workspace = open(makeRoot(APP));
    workspace.discover();
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), [], 'behind gatekeeper the route is fine');
    const format = workspace.analyzeFile('src/lib/format.ts');

    const edit = workspace.setText('src/middleware/auth.ts', LET_EVERYONE_IN);
    assert.equal(edit.projectWide, false);
    assert.ok(edit.dependents.includes('src/routes/orders.ts'), `dependents: ${edit.dependents.join(', ')}`);
    assert.ok(!edit.dependents.includes('src/lib/format.ts'), 'a file that reads nothing of the middleware is not a dependent');
    assert.ok(!edit.dependents.includes('src/middleware/auth.ts'), 'the edited file itself is not listed as its own dependent');
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), ['missing-auth']);
    assert.equal(workspace.analyzeFile('src/lib/format.ts'), format, 'the unrelated file keeps its result');

    const revert = workspace.setText('src/middleware/auth.ts', REQUIRE_AUTH);
    assert.ok(revert.dependents.includes('src/routes/orders.ts'));
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), [], 'the finding is gone once the middleware rejects again');
  });

  test('a file edited and not analyzed since is no dependent (nothing to drop), and is one again once analyzed', () => {
    // The workspace leaves a dropped result's dependencies indexed until the next result,
    // so that a keystroke does not take the file out of every index and put it back.
    const middleware = "export { default } from 'next-auth/middleware';\n\nexport const config = { matcher: ['/api/:path*'] };\n";
    const route = "import { db } from '../../../lib/db';\n\nexport async function POST(request: Request) {\n  const { title } = await request.json();\n  return Response.json(await db.post.create({ data: { title } }));\n}\n";
    const workspace = open(
      makeRoot({
        'package.json': JSON.stringify({ dependencies: { '@prisma/client': '^5.14.0', next: '14.2.3', 'next-auth': '^4.24.7' } }),
        'middleware.ts': middleware,
        'lib/db.ts': "import { PrismaClient } from '@prisma/client';\n\nexport const db = new PrismaClient();\n",
        'app/api/posts/route.ts': route,
      }),
    );
    workspace.discover();
    assert.deepEqual(rulesOf(workspace, 'app/api/posts/route.ts'), []);
    workspace.setText('app/api/posts/route.ts', route.replace('{ title }', '{ title, body }'));
    const narrowed = workspace.setText('middleware.ts', middleware.replace("'/api/:path*'", "'/api/admin/:path*'"));
    assert.deepEqual(narrowed.dependents, [], 'the route file has no result to drop');
    assert.deepEqual(rulesOf(workspace, 'app/api/posts/route.ts'), ['missing-auth']);
    const widened = workspace.setText('middleware.ts', middleware);
    assert.deepEqual(widened.dependents, ['app/api/posts/route.ts']);
    assert.deepEqual(rulesOf(workspace, 'app/api/posts/route.ts'), []);
  });

  test('creating the module an import could not find re-analyzes the files that imported it', () => {
    const { 'src/middleware/auth.ts': _missing, ...withoutMiddleware } = APP;
    const workspace = open(makeRoot(withoutMiddleware));
    workspace.discover();
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), ['missing-auth'], 'an unresolvable gatekeeper proves nothing');
    const created = workspace.setText('src/middleware/auth.ts', REQUIRE_AUTH);
    assert.ok(created.dependents.includes('src/routes/orders.ts'), `dependents: ${created.dependents.join(', ')}`);
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), [], 'the new middleware rejects signed-out callers');
  });

  test('reload and removeText of a dependency invalidate its dependents too (a change on disk, a closed buffer)', () => {
    const root = makeRoot(APP);
    const workspace = open(root);
    workspace.discover();
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), []);
    writeFileSync(join(root, 'src/middleware/auth.ts'), LET_EVERYONE_IN);
    assert.ok(workspace.reload('src/middleware/auth.ts').dependents.includes('src/routes/orders.ts'));
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), ['missing-auth']);

    workspace.setText('src/middleware/auth.ts', REQUIRE_AUTH); // an editor buffer over the disk version
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), []);
    assert.ok(workspace.removeText('src/middleware/auth.ts').dependents.includes('src/routes/orders.ts'), 'the buffer is gone: back to the disk text');
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), ['missing-auth']);
  });

  test('the file that mounts a router: dropping gatekeeper from the mount is seen in the route file', () => {
    const workspace = open(makeRoot(APP));
    workspace.discover();
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), []);
    const server = APP['src/server.ts'];
    const edit = workspace.setText('src/server.ts', server.replace("app.use('/api/orders', gatekeeper, orders);", "app.use('/api/orders', orders);"));
    assert.ok(edit.dependents.includes('src/routes/orders.ts'));
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), ['missing-auth']);
  });

  test('typing inside one route handler leaves the other route files alone; changing what it registers does not', () => {
    const workspace = open(makeRoot(APP));
    workspace.discover();
    for (const path of workspace.paths) workspace.analyzeFile(path);
    const products = workspace.analyzeFile('src/routes/products.ts');

    const typedText = ORDERS.replace('res.status(201).json(order);', 'res.status(201).json({ order });');
    const typed = workspace.setText('src/routes/orders.ts', typedText);
    assert.deepEqual(typed.dependents, [], 'an edit inside a handler body changes no route, path or middleware');
    rulesOf(workspace, 'src/routes/orders.ts');
    assert.equal(workspace.analyzeFile('src/routes/products.ts'), products);

    // Typing in the route's own path renames it alone: the other route files stay as they were.
    const renamed = workspace.setText('src/routes/orders.ts', typedText.replace("router.post('/',", "router.post('/bulk',"));
    assert.deepEqual(renamed.dependents, [], 'a path edit of a route handled in this file changes no other file');
    assert.equal(workspace.analyzeFile('src/routes/products.ts'), products);
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), [], 'the renamed route is still behind gatekeeper');

    // A new, unauthenticated mount of the products router: a structural edit of a graph file.
    const mounted = workspace.setText('src/routes/orders.ts', ORDERS.replace("import { prisma } from '../db';", "import { prisma } from '../db';\nimport products from './products';").replace('export default router;', "router.use('/catalog', products);\nexport default router;"));
    assert.ok(mounted.dependents.includes('src/routes/products.ts'), `dependents: ${mounted.dependents.join(', ')}`);
  });

  test('a file that starts registering routes invalidates the files the route graph serves', () => {
    const root = makeRoot(APP);
    const workspace = open(root);
    workspace.discover();
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), []);
    // A second entry point, in a new file, mounting the orders router with no authentication.
    const created = workspace.setText('src/admin.ts', "import express from 'express';\nimport orders from './routes/orders';\n\nconst admin = express();\nadmin.use('/admin/orders', orders);\nadmin.listen(3001);\n");
    assert.ok(created.dependents.includes('src/routes/orders.ts'), `dependents: ${created.dependents.join(', ')}`);
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), ['missing-auth'], 'seen even before the new file itself is analyzed');
  });

  test('a module no route reached becomes one when a graph file starts registering its handler; until then its result stands', () => {
    const refunds = "import { prisma } from '../db';\n\nexport async function createRefund(req, res) {\n  res.status(201).json(await prisma.refund.create({ data: { orderId: req.body.orderId } }));\n}\n";
    const workspace = open(makeRoot({ ...APP, 'src/controllers/refunds.ts': refunds }));
    workspace.discover();
    const before = workspace.analyzeFile('src/controllers/refunds.ts');
    assert.deepEqual(before?.findings, [], 'no route runs it yet');

    const server = APP['src/server.ts'];
    const unrelated = workspace.setText('src/server.ts', server.replace('app.listen(3000);', 'app.listen(Number(process.env.PORT ?? 3000));'));
    assert.ok(unrelated.dependents.includes('src/controllers/refunds.ts'), 'the graph may have changed: checked again');
    assert.equal(workspace.analyzeFile('src/controllers/refunds.ts'), before, 'still no route reaches it: the result stands');

    const wired = workspace.setText('src/server.ts', server.replace("import { gatekeeper } from './middleware/auth';", "import { gatekeeper } from './middleware/auth';\nimport { createRefund } from './controllers/refunds';").replace('app.listen(3000);', "app.post('/api/refunds', createRefund);\napp.listen(3000);"));
    assert.ok(wired.dependents.includes('src/controllers/refunds.ts'));
    assert.deepEqual(rulesOf(workspace, 'src/controllers/refunds.ts'), ['missing-auth'], 'POST /api/refunds has no authentication');
  });

  test('Next.js: narrowing the matcher of middleware.ts is seen in the route handlers it stopped covering', () => {
    const middleware = "export { default } from 'next-auth/middleware';\n\nexport const config = { matcher: ['/api/:path*'] };\n";
    const workspace = open(
      makeRoot({
        'package.json': JSON.stringify({ dependencies: { '@prisma/client': '^5.14.0', next: '14.2.3', 'next-auth': '^4.24.7' } }),
        'middleware.ts': middleware,
        'lib/db.ts': "import { PrismaClient } from '@prisma/client';\n\nexport const db = new PrismaClient();\n",
        'app/api/posts/route.ts': "import { db } from '../../../lib/db';\n\nexport async function POST(request: Request) {\n  const { title } = await request.json();\n  return Response.json(await db.post.create({ data: { title } }));\n}\n",
      }),
    );
    workspace.discover();
    assert.deepEqual(rulesOf(workspace, 'app/api/posts/route.ts'), [], 'next-auth middleware covers /api/posts');
    const narrowed = workspace.setText('middleware.ts', middleware.replace("'/api/:path*'", "'/api/admin/:path*'"));
    assert.deepEqual(narrowed.dependents, ['app/api/posts/route.ts']);
    assert.deepEqual(rulesOf(workspace, 'app/api/posts/route.ts'), ['missing-auth']);
  });

  test('an ownership helper that stops throwing makes the write that relies on it missing-ownership-check', () => {
    const assertOwnsOrder = `import { prisma } from '../db';

export async function assertOwnsOrder(userId: string, orderId: string) {
  const order = await prisma.order.findUnique({ where: { id: orderId } });
  if (!order || order.userId !== userId) throw new Error('Not found');
}
`;
    const routes = `import { Router } from 'express';
import { prisma } from '../db';
import { assertOwnsOrder } from '../lib/ownership';

const router = Router();

router.delete('/:id', async (req, res) => {
  await assertOwnsOrder(req.user.id, req.params.id);
  await prisma.order.delete({ where: { id: req.params.id } });
  res.sendStatus(204);
});

export default router;
`;
    const workspace = open(makeRoot({ ...APP, 'src/lib/ownership.ts': assertOwnsOrder, 'src/routes/orders.ts': routes }));
    workspace.discover();
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), [], 'the helper throws unless the user owns the order');

    const edit = workspace.setText('src/lib/ownership.ts', assertOwnsOrder.replace("throw new Error('Not found');", "console.warn('not the owner');"));
    assert.ok(edit.dependents.includes('src/routes/orders.ts'), `dependents: ${edit.dependents.join(', ')}`);
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), ['missing-ownership-check']);

    const revert = workspace.setText('src/lib/ownership.ts', assertOwnsOrder);
    assert.ok(revert.dependents.includes('src/routes/orders.ts'));
    assert.deepEqual(rulesOf(workspace, 'src/routes/orders.ts'), []);
  });

  test('project-wide inputs still invalidate every result', () => {
    const workspace = open(makeRoot(APP));
    workspace.discover();
    const format = workspace.analyzeFile('src/lib/format.ts');
    const edit = workspace.setText('package.json', JSON.stringify({ dependencies: { express: '^4.19.2' } }));
    assert.equal(edit.projectWide, true);
    assert.ok(edit.dependents.includes('src/lib/format.ts'));
    assert.notEqual(workspace.analyzeFile('src/lib/format.ts'), format);
    // Path aliases decide what every import resolves to.
    assert.equal(workspace.setText('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } })).projectWide, true);
  });
});
