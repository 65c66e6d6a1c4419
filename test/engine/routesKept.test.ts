// Route facts kept across edits (routes.ts, editContext.ts): the route graph derived past
// an edit inside one handler or path, each handler's auth facts kept per handler node,
// the handler nodes found again without a lookup. After every edit an incrementally
// analyzed file must give exactly the findings a fresh analysis of the same texts
// gives. The edits add and remove auth inside handlers, in a helper the handlers call
// (in the file and in another one), in a route's path, and in the middleware
// registered at the top level, which every later route's chain depends on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { Workspace } from '../../server/src/engine/workspace';
import { assertEditsMatchFresh, assertTypingMatchesFresh, findingsOf, freshFindings } from '../support/freshAnalysis';
import { makeWorkspace } from '../support/tempWorkspace';

type Edit = [find: string, replace: string];

/** A workspace as the language server keeps it: every file discovered (the route graph spans them), trees kept for buffers. */
const editor = (files: Record<string, string>): Workspace => {
  const workspace = new Workspace(makeWorkspace(files, 'shipshape-routes-kept-'), { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  workspace.discover();
  return workspace;
};

const missingAuth = (findings: readonly string[]): string[] => findings.filter((finding) => finding.startsWith('missing-auth '));

// ---------------------------------------------------------------------------
// Express: an app mounting a router, middleware and a session helper in other files.

const EXPRESS: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', dependencies: { express: '^4.19.2', '@prisma/client': '^5.14.0' } }),
  'prisma/schema.prisma': `model User {
  id     String  @id
  orders Order[]
}

model Order {
  id       String  @id
  note     String
  archived Boolean @default(false)
  ownerId  String
  owner    User    @relation(fields: [ownerId], references: [id])
}
`,
  'src/db.ts': `import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n`,
  'src/middleware/auth.ts': `import type { NextFunction, Request, Response } from 'express';

export function requireAuth(req: Request, res: Response, next: NextFunction) {
  if (!req.user) return res.status(401).json({ error: 'Unauthorized' });
  next();
}
`,
  'src/lib/session.ts': `import type { Request } from 'express';

export async function currentUser(req: Request) {
  const user = await loadUser(req.cookies.sid);
  if (!user) throw Object.assign(new Error('Unauthorized'), { status: 401 });
  return user;
}

export function verifyStaff(req: Request) {
  const token = req.headers.authorization;
  if (!token || token !== process.env.STAFF_TOKEN) throw Object.assign(new Error('Unauthorized'), { status: 401 });
}
`,
  'src/app.ts': `import express from 'express';
import { ordersRouter } from './routes/orders';

const app = express();
app.use(express.json());
app.use('/api/orders', ordersRouter);
app.listen(3000);
`,
};

const ORDERS = `import { Router, type NextFunction, type Request, type Response } from 'express';
import { prisma } from '../db';
import { requireAuth } from '../middleware/auth';
import { currentUser, verifyStaff } from '../lib/session';

export const ordersRouter = Router();

function checkStaff(req: Request) {
  if (req.headers['x-staff-token'] !== process.env.STAFF_TOKEN) throw Object.assign(new Error('Forbidden'), { status: 403 });
}

function requireStaffSession(req: Request, res: Response, next: NextFunction) {
  if (!req.session?.staff) return res.status(401).end();
  next();
}

ordersRouter.post('/', async (req: Request, res: Response) => {
  const user = await currentUser(req);
  const order = await prisma.order.create({ data: { note: req.body.note, ownerId: user.id } });
  res.status(201).json(order);
});

ordersRouter.post('/:id/archive', async (req: Request, res: Response) => {
  await prisma.order.update({ where: { id: req.params.id }, data: { archived: true } });
  res.json({ archived: true, label: 'done' });
});

ordersRouter.put('/:id', requireAuth, async (req: Request, res: Response) => {
  const order = await prisma.order.update({ where: { id: req.params.id }, data: { note: req.body.note } });
  res.json(order);
});

ordersRouter.delete('/:id', async (req: Request, res: Response) => {
  checkStaff(req);
  await prisma.order.delete({ where: { id: req.params.id } });
  res.status(204).end();
});

ordersRouter.patch('/:id/note', requireStaffSession, async (req: Request, res: Response) => {
  const order = await prisma.order.update({ where: { id: req.params.id }, data: { note: String(req.body.note) } });
  res.json({ order, message: 'updated' });
});

ordersRouter.post('/:id/restore', async (req: Request, res: Response) => {
  verifyStaff(req);
  await prisma.order.update({ where: { id: req.params.id }, data: { archived: false } });
  res.json({ restored: true });
});

ordersRouter.post('/:id/copy', async (req: Request, res: Response) => {
  const source = await prisma.order.findUnique({ where: { id: req.params.id } });
  res.status(201).json(await prisma.order.create({ data: { note: source?.note ?? '', ownerId: 'system' } }));
});
`;

const STAFF_CHECK = "  if (req.headers['x-staff-token'] !== process.env.STAFF_TOKEN) throw Object.assign(new Error('Forbidden'), { status: 403 });\n";
const SESSION_GATE = '  if (!req.session?.staff) return res.status(401).end();\n';

const ARCHIVE_BODY = "  await prisma.order.update({ where: { id: req.params.id }, data: { archived: true } });\n";

/** Each edit applied after the previous ones; most move a missing-auth finding. */
const EXPRESS_EDITS: Edit[] = [
  // typing in a handler's string, then an auth check added inside that handler, and removed
  ["label: 'done'", "label: 'doner'"],
  [ARCHIVE_BODY, `  await currentUser(req);\n${ARCHIVE_BODY}`],
  [`  await currentUser(req);\n${ARCHIVE_BODY}`, ARCHIVE_BODY],
  // an inline check on the request, in another handler
  ["  const order = await prisma.order.update({ where: { id: req.params.id }, data: { note: String(req.body.note) } });\n", "  if (!req.user) return res.status(401).end();\n  const order = await prisma.order.update({ where: { id: req.params.id }, data: { note: String(req.body.note) } });\n"],
  ["message: 'updated'", "message: 'saved'"],
  ['  if (!req.user) return res.status(401).end();\n', ''],
  // the same-file helper a handler calls stops rejecting strangers, then rejects again
  [STAFF_CHECK, ''],
  ['function checkStaff(req: Request) {\n', `function checkStaff(req: Request) {\n${STAFF_CHECK}`],
  // the same-file middleware of one route stops rejecting strangers, then rejects again
  [SESSION_GATE, ''],
  ['function requireStaffSession(req: Request, res: Response, next: NextFunction) {\n', `function requireStaffSession(req: Request, res: Response, next: NextFunction) {\n${SESSION_GATE}`],
  // a route's path becomes public by convention (typed in the literal), then not
  ["'/:id/archive'", "'/public/:id/archive'"],
  ["'/public/:id/archive'", "'/:id/archive'"],
  ["'/:id/copy'", "'/:id/copyx'"],
  // middleware registered at the top level covers every route after it, then is gone
  ["ordersRouter.post('/:id/archive'", "ordersRouter.use(requireAuth);\n\nordersRouter.post('/:id/archive'"],
  ["label: 'doner'", "label: 'gone'"],
  ["ordersRouter.use(requireAuth);\n\n", ''],
  // route-level middleware added to one route, then removed
  ["ordersRouter.post('/:id/copyx', async", "ordersRouter.post('/:id/copyx', requireAuth, async"],
  ["ordersRouter.post('/:id/copyx', requireAuth, async", "ordersRouter.post('/:id/copyx', async"],
  // the session helper's import renamed (the handler calling it is then typed in), then restored
  ['import { currentUser, verifyStaff }', 'import { currentUsers, verifyStaff }'],
  ['const user = await currentUser(req);', 'const user = await currentUser(req); '],
  ['import { currentUsers, verifyStaff }', 'import { currentUser, verifyStaff }'],
  ['const user = await currentUser(req); ', 'const user = await currentUser(req);'],
];

const expressFresh =
  (files: Record<string, string>) =>
  (text: string): string[] =>
    freshFindings({ ...files, 'src/routes/orders.ts': text }, 'src/routes/orders.ts');

test('Express: after each edit of a router, its findings are those of a fresh analysis', () => {
  const workspace = editor({ ...EXPRESS, 'src/routes/orders.ts': ORDERS });
  const after = assertEditsMatchFresh(workspace, 'src/routes/orders.ts', ORDERS, EXPRESS_EDITS, expressFresh(EXPRESS));
  const counts = after.map((findings) => missingAuth(findings).length);
  // The edits are meant to move missing-auth findings both ways.
  assert.ok(new Set(counts).size >= 3, `missing-auth counts after each edit: ${counts.join(', ')}`);
  assert.ok(counts.some((count, index) => index > 0 && count < (counts[index - 1] ?? 0)) && counts.some((count, index) => index > 0 && count > (counts[index - 1] ?? 0)));
});

test('Express: an edit of the session helper in another file reaches the handlers kept in the router', () => {
  const workspace = editor({ ...EXPRESS, 'src/routes/orders.ts': ORDERS });
  const path = 'src/routes/orders.ts';
  workspace.setText(path, ORDERS);
  // Typing in the router first, so the handlers' facts are kept from an earlier version.
  const typed = ORDERS.replace("label: 'done'", "label: 'dones'");
  workspace.setText(path, typed);
  const before = findingsOf(workspace, path);
  const session = EXPRESS['src/lib/session.ts'] as string;
  const lenient = session.replace("  if (!token || token !== process.env.STAFF_TOKEN) throw Object.assign(new Error('Unauthorized'), { status: 401 });\n", '');
  assert.notEqual(lenient, session);
  workspace.setText('src/lib/session.ts', lenient);
  const after = findingsOf(workspace, path);
  assert.deepEqual(after, expressFresh({ ...EXPRESS, 'src/lib/session.ts': lenient })(typed));
  assert.ok(missingAuth(after).length > missingAuth(before).length, 'the restore route lost its authentication');
  workspace.setText('src/lib/session.ts', session);
  assert.deepEqual(findingsOf(workspace, path), expressFresh(EXPRESS)(typed));
});

test('Express: typing one letter anywhere in the router gives the findings of a fresh analysis', () => {
  const workspace = editor({ ...EXPRESS, 'src/routes/orders.ts': ORDERS });
  assertTypingMatchesFresh(workspace, 'src/routes/orders.ts', ORDERS, 37, expressFresh(EXPRESS));
});

// ---------------------------------------------------------------------------
// Next.js: an app-router route file and a server actions file.

const NEXT: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'blog', dependencies: { next: '14.2.3', 'next-auth': '^4.24.7', '@prisma/client': '^5.14.0' } }),
  'prisma/schema.prisma': `model User {
  id    String @id
  posts Post[]
}

model Post {
  id       String @id
  title    String
  authorId String
  author   User   @relation(fields: [authorId], references: [id])
}
`,
  'lib/db.ts': `import { PrismaClient } from '@prisma/client';\n\nexport const db = new PrismaClient();\n`,
  'lib/auth.ts': `export const authOptions = { providers: [] };\n`,
};

