// scorecardForWorkspace: the one entry the CLI and the language server share. It
// must equal computeScorecard over the workspace's own findings and checks, reuse
// analysis already done, and treat rules turned off as not run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { ALL_RULE_META, KNOWN_RULE_IDS } from '../../rules/meta';
import { CheckCache, ScorecardSchema, computeScorecard, runChecks, scorecardForWorkspace } from '../../server/src/engine/scorecard/index';
import { Workspace } from '../../server/src/engine/workspace';

const SHOP = join(__dirname, '..', '..', 'examples', 'shop-api');

test('equals computeScorecard over the same findings and checks', () => {
  const workspace = new Workspace(SHOP, { rules: RULES, knownRules: KNOWN_RULE_IDS });
  const paths = workspace.discover();
  const card = scorecardForWorkspace(workspace, paths, { ruleMeta: ALL_RULE_META, cache: new CheckCache() });
  ScorecardSchema.parse(card);
  const findings = paths.flatMap((path) => workspace.analyzeFile(path)?.findings ?? []);
  assert.ok(findings.length > 0);
  const checks = runChecks(workspace.project, paths, findings);
  assert.deepEqual(card, computeScorecard({ findings, checks, ruleMeta: ALL_RULE_META }));
  assert.deepEqual(scorecardForWorkspace(workspace, paths, { ruleMeta: ALL_RULE_META }), card, 'deterministic on a second call');
});

test('a rule turned off in the config counts as not run: checks that rely on it say unknown', () => {
  const workspace = new Workspace(SHOP, { rules: RULES, knownRules: KNOWN_RULE_IDS, config: { rules: { 'hardcoded-secret': 'off' }, exclude: [] } });
  const card = scorecardForWorkspace(workspace, workspace.discover(), { ruleMeta: ALL_RULE_META });
  assert.equal(card.checks.find((check) => check.id === 'secrets-from-env')?.status, 'unknown');
  assert.ok(!card.topRisks.some((risk) => risk.id === 'hardcoded-secret'));
});

test('an aborted signal stops it', () => {
  const workspace = new Workspace(SHOP, { rules: RULES, knownRules: KNOWN_RULE_IDS });
  const controller = new AbortController();
  controller.abort();
  assert.throws(() => scorecardForWorkspace(workspace, workspace.discover(), { ruleMeta: ALL_RULE_META, signal: controller.signal }), { name: 'AbortError' });
});
