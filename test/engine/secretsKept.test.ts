// hardcoded-secret judgements kept per statement and function across edits
// (facts/strings.ts LiteralJudgement): after any edit, an incrementally analyzed file
// must give exactly the findings (fixes included) of a fresh analysis of the same
// texts. The edits change what names a secret (its variable, its object's other keys,
// the call it is passed to), move findings by editing above them, add and remove
// secrets in handlers, top-level objects and class members, and change the .env and
// .gitignore files the fix reads; a test file is judged by its own standard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { Workspace } from '../../server/src/engine/workspace';
import { assertEditsMatchFresh, assertTypingMatchesFresh, findingsOf, freshFindings } from '../support/freshAnalysis';
import { makeWorkspace } from '../support/tempWorkspace';

const PACKAGE = JSON.stringify({ name: 'shop', dependencies: { express: '^4.19.2', stripe: '^16.2.0', jsonwebtoken: '^9.0.0' } });
const LIVE = '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';
const TEST_KEY = 'sk_test_51iSktM6HQFw1W0Ga2NzTHinGcFwS6zuFA4bCceIExBF0xYEZdGNENRip0u4OIp81vGnw57pDFCjRtB0G8G9ZGSkPBbv4R8gH0D';
const RANDOM = 'q8Vz3LmR7tXw2KpN9cYh4FsJ';
const FIREBASE = 'AIzaSyD3x9Kq7L2mN8pR4tV6wY1zB5cF0hJ3kM';

const ROUTES = `import express, { type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import Stripe from 'stripe';

const app = express();
const config = {
  region: 'eu-west-1',
  label: '${RANDOM}',
};
const firebaseConfig = {
  apiKey: '${FIREBASE}',
  projectId: 'shop-prod',
};

app.get('/api/health', (_req: Request, res: Response) => {
  res.json({ ok: true, service: 'orders', note: 'health check for the load balancer' });
});

app.post('/api/login', async (req: Request, res: Response) => {
  const greeting = '${RANDOM}';
  const token = jwt.sign({ sub: req.body.user }, 'not-a-secret', { expiresIn: '1h' });
  res.json({ token, greeting });
});

app.post('/api/pay', async (req: Request, res: Response) => {
  const stripe = new Stripe('${LIVE}', { apiVersion: '2024-06-20' });
  const intent = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
  res.json({ clientSecret: intent.client_secret });
});

export class Billing {
  label = 'billing';

  client() {
    const apiVersion = '2024-06-20';
    return new Stripe(process.env.STRIPE_SECRET_KEY ?? '', { apiVersion });
  }
}

app.listen(3000);
`;

type Edit = readonly [find: string, replace: string];

/** Each edit applied after the previous ones; most change what names a literal, not the literal. */
const EDITS: readonly Edit[] = [
  // the variable's name makes a random value a secret, and unmakes it
  [`const greeting = '${RANDOM}';`, `const jwtSecret = '${RANDOM}';`],
  ['res.json({ token, greeting });', 'res.json({ token, greeting: jwtSecret });'],
  [`const jwtSecret = '${RANDOM}';`, `const sessionSecret = '${RANDOM}';`],
  ['greeting: jwtSecret', 'greeting: sessionSecret'],
  // the call a literal is passed to names it
  ["jwt.sign({ sub: req.body.user }, 'not-a-secret'", `jwt.sign({ sub: req.body.user }, '${RANDOM}'`],
  ['jwt.sign(', 'jwt.decode('],
  ['jwt.decode(', 'jwt.sign('],
  // a top-level object's key, and its other keys (a Firebase web config is public)
  ['  label: ', '  password: '],
  ["  projectId: 'shop-prod',", "  serviceName: 'shop-prod',"],
  ["  serviceName: 'shop-prod',", "  projectId: 'shop-prod',"],
  // findings move when lines are added above them, and with a new statement between
  ["const app = express();", "const app = express();\nconst PORT = 3000;\n"],
  ["app.get('/api/health'", `const backup = '${LIVE}';\n\napp.get('/api/health'`],
  [`const backup = '${LIVE}';\n\n`, ''],
  // a class member, and a live key replaced by a test key
  ["label = 'billing';", `label = 'billing';\n  secret = '${TEST_KEY}';`],
  [`new Stripe('${LIVE}'`, `new Stripe('${TEST_KEY}'`],
  [`  secret = '${TEST_KEY}';\n`, ''],
];

