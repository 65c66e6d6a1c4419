// The rules reference is generated (npm run docs); this fails when README.md's rule
// table or docs/rules/*.md no longer match the rule meta, without writing anything.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULE_META } from '../rules/meta';
import { MINIMAL_README, planDocs, renderRuleTable, replaceRuleTable, RULES_END, RULES_START, rulePagePath } from '../scripts/rulesReference';

const root = join(__dirname, '..');
const STALE = 'is stale: run `npm run docs` and commit the result';

test('README.md rule table and docs/rules/*.md match the rule meta', () => {
  const plan = planDocs(root);
  for (const [path, expected] of plan.files) {
    const absolute = join(root, path);
    assert.ok(existsSync(absolute), `${path} is missing: run \`npm run docs\``);
    assert.equal(readFileSync(absolute, 'utf8'), expected, `${path} ${STALE}`);
  }
  assert.deepEqual(plan.stale, [], `pages for rules that no longer exist ${STALE}`);
});

test('every rule has a page and a table row', () => {
  const plan = planDocs(root);
  const table = renderRuleTable(ALL_RULE_META);
  for (const meta of ALL_RULE_META) {
    assert.ok(plan.files.has(rulePagePath(meta.id)), meta.id);
    assert.match(table, new RegExp(`\\[\`${meta.id}\`\\]\\(${rulePagePath(meta.id)}\\)`));
  }
});

test('only the text between the markers is replaced', () => {
  const readme = `# Title\n\nIntro.\n\n${RULES_START}\nold table\n${RULES_END}\n\nMore text.\n`;
  const updated = replaceRuleTable(readme, 'NEW');
  assert.equal(updated, `# Title\n\nIntro.\n\n${RULES_START}\nNEW\n${RULES_END}\n\nMore text.\n`);
  assert.equal(replaceRuleTable(updated, 'NEW'), updated, 'idempotent');
  assert.throws(() => replaceRuleTable('# no markers\n', 'NEW'), /markers/);
  assert.ok(MINIMAL_README.indexOf(RULES_START) < MINIMAL_README.indexOf(RULES_END));
});