const POSTS_ROUTE = `import { getServerSession } from 'next-auth';
import { authOptions } from '../../../lib/auth';
import { db } from '../../../lib/db';

export async function POST(request: Request) {
  const { title, authorId } = await request.json();
  const post = await db.post.create({ data: { title, authorId } });
  return Response.json(post, { status: 201, statusText: 'created' });
}

export async function PUT(request: Request) {
  const session = await getServerSession(authOptions);
  if (!session) return new Response('Unauthorized', { status: 401 });
  const { id, title } = await request.json();
  return Response.json(await db.post.update({ where: { id, authorId: session.user.id }, data: { title } }));
}

export async function DELETE(request: Request) {
  const { id } = await request.json();
  await db.post.delete({ where: { id } });
  return new Response(null, { status: 204 });
}
`;

const SESSION_CHECK = "  const session = await getServerSession(authOptions);\n  if (!session) return new Response('Unauthorized', { status: 401 });\n";

const POSTS_EDITS: Edit[] = [
  ["statusText: 'created'", "statusText: 'createdd'"],
  // POST checks the session, then DELETE; then PUT stops rejecting strangers
  ["export async function POST(request: Request) {\n", `export async function POST(request: Request) {\n${SESSION_CHECK}`],
  ["export async function DELETE(request: Request) {\n", `export async function DELETE(request: Request) {\n${SESSION_CHECK}`],
  ["  if (!session) return new Response('Unauthorized', { status: 401 });\n  const { id, title }", '  const { id, title }'],
  // and the checks go again
  [`export async function POST(request: Request) {\n${SESSION_CHECK}`, 'export async function POST(request: Request) {\n'],
  [`export async function DELETE(request: Request) {\n${SESSION_CHECK}`, 'export async function DELETE(request: Request) {\n'],
];

