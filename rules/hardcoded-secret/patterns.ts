// What a secret looks like, provider by provider, and which names mark a value as
// one. Data only: supporting a new provider is adding a row here (and a fixture).
import type { Severity } from '../../server/src/engine/types';

export interface ProviderPattern {
  /** What the secret is, as messages name it. */
  label: string;
  /** What anyone holding it can do: completes "anyone who can read it can …". */
  impact: string;
  /** Conventional environment variable name (used when the code gives no better one). */
  envName: string;
  /** A substring every match contains, so most strings never reach the regex. Empty for name-gated patterns. */
  hint: string;
  /** The secret. Global, anchored on the provider's prefix where it has one. */
  pattern: RegExp;
  /** Leading characters a message may show: the fixed prefix, never random characters. */
  visiblePrefix: number;
  /** Test-mode or identifier-only credentials are reported at a lower severity. */
  severity?: Severity;
  /** Bare base64/hex secrets are only secrets when their name says so (words of the bound name). */
  requiresName?: (words: readonly string[]) => boolean;
  /** A further check on the match (a JWT's role claim, a URL's password and host). */
  accept?: (match: RegExpExecArray) => boolean;
  /** The random part, checked for placeholders (`sk_live_xxxx…`); by default everything after the visible prefix. */
  secretPart?: (match: RegExpExecArray) => string;
  /** How messages show the match, when a prefix is not enough (database URLs show user and host). */
  redact?: (match: RegExpExecArray) => string;
  /** Keys that mark an object as a configuration meant for browsers (a Firebase web config), where this value is public by design. */
  publicAmongKeys?: readonly string[];
  /** Name words that declare the value public by design. */
  publicWhenNamed?: readonly string[];
}

// Secrets end where a token character would continue them.
const END = '(?![A-Za-z0-9_-])';

