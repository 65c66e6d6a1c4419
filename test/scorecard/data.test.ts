// Data, compliance and cost checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSensitiveName } from '../../server/src/engine/scorecard/checks/compliance';
import { check, evidenceText, expectStatus, expressPkg, pkg, project } from './support';

const prismaPkg = expressPkg({}, { '@prisma/client': '5', prisma: '5' });
const userModel = 'model User {\n  id String @id\n  email String @unique\n}\n';

test('migrations-versioned: committed migrations pass; a Prisma schema without migrations fails; gitignored migrations fail; no database is n/a', () => {
  const files = { 'package.json': prismaPkg, 'prisma/schema.prisma': userModel, 'prisma/migrations/20240101_init/migration.sql': 'CREATE TABLE "User" ();' };
  expectStatus(check('migrations-versioned', project(files, { tracked: ['package.json', 'prisma/migrations/20240101_init/migration.sql'] })), 'pass', /under version control/);
  expectStatus(check('migrations-versioned', project(files)), 'pass');
  expectStatus(check('migrations-versioned', project({ ...files, '.gitignore': 'prisma/migrations/\n' }, { tracked: ['package.json'] })), 'fail', /\.gitignore/);
  expectStatus(check('migrations-versioned', project({ 'package.json': prismaPkg, 'prisma/schema.prisma': userModel })), 'fail', /db push/);
  expectStatus(check('migrations-versioned', project({ 'package.json': expressPkg({}, { knex: '3', pg: '8' }), 'db/migrations/20240101_users.js': 'exports.up = () => {};' })), 'pass');
  expectStatus(check('migrations-versioned', project({ 'package.json': expressPkg({}, { pg: '8' }), 'src/db.ts': '' })), 'fail', /No migrations/);
  expectStatus(check('migrations-versioned', project({ 'package.json': expressPkg({}, { mongoose: '8' }) })), 'not-applicable', /document database/);
  expectStatus(check('migrations-versioned', project({ 'package.json': expressPkg() })), 'not-applicable');
});

test('no-destructive-sync: sync({ force: true }), synchronize: true and --accept-data-loss fail with their location; a dev-only db push passes', () => {
  const sequelize = check('no-destructive-sync', project({ 'package.json': expressPkg({}, { sequelize: '6' }), 'src/db.ts': "await sequelize.sync({ force: true });\n" }));
  expectStatus(sequelize, 'fail');
  assert.match(evidenceText(sequelize), /src\/db\.ts:1/);
  expectStatus(check('no-destructive-sync', project({ 'package.json': expressPkg({}, { typeorm: '0.3' }), 'src/data-source.ts': "new DataSource({ type: 'postgres', synchronize: true });\n" })), 'fail');
  const script = check('no-destructive-sync', project({ 'package.json': pkg({ scripts: { start: 'prisma db push --accept-data-loss && node dist/server.js' }, dependencies: { prisma: '5' } }) }));
  expectStatus(script, 'fail');
  assert.match(evidenceText(script), /package\.json:\d+ scripts\.start/);
  expectStatus(check('no-destructive-sync', project({ 'package.json': pkg({ scripts: { build: 'prisma db push && next build' }, dependencies: { prisma: '5' } }) })), 'fail');
  expectStatus(check('no-destructive-sync', project({ 'package.json': prismaPkg, Dockerfile: 'FROM node:20\nCMD npx prisma db push && node server.js\n' })), 'fail');
  expectStatus(check('no-destructive-sync', project({ 'package.json': pkg({ scripts: { 'db:push': 'prisma db push' }, dependencies: { prisma: '5' } }), 'src/data-source.ts': "synchronize: process.env.NODE_ENV !== 'production',\n" })), 'pass');
  expectStatus(check('no-destructive-sync', project({ 'package.json': expressPkg({}, { sequelize: '6' }), 'test/setup.test.ts': 'sequelize.sync({ force: true });\n' })), 'pass');
  expectStatus(check('no-destructive-sync', project({ 'package.json': expressPkg() })), 'not-applicable');
});

test('backups-documented: a README or infra mention passes; silence is unknown (a manual check), never fail', () => {
  expectStatus(check('backups-documented', project({ 'package.json': prismaPkg, 'README.md': '# App\n\n## Operations\nNeon keeps point-in-time recovery for 7 days.\n' })), 'pass', /README\.md/);
  expectStatus(check('backups-documented', project({ 'package.json': prismaPkg, 'k8s/backup.yaml': 'kind: CronJob\nspec:\n  command: ["pg_dump", "$DATABASE_URL"]\n' })), 'pass');
  expectStatus(check('backups-documented', project({ 'package.json': prismaPkg, 'README.md': '# App\nRun `npm start`.\n' })), 'unknown');
  expectStatus(check('backups-documented', project({ 'package.json': expressPkg() })), 'not-applicable');
});

