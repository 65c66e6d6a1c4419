// Security checks: auth rate limits, headers, CORS, secrets from env, Supabase RLS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, evidenceText, expectStatus, expressPkg, finding, pkg, project } from './support';

const app = "import express from 'express';\nconst app = express();\n";
const login = "import { Router } from 'express';\nconst router = Router();\nrouter.post('/login', async (req, res) => {});\nrouter.post('/signup', async (req, res) => {});\nexport default router;\n";

test('auth-rate-limit: auth routes plus an imported limiter pass; auth routes alone fail listing them; no auth routes is n/a', () => {
  const limited = { 'package.json': expressPkg({}, { 'express-rate-limit': '7' }), 'src/routes/auth.ts': login, 'src/server.ts': `import rateLimit from 'express-rate-limit';\n${app}app.use('/auth', rateLimit({ windowMs: 60_000, limit: 5 }));\n` };
  expectStatus(check('auth-rate-limit', project(limited)), 'pass', /express-rate-limit/);
  const open = check('auth-rate-limit', project({ 'package.json': expressPkg(), 'src/routes/auth.ts': login }));
  expectStatus(open, 'fail', /2 auth routes/);
  assert.match(evidenceText(open), /src\/routes\/auth\.ts:3 route \/login/);
  const nextAuth = check('auth-rate-limit', project({ 'package.json': pkg({ dependencies: { next: '14', 'next-auth': '4' } }), 'app/api/auth/[...nextauth]/route.ts': 'export { handler as GET, handler as POST };\n' }));
  expectStatus(nextAuth, 'fail');
  const action = check('auth-rate-limit', project({ 'package.json': pkg({ dependencies: { next: '14' } }), 'app/login/actions.ts': "'use server';\nexport async function signIn(form: FormData) {}\n" }));
  expectStatus(action, 'fail');
  assert.match(evidenceText(action), /server action signIn/);
  expectStatus(check('auth-rate-limit', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}app.get('/products', () => {});\nres.redirect('/login');\n` })), 'not-applicable');
  expectStatus(check('auth-rate-limit', project({ 'package.json': expressPkg(), 'src/idp.ts': "export const login = () => axios.post('https://idp.example.com/oauth/login', {});\n" })), 'not-applicable');
});

test('security-headers: helmet, next.config headers() or a CSP header pass; none fails; no server is n/a', () => {
  expectStatus(check('security-headers', project({ 'package.json': expressPkg({}, { helmet: '7' }), 'src/server.ts': `import helmet from 'helmet';\n${app}app.use(helmet());\n` })), 'pass');
  const nextConfig = "module.exports = {\n  async headers() {\n    return [{ source: '/(.*)', headers: [{ key: 'X-Frame-Options', value: 'DENY' }] }];\n  },\n};\n";
  expectStatus(check('security-headers', project({ 'package.json': pkg({ dependencies: { next: '14' } }), 'next.config.js': nextConfig })), 'pass', /./);
  expectStatus(check('security-headers', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}app.use((req, res, next) => { res.setHeader('Content-Security-Policy', "default-src 'self'"); next(); });\n` })), 'pass');
  expectStatus(check('security-headers', project({ 'package.json': expressPkg(), 'src/server.ts': app })), 'fail');
  expectStatus(check('security-headers', project({ 'package.json': pkg({ dependencies: { react: '18' } }), 'src/main.tsx': '' })), 'not-applicable');
});

test('cors-allowlist: an origin list or config value passes; cors(), origin "*" and origin: true fail; no CORS is n/a', () => {
  const withOrigin = (options: string): Record<string, string> => ({ 'package.json': expressPkg({}, { cors: '2' }), 'src/server.ts': `import cors from 'cors';\n${app}app.use(cors(${options}));\n` });
  expectStatus(check('cors-allowlist', project(withOrigin("{ origin: ['https://app.example.com'], credentials: true }"))), 'pass');
  expectStatus(check('cors-allowlist', project(withOrigin('{ origin: process.env.CORS_ORIGIN }'))), 'pass');
  const bare = check('cors-allowlist', project(withOrigin('')));
  expectStatus(bare, 'fail');
  assert.match(evidenceText(bare), /src\/server\.ts:4 cors\(\) with no options/);
  expectStatus(check('cors-allowlist', project(withOrigin("{ origin: '*' }"))), 'fail');
  expectStatus(check('cors-allowlist', project(withOrigin('{ origin: true, credentials: true }'))), 'fail');
  expectStatus(check('cors-allowlist', project(withOrigin('{ credentials: true }'))), 'fail');
  expectStatus(check('cors-allowlist', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}app.use((req, res, next) => { res.setHeader('Access-Control-Allow-Origin', '*'); next(); });\n` })), 'fail');
  const fastify = { 'package.json': pkg({ dependencies: { fastify: '4', '@fastify/cors': '9' } }), 'src/server.ts': "import cors from '@fastify/cors';\napp.register(cors, { origin: '*' });\n" };
  expectStatus(check('cors-allowlist', project(fastify)), 'fail');
  expectStatus(check('cors-allowlist', project({ 'package.json': expressPkg(), 'src/server.ts': app })), 'not-applicable');
});

test('secrets-from-env: fails on hardcoded-secret findings with their locations, passes without, unknown when the rule did not run', () => {
  const sample = project({ 'package.json': expressPkg(), 'src/server.ts': app });
  const failing = check('secrets-from-env', sample, [finding('hardcoded-secret', 'src/billing.ts', 6), finding('sql-injection', 'src/db.ts', 1)]);
  expectStatus(failing, 'fail', /1 hardcoded secret/);
  assert.match(evidenceText(failing), /^src\/billing\.ts:7 hardcoded-secret/);
  expectStatus(check('secrets-from-env', sample), 'pass');
});

test('supabase-rls: every public table with RLS passes; a table without fails naming it; no SQL is unknown; no Supabase is n/a', () => {
  const supabasePkg = pkg({ dependencies: { '@supabase/supabase-js': '2' } });
  const migration = [
    'create table public.profiles (id uuid primary key);',
    'alter table public.profiles enable row level security;',
    'create table if not exists "orders" (id bigint);',
    '-- alter table orders enable row level security;',
    'create table private.audit (id bigint);',
    'create table tmp (id int);',
    'drop table tmp;',
  ].join('\n');
  const failing = check('supabase-rls', project({ 'package.json': supabasePkg, 'supabase/migrations/0001_init.sql': migration }));
  expectStatus(failing, 'fail', /1 table without row-level security: orders\./);
  assert.match(evidenceText(failing), /0001_init\.sql:3/);
  const fixed = `${migration}\nALTER TABLE ONLY public.orders ENABLE ROW LEVEL SECURITY;\n`;
  expectStatus(check('supabase-rls', project({ 'package.json': supabasePkg, 'supabase/migrations/0001_init.sql': fixed })), 'pass', /All 2 tables/);
  expectStatus(check('supabase-rls', project({ 'package.json': supabasePkg, 'src/db.ts': '' })), 'unknown');
  expectStatus(check('supabase-rls', project({ 'package.json': expressPkg(), 'migrations/001.sql': 'create table orders (id int);' })), 'not-applicable');
});