const ACTIONS = `'use server';

import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { authOptions } from '../../lib/auth';
import { db } from '../../lib/db';

export async function deletePost(id: string) {
  await db.post.delete({ where: { id } });
}

export async function renamePost(id: string, title: string) {
  const session = await getServerSession(authOptions);
  if (!session) redirect('/login');
  await db.post.update({ where: { id, authorId: session.user.id }, data: { title: title + ' (edited)' } });
}
`;

const ACTION_EDITS: Edit[] = [
  ["' (edited)'", "' (edited!)'"],
  ["  if (!session) redirect('/login');\n", ''],
  ["export async function deletePost(id: string) {\n", "export async function deletePost(id: string) {\n  const session = await getServerSession(authOptions);\n  if (!session) redirect('/login');\n"],
];

/** Server actions opting in one by one, in a file without the file-level directive. */
const INLINE_ACTIONS = `import { db } from '../../lib/db';

export async function archivePost(id: string) {
  'use strict';
  await db.post.update({ where: { id }, data: { title: 'archived' } });
}

export async function removePost(id: string) {
  await db.post.delete({ where: { id } });
}
`;

const INLINE_ACTION_EDITS: Edit[] = [
  // typed inside a function body: the function becomes a server action, then stops being one
  ["'use strict';", "'use server';"],
  ["title: 'archived'", "title: 'archive'"],
  ["'use server';", "'use serve';"],
  ["'use serve';", "'use server';"],
];

