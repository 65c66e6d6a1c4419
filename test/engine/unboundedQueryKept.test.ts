// unbounded-query's page-size judgements kept per DB call across edits
// (rules/unbounded-query/keptSize.ts): after any edit, an incrementally analyzed file
// must give exactly the findings (messages and fixes, offsets included) of a fresh
// analysis of the same text. The edits below type inside one handler and another, add
// and remove a `Math.min` cap and a ceiling check, rename variables, change the `.max()`
// of a file-level zod schema and a callback inside one, compare a file-level
// request value in another handler, and change a schema imported from another file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { keptRequestSize } from '../../rules/unbounded-query/keptSize';
import { FileFacts, type DataFlow } from '../../server/src/engine/facts';
import { reparseInContext } from '../../server/src/engine/facts/editContext';
import { parseCode } from '../../server/src/engine/files/parse';
import { createProjectView } from '../../server/src/engine/project';
import { Workspace } from '../../server/src/engine/workspace';
import { assertEditsMatchFresh, assertTypingMatchesFresh, editsKeepingContext, findingsOf, freshFindings } from '../support/freshAnalysis';
import { makeWorkspace } from '../support/tempWorkspace';

const PACKAGE = JSON.stringify({ name: 'shop', dependencies: { express: '^4.19.2', '@prisma/client': '^5.0.0', zod: '^3.23.0' } });

const SCHEMAS = `import { z } from 'zod';

export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100) });
`;

const ROUTES = `import express, { type Request, type Response } from 'express';
import { PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { ListQuery } from './schemas';

const prisma = new PrismaClient();
const app = express();
const Page = z.object({ limit: z.coerce.number().int().min(1).max(100) });
const Window = z.object({ days: z.coerce.number().int().refine((days) => { return days > 0; }) });
// Odd, but read as request input by the data flow: a file-level value every handler sees.
const { size: sharedSize } = server.req.query;

app.get('/api/orders', async (req: Request, res: Response) => {
  const note = 'open orders, newest first, for the dashboard list';
  const orders = await prisma.order.findMany({ where: { status: 'open' }, take: Number(req.query.limit) || 20 });
  res.json({ orders, note });
});

app.get('/api/invoices', async (req: Request, res: Response) => {
  const limit = Number(req.query.limit);
  const invoices = await prisma.invoice.findMany({ where: { paid: false }, take: limit, skip: Number(req.query.offset) || 0 });
  res.json(invoices);
});

app.get('/api/customers', async (req: Request, res: Response) => {
  const { limit } = Page.parse(req.query);
  const customers = await prisma.customer.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  res.json(customers);
});

app.get('/api/products', async (req: Request, res: Response) => {
  const products = await prisma.product.findMany({ where: { active: true }, take: ListQuery.parse(req.query).limit });
  res.json(products);
});

app.get('/api/events', async (req: Request, res: Response) => {
  const events = await prisma.event.findMany({ orderBy: { at: 'desc' }, take: sharedSize });
  res.json(events);
});

app.get('/api/reports', async (req: Request, res: Response) => {
  const { days } = Window.parse(req.query);
  const reports = await prisma.report.findMany({ where: { ageDays: { lt: days } }, take: Number(req.query.count) });
  res.json(reports);
});

app.listen(3000);
`;

type Edit = readonly [find: string, replace: string];

/** Each edit applied after the previous ones; most stay inside one handler's body. */
const EDITS: readonly Edit[] = [
  // typing inside one handler, away from its query
  ['newest first, for', 'newest first, shown in'],
  // inside another handler, above the rest: every later finding moves
  ["where: { status: 'open' }", "where: { status: 'open', archived: false }"],
  // a cap appears in one handler and goes again
  ['take: Number(req.query.limit) || 20 }', 'take: Math.min(Number(req.query.limit) || 20, 100) }'],
  ['newest first', 'most recent first'],
  ['take: Math.min(Number(req.query.limit) || 20, 100) }', 'take: Number(req.query.limit) || 20 }'],
  // a ceiling check before the use, then gone
  ['  const limit = Number(req.query.limit);\n', '  const limit = Number(req.query.limit);\n  if (limit > 200) return res.status(400).json({ error: "limit too large" });\n'],
  ['  if (limit > 200) return res.status(400).json({ error: "limit too large" });\n', ''],
  // renaming the local holding the size, then what it is read from
  ['  const limit = Number(req.query.limit);\n  const invoices = await prisma.invoice.findMany({ where: { paid: false }, take: limit,', '  const pageSize = Number(req.query.limit);\n  const invoices = await prisma.invoice.findMany({ where: { paid: false }, take: pageSize,'],
  ['const pageSize = Number(req.query.limit);', 'const pageSize = Number(req.query.perPage);'],
  // the file-level schema's ceiling goes, then comes back lower
  ['const Page = z.object({ limit: z.coerce.number().int().min(1).max(100) });', 'const Page = z.object({ limit: z.coerce.number().int().min(1) });'],
  ['const Page = z.object({ limit: z.coerce.number().int().min(1) });', 'const Page = z.object({ limit: z.coerce.number().int().min(1).max(50) });'],
  // the schema is renamed at the file level: the handler's name no longer resolves to it
  ['const Page = z.object(', 'const PageQuery = z.object('],
  ['Page.parse(req.query)', 'PageQuery.parse(req.query)'],
  // inside a callback of a file-level schema (an edit that keeps the file's context)
  ['return days > 0;', 'return days > 0 && days < 365;'],
  // another handler, above the one that reads it, compares the file-level request value
  ["  const note = 'open orders", "  if (sharedSize > 500) return res.status(400).end();\n  const note = 'open orders"],
  ['open orders', 'all open orders'],
  ['  if (sharedSize > 500) return res.status(400).end();\n', ''],
  // a file-level name is renamed: the handler's query now reads a global
  ['const { size: sharedSize } = server.req.query;', 'const { size: commonSize } = server.req.query;'],
  ['take: sharedSize }', 'take: commonSize }'],
  // typing inside the last handler
  ['take: Number(req.query.count) }', 'take: Number(req.query.count) || 10 }'],
];

