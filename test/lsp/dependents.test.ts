// Cross-file re-publishing: when a file other files' findings were computed from
// changes (a middleware in front of routes in other files), the server re-analyzes
// those files and publishes their diagnostics again, open or not, without anyone
// touching them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileChangeType, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { makeWorkspace, uriOf, withServer, writeFile } from './support';

const GATEKEEPER = `import type { NextFunction, Request, Response } from 'express';

export function gatekeeper(req: Request, res: Response, next: NextFunction) {
  const token = req.headers.authorization?.split(' ')[1];
  if (!token) return res.status(401).json({ error: 'Unauthorized' });
  req.user = { id: token };
  next();
}
`;
const REJECTS = "  if (!token) return res.status(401).json({ error: 'Unauthorized' });\n";
/** The middleware after an edit that stops it turning anyone away. */
const LETS_EVERYONE_IN = GATEKEEPER.replace(REJECTS, '');

const route = (model: string): string => `import { Router } from 'express';
import { prisma } from '../db';

const router = Router();

router.post('/', async (req, res) => {
  const created = await prisma.${model}.create({ data: { name: req.body.name } });
  res.status(201).json(created);
});

export default router;
`;

const FILES = {
  'package.json': JSON.stringify({ dependencies: { '@prisma/client': '^5.14.0', express: '^4.19.2' } }),
  'src/db.ts': "import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n",
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
  'src/middleware/auth.ts': GATEKEEPER,
  'src/routes/orders.ts': route('order'),
  'src/routes/products.ts': route('product'),
};

const codes = (params: PublishDiagnosticsParams | undefined): string[] => (params?.diagnostics ?? []).map((diagnostic) => String(diagnostic.code));

test('editing a middleware buffer re-publishes the route files behind it, open (same version) or not', async () => {
  const root = makeWorkspace(FILES);
  await withServer(root, { rules: ['missing-auth'] }, async (client) => {
    const orders = await client.open('src/routes/orders.ts');
    assert.deepEqual(codes(await client.waitForVersion(orders.uri, 1)), []);
    await client.waitForScanEnd();
    const products = uriOf(root, 'src/routes/products.ts');
    assert.equal(client.latestDiagnostics(products), undefined, 'a clean file nobody opened is not published');

    const auth = await client.open('src/middleware/auth.ts');
    await client.waitForVersion(auth.uri, 1);
    const start = GATEKEEPER.split('\n').findIndex((line) => `${line}\n` === REJECTS);
    const edited = await client.edit(auth.uri, '', { start: { line: start, character: 0 }, end: { line: start + 1, character: 0 } });
    assert.equal(client.text(auth.uri), LETS_EVERYONE_IN);
    await client.waitForVersion(auth.uri, edited);

    const opened = await client.waitForDiagnostics(orders.uri, (params) => codes(params).includes('missing-auth'), 'missing-auth re-published for the open route file');
    assert.equal(opened.version, 1, 'for the version the editor holds: the route file itself was not edited');
    await client.waitForDiagnostics(products, (params) => codes(params).includes('missing-auth'), 'missing-auth published for the route file nobody opened');

    const reverted = await client.edit(auth.uri, REJECTS, { start: { line: start, character: 0 }, end: { line: start, character: 0 } });
    assert.equal(client.text(auth.uri), GATEKEEPER);
    await client.waitForVersion(auth.uri, reverted);
    await client.waitForDiagnostics(orders.uri, (params) => params.version === 1 && codes(params).length === 0, 'the open route file cleared again');
    await client.waitForDiagnostics(products, (params) => codes(params).length === 0, 'the closed route file cleared again');
  });
});

test('a middleware changed on disk re-publishes the route files behind it', async () => {
  const root = makeWorkspace(FILES);
  await withServer(root, { rules: ['missing-auth'] }, async (client) => {
    await client.waitForScanEnd();
    const products = uriOf(root, 'src/routes/products.ts');
    assert.equal(client.latestDiagnostics(products), undefined);
    writeFile(root, 'src/middleware/auth.ts', LETS_EVERYONE_IN);
    await client.fileChanged([{ uri: uriOf(root, 'src/middleware/auth.ts'), type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(products, (params) => codes(params).includes('missing-auth'), 'missing-auth after the change on disk');
    await client.waitForDiagnostics(uriOf(root, 'src/routes/orders.ts'), (params) => codes(params).includes('missing-auth'));
  });
});
