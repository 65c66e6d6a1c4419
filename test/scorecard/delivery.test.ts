// Delivery checks: CI, tests, Dockerfile, lockfile, Node version, .env handling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runsTests } from '../../server/src/engine/scorecard/checks/ci';
import { check, evidenceText, expectStatus, expressPkg, onDisk, pkg, project } from './support';

const server = "import express from 'express';\nconst app = express();\napp.listen(3000);\n";

test('ci-runs-tests: a GitHub workflow that runs the test script passes, with the step as evidence', () => {
  const sample = project({
    'package.json': pkg({ scripts: { test: 'vitest run', ci: 'npm run lint && npm test' } }),
    '.github/workflows/ci.yml': 'name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm test\n',
  });
  const result = check('ci-runs-tests', sample);
  expectStatus(result, 'pass');
  assert.match(evidenceText(result), /\.github\/workflows\/ci\.yml:9 npm test/);
});

test('ci-runs-tests: follows `npm run <script>` to a script that runs the tests', () => {
  const sample = project({
    'package.json': pkg({ scripts: { test: 'vitest run', verify: 'npm run lint && npm run test' } }),
    '.github/workflows/ci.yml': 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          npm ci\n          npm run verify\n',
  });
  expectStatus(check('ci-runs-tests', sample), 'pass');
});

test('ci-runs-tests: GitLab CI jobs are read from their script lists', () => {
  const sample = project({
    'package.json': pkg({ scripts: { test: 'jest' } }),
    '.gitlab-ci.yml': 'stages: [test]\nunit:\n  stage: test\n  script:\n    - npm ci\n    - npx jest --ci\n',
  });
  expectStatus(check('ci-runs-tests', sample), 'pass');
});

test('ci-runs-tests: a workflow that only builds fails; no CI at all fails; broken YAML says so', () => {
  const buildOnly = project({
    'package.json': pkg({ scripts: { test: 'vitest run', build: 'tsc' } }),
    '.github/workflows/deploy.yml': 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n      - run: npm run build\n',
  });
  expectStatus(check('ci-runs-tests', buildOnly), 'fail', /never runs the tests/);
  expectStatus(check('ci-runs-tests', project({ 'package.json': pkg({ scripts: { test: 'vitest' } }) })), 'fail', /No CI/);
  const broken = check('ci-runs-tests', project({ 'package.json': pkg({}), '.github/workflows/ci.yml': 'jobs:\n  a: [unclosed\n' }));
  expectStatus(broken, 'fail');
  assert.match(evidenceText(broken), /not valid YAML/);
});

test('runsTests recognises the usual spellings and not look-alikes', () => {
  for (const command of ['npm test', 'npm t', 'pnpm test', 'yarn test', 'bun test', 'npm run test:unit', 'npx vitest run', 'node --test', 'node --import tsx --test test/', 'npx playwright test', 'turbo run test', 'cd app && npm test']) {
    assert.ok(runsTests(command, {}), command);
  }
  for (const command of ['npm ci', 'npm run build', 'npm install typescript', 'npm run typecheck', 'cat jest.config.js', 'echo testing']) {
    assert.ok(!runsTests(command, {}), command);
  }
});

test('tests-present: test files plus a real test script pass; the npm placeholder, a script without tests and tests without a script fail', () => {
  expectStatus(check('tests-present', project({ 'package.json': pkg({ scripts: { test: 'vitest run' } }), 'src/cart.test.ts': 'test' })), 'pass', /1 test file/);
  expectStatus(check('tests-present', project({ 'package.json': pkg({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }), 'src/a.test.ts': '' })), 'fail', /placeholder/);
  expectStatus(check('tests-present', project({ 'package.json': pkg({ scripts: { test: 'node --test' } }), 'src/a.ts': '' })), 'fail', /no test files/);
  expectStatus(check('tests-present', project({ 'package.json': pkg({ scripts: {} }), 'test/a.test.ts': '' })), 'fail', /no `test` script/);
  expectStatus(check('tests-present', project({ 'src/a.ts': '' })), 'not-applicable');
});