test('account-deletion and data-export: routes or handlers pass; a User model without them fails; hosted-only accounts are unknown; no accounts is n/a', () => {
  const routes = "router.delete('/users/me', requireAuth, async (req, res) => {});\nrouter.get('/users/me/export', requireAuth, async (req, res) => {});\n";
  const withRoutes = project({ 'package.json': prismaPkg, 'prisma/schema.prisma': userModel, 'src/routes/users.ts': routes });
  expectStatus(check('account-deletion', withRoutes), 'pass');
  expectStatus(check('data-export', withRoutes), 'pass');
  const nextRoute = project({ 'package.json': pkg({ dependencies: { next: '14', '@prisma/client': '5' } }), 'prisma/schema.prisma': userModel, 'app/api/account/route.ts': 'export async function DELETE() {}\n', 'app/api/account/export/route.ts': 'export async function GET() {}\n' });
  expectStatus(check('account-deletion', nextRoute), 'pass');
  expectStatus(check('data-export', nextRoute), 'pass');
  const action = project({ 'package.json': prismaPkg, 'prisma/schema.prisma': userModel, 'src/account.ts': 'export async function deleteAccount(userId: string) { await prisma.user.delete({ where: { id: userId } }); }\n' });
  expectStatus(check('account-deletion', action), 'pass');
  const missing = project({ 'package.json': prismaPkg, 'prisma/schema.prisma': userModel, 'src/routes/users.ts': "router.delete('/orders/:id', () => {});\nawait axios.delete('https://crm.example.com/users/1');\n" });
  const deletion = check('account-deletion', missing);
  expectStatus(deletion, 'fail');
  assert.match(evidenceText(deletion), /prisma\/schema\.prisma:1 model User/);
  expectStatus(check('data-export', missing), 'fail');
  const sqlUsers = project({ 'package.json': expressPkg({}, { pg: '8' }), 'migrations/001.sql': 'CREATE TABLE users (id uuid);\n' });
  expectStatus(check('account-deletion', sqlUsers), 'fail');
  const clerk = project({ 'package.json': pkg({ dependencies: { next: '14', '@clerk/nextjs': '5' } }), 'app/page.tsx': '' });
  expectStatus(check('account-deletion', clerk), 'unknown');
  expectStatus(check('data-export', clerk), 'unknown');
  expectStatus(check('account-deletion', project({ 'package.json': expressPkg(), 'src/server.ts': '' })), 'not-applicable');
  expectStatus(check('data-export', project({ 'package.json': expressPkg(), 'src/server.ts': '' })), 'not-applicable');
});

test('no-pii-in-logs: logging emails, passwords, tokens or request bodies fails with file:line; ids and plain messages pass', () => {
  const code = [
    "console.log('signup', email);",
    'logger.info({ userId: user.id, email: user.email });',
    'console.log(`login ${req.body.password}`);',
    'req.log.info(req.body);',
    "console.log('email sent to user', user.id);",
    'console.log(hashPassword(x).length);',
    'console.log(usage.total_tokens, maxTokens);',
    "console.log('token count', tokenCount);",
  ].join('\n');
  const result = check('no-pii-in-logs', project({ 'package.json': expressPkg(), 'src/auth.ts': code }));
  expectStatus(result, 'fail', /4 log calls/);
  assert.equal(evidenceText(result), ['src/auth.ts:1 console.log(…) logs email', 'src/auth.ts:2 logger.info(…) logs email', 'src/auth.ts:3 console.log(…) logs password', 'src/auth.ts:4 log.info(…) logs req.body'].join('\n'));
  expectStatus(check('no-pii-in-logs', project({ 'package.json': expressPkg(), 'src/auth.ts': "console.log('user signed up', user.id);\n", 'src/auth.test.ts': 'console.log(password);\n' })), 'pass');
  expectStatus(check('no-pii-in-logs', project({ 'package.json': pkg({}) })), 'not-applicable');
});

test('sensitive names: the last word decides', () => {
  for (const name of ['email', 'userEmail', 'password', 'newPassword', 'access_token', 'refreshToken', 'ssn', 'phoneNumber', 'cardNumber', 'dateOfBirth']) assert.ok(isSensitiveName(name), name);
  for (const name of ['emailSent', 'tokenCount', 'maxTokens', 'passwordPolicyLength', 'id', 'phoneVerified']) assert.ok(!isSensitiveName(name), name);
});

test('paid-api-guarded: a paid SDK with a rate limiter or cache passes; without fails naming the callers; no paid SDK is n/a', () => {
  const caller = "import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport const ask = (q: string) => openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });\n";
  const guarded = { 'package.json': expressPkg({}, { openai: '4', '@upstash/ratelimit': '2' }), 'src/ai.ts': caller, 'src/limit.ts': "import { Ratelimit } from '@upstash/ratelimit';\n" };
  expectStatus(check('paid-api-guarded', project(guarded)), 'pass');
  const cached = { 'package.json': expressPkg({}, { openai: '4', 'lru-cache': '10' }), 'src/ai.ts': `import { LRUCache } from 'lru-cache';\n${caller}` };
  expectStatus(check('paid-api-guarded', project(cached)), 'pass', /lru-cache/);
  const open = check('paid-api-guarded', project({ 'package.json': expressPkg({}, { openai: '4' }), 'src/ai.ts': caller }));
  expectStatus(open, 'fail', /openai is called with no rate limit/);
  assert.match(evidenceText(open), /src\/ai\.ts calls openai/);
  expectStatus(check('paid-api-guarded', project({ 'package.json': expressPkg({}, { stripe: '15' }) })), 'not-applicable');
});