const fresh = (text: string, schemas = SCHEMAS): string[] => freshFindings({ 'package.json': PACKAGE, 'src/schemas.ts': schemas, 'src/routes.ts': text }, 'src/routes.ts');

const unboundedFindings = (findings: readonly string[]): string[] => findings.filter((finding) => finding.startsWith('unbounded-query '));

function openWorkspace(): Workspace {
  const root = makeWorkspace({ 'package.json': PACKAGE, 'src/schemas.ts': SCHEMAS, 'src/routes.ts': ROUTES }, 'shipshape-unbounded-kept-');
  return new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
}

test('after each edit, unbounded-query findings are those of a fresh analysis of the text', () => {
  const workspace = openWorkspace();
  const before = unboundedFindings(findingsOf(workspace, 'src/routes.ts'));
  assert.ok(before.length >= 4, `only ${before.length} unbounded-query findings to keep`);
  const after = assertEditsMatchFresh(workspace, 'src/routes.ts', ROUTES, EDITS, fresh).map(unboundedFindings);
  // The edits are meant to move the findings: caps and ceilings come and go, findings shift.
  const distinct = new Set(after.map((findings) => findings.join('\n')));
  assert.ok(distinct.size >= 12, `only ${distinct.size} distinct finding sets over ${EDITS.length} edits`);
  const counts = after.map((findings) => findings.length);
  assert.ok(Math.max(...counts) > Math.min(...counts), 'no edit added or removed a finding');
});

test('typing a floor check and then a ceiling into a handler letter by letter: each version gives the findings of a fresh analysis', () => {
  const anchor = '  const limit = Number(req.query.limit);\n';
  const edits: Edit[] = [];
  // Each edit types the next letter of `typed` in place of the letters typed so far.
  const type = (before: string, typed: string, after: string): void => {
    for (let length = 1; length <= typed.length; length++) edits.push([`${before}${typed.slice(0, length - 1)}${after}`, `${before}${typed.slice(0, length)}${after}`]);
  };
  type(anchor, '  if (limit < 1) return res.status(400).end();\n', '');
  const floorTyped = edits.length;
  type(`${anchor}  if (limit < 1`, ' || limit > 100', ') return');
  const after = assertEditsMatchFresh(openWorkspace(), 'src/routes.ts', ROUTES, edits, fresh).map(unboundedFindings);
  // The size to cap is where the local first holds it.
  const reported = (findings: readonly string[]): boolean => findings.some((finding) => finding.includes('(`Number(req.query.limit)`)'));
  assert.ok(reported(after[0] ?? []), 'the uncapped local is not reported before the check is typed');
  assert.ok(reported(after[floorTyped - 1] ?? []), 'a check of the floor alone took the local for capped');
  assert.ok(!reported(after.at(-1) ?? []), 'the typed ceiling still lets the local through');
});

test('typing one letter anywhere in a file with limited list queries gives the findings of a fresh analysis', () => {
  assertTypingMatchesFresh(openWorkspace(), 'src/routes.ts', ROUTES, 31, fresh);
});

test('a schema changed in another file gives the findings of a fresh analysis of an unchanged file', () => {
  const workspace = openWorkspace();
  workspace.setText('src/routes.ts', ROUTES);
  assert.deepEqual(findingsOf(workspace, 'src/routes.ts'), fresh(ROUTES));
  for (const schemas of [SCHEMAS.replace('.max(100)', ''), SCHEMAS.replace('.max(100)', '.max(10)'), SCHEMAS.replace('z.coerce.number()', 'z.coerce.string()')]) {
    workspace.setText('src/schemas.ts', schemas);
    assert.deepEqual(findingsOf(workspace, 'src/routes.ts'), fresh(ROUTES, schemas));
  }
});