const nextFresh =
  (path: string) =>
  (text: string): string[] =>
    freshFindings({ ...NEXT, [path]: text }, path);

test('Next.js: after each edit of a route file or a server actions file, its findings are those of a fresh analysis', () => {
  const route = 'app/api/posts/route.ts';
  const actions = 'app/posts/actions.ts';
  const workspace = editor({ ...NEXT, [route]: POSTS_ROUTE, [actions]: ACTIONS });
  const routeCounts = assertEditsMatchFresh(workspace, route, POSTS_ROUTE, POSTS_EDITS, nextFresh(route)).map((findings) => missingAuth(findings).length);
  assert.ok(new Set(routeCounts).size >= 3, `missing-auth counts after each edit: ${routeCounts.join(', ')}`);
  const actionCounts = assertEditsMatchFresh(workspace, actions, ACTIONS, ACTION_EDITS, nextFresh(actions)).map((findings) => missingAuth(findings).length);
  assert.ok(new Set(actionCounts).size >= 2, `missing-auth counts after each edit: ${actionCounts.join(', ')}`);
  const inline = 'app/posts/inline.ts';
  const inlineCounts = assertEditsMatchFresh(workspace, inline, INLINE_ACTIONS, INLINE_ACTION_EDITS, nextFresh(inline)).map((findings) => missingAuth(findings).length);
  assert.deepEqual(inlineCounts, [1, 1, 0, 1]);
});

test('Next.js: typing one letter anywhere in a route file gives the findings of a fresh analysis', () => {
  const route = 'app/api/posts/route.ts';
  const workspace = editor({ ...NEXT, [route]: POSTS_ROUTE });
  assertTypingMatchesFresh(workspace, route, POSTS_ROUTE, 23, nextFresh(route));
});
