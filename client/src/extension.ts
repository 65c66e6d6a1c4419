// The VS Code extension: starts the bundled language server over IPC, shows its
// status and the production-readiness scorecard (a view in the Shipshape activity
// bar container, an editor panel, a status bar score), and contributes the
// Shipshape commands. Everything about findings and
// fixes comes from the server; this file only wires VS Code to it.
import * as vscode from 'vscode';
import { type DocumentSelector, ExecuteCommandRequest, LanguageClient, type LanguageClientOptions, type ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { ClientCommand, FindingsRequest, type InitializationOptions, ScorecardChangedNotification, ServerCommand, StatusNotification } from '../../server/src/protocol';
import { RestartPolicy } from './restartPolicy';
import { RULE_DOCS_SCHEME, RuleDocsProvider, ruleDocsUri } from './ruleDocs';
import { SCORECARD_PANEL_TYPE, SCORECARD_VIEW_ID, ScorecardController } from './scorecard/panel';
import { StatusItem } from './status';

/**
 * The files the server analyzes: JS/TS by language, and the other kinds the
 * engine reads (SQL migrations, Prisma schemas, env files, Dockerfiles, CI YAML,
 * JSON such as package.json and .shipshape.json) by name; plus `.gitignore`.
 */
const DOCUMENT_SELECTOR: DocumentSelector = [
  ...['javascript', 'javascriptreact', 'typescript', 'typescriptreact'].map((language) => ({ scheme: 'file', language })),
  { scheme: 'file', pattern: '**/*.{sql,prisma,yml,yaml,json}' },
  { scheme: 'file', pattern: '**/.env*' },
  // Not analyzed, but an unsaved edit to it changes what counts as ignored.
  { scheme: 'file', pattern: '**/.gitignore' },
  { scheme: 'file', pattern: '**/{Dockerfile,Dockerfile.*,*.dockerfile}' },
];

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Shipshape', { log: true });
  const status = new StatusItem();
  const restartPolicy = new RestartPolicy();
  context.subscriptions.push(output, status);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--enable-source-maps', '--inspect=6011'] } },
  };
  const initializationOptions: InitializationOptions = { showRuleDocsCommand: true };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    diagnosticCollectionName: 'shipshape',
    outputChannel: output,
    initializationOptions,
    errorHandler: restartPolicy,
  };
  const languageClient = new LanguageClient('shipshape', 'Shipshape', serverOptions, clientOptions);
  client = languageClient;
  const scorecard = new ScorecardController(languageClient, context.extensionUri, output, (shown) => status.setScoreShown(shown));
  context.subscriptions.push(scorecard);

  context.subscriptions.push(
    languageClient.onNotification(StatusNotification.method, (raw: unknown) => {
      const parsed = StatusNotification.schema.safeParse(raw);
      if (!parsed.success) {
        output.warn(`ignoring an invalid ${StatusNotification.method} notification: ${parsed.error.message}`);
        return;
      }
      status.update(parsed.data);
      scorecard.statusChanged(parsed.data);
    }),
    languageClient.onNotification(ScorecardChangedNotification.method, (raw: unknown) => {
      const parsed = ScorecardChangedNotification.schema.safeParse(raw);
      if (parsed.success) scorecard.scorecardChanged(parsed.data);
      else output.warn(`ignoring an invalid ${ScorecardChangedNotification.method} notification: ${parsed.error.message}`);
    }),
    languageClient.onDidChangeState((event) => {
      const state = event.newState === State.Running ? 'running' : event.newState === State.Starting ? 'starting' : 'stopped';
      status.serverState(state);
      scorecard.serverStateChanged(state);
    }),
    vscode.window.registerWebviewViewProvider(SCORECARD_VIEW_ID, { resolveWebviewView: (view) => scorecard.resolveView(view) }, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.window.registerWebviewPanelSerializer(SCORECARD_PANEL_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => scorecard.revivePanel(panel, state),
    }),
    vscode.commands.registerCommand(ClientCommand.openScorecard, () => scorecard.openPanel()),
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCS_SCHEME, new RuleDocsProvider(() => client)),

    vscode.commands.registerCommand(ClientCommand.showOutput, () => output.show()),
    vscode.commands.registerCommand(ClientCommand.restartServer, async () => {
      restartPolicy.reset();
      if (languageClient.state === State.Stopped) await languageClient.start();
      else await languageClient.restart();
    }),
    vscode.commands.registerCommand(ClientCommand.analyzeWorkspace, async () => {
      const result: unknown = await languageClient.sendRequest(ExecuteCommandRequest.type, { command: ServerCommand.analyzeWorkspace, arguments: [] });
      const files = typeof result === 'object' && result !== null && 'files' in result && typeof result.files === 'number' ? result.files : undefined;
      if (files !== undefined) void vscode.window.showInformationMessage(`Shipshape analyzed ${files.toLocaleString()} files.`);
    }),
    vscode.commands.registerCommand(ClientCommand.fixAll, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Open a file to fix its safe Shipshape problems.');
        return;
      }
      const document = editor.document;
      const result: unknown = await languageClient.sendRequest(ExecuteCommandRequest.type, {
        command: ServerCommand.fixAll,
        arguments: [{ uri: languageClient.code2ProtocolConverter.asUri(document.uri), version: document.version }],
      });
      const applied = typeof result === 'object' && result !== null && 'applied' in result && typeof result.applied === 'number' ? result.applied : 0;
      if (applied === 0) void vscode.window.showInformationMessage('Shipshape found no safe fixes to apply in this file.');
    }),
    vscode.commands.registerCommand(ClientCommand.showRuleDocs, async (ruleId?: unknown) => {
      const id = typeof ruleId === 'string' ? ruleId : await pickRule(languageClient);
      if (id === undefined) return;
      const uri = ruleDocsUri(id);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
      } catch {
        // No Markdown preview (the built-in extension is disabled): show the source.
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      }
    }),
  );

  try {
    await languageClient.start();
  } catch (error) {
    output.error(`the Shipshape server did not start: ${error instanceof Error ? error.message : String(error)}`);
    status.serverState('stopped');
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.isRunning()) await running.stop();
}

async function pickRule(languageClient: LanguageClient): Promise<string | undefined> {
  const raw: unknown = await languageClient.sendRequest(FindingsRequest.method, {});
  const parsed = FindingsRequest.result.safeParse(raw);
  if (!parsed.success) return undefined;
  const picked = await vscode.window.showQuickPick(
    parsed.data.rules.map((rule) => ({ label: rule.id, description: rule.title, detail: rule.docs.summary })),
    { title: 'Shipshape: Show Rule Documentation', matchOnDescription: true },
  );
  return picked?.label;
}