test('the edits both keep the context (kept sizes are used) and break it (they must be judged again)', () => {
  const kept = editsKeepingContext('src/routes.ts', ROUTES, EDITS);
  assert.ok(kept >= 10, `only ${kept} of ${EDITS.length} edits kept the context`);
  assert.ok(kept <= EDITS.length - 4, `only ${EDITS.length - kept} of ${EDITS.length} edits broke the context`);
});

test('after an edit in another handler, a kept size is the current tree’s node and the data flow is not asked again', () => {
  const path = 'src/routes.ts';
  const project = createProjectView('/repo', () => undefined, () => false, () => [path]);
  const factsOf = (text: string, sourceFile = parseCode(path, text, 'ts')): FileFacts => new FileFacts({ path, kind: 'ts', text, sourceFile }, project);
  const first = factsOf(ROUTES);
  const sizesOf = (facts: FileFacts, flow: DataFlow): string[] => facts.dbCalls.map((call) => (call.limit ? (keptRequestSize(call, call.limit, path, flow)?.getText() ?? '-') : '-'));
  const judged = sizesOf(first, first.flow);
  assert.ok(judged.filter((size) => size !== '-').length >= 3, `only ${judged.join(', ')}`);
  // Typing in the last handler: every other handler's call is handed out again, its size
  // kept, save the one read from a file-level value (its uses may be anywhere).
  const edited = ROUTES.replace('take: Number(req.query.count) }', 'take: Number(req.query.count) || 10 }');
  const tree = reparseInContext(first.flow.sourceFile, edited);
  const second = factsOf(edited, tree);
  const untouched = second.dbCalls.filter((call) => !/req\.query\.count|sharedSize/.test(call.call.getText()));
  assert.equal(untouched.length, second.dbCalls.length - 2);
  const unasked = new Proxy(second.flow, {
    get(): never {
      throw new Error('the data flow was asked about a kept call');
    },
  });
  for (const call of untouched) {
    const size = call.limit && keptRequestSize(call, call.limit, path, unasked);
    if (size) assert.equal(size.getSourceFile(), tree, 'a kept size from an earlier tree');
  }
  assert.deepEqual(sizesOf(second, second.flow), [...judged.slice(0, -1), 'Number(req.query.count) || 10']);
});

test('a kept size is judged again once the node the call is kept by is replaced, even for the same call object', () => {
  // dbFacts hands out the same call only while the function it was found in is kept, so
  // this guard of keptSize.ts is what stands if the two ever divide the file differently:
  // here the call is kept by the reparse while the large function around it is replaced.
  const path = 'src/routes.ts';
  const text = `app.get('/api/invoices', async (req, res) => {
  const note = 'padding that makes this handler large enough to be kept on its own: ${'x'.repeat(160)}';
  const limit = Number(req.query.limit);
  if (limit < 1) return res.status(400).end();
  const invoices = await prisma.invoice.findMany({ where: { paid: false }, take: limit });
  res.json(invoices);
});
`;
  const project = createProjectView('/repo', () => undefined, () => false, () => [path]);
  const before = new FileFacts({ path, kind: 'ts', text, sourceFile: parseCode(path, text, 'ts') }, project);
  const [call] = before.dbCalls;
  assert.ok(call?.limit);
  assert.equal(keptRequestSize(call, call.limit, path, before.flow)?.getText(), 'Number(req.query.limit)');
  const edited = text.replace('limit < 1)', 'limit < 1 || limit > 100)');
  const tree = reparseInContext(before.flow.sourceFile, edited);
  const after = new FileFacts({ path, kind: 'ts', text: edited, sourceFile: tree }, project);
  assert.equal(after.dbCalls[0]?.call, call.call, 'the reparse kept the call');
  assert.notEqual(after.dbCalls[0], call, 'the facts found the call again');
  assert.equal(keptRequestSize(call, call.limit, path, after.flow), undefined, 'judged again: the ceiling now caps it');
});

test('the same call judged for a file at another path is judged again (app-router parameters are request input)', () => {
  const text = `export default async function Page({ searchParams }) {
  const orders = await prisma.order.findMany({ take: Number(searchParams.limit) });
  return orders;
}
`;
  const sourceFile = parseCode('src/app/orders/page.tsx', text, 'tsx');
  const sizeAt = (path: string): string | undefined => {
    const project = createProjectView('/repo', () => undefined, () => false, () => [path]);
    const facts = new FileFacts({ path, kind: 'ts', text, sourceFile }, project);
    const [call] = facts.dbCalls;
    assert.ok(call?.limit);
    return keptRequestSize(call, call.limit, path, facts.flow)?.getText();
  };
  assert.equal(sizeAt('src/app/orders/page.tsx'), 'Number(searchParams.limit)');
  assert.equal(sizeAt('src/lib/orders.tsx'), undefined);
});
