// Shared by the CLI tests: run the built CLI (dist/cli.js, made by `npm run build`),
// make throwaway workspaces, and read what examples/shop-api promises.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export const REPO = join(__dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'cli.js');
export const SHOP = join(REPO, 'examples', 'shop-api');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js …` with stdout and stderr piped (so: no TTY, no colors, no progress). */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliRun {
  assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.SHIPSHAPE_DEBUG;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

export { makeWorkspace } from '../support/tempWorkspace';

/** A temp copy of examples/shop-api (outside any git repository). */
export function copyShop(): string {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-shop-'));
  temps.push(root);
  cpSync(SHOP, root, { recursive: true });
  return root;
}

export interface ExpectedFinding {
  path: string;
  line: number;
  ruleId: string;
}

/** The rows of examples/shop-api/expected-findings.json. */
export const EXPECTED: readonly ExpectedFinding[] = JSON.parse(readFileSync(join(SHOP, 'expected-findings.json'), 'utf8')) as ExpectedFinding[];

/** The rules expected-findings.json speaks for. */
export const COVERED_RULES: ReadonlySet<string> = new Set(EXPECTED.map((row) => row.ruleId));

/** `path:line  ok:<rule>` rows of EXPECTED.md for the covered rules: safe look-alikes that must not be reported. */
export const SAFE_LINES: readonly ExpectedFinding[] = [...readFileSync(join(SHOP, 'EXPECTED.md'), 'utf8').matchAll(/^(\S+):(\d+)\s+ok:([\w-]+)/gm)]
  .map((match) => ({ path: match[1] ?? '', line: Number(match[2]), ruleId: match[3] ?? '' }))
  .filter((row) => COVERED_RULES.has(row.ruleId));

/** The full secret literals planted in the sample app: no output may ever contain one. */
export const SHOP_SECRETS: readonly string[] = [
  secretIn('src/billing/stripe.ts', /'(sk_live_[A-Za-z0-9]+)'/),
  secretIn('src/lib/mailer.ts', /'(SG\.[\w-]+\.[\w-]+)'/),
  secretIn('src/middleware/auth.ts', /JWT_SECRET = '([^']+)'/),
];

function secretIn(path: string, pattern: RegExp): string {
  const secret = pattern.exec(readFileSync(join(SHOP, path), 'utf8'))?.[1];
  assert.ok(secret && secret.length >= 20, `no secret matching ${pattern} in ${path}`);
  return secret;
}

export const key = (row: ExpectedFinding): string => `${row.path}:${row.line} ${row.ruleId}`;

/** A tiny Express + node-postgres app whose one route splices a URL param into SQL. */
export const INJECTABLE_APP = {
  'package.json': JSON.stringify({ name: 'fix-demo', private: true, dependencies: { express: '^4.19.2', pg: '^8.11.0' } }, null, 2),
  'src/app.ts': [
    "import express from 'express';",
    "import { Pool } from 'pg';",
    '',
    'const pool = new Pool();',
    'const app = express();',
    '',
    "app.get('/users/:id', async (req, res) => {",
    '  const { rows } = await pool.query(`SELECT id, email FROM users WHERE id = ${req.params.id}`);',
    '  res.json(rows);',
    '});',
    '',
    'app.listen(3000);',
    '',
  ].join('\n'),
};

/** A file whose only finding is the engine's own `invalid-suppression` warning (no reason given). */
export const WARNING_ONLY = {
  'src/util.ts': '// shipshape-ignore-next-line sql-injection\nexport const answer = 42;\n',
};
