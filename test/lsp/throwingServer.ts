// The real server with one extra rule that throws on files containing
// "explode" — composed here, in the test tree, through the same `startServer`
// entry production uses. No hook, flag or environment variable in the shipped
// server enables it. Run with `node --import tsx test/lsp/throwingServer.ts --stdio`.
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { RULES } from '../../rules/index';
import { ALL_RULE_META, ruleDocsUrl } from '../../rules/meta';
import { defineRule } from '../../server/src/engine/rule';
import { startServer } from '../../server/src/lsp/server';

export const THROWING_RULE_ID = 'test-throwing-rule';

const throwing = defineRule({
  meta: {
    id: THROWING_RULE_ID,
    title: 'Throws on purpose',
    dimension: 'reliability',
    defaultSeverity: 'warning',
    fileKinds: ['ts', 'tsx', 'js', 'jsx'],
    docs: { summary: 'Throws on files containing "explode".', why: 'Tests rule isolation.', howToFix: 'Nothing.', references: [] },
    fixes: [],
  },
  check(context) {
    if (context.file.text.includes('explode')) throw new Error('boom from the throwing test rule');
  },
});

if (require.main === module) {
  startServer(createConnection(ProposedFeatures.all), { rules: [...RULES, throwing], ruleMeta: [...ALL_RULE_META, throwing.meta], docsUrl: ruleDocsUrl });
}