/** Ordered: where two patterns match the same text, the earlier (more specific) row wins. */
export const PROVIDER_PATTERNS: readonly ProviderPattern[] = [
  {
    label: 'PEM private key',
    impact: 'sign requests, tokens or commits as your service and decrypt what was encrypted for it',
    envName: 'PRIVATE_KEY',
    hint: 'PRIVATE KEY-----',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    visiblePrefix: 0,
    accept: (match) => pemBody(match[0]).length >= 64,
    secretPart: (match) => pemBody(match[0]),
    redact: (match) => `${/^-----BEGIN [A-Z0-9 ]+-----/.exec(match[0])?.[0] ?? '-----BEGIN PRIVATE KEY-----'}…`,
  },
  {
    label: 'Supabase service-role key',
    impact: 'read and write every table with row-level security bypassed',
    envName: 'SUPABASE_SERVICE_ROLE_KEY',
    hint: 'eyJ',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g,
    visiblePrefix: 3,
    accept: (match) => jwtRole(match[0]) === 'service_role',
  },
  {
    label: 'Supabase secret key',
    impact: 'read and write every table with row-level security bypassed',
    envName: 'SUPABASE_SECRET_KEY',
    hint: 'sb_secret_',
    pattern: new RegExp(`(?<![A-Za-z0-9])sb_secret_[A-Za-z0-9_-]{20,}${END}`, 'g'),
    visiblePrefix: 10,
  },
  {
    label: 'Stripe live secret key',
    impact: 'charge cards, issue refunds and read every customer on your Stripe account',
    envName: 'STRIPE_SECRET_KEY',
    hint: 'sk_live_',
    pattern: /(?<![A-Za-z0-9])sk_live_[A-Za-z0-9]{20,}(?![A-Za-z0-9])/g,
    visiblePrefix: 8,
  },
  {
    label: 'Stripe live restricted key',
    impact: 'use every Stripe permission granted to this key on your live account',
    envName: 'STRIPE_RESTRICTED_KEY',
    hint: 'rk_live_',
    pattern: /(?<![A-Za-z0-9])rk_live_[A-Za-z0-9]{20,}(?![A-Za-z0-9])/g,
    visiblePrefix: 8,
  },
  {
    label: 'Stripe test-mode secret key',
    impact: 'read and change your Stripe test-mode data (and it shows live keys are likely kept the same way)',
    envName: 'STRIPE_SECRET_KEY',
    hint: 'k_test_',
    pattern: /(?<![A-Za-z0-9])[sr]k_test_[A-Za-z0-9]{20,}(?![A-Za-z0-9])/g,
    visiblePrefix: 8,
    severity: 'warning',
  },
  {
    label: 'Stripe webhook signing secret',
    impact: 'forge Stripe webhook events, such as a payment that never happened',
    envName: 'STRIPE_WEBHOOK_SECRET',
    hint: 'whsec_',
    pattern: /(?<![A-Za-z0-9])whsec_[A-Za-z0-9+/=]{24,}(?![A-Za-z0-9])/g,
    visiblePrefix: 6,
  },
  {
    label: 'AWS access key id',
    impact: 'act on your AWS account with this identity, together with its secret key (usually stored next to it)',
    envName: 'AWS_ACCESS_KEY_ID',
    hint: 'IA',
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    visiblePrefix: 4,
  },
  {
    label: 'AWS secret access key',
    impact: 'act on your AWS account with every permission of this identity',
    envName: 'AWS_SECRET_ACCESS_KEY',
    hint: '',
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    visiblePrefix: 0,
    requiresName: (words) => words.includes('aws') || (words.includes('secret') && words.includes('access')),
    accept: (match) => /[0-9]/.test(match[0]) && /[a-z]/.test(match[0]) && /[A-Z]/.test(match[0]),
  },
  {
    label: 'GitHub token',
    impact: 'read and push to your repositories with this token’s scopes',
    envName: 'GITHUB_TOKEN',
    hint: 'gh',
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}(?![A-Za-z0-9])/g,
    visiblePrefix: 4,
  },
  {
    label: 'GitHub fine-grained token',
    impact: 'read and push to your repositories with this token’s permissions',
    envName: 'GITHUB_TOKEN',
    hint: 'github_pat_',
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}(?![A-Za-z0-9])/g,
    visiblePrefix: 11,
  },
  {
    label: 'Anthropic API key',
    impact: 'run up your Anthropic bill and read what your app sends',
    envName: 'ANTHROPIC_API_KEY',
    hint: 'sk-ant-',
    pattern: new RegExp(`(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{32,}${END}`, 'g'),
    visiblePrefix: 7,
  },
  {
    label: 'OpenAI project key',
    impact: 'run up your OpenAI bill and read your project’s files and assistants',
    envName: 'OPENAI_API_KEY',
    hint: 'sk-proj-',
    pattern: new RegExp(`(?<![A-Za-z0-9_-])sk-proj-[A-Za-z0-9_-]{20,}${END}`, 'g'),
    visiblePrefix: 8,
  },
  {
    label: 'OpenAI service-account key',
    impact: 'run up your OpenAI bill and read your project’s files and assistants',
    envName: 'OPENAI_API_KEY',
    hint: 'sk-svcacct-',
    pattern: new RegExp(`(?<![A-Za-z0-9_-])sk-svcacct-[A-Za-z0-9_-]{20,}${END}`, 'g'),
    visiblePrefix: 11,
  },
  {
    label: 'OpenAI API key',
    impact: 'run up your OpenAI bill and read your organisation’s files and assistants',
    envName: 'OPENAI_API_KEY',
    hint: 'sk-',
    pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{32,}(?![A-Za-z0-9_-])/g,
    visiblePrefix: 3,
  },
  {
    label: 'Slack bot token',
    impact: 'read channels and post as your Slack app',
    envName: 'SLACK_BOT_TOKEN',
    hint: 'xoxb-',
    pattern: /(?<![A-Za-z0-9])xoxb-[0-9A-Za-z-]{20,}(?![A-Za-z0-9])/g,
    visiblePrefix: 5,
  },
  {
    label: 'Slack user token',
    impact: 'read and post as the Slack user who installed your app',
    envName: 'SLACK_USER_TOKEN',
    hint: 'xoxp-',
    pattern: /(?<![A-Za-z0-9])xoxp-[0-9A-Za-z-]{20,}(?![A-Za-z0-9])/g,
    visiblePrefix: 5,
  },
  {
    label: 'Slack token',
    impact: 'act on your Slack workspace with this token’s scopes',
    envName: 'SLACK_TOKEN',
    hint: 'xox',
    pattern: /(?<![A-Za-z0-9])xox[ars]-[0-9A-Za-z-]{20,}(?![A-Za-z0-9])/g,
    visiblePrefix: 5,
  },
  {
    label: 'Slack webhook URL',
    impact: 'post any message, including phishing links, into your Slack channel',
    envName: 'SLACK_WEBHOOK_URL',
    hint: 'hooks.slack.com/',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,}/g,
    visiblePrefix: 33,
  },
  {
    label: 'Google API key',
    impact: 'call the Google APIs this key is enabled for, billed to your project',
    envName: 'GOOGLE_API_KEY',
    hint: 'AIza',
    pattern: new RegExp(`(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}${END}`, 'g'),
    visiblePrefix: 4,
    publicAmongKeys: ['authDomain', 'messagingSenderId', 'storageBucket'],
    publicWhenNamed: ['firebase'],
  },
  {
    label: 'SendGrid API key',
    impact: 'send email as your domain, phishing included, and read your contact lists',
    envName: 'SENDGRID_API_KEY',
    hint: 'SG.',
    pattern: new RegExp(`(?<![A-Za-z0-9_-])SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}${END}`, 'g'),
    visiblePrefix: 3,
  },
  {
    label: 'Twilio API key',
    impact: 'send SMS and place calls billed to your Twilio account',
    envName: 'TWILIO_API_KEY',
    hint: 'SK',
    pattern: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/g,
    visiblePrefix: 2,
  },
  {
    label: 'Twilio account SID',
    impact: 'identify your Twilio account; with the auth token usually kept next to it, send SMS billed to you',
    envName: 'TWILIO_ACCOUNT_SID',
    hint: 'AC',
    pattern: /(?<![A-Za-z0-9])AC[0-9a-f]{32}(?![A-Za-z0-9])/g,
    visiblePrefix: 2,
    severity: 'warning',
  },
  {
    label: 'Twilio auth token',
    impact: 'send SMS and place calls billed to your Twilio account',
    envName: 'TWILIO_AUTH_TOKEN',
    hint: '',
    pattern: /(?<![A-Za-z0-9])[0-9a-f]{32}(?![A-Za-z0-9])/g,
    visiblePrefix: 0,
    requiresName: (words) => words.includes('twilio'),
  },
  databaseUrl('PostgreSQL connection URL with a password', 'DATABASE_URL', 'postgres(?:ql)?'),
  databaseUrl('MySQL connection URL with a password', 'DATABASE_URL', 'mysql|mariadb'),
  databaseUrl('MongoDB connection URL with a password', 'MONGODB_URI', 'mongodb(?:\\+srv)?'),
  databaseUrl('Redis connection URL with a password', 'REDIS_URL', 'rediss?'),
  databaseUrl('SQL Server connection URL with a password', 'DATABASE_URL', 'mssql|sqlserver'),
  databaseUrl('AMQP connection URL with a password', 'AMQP_URL', 'amqps?'),
];

