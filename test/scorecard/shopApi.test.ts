// The checks and the score on examples/shop-api (no CI, no Dockerfile, no
// .env.example, no rate limiter, console logging, hardcoded secrets), plus the
// runner's contract: cached across runs, never throwing, schema-valid output.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { ALL_RULE_META, KNOWN_RULE_IDS } from '../../rules/meta';
import { ALL_CHECKS, CheckCache, type CheckDefinition, ScorecardSchema, computeScorecard, runChecks } from '../../server/src/engine/scorecard/index';
import type { Finding } from '../../server/src/engine/types';
import { Workspace } from '../../server/src/engine/workspace';
import { evidenceText, project } from './support';

const SHOP = join(__dirname, '..', '..', 'examples', 'shop-api');

function scanShop(): { workspace: Workspace; findings: Finding[] } {
  const workspace = new Workspace(SHOP, { rules: RULES, knownRules: KNOWN_RULE_IDS });
  const findings = workspace.discover().flatMap((path) => workspace.analyzeFile(path)?.findings ?? []);
  return { workspace, findings };
}

test('shop-api: each check says what a reviewer would', () => {
  const { workspace, findings } = scanShop();
  const checks = runChecks(workspace.project, workspace.paths, findings);
  const status = Object.fromEntries(checks.map((check) => [check.id, check.status]));
  assert.deepEqual(status, {
    'auth-rate-limit': 'fail',
    'security-headers': 'fail',
    'cors-allowlist': 'pass',
    'secrets-from-env': 'fail',
    'supabase-rls': 'not-applicable',
    'migrations-versioned': 'fail',
    'no-destructive-sync': 'pass',
    'backups-documented': 'unknown',
    'health-route': 'pass',
    'graceful-shutdown': 'fail',
    'process-error-handlers': 'fail',
    'outbound-timeouts': 'fail',
    'structured-logger': 'fail',
    'error-tracking': 'unknown',
    'request-ids': 'fail',
    'ci-runs-tests': 'fail',
    'tests-present': 'fail',
    'deploy-config': 'fail',
    'container-non-root': 'not-applicable',
    'container-healthcheck': 'not-applicable',
    'lockfile-committed': 'fail',
    'node-version-pinned': 'fail',
    'env-not-committed': 'fail',
    'env-example-complete': 'fail',
    'account-deletion': 'fail',
    'data-export': 'fail',
    'no-pii-in-logs': 'pass',
    'paid-api-guarded': 'not-applicable',
  });
  const byId = (id: string) => checks.find((check) => check.id === id) ?? assert.fail(id);
  assert.match(evidenceText(byId('auth-rate-limit')), /src\/routes\/users\.ts:9 route \/signup\nsrc\/routes\/users\.ts:23 route \/login/);
  assert.match(byId('env-example-complete').summary, /APP_URL, CORS_ORIGIN, DATABASE_URL, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET/);
  assert.match(evidenceText(byId('outbound-timeouts')), /src\/lib\/mailer\.ts:6 fetch\(\) without signal/);
  assert.match(evidenceText(byId('secrets-from-env')), /src\/billing\/stripe\.ts:7/);
  assert.match(evidenceText(byId('health-route')), /src\/server\.ts:19/);

  const scorecard = computeScorecard({ findings, checks, ruleMeta: ALL_RULE_META });
  ScorecardSchema.parse(scorecard);
  assert.equal(scorecard.grade, 'F');
  assert.equal(scorecard.dimensions.find((dimension) => dimension.dimension === 'cost')?.applicable, false);
  // Other rules land over time (findings only ever lower the score), so assert membership and order, not an exact list.
  const risks = scorecard.topRisks.map((risk) => risk.id);
  for (const id of ['sql-injection', 'hardcoded-secret', 'auth-rate-limit']) assert.ok(risks.includes(id), `${id} in ${risks.join(', ')}`);
  assert.ok(risks.indexOf('sql-injection') < risks.indexOf('auth-rate-limit'));
  const costs = scorecard.topRisks.map((risk) => risk.overallPoints);
  assert.deepEqual(costs, [...costs].sort((a, b) => b - a));
});

test('the cache re-derives only edited files, and results follow the edit', () => {
  const files: Record<string, string> = { 'package.json': JSON.stringify({ dependencies: { express: '4' } }), 'src/server.ts': "import express from 'express';\nconst app = express();\n" };
  const cache = new CheckCache();
  const sample = () => project(files);
  const first = runChecks(sample().project, sample().files, [], { cache });
  assert.equal(first.find((check) => check.id === 'health-route')?.status, 'fail');
  assert.deepEqual(runChecks(sample().project, sample().files, [], { cache }), first, 'same input, same result');
  files['src/server.ts'] += "app.get('/health', (_req, res) => res.send('ok'));\n";
  assert.equal(runChecks(sample().project, sample().files, [], { cache }).find((check) => check.id === 'health-route')?.status, 'pass');
});

test('a check that throws is reported as unknown with the reason; the others still run', () => {
  const broken: CheckDefinition = {
    id: 'broken',
    dimension: 'delivery',
    title: 'broken',
    weight: 5,
    remedy: 'none',
    evaluate() {
      throw new Error('boom');
    },
  };
  const ok: CheckDefinition = { ...broken, id: 'ok', evaluate: () => ({ status: 'pass', summary: 'fine', evidence: [] }) };
  const results = runChecks(project({}).project, [], [], { checks: [broken, ok] });
  assert.deepEqual(
    results.map((result) => [result.id, result.status]),
    [
      ['broken', 'unknown'],
      ['ok', 'pass'],
    ],
  );
  assert.match(results[0]?.summary ?? '', /boom/);
});

test('an aborted signal stops the run', () => {
  const controller = new AbortController();
  controller.abort();
  assert.throws(() => runChecks(project({}).project, [], [], { signal: controller.signal }), { name: 'AbortError' });
});

test('every check id is unique kebab-case, with a title, a remedy and a weight in 1..25', () => {
  const ids = ALL_CHECKS.map((check) => check.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const check of ALL_CHECKS) {
    assert.match(check.id, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(check.title && check.remedy && !check.remedy.includes('\n'), check.id);
    assert.ok(check.weight >= 1 && check.weight <= 25, check.id);
  }
});
