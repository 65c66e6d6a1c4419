// Reliability and observability checks: health route, shutdown, process handlers,
// outbound timeouts, structured logging, error tracking, request ids.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, evidenceText, expectStatus, expressPkg, pkg, project } from './support';

const app = "import express from 'express';\nconst app = express();\n";
const nextPkg = pkg({ dependencies: { next: '14.2.0', react: '18.0.0' } });

test('health-route: an Express /health route or an app-router health file passes; none fails; no server is n/a', () => {
  const express = check('health-route', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}app.get('/api/health', (_req, res) => res.json({ ok: true }));\n` }));
  expectStatus(express, 'pass');
  assert.match(evidenceText(express), /src\/server\.ts:3 health route \/api\/health/);
  expectStatus(check('health-route', project({ 'package.json': nextPkg, Dockerfile: 'FROM node:20\n', 'app/api/health/route.ts': 'export function GET() { return Response.json({ ok: true }); }\n' })), 'pass');
  expectStatus(check('health-route', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}app.get('/api/products', () => {});\nfetch('/health');\n` })), 'fail');
  expectStatus(check('health-route', project({ 'package.json': nextPkg, 'app/page.tsx': '' })), 'not-applicable', /platform/);
  expectStatus(check('health-route', project({ 'package.json': pkg({ dependencies: { react: '18' } }), 'src/main.tsx': '' })), 'not-applicable', /No server/);
});

test('graceful-shutdown: a SIGTERM handler that closes things passes; one that closes nothing, SIGINT only, or none fail', () => {
  const good = `${app}const server = app.listen(3000);\nprocess.on('SIGTERM', () => {\n  server.close(() => prisma.$disconnect());\n});\n`;
  expectStatus(check('graceful-shutdown', project({ 'package.json': expressPkg(), 'src/server.ts': good })), 'pass');
  const loop = `${app}const server = app.listen(3000);\nfor (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, async () => { await pool.end(); process.exit(0); });\n`;
  expectStatus(check('graceful-shutdown', project({ 'package.json': expressPkg(), 'src/server.ts': loop })), 'pass');
  expectStatus(check('graceful-shutdown', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}process.on('SIGTERM', () => process.exit(0));\n` })), 'fail', /nothing is closed/);
  expectStatus(check('graceful-shutdown', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}process.on('SIGINT', () => server.close());\n` })), 'fail', /Only SIGINT/);
  expectStatus(check('graceful-shutdown', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}app.listen(3000);\n` })), 'fail', /No SIGTERM/);
  expectStatus(check('graceful-shutdown', project({ 'package.json': expressPkg({}, { '@godaddy/terminus': '4' }), 'src/server.ts': `import { createTerminus } from '@godaddy/terminus';\n${app}` })), 'pass');
  expectStatus(check('graceful-shutdown', project({ 'package.json': nextPkg, 'app/page.tsx': '' })), 'not-applicable');
});

test('process-error-handlers: both handlers (or Sentry.init) pass; one missing fails and names it; frameworks are n/a', () => {
  const both = `${app}process.on('unhandledRejection', (e) => log(e));\nprocess.on('uncaughtException', (e) => { log(e); process.exit(1); });\n`;
  expectStatus(check('process-error-handlers', project({ 'package.json': expressPkg(), 'src/server.ts': both })), 'pass');
  const sentry = "import * as Sentry from '@sentry/node';\nSentry.init({ dsn: process.env.SENTRY_DSN });\n";
  expectStatus(check('process-error-handlers', project({ 'package.json': expressPkg(), 'src/instrument.ts': sentry, 'src/server.ts': app })), 'pass', /Sentry/);
  expectStatus(check('process-error-handlers', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}process.on('unhandledRejection', (e) => log(e));\n` })), 'fail', /No uncaughtException handler/);
  expectStatus(check('process-error-handlers', project({ 'package.json': nextPkg, 'app/page.tsx': '' })), 'not-applicable');
});

