// The line index of an edited file is updated from the previous version's and the
// changed span (files/text.ts LineIndex.afterChange), not rebuilt: findings' line and
// column ranges after edits that add, join and split lines (\n, \r\n and lone \r) must
// be those of a fresh analysis of the same text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { Workspace } from '../../server/src/engine/workspace';
import { makeWorkspace } from '../support/tempWorkspace';

const PACKAGE = JSON.stringify({ name: 'shop', dependencies: { express: '^4.19.2', stripe: '^16.2.0' } });
const LIVE = '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';

const ROUTES = `import express, { type Request, type Response } from 'express';
import Stripe from 'stripe';

const app = express();

app.get('/api/health', (_req: Request, res: Response) => {
  res.json({ ok: true });
});

app.post('/api/pay', async (req: Request, res: Response) => {
  const stripe = new Stripe('${LIVE}', { apiVersion: '2024-06-20' });
  const intent = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
  res.json({ clientSecret: intent.client_secret });
});
`;

const files = (text: string): Record<string, string> => ({ 'package.json': PACKAGE, 'src/routes.ts': text });
const rangesOf = (workspace: Workspace): string[] => (workspace.analyzeFile('src/routes.ts')?.findings ?? []).map((finding) => `${finding.ruleId} ${JSON.stringify(finding.range)}`);

test("edits that add, join and split lines give the findings' line ranges of a fresh analysis", () => {
  const workspace = new Workspace(makeWorkspace(files(ROUTES), 'shipshape-edited-lines-'), { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  let text = ROUTES;
  workspace.setText('src/routes.ts', text);
  assert.ok(rangesOf(workspace).length > 0, 'the file has findings to place');
  const edits = [['const app = express();\n', 'const app = express();\r\n\n'], ['\r\n', '\r'], ["app.get('/api/health'", "\n\napp.get('/api/health'"], ['\r', ''], ['\n\n\n', '\n']] as const;
  for (const [find, replace] of edits) {
    text = text.replace(find, replace);
    workspace.setText('src/routes.ts', text);
    const fresh = new Workspace(makeWorkspace(files(text), 'shipshape-edited-lines-'), { rules: RULES, knownRules: KNOWN_RULE_IDS });
    assert.deepEqual(rangesOf(workspace), rangesOf(fresh), `after replacing ${JSON.stringify(find)}`);
  }
});
