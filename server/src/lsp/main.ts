// Entry of the language server (bundled to dist/server.js; `shipshape-lsp` on
// the command line). VS Code starts it over IPC; any other editor runs
// `shipshape-lsp --stdio`. Without a transport flag it speaks stdio.
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { RULES } from '../../../rules/index';
import { ALL_RULE_META, ruleDocsUrl } from '../../../rules/meta';
import { startServer } from './server';

const TRANSPORTS = ['--stdio', '--node-ipc', '--pipe', '--socket'];
if (!process.argv.some((arg) => TRANSPORTS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) process.argv.push('--stdio');

startServer(createConnection(ProposedFeatures.all), { rules: RULES, ruleMeta: ALL_RULE_META, docsUrl: ruleDocsUrl });