test('outbound-timeouts: fetch with a signal and axios with a timeout pass; bare calls fail with file:line; no calls is n/a', () => {
  const timed = "import axios from 'axios';\nexport const a = () => fetch('https://api.example.com', { signal: AbortSignal.timeout(5000) });\nexport const b = () => axios.get('https://x.example.com', { timeout: 5000 });\nexport const c = () => fetch('/api/local');\nexport const d = (init: RequestInit) => fetch('https://y.example.com', init);\n";
  expectStatus(check('outbound-timeouts', project({ 'package.json': expressPkg(), 'src/clients.ts': timed })), 'pass');
  const bare = "import axios from 'axios';\nexport const a = () => fetch(`https://api.example.com/${id}`);\nexport const b = () => axios.post('https://x.example.com', body);\nexport const c = () => fetch(url, { method: 'POST' });\n";
  const result = check('outbound-timeouts', project({ 'package.json': expressPkg(), 'src/clients.ts': bare }));
  expectStatus(result, 'fail', /3 outbound calls without a timeout/);
  assert.match(evidenceText(result), /src\/clients\.ts:2 fetch\(\) without signal/);
  assert.match(evidenceText(result), /src\/clients\.ts:3 axios\(\) without timeout/);
  const axiosDefault = "import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://x', timeout: 3000 });\nexport const b = () => axios.get('https://x.example.com');\n";
  expectStatus(check('outbound-timeouts', project({ 'package.json': expressPkg(), 'src/clients.ts': axiosDefault })), 'pass');
  expectStatus(check('outbound-timeouts', project({ 'package.json': expressPkg(), 'src/server.ts': app })), 'not-applicable');
  expectStatus(check('outbound-timeouts', project({ 'package.json': expressPkg(), 'src/components/List.tsx': "'use client';\nfetch('https://api.example.com');\n" })), 'not-applicable');
});

test('structured-logger: pino imported passes; installed but unused fails; console only fails with a count; no server is n/a', () => {
  expectStatus(check('structured-logger', project({ 'package.json': expressPkg({}, { pino: '9' }), 'src/log.ts': "import pino from 'pino';\nexport const log = pino();\n" })), 'pass', /pino/);
  expectStatus(check('structured-logger', project({ 'package.json': expressPkg({}, { winston: '3' }), 'src/server.ts': `${app}console.log('hi');\n` })), 'fail', /installed but never imported/);
  expectStatus(check('structured-logger', project({ 'package.json': expressPkg(), 'src/server.ts': `${app}console.log('a');\nconsole.error('b');\n` })), 'fail', /2 console calls/);
  expectStatus(check('structured-logger', project({ 'package.json': pkg({ dependencies: { fastify: '4' } }), 'src/server.ts': "import Fastify from 'fastify';\nconst app = fastify({ logger: true });\n" })), 'pass', /Fastify/);
  expectStatus(check('structured-logger', project({ 'package.json': pkg({}), 'src/lib.ts': 'console.log(1);\n' })), 'not-applicable');
});

test('error-tracking: Sentry.init passes; an SDK installed but never initialized fails; nothing at all is unknown, not fail', () => {
  expectStatus(check('error-tracking', project({ 'package.json': expressPkg({}, { '@sentry/node': '8' }), 'src/instrument.ts': "import * as Sentry from '@sentry/node';\nSentry.init({ dsn: process.env.SENTRY_DSN });\n" })), 'pass', /Sentry/);
  expectStatus(check('error-tracking', project({ 'package.json': expressPkg({}, { 'dd-trace': '5' }), 'src/server.ts': "import 'dd-trace/init';\n" })), 'pass', /Datadog/);
  expectStatus(check('error-tracking', project({ 'package.json': expressPkg({ scripts: { start: 'node -r newrelic dist/server.js' } }, { newrelic: '11' }), 'src/server.ts': app })), 'pass', /preloads/);
  expectStatus(check('error-tracking', project({ 'package.json': expressPkg(), 'src/server.ts': app, 'docker-compose.yml': 'services:\n  app:\n    environment:\n      - DD_AGENT_HOST=datadog\n' })), 'pass', /DD_AGENT_HOST/);
  expectStatus(check('error-tracking', project({ 'package.json': expressPkg({}, { '@sentry/node': '8' }), 'src/server.ts': app })), 'fail', /never initialized/);
  expectStatus(check('error-tracking', project({ 'package.json': expressPkg(), 'src/server.ts': app })), 'unknown');
  expectStatus(check('error-tracking', project({ 'package.json': pkg({}) })), 'not-applicable');
});

test('request-ids: pino-http, Fastify, or an x-request-id middleware pass; none fails; platform-run apps are n/a', () => {
  expectStatus(check('request-ids', project({ 'package.json': expressPkg({}, { 'pino-http': '10' }), 'src/server.ts': `import pinoHttp from 'pino-http';\n${app}app.use(pinoHttp());\n` })), 'pass');
  expectStatus(check('request-ids', project({ 'package.json': pkg({ dependencies: { fastify: '4' } }), 'src/server.ts': "import Fastify from 'fastify';\n" })), 'pass', /fastify/);
  const middleware = `${app}app.use((req, res, next) => { const requestId = req.headers['x-request-id'] ?? crypto.randomUUID(); res.setHeader('x-request-id', requestId); next(); });\n`;
  expectStatus(check('request-ids', project({ 'package.json': expressPkg(), 'src/server.ts': middleware })), 'pass');
  expectStatus(check('request-ids', project({ 'package.json': expressPkg(), 'src/server.ts': app })), 'fail');
  expectStatus(check('request-ids', project({ 'package.json': nextPkg, 'app/page.tsx': '' })), 'not-applicable');
});
