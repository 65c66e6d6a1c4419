// `shipshape/scorecard` and `shipshape/scorecardChanged` over the wire: the
// result validates against the shared schema (with the engine's ScorecardSchema
// inside), equals what the engine computes for the same files (what the CLI
// prints), offers the top risk's fix, and rises once the fix is applied — through
// the server's applyFix command on a closed file, and by editing an open one.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { RULES } from '../../rules/index';
import { ALL_RULE_META } from '../../rules/meta';
import { Workspace } from '../../server/src/engine';
import { ScorecardSchema, scorecardForWorkspace } from '../../server/src/engine/scorecard/index';
import { ApplyFixResultSchema, ScorecardRequest, type ScorecardResult, ServerCommand } from '../../server/src/protocol';
import { PACKAGE_JSON, SAFE_SQL, UNSAFE_SQL } from './sources';
import { type TestClient, makeWorkspace, onlyRules, uriOf, withServer } from './support';

async function requestScorecard(client: TestClient, params?: { folder?: string }): Promise<NonNullable<ScorecardResult>> {
  const raw: unknown = await client.connection.sendRequest(ScorecardRequest.method, params ?? {});
  const result = ScorecardRequest.result.parse(raw);
  assert.ok(result, 'a scorecard for the folder');
  ScorecardSchema.parse(result.scorecard);
  return result;
}

/** Waits for a scorecardChanged notification after the first `since`, matching `check`. */
async function waitForScore(client: TestClient, since: number, check: (score: number) => boolean, what: string): Promise<number> {
  let score: number | undefined;
  await client.waitFor(what, () => {
    score = client.scorecards.slice(since).find((params) => check(params.score))?.score;
    return score !== undefined;
  });
  assert.ok(score !== undefined);
  return score;
}

test('shipshape/scorecard: validates, matches the engine for the same files, and rises after applyFix on a closed file', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    const before = await requestScorecard(client);
    const folder = pathToFileURL(root).href;
    assert.equal(before.folder.uri, folder);
    assert.deepEqual(before.folders, [{ uri: folder, name: 'test' }]);

    // The same numbers as the engine (and so the CLI) computes for these files and rules.
    const workspace = new Workspace(root, { rules: RULES, knownRules: new Set(ALL_RULE_META.map((meta) => meta.id)), config: { rules: onlyRules('sql-injection', 'hardcoded-secret'), exclude: [] } });
    const expected = scorecardForWorkspace(workspace, workspace.discover(), { ruleMeta: ALL_RULE_META });
    assert.deepEqual(before.scorecard, expected);

    const risk = before.scorecard.topRisks.find((candidate) => candidate.id === 'sql-injection');
    assert.ok(risk, `sql-injection is a top risk: ${before.scorecard.topRisks.map((candidate) => candidate.id).join(', ')}`);
    assert.deepEqual(risk.locations, [{ path: 'src/app.ts', line: 8 }]);
    const fix = before.fixes.find((candidate) => candidate.ruleId === 'sql-injection');
    assert.deepEqual(fix, { ruleId: 'sql-injection', path: 'src/app.ts', line: 8, fixId: fix?.fixId, title: 'Parameterize query', safe: true });

    // The status bar's notification carries the same score.
    await client.waitFor('a scorecardChanged with the score', () => client.scorecards.some((params) => params.folder === folder && params.score === before.scorecard.score && params.grade === before.scorecard.grade));

    const since = client.scorecards.length;
    const applied = ApplyFixResultSchema.parse(await client.executeCommand(ServerCommand.applyFix, [{ folder, path: fix.path, line: fix.line, ruleId: fix.ruleId, fixId: fix.fixId }]));
    assert.deepEqual(applied, { applied: true });
    assert.equal(client.appliedEdits.at(-1)?.label, 'Parameterize query');
    // The test client wrote the closed file to disk; the editor's watcher reports it.
    await client.fileChanged([{ uri: uriOf(root, 'src/app.ts'), type: 2 }]);
    const risen = await waitForScore(client, since, (score) => score > before.scorecard.score, 'a higher score after the fix');

    const after = await requestScorecard(client, { folder });
    assert.equal(after.scorecard.score, risen);
    assert.ok(after.revision > before.revision, `revision ${after.revision} > ${before.revision}`);
    assert.equal(after.scorecard.topRisks.find((candidate) => candidate.id === 'sql-injection'), undefined);
    for (const [index, dimension] of after.scorecard.dimensions.entries()) {
      assert.ok(dimension.score >= (before.scorecard.dimensions[index]?.score ?? 0), `${dimension.dimension} never drops after a fix`);
    }

    // A stale fix (the finding is gone) is refused, not guessed.
    const again = ApplyFixResultSchema.parse(await client.executeCommand(ServerCommand.applyFix, [{ folder, path: fix.path, line: fix.line, ruleId: fix.ruleId, fixId: fix.fixId }]));
    assert.equal(again.applied, false);
  });
});

test('applyFix refuses a closed file rewritten on disk since its analysis (no watcher event yet), and analyzes it again', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    const before = await requestScorecard(client);
    const fix = before.fixes.find((candidate) => candidate.ruleId === 'sql-injection');
    assert.ok(fix);
    // A `git pull` adds a line above; its watcher event has not arrived.
    const pulled = `// pulled\n${UNSAFE_SQL}`;
    writeFileSync(join(root, 'src/app.ts'), pulled);
    const applied = ApplyFixResultSchema.parse(await client.executeCommand(ServerCommand.applyFix, [{ folder: before.folder.uri, path: fix.path, line: fix.line, ruleId: fix.ruleId, fixId: fix.fixId }]));
    assert.equal(applied.applied, false);
    assert.equal(readFileSync(join(root, 'src/app.ts'), 'utf8'), pulled, 'the old offsets never land in the new text');
    const published = await client.waitForDiagnostics(uriOf(root, 'src/app.ts'), (params) => params.diagnostics[0]?.range.start.line === 8, 'the finding where it is now');
    assert.equal(published.diagnostics.length, 1);
  });
});

test('shipshape/scorecard: follows edits of open buffers live, and answers null or an error for unknown folders and bad params', async () => {
  const root = makeWorkspace({ 'package.json': PACKAGE_JSON, 'src/app.ts': UNSAFE_SQL });
  await withServer(root, {}, async (client) => {
    const before = await requestScorecard(client);
    const document = await client.open('src/app.ts');
    await client.waitForVersion(document.uri, 1);
    const since = client.scorecards.length;
    await client.edit(document.uri, SAFE_SQL);
    const risen = await waitForScore(client, since, (score) => score > before.scorecard.score, 'a higher score after the edit');
    assert.equal((await requestScorecard(client)).scorecard.score, risen);

    // Unsaved: closing the buffer brings back the file on disk, and its score.
    const closedSince = client.scorecards.length;
    await client.close(document.uri);
    await waitForScore(client, closedSince, (score) => score === before.scorecard.score, 'the score of the file on disk after close');

    assert.equal(ScorecardRequest.result.parse(await client.connection.sendRequest(ScorecardRequest.method, { folder: 'file:///nowhere' })), null);
    await assert.rejects(client.connection.sendRequest(ScorecardRequest.method, { folder: 42 }), /invalid parameters/);
  });
});