test('deploy-config: a Dockerfile or platform config passes; a bare Node server fails; a Next.js app is unknown (Vercel needs none)', () => {
  expectStatus(check('deploy-config', project({ 'package.json': expressPkg(), Dockerfile: 'FROM node:20\n' })), 'pass');
  expectStatus(check('deploy-config', project({ 'package.json': expressPkg(), 'fly.toml': 'app = "x"\n' })), 'pass', /fly\.toml/);
  expectStatus(check('deploy-config', project({ 'package.json': expressPkg(), 'src/server.ts': server })), 'fail');
  expectStatus(check('deploy-config', project({ 'package.json': pkg({ dependencies: { next: '14.0.0' } }), 'app/page.tsx': '' })), 'unknown');
  expectStatus(check('deploy-config', project({ 'README.md': '# docs only' })), 'not-applicable');
});

test('container-non-root: USER in the final stage passes; USER only in the build stage, USER root, or none fail; no Dockerfile is n/a', () => {
  const good = 'FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\nUSER node\nCMD ["node", "server.js"]\n';
  expectStatus(check('container-non-root', project({ 'package.json': expressPkg(), Dockerfile: good })), 'pass');
  const buildStageOnly = 'FROM node:20 AS build\nUSER node\nRUN npm ci\nFROM node:20-slim\nCMD ["node", "server.js"]\n';
  const result = check('container-non-root', project({ 'package.json': expressPkg(), Dockerfile: buildStageOnly }));
  expectStatus(result, 'fail');
  assert.match(evidenceText(result), /Dockerfile:4 no USER/);
  expectStatus(check('container-non-root', project({ 'package.json': expressPkg(), Dockerfile: 'FROM node:20\nUSER root\n' })), 'fail');
  expectStatus(check('container-non-root', project({ 'package.json': expressPkg(), Dockerfile: 'FROM gcr.io/distroless/nodejs20-debian12:nonroot\n' })), 'pass');
  expectStatus(check('container-non-root', project({ 'package.json': expressPkg() })), 'not-applicable');
});

test('container-healthcheck: HEALTHCHECK, a compose/k8s probe or a health route pass; none fails; HEALTHCHECK NONE does not count', () => {
  expectStatus(check('container-healthcheck', project({ 'package.json': expressPkg(), Dockerfile: 'FROM node:20\nHEALTHCHECK CMD wget -qO- localhost:3000/health || exit 1\n' })), 'pass');
  expectStatus(check('container-healthcheck', project({ 'package.json': expressPkg(), Dockerfile: 'FROM node:20\n', 'k8s/deploy.yaml': 'spec:\n  containers:\n    - livenessProbe:\n        httpGet: { path: /live }\n' })), 'pass');
  expectStatus(check('container-healthcheck', project({ 'package.json': expressPkg(), Dockerfile: 'FROM node:20\n', 'src/server.ts': `${server}app.get('/healthz', (_req, res) => res.send('ok'));\n` })), 'pass');
  expectStatus(check('container-healthcheck', project({ 'package.json': expressPkg(), Dockerfile: 'FROM node:20\nHEALTHCHECK NONE\n', 'src/server.ts': server })), 'fail');
  expectStatus(check('container-healthcheck', project({ 'package.json': expressPkg() })), 'not-applicable');
});

test('lockfile-committed: tracked passes, present passes, gitignored fails, missing fails', () => {
  const files = { 'package.json': pkg({}), 'package-lock.json': '{}', 'src/a.ts': '' };
  expectStatus(check('lockfile-committed', project(files, { tracked: ['package.json', 'package-lock.json'] })), 'pass', /committed/);
  expectStatus(check('lockfile-committed', project(files)), 'pass', /present/);
  expectStatus(check('lockfile-committed', project({ ...files, '.gitignore': 'package-lock.json\n' }, { tracked: ['package.json'] })), 'fail', /ignored/);
  expectStatus(check('lockfile-committed', project({ 'package.json': pkg({}), 'yarn.lock': '# yarn lockfile v1\n' })), 'pass', /yarn\.lock/);
  expectStatus(check('lockfile-committed', project({ 'package.json': pkg({}) })), 'fail', /No lockfile/);
  expectStatus(check('lockfile-committed', project({ 'src/a.ts': '' })), 'not-applicable');
});