/** Hosts that only exist on a developer's machine: credentials for them open nothing in production. */
export const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]', 'host.docker.internal']);

function databaseUrl(label: string, envName: string, schemes: string): ProviderPattern {
  return {
    label,
    impact: 'connect to your database directly and read or delete every row',
    envName,
    hint: '://',
    // scheme://user:password@host[:port][/db][?options]; Redis URLs often have no user
    pattern: new RegExp(`(?<![A-Za-z0-9+.-])(${schemes})://([^\\s:@/'"\`]*):([^\\s@/'"\`]+)@(\\[[0-9a-fA-F:.]+\\]|[^\\s/?#'"\`:]+)[^\\s'"\`]*`, 'gi'),
    visiblePrefix: 0,
    // a password equal to the user name (postgres:postgres) is a local default, not a credential
    accept: (match) => !LOCAL_HOSTS.has((match[4] ?? '').toLowerCase()) && match[3] !== match[2],
    secretPart: (match) => match[3] ?? '',
    redact: (match) => `${match[1]}://${match[2]}:…@${match[4]}`,
  };
}

/** Values that look like keys but are meant to be public: never secrets, whatever they are bound to. */
export const PUBLISHABLE_VALUES: readonly RegExp[] = [
  /^pk_(?:live|test)_[A-Za-z0-9]+$/, // Stripe (and Clerk) publishable keys
  /^sb_publishable_[A-Za-z0-9_-]+$/, // Supabase publishable key
];

/** JWT roles that are public by design (the Supabase anon key ships to every browser). */
export const PUBLIC_JWT_ROLES: ReadonlySet<string> = new Set(['anon']);

/**
 * A name is secret-like when its last one, two or three words, glued, are one of
 * these (`password`, `jwt_secret`, `stripeSecretKey`, `x-api-key`, `AUTH_TOKEN`).
 * Qualifiers after the secret word (`passwordHash`, `tokenUrl`, `secretName`)
 * make the value something else, so only endings count.
 */
export const SECRET_NAME_ENDINGS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'authkey',
  'servicekey',
  'servicerolekey',
  'appkey',
  'sessionkey',
  'credential',
  'credentials',
  'authorization',
]);

