// The whole-app rules over the wire, on a multi-file fixture workspace: routes in
// one file, the session middleware in another, the Prisma schema in a third. The
// background scan reports the ownership findings in a file nobody opened; opening
// it, the preferred quick fix scopes the query to the signed-in user and the
// re-analysis of that version no longer reports it.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { parseAnnotations } from '../support/annotations';
import { actionsOf, makeWorkspace, uriOf, withServer } from './support';

const FIXTURE = join(__dirname, '..', '..', 'rules', 'missing-ownership-check', 'fixtures', 'express-prisma');
const ROUTES = 'src/routes/posts.ts';
const RULE = 'missing-ownership-check';

function ownershipLines(diagnostics: readonly Diagnostic[]): number[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === RULE).map((diagnostic) => diagnostic.range.start.line);
}

test('missing-ownership-check across files: found by the background scan, fixed by the preferred quick fix', async () => {
  const root = makeWorkspace({});
  cpSync(FIXTURE, root, { recursive: true, filter: (source) => !/\.fixed\.[a-z]+$/.test(source) });
  const annotations = parseAnnotations(readFileSync(join(root, ROUTES), 'utf8')).filter((annotation) => annotation.ruleId === RULE);
  const expected = annotations.filter((annotation) => annotation.kind === 'ruleid' || annotation.kind === 'todook').map((annotation) => annotation.targetLine);
  const safe = annotations.filter((annotation) => annotation.kind === 'ok').map((annotation) => annotation.targetLine);
  assert.ok(expected.length >= 2 && safe.length >= 2, 'the fixture has findings and safe look-alikes');

  await withServer(root, { rules: [RULE] }, async (client) => {
    const uri = uriOf(root, ROUTES);
    const scanned = await client.waitForDiagnostics(uri, (params) => ownershipLines(params.diagnostics).length === expected.length, `${expected.length} ${RULE} findings in ${ROUTES} from the background scan`);
    assert.deepEqual(ownershipLines(scanned.diagnostics).sort((a, b) => a - b), [...expected].sort((a, b) => a - b));
    for (const line of safe) assert.ok(!ownershipLines(scanned.diagnostics).includes(line), `the safe look-alike on line ${line + 1} stays silent`);

    const document = await client.open(ROUTES);
    const opened = await client.waitForVersion(document.uri, 1);
    const target = opened.diagnostics.find((diagnostic) => diagnostic.code === RULE && diagnostic.range.start.line === expected[0]);
    assert.ok(target, `a finding on line ${(expected[0] ?? 0) + 1}`);
    const actions = actionsOf(await client.codeActions(document.uri, target.range, [target]));
    const preferred = actions.find((action) => action.isPreferred);
    assert.equal(preferred?.title.startsWith('Add ownership check'), true, `preferred action among ${actions.map((action) => action.title).join(', ')}`);
    client.applyEdit(preferred?.edit ?? {});
    const fixed = await client.waitForVersion(document.uri, 2);
    assert.equal(ownershipLines(fixed.diagnostics).length, expected.length - 1, 'the fixed lookup is no longer reported; the others still are');
    assert.match(client.text(document.uri).split('\n').slice(target.range.start.line - 1, target.range.start.line + 3).join('\n'), /authorId/, 'scoped by the schema\'s owner field');
  });
});
