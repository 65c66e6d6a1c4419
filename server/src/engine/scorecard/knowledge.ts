// Framework and vendor knowledge the checks use, as data: supporting a new logger,
// rate limiter or error tracker is adding a name here, not a branch in a check.
// A name ending in `/` matches every package of that scope.

/** Frameworks that run a long-lived Node HTTP server the app owns. */
export const NODE_SERVER_PACKAGES = ['express', 'fastify', 'koa', '@hapi/hapi', 'hapi', '@nestjs/core', 'restify', 'polka', '@hono/node-server', 'elysia', '@adonisjs/core', '@feathersjs/feathers', 'sails', 'micro'];

/** Full-stack frameworks whose process the platform (or the framework's own server) owns. */
export const FRAMEWORK_PACKAGES = ['next', 'nuxt', '@remix-run/node', '@remix-run/serve', '@react-router/node', '@sveltejs/kit', 'astro', '@solidjs/start', '@tanstack/react-start'];

/** Edge/worker runtimes: no process to shut down, no container. */
export const EDGE_PACKAGES = ['hono', 'itty-router', '@cloudflare/workers-types', 'wrangler'];

/** Files that configure a deploy target other than a container. */
export const PLATFORM_CONFIG_FILES = [
  'vercel.json',
  'netlify.toml',
  'fly.toml',
  'render.yaml',
  'railway.json',
  'railway.toml',
  'app.yaml',
  'app.json',
  'Procfile',
  'amplify.yml',
  'serverless.yml',
  'serverless.ts',
  'sst.config.ts',
  'wrangler.toml',
  'wrangler.jsonc',
  'apprunner.yaml',
  '.platform.app.yaml',
  'nixpacks.toml',
  'zeabur.json',
];

export const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'bun.lock'];

/** CI systems besides GitHub Actions and GitLab (which are parsed): presence plus a text search for a test command. */
export const OTHER_CI_FILES = [
  '.circleci/config.yml',
  '.travis.yml',
  'bitbucket-pipelines.yml',
  'azure-pipelines.yml',
  'Jenkinsfile',
  '.buildkite/pipeline.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'buildspec.yml',
  'codemagic.yaml',
  '.woodpecker.yml',
];

export const STRUCTURED_LOGGER_PACKAGES = ['pino', 'pino-http', 'winston', 'bunyan', '@logtail/', 'consola', 'log4js', 'tslog', 'roarr', 'next-logger', '@axiomhq/pino', '@axiomhq/winston', 'nestjs-pino', 'express-winston'];

/**
 * Error trackers and APM agents: `init` is the call that starts one (in a file
 * importing one of `packages`); `load` an import or require that starts it by
 * itself (`import 'dd-trace/init'`, `require('newrelic')`).
 */