/** What a named secret opens, by the ending of its name; completes "anyone who can read it can …". */
export const NAMED_SECRET_IMPACTS: readonly { endings: readonly string[]; impact: string }[] = [
  { endings: ['password', 'passwd', 'pwd', 'pass', 'passphrase', 'credential', 'credentials'], impact: 'log in with it' },
  { endings: ['jwtsecret', 'sessionsecret', 'cookiesecret', 'hmacsecret', 'signingsecret', 'webhooksecret'], impact: 'forge the sessions, tokens or signatures it protects, and so act as any user' },
  { endings: ['privatekey', 'signingkey', 'encryptionkey', 'masterkey', 'secretkey', 'sessionkey'], impact: 'sign as your app or decrypt what it encrypted' },
  { endings: ['token', 'apikey', 'accesskey', 'authkey', 'appkey', 'servicekey', 'servicerolekey', 'authorization'], impact: 'call the service as your app, on your bill' },
  { endings: ['secret'], impact: 'act as your app wherever the secret is accepted' },
];

/** Generic names spelled the way environment variables usually are. */
export const CANONICAL_GENERIC_NAMES: Readonly<Record<string, string>> = {
  pass: 'password',
  pwd: 'password',
  passwd: 'password',
  authorization: 'apiToken',
  bearer: 'apiToken',
};

/** Words that declare a value is not a real secret, or is public on purpose (`TEST_PASSWORD`, `publicKey`, `anonKey`). */
export const NON_SECRET_NAME_WORDS: ReadonlySet<string> = new Set(['public', 'publishable', 'anon', 'example', 'sample', 'placeholder', 'dummy', 'fake', 'mock', 'test', 'demo']);

/** Call arguments that are secrets by position, named for messages and for the environment variable. */
export const SECRET_ARGUMENTS: readonly { callee: RegExp; index: number; name: string }[] = [
  { callee: /(?:^|\.)(?:jwt|jsonwebtoken)\.(?:sign|verify)$/, index: 1, name: 'jwtSecret' },
  { callee: /(?:^|\.)createHmac$/, index: 1, name: 'hmacSecret' },
  { callee: /^cookieParser$/, index: 0, name: 'cookieSecret' },
  { callee: /^(?:twilio|Twilio|twilio\.Twilio)$/, index: 1, name: 'twilioAuthToken' },
  { callee: /(?:^|\.)setApiKey$/, index: 0, name: 'apiKey' },
];

/**
 * Name words too general to name an environment variable on their own: `apiKey`
 * in `new OpenAI({ apiKey })` becomes OPENAI_API_KEY (the provider), and
 * `password` in `const db = { password }` becomes DB_PASSWORD (the container).
 */
export const GENERIC_NAME_WORDS: ReadonlySet<string> = new Set([
  'api',
  'key',
  'secret',
  'token',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'auth',
  'access',
  'client',
  'private',
  'value',
  'credential',
  'credentials',
  'authorization',
  'bearer',
  'x',
  'my',
  'the',
  'default',
  'connection',
  'string',
  'url',
  'uri',
  'dsn',
]);

/** Container names that say nothing about what the secret is for (`config`, `options`, `auth`). */
export const GENERIC_CONTAINER_WORDS: ReadonlySet<string> = new Set([
  'config',
  'configuration',
  'conf',
  'options',
  'opts',
  'settings',
  'params',
  'props',
  'credentials',
  'creds',
  'auth',
  'secrets',
  'keys',
  'env',
  'headers',
  'init',
  'data',
  'body',
  'payload',
  'default',
]);

/** Tests, stories and mocks: full of fake credentials by design; only real provider keys are reported there. */
export const TEST_FILE = /(?:^|\/)(?:__tests__|__mocks__|__fixtures__|tests?|spec|e2e|cypress|playwright|fixtures?|stories)\/|\.(?:test|spec|stories|story|e2e|cy)\.[cm]?[jt]sx?$/;

/** Env files meant to be committed as documentation of the variables, with placeholder values. */
export const EXAMPLE_ENV_FILE = /(?:^|\/)\.env(?:\.[^/]+)?\.(?:example|sample|template|dist|defaults)$/;

/** Authorization header schemes; the credential after them is the secret. */
export const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot)\s+(?=\S+$)/i;

/** The base64 body of a PEM block (headers, whitespace and escaped newlines removed). */
export function pemBody(block: string): string {
  return block
    .replace(/-----(?:BEGIN|END)[^-]*-----/g, '')
    .replace(/^[A-Za-z-]+:.*$/gm, '') // Proc-Type / DEK-Info headers of encrypted keys
    .replace(/\\n|\s/g, '');
}

/** The `role` claim of a JWT, or undefined when the payload is not readable JSON. */
export function jwtRole(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return undefined;
    const role = (claims as Record<string, unknown>).role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}