const files = (text: string, extra: Record<string, string> = {}): Record<string, string> => ({ 'package.json': PACKAGE, 'src/routes.ts': text, ...extra });

const newWorkspace = (extra: Record<string, string> = {}): Workspace =>
  new Workspace(makeWorkspace(files(ROUTES, extra), 'shipshape-secrets-kept-'), { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });

const secretFindings = (findings: readonly string[]): string[] => findings.filter((finding) => finding.startsWith('hardcoded-secret '));

test('after each edit that renames, moves, adds or removes a secret, the findings are those of a fresh analysis', () => {
  const fresh = (text: string): string[] => freshFindings(files(text), 'src/routes.ts');
  const after = assertEditsMatchFresh(newWorkspace(), 'src/routes.ts', ROUTES, EDITS, fresh);
  const counts = new Set(after.map((findings) => secretFindings(findings).length));
  assert.ok(counts.size >= 3, `the edits change how many secrets are found: ${[...counts].join(', ')}`);
});

test('typing anywhere in the file gives the findings of a fresh analysis', () => {
  const fresh = (text: string): string[] => freshFindings(files(text), 'src/routes.ts');
  assertTypingMatchesFresh(newWorkspace(), 'src/routes.ts', ROUTES, 13, fresh);
});

test('a test file keeps its own judgements: a named random value is not a secret there, a live key is', () => {
  const path = 'src/routes.test.ts';
  const workspace = new Workspace(makeWorkspace({ 'package.json': PACKAGE, 'src/routes.ts': ROUTES, [path]: ROUTES }, 'shipshape-secrets-kept-'), { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  const edited = ROUTES.replace(`const greeting = '${RANDOM}';`, `const jwtSecret = '${RANDOM}';`);
  const fresh = (p: string, text: string): string[] => freshFindings({ 'package.json': PACKAGE, 'src/routes.ts': text, [path]: text }, p);
  for (const text of [ROUTES, edited]) {
    workspace.setText('src/routes.ts', text);
    workspace.setText(path, text);
    assert.deepEqual(findingsOf(workspace, 'src/routes.ts'), fresh('src/routes.ts', text));
    assert.deepEqual(findingsOf(workspace, path), fresh(path, text));
  }
  assert.notDeepEqual(secretFindings(findingsOf(workspace, 'src/routes.ts')), secretFindings(findingsOf(workspace, path)));
});

test('the fix follows the .env and .gitignore files while the judgement is kept', () => {
  const workspace = newWorkspace();
  const stages: Record<string, string>[] = [{}, { '.env': 'STRIPE_SECRET_KEY=\n' }, { '.env': 'STRIPE_SECRET_KEY=\n', '.gitignore': '.env\n' }, { '.gitignore': '.env\n', '.env.example': 'STRIPE_SECRET_KEY=\n' }];
  const fixes = new Set<string>();
  let previous: Record<string, string> = {};
  for (const stage of stages) {
    for (const path of Object.keys(previous)) if (!(path in stage)) workspace.removeText(path);
    for (const [path, text] of Object.entries(stage)) workspace.setText(path, text);
    previous = stage;
    const text = ROUTES.replace("region: 'eu-west-1'", `region: 'eu-west-${Object.keys(stage).length}'`);
    workspace.setText('src/routes.ts', text);
    const findings = findingsOf(workspace, 'src/routes.ts');
    assert.deepEqual(findings, freshFindings(files(text, stage), 'src/routes.ts'), `with ${Object.keys(stage).join(', ') || 'no env files'}`);
    fixes.add(secretFindings(findings).join('\n'));
  }
  assert.equal(fixes.size, stages.length, 'each stage proposes a different fix');
});