export const ERROR_TRACKERS: readonly { name: string; packages: readonly string[]; init: RegExp; load?: RegExp }[] = [
  { name: 'Sentry', packages: ['@sentry/'], init: /\bSentry\s*\.\s*init\s*\(|\bwithSentryConfig\s*\(|\bSentryModule\s*\.\s*forRoot\s*\(|^\s*init\s*\(\s*\{[^}]*\bdsn\s*:/gm },
  {
    name: 'OpenTelemetry',
    packages: ['@opentelemetry/sdk-node', '@vercel/otel', '@opentelemetry/auto-instrumentations-node', '@opentelemetry/sdk-trace-node'],
    init: /\bnew\s+NodeSDK\s*\(|\bregisterOTel\s*\(|\bnew\s+NodeTracerProvider\s*\(/g,
    load: /(?:\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]@opentelemetry\/auto-instrumentations-node\/register['"]/g,
  },
  {
    name: 'Datadog',
    packages: ['dd-trace', '@datadog/browser-rum', '@datadog/browser-logs'],
    init: /\btracer\s*\.\s*init\s*\(|\bdatadogRum\s*\.\s*init\s*\(|\bdatadogLogs\s*\.\s*init\s*\(/g,
    load: /(?:\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]dd-trace\/init['"]|\brequire\s*\(\s*['"]dd-trace['"]\s*\)\s*\.\s*init\s*\(/g,
  },
  { name: 'Bugsnag', packages: ['@bugsnag/'], init: /\bBugsnag\s*\.\s*start\s*\(/g },
  { name: 'Honeybadger', packages: ['@honeybadger-io/'], init: /\bHoneybadger\s*\.\s*configure\s*\(/g },
  { name: 'New Relic', packages: ['newrelic'], init: /(?:\bimport\s*|\brequire\s*\(\s*)['"]newrelic['"]/g, load: /(?:\bimport\s*|\brequire\s*\(\s*)['"]newrelic['"]/g },
  { name: 'Rollbar', packages: ['rollbar'], init: /\bnew\s+Rollbar\s*\(|\bRollbar\s*\.\s*init\s*\(/g },
  { name: 'Highlight', packages: ['@highlight-run/'], init: /\bH\s*\.\s*init\s*\(|\bHighlightInit\b/g },
  { name: 'AppSignal', packages: ['@appsignal/nodejs'], init: /\bnew\s+Appsignal\s*\(/g },
  {
    name: 'Elastic APM',
    packages: ['elastic-apm-node'],
    init: /\.\s*start\s*\(\s*\{[^}]*\bserviceName\b/g,
    load: /(?:\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]elastic-apm-node\/start['"]|\brequire\s*\(\s*['"]elastic-apm-node['"]\s*\)\s*\.\s*start\s*\(/g,
  },
  { name: 'PostHog error tracking', packages: ['posthog-node'], init: /\benableExceptionAutocapture\s*:\s*true/g },
];

/** Preloading an agent from a script: `node -r dd-trace/init`, `--import @sentry/node/preload`. */
export const PRELOADED_AGENT = /(?:-r|--require|--import)[\s=]+['"]?(dd-trace|newrelic|@sentry\/|@opentelemetry\/|elastic-apm-node)/;

/** Agent configuration in infra files (Dockerfile, compose, Kubernetes, Terraform). */
export const INFRA_TRACKING = /\b(DD_API_KEY|DD_AGENT_HOST|DD_TRACE_ENABLED|datadog\/agent|NEW_RELIC_LICENSE_KEY|OTEL_EXPORTER_OTLP_ENDPOINT|instrumentation\.opentelemetry\.io\/inject-nodejs|SENTRY_DSN)\b/g;

export const REQUEST_ID_PACKAGES = ['pino-http', 'express-request-id', 'cls-rtracer', 'express-correlation-id', 'correlation-id', '@fastify/request-context', 'nestjs-cls', 'nestjs-pino', 'hono-request-id'];

export const RATE_LIMIT_PACKAGES = [
  'express-rate-limit',
  'express-slow-down',
  'rate-limiter-flexible',
  '@upstash/ratelimit',
  'hono-rate-limiter',
  '@hono-rate-limiter/',
  '@fastify/rate-limit',
  'fastify-rate-limit',
  '@nestjs/throttler',
  'express-brute',
  'koa-ratelimit',
  '@arcjet/',
  '@unkey/ratelimit',
  'next-rate-limit',
];

export const SECURITY_HEADER_PACKAGES = ['helmet', '@fastify/helmet', 'fastify-helmet', 'koa-helmet', 'next-secure-headers', '@next-safe/middleware', 'lusca'];

/** Middleware imported by subpath (`hono/secure-headers`): the package name alone proves nothing. */
export const SECURITY_HEADER_IMPORTS = /['"](hono\/secure-headers|@elysiajs\/helmet|elysia-helmet)['"]/g;

export const CORS_PACKAGES = ['cors', '@fastify/cors', 'fastify-cors', '@koa/cors', '@elysiajs/cors'];

/** Hosted identity providers: user accounts exist even without a users table. */
export const HOSTED_AUTH_PACKAGES = ['@clerk/', '@auth0/', 'firebase', 'firebase-admin', '@supabase/supabase-js', '@supabase/ssr', '@kinde-oss/', '@workos-inc/', '@stytch/', 'stytch'];

/** Libraries that mean the app stores its own accounts (passwords, sessions, adapters). */
export const ACCOUNT_PACKAGES = ['bcrypt', 'bcryptjs', 'argon2', '@node-rs/argon2', '@node-rs/bcrypt', 'passport-local', 'lucia', 'better-auth', 'next-auth', '@auth/core', '@auth/prisma-adapter', '@auth/drizzle-adapter', '@next-auth/prisma-adapter'];

/** Databases with schemas that migrations manage. */
export const SQL_DATABASE_PACKAGES = [
  'prisma',
  '@prisma/client',
  'drizzle-orm',
  'knex',
  'sequelize',
  'typeorm',
  '@mikro-orm/core',
  'kysely',
  'pg',
  'postgres',
  'mysql',
  'mysql2',
  'better-sqlite3',
  'sqlite3',
  '@libsql/client',
  '@neondatabase/serverless',
  '@vercel/postgres',
  '@planetscale/database',
  '@supabase/supabase-js',
  '@supabase/ssr',
];

export const DOCUMENT_DATABASE_PACKAGES = ['mongoose', 'mongodb', '@typegoose/typegoose', 'firebase-admin', 'dynamoose', '@aws-sdk/client-dynamodb'];

export const SUPABASE_PACKAGES = ['@supabase/supabase-js', '@supabase/ssr', '@supabase/auth-helpers-nextjs', 'supabase'];

/** SDKs whose calls cost money per request. */
export const PAID_API_PACKAGES = [
  'openai',
  '@anthropic-ai/sdk',
  '@google/generative-ai',
  '@google/genai',
  '@google-cloud/vertexai',
  '@google-cloud/aiplatform',
  '@aws-sdk/client-bedrock-runtime',
  '@ai-sdk/openai',
  '@ai-sdk/anthropic',
  '@ai-sdk/google',
  '@ai-sdk/mistral',
  '@langchain/openai',
  '@langchain/anthropic',
  'replicate',
  'cohere-ai',
  '@mistralai/mistralai',
  'groq-sdk',
  'together-ai',
  '@fal-ai/client',
  '@fal-ai/serverless-client',
  'elevenlabs',
  '@elevenlabs/elevenlabs-js',
  'assemblyai',
  '@deepgram/sdk',
  'twilio',
];

/** Caches that can sit in front of a paid call. */
export const CACHE_PACKAGES = ['lru-cache', 'node-cache', '@isaacs/ttlcache', 'keyv', 'cache-manager', '@upstash/redis', 'ioredis', 'redis', '@vercel/kv', 'quick-lru', 'p-memoize'];

/** Environment variables the platform sets: code may read them without documenting them. */
export const PLATFORM_ENV = /^(NODE_ENV|CI|PORT|HOST|HOSTNAME|TZ|PWD|HOME|PATH|npm_.*|VERCEL|VERCEL_.*|NEXT_RUNTIME|NEXT_PHASE|GITHUB_.*|RENDER|RENDER_.*|FLY_.*|RAILWAY_.*|HEROKU_.*|DYNO|K_SERVICE|K_REVISION|AWS_REGION|AWS_LAMBDA_.*|NETLIFY|CONTEXT|DEPLOY_URL|URL)$/;
