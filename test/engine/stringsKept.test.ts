// String-literal facts kept per top-level statement (facts/strings.ts): after edits in
// top-level objects, classes and functions, an incrementally analyzed file must give
// exactly the findings (fixes included) of a fresh analysis of the same text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../rules/index';
import { KNOWN_RULE_IDS } from '../../rules/meta';
import { Workspace } from '../../server/src/engine/workspace';
import { assertEditsMatchFresh, freshFindings } from '../support/freshAnalysis';
import { makeWorkspace } from '../support/tempWorkspace';

const makeRoot = (files: Record<string, string>): string => makeWorkspace(files, 'shipshape-strings-kept-');

const PACKAGE = JSON.stringify({ name: 'app', dependencies: { stripe: '^16.2.0' } });
const KEY = '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';

const TEXT = `import Stripe from 'stripe';

const config = {
  region: 'eu-west-1',
  stripeKey: process.env.STRIPE_SECRET_KEY,
};

export class Billing {
  label = 'billing';

  client() {
    const apiVersion = '2024-06-20';
    return new Stripe(process.env.STRIPE_SECRET_KEY ?? '', { apiVersion });
  }
}

export const stripe = new Stripe(config.stripeKey ?? '', { apiVersion: '2024-06-20' });
`;

type Edit = [find: string, replace: string];

/** Each edit applied after the previous ones: secrets appear and go in each kind of statement. */
const EDITS: Edit[] = [
  ['stripeKey: process.env.STRIPE_SECRET_KEY,', `stripeKey: '${KEY}',`],
  ["region: 'eu-west-1'", "region: 'eu-central-1'"],
  [`stripeKey: '${KEY}',`, 'stripeKey: process.env.STRIPE_SECRET_KEY,'],
  ["label = 'billing';", `label = 'billing';\n  secret = '${KEY}';`],
  [`  secret = '${KEY}';\n`, ''],
  ["new Stripe(process.env.STRIPE_SECRET_KEY ?? '', { apiVersion })", `new Stripe('${KEY}', { apiVersion })`],
  ["const apiVersion = '2024-06-20';", "const apiVersion = '2023-10-16';"],
  [`new Stripe('${KEY}', { apiVersion })`, "new Stripe(process.env.STRIPE_SECRET_KEY ?? '', { apiVersion })"],
  ["new Stripe(config.stripeKey ?? ''", `new Stripe('${KEY}'`],
];


const fresh = (text: string): string[] => freshFindings({ 'package.json': PACKAGE, 'src/billing.ts': text }, 'src/billing.ts');

test('after each edit, string-literal findings are those of a fresh analysis of the text', () => {
  const root = makeRoot({ 'package.json': PACKAGE, 'src/billing.ts': TEXT });
  const workspace = new Workspace(root, { rules: RULES, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  const counts = new Set(assertEditsMatchFresh(workspace, 'src/billing.ts', TEXT, EDITS, fresh).map((findings) => findings.length));
  assert.ok(counts.has(0) && counts.has(1), 'the edits add and remove secrets');
});