test('node-version-pinned: engines.node, .nvmrc, volta or a versioned node image pass; nothing fails', () => {
  expectStatus(check('node-version-pinned', project({ 'package.json': pkg({ engines: { node: '>=20 <21' } }) })), 'pass');
  expectStatus(check('node-version-pinned', project({ 'package.json': pkg({}), '.nvmrc': '20.11.1\n' })), 'pass', /\.nvmrc/);
  expectStatus(check('node-version-pinned', project({ 'package.json': pkg({ volta: { node: '20.11.1' } }) })), 'pass');
  expectStatus(check('node-version-pinned', project({ 'package.json': pkg({}), Dockerfile: 'FROM node:20-alpine\n' })), 'pass');
  expectStatus(check('node-version-pinned', project({ 'package.json': pkg({ engines: { node: '*' } }), Dockerfile: 'FROM node:latest\n' })), 'fail');
  expectStatus(check('node-version-pinned', project({ 'src/a.ts': '' })), 'not-applicable');
});

test('env-not-committed: a tracked .env fails, an unignored one fails, an ignored one passes; without one, .gitignore must cover it when env is read', () => {
  const base = { 'package.json': pkg({}), '.env': 'STRIPE_SECRET_KEY=x\n', '.env.example': 'STRIPE_SECRET_KEY=\n' };
  expectStatus(check('env-not-committed', project({ ...base, '.gitignore': '.env\n' }, { tracked: ['.env', 'package.json'] })), 'fail', /committed/);
  expectStatus(check('env-not-committed', project(base)), 'fail', /not ignored/);
  expectStatus(check('env-not-committed', project({ ...base, '.gitignore': '.env*\n!.env.example\n' }, { tracked: ['package.json'] })), 'pass', /all ignored/);
  const reads = { 'package.json': pkg({}), 'src/config.ts': 'export const key = process.env.STRIPE_SECRET_KEY;\n' };
  expectStatus(check('env-not-committed', project({ ...reads, '.gitignore': 'node_modules\n.env\n' })), 'pass', /covers one/);
  const uncovered = check('env-not-committed', project({ ...reads, '.gitignore': 'node_modules\n' }));
  expectStatus(uncovered, 'fail', /\.gitignore does not cover \.env/);
  assert.match(evidenceText(uncovered), /^\.gitignore no pattern matches \.env$/);
  expectStatus(check('env-not-committed', project({ 'package.json': pkg({}), 'src/a.ts': 'export const a = 1;\n' })), 'pass', /reads no environment/);
});

test('env-example-complete: lists the variables the example lacks, with where each is read', () => {
  const code = {
    'package.json': pkg({}),
    'src/config.ts': "export const db = process.env.DATABASE_URL;\nconst { STRIPE_KEY, SENTRY_DSN: dsn } = process.env;\nconst port = process.env.PORT;\n// process.env.COMMENTED_OUT\nexport const mode = process.env['APP_MODE'];\n",
    'src/client.ts': 'export const api = import.meta.env.VITE_API_URL + import.meta.env.MODE;\n',
    'src/a.test.ts': 'process.env.TEST_ONLY;\n',
  };
  const missing = check('env-example-complete', project({ ...code, '.env.example': 'DATABASE_URL=postgres://localhost/app\n# SENTRY_DSN=\n' }));
  expectStatus(missing, 'fail', /lacks 3 variables the code reads: APP_MODE, STRIPE_KEY, VITE_API_URL\./);
  assert.match(evidenceText(missing), /src\/config\.ts:2 reads STRIPE_KEY/);
  expectStatus(check('env-example-complete', project({ ...code, '.env.example': 'DATABASE_URL=\nSTRIPE_KEY=\nSENTRY_DSN=\nAPP_MODE=\nVITE_API_URL=\n' })), 'pass');
  expectStatus(check('env-example-complete', project(code)), 'fail', /No \.env\.example; 5 variables/);
  const prisma = check('env-example-complete', project({ 'package.json': pkg({}), 'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n' }));
  expectStatus(prisma, 'fail', /DATABASE_URL/);
  expectStatus(check('env-example-complete', project({ 'package.json': pkg({}), 'src/a.ts': 'const port = process.env.PORT ?? 3000;\n' })), 'not-applicable');
});

test('on disk: the walker finds workflows and example env files; README and .nvmrc are read by name', () => {
  const sample = onDisk({
    'package.json': pkg({ scripts: { test: 'node --test' }, dependencies: { express: '^4.0.0' } }),
    '.nvmrc': '20\n',
    '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    '.env.example': 'API_KEY=\n',
    'src/server.ts': 'export const key = process.env.API_KEY;\n',
    'test/server.test.ts': '',
  });
  for (const id of ['ci-runs-tests', 'tests-present', 'node-version-pinned', 'env-example-complete']) expectStatus(check(id, sample), 'pass');
});
