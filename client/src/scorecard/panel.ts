// The scorecard in the editor: one controller that talks to the language server
// (`shipshape/scorecard`, `shipshape/scorecardChanged`, the applyFix command) and
// feeds every scorecard webview — the Shipshape view in the activity bar and the
// "Shipshape: Open Scorecard" editor panel, which a serializer restores after a
// reload — plus the status bar item with the score. The webviews render; this
// file validates what they ask for before it opens a file or applies a fix.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import {
  ApplyFixResultSchema,
  ClientCommand,
  type ScorecardChangedParams,
  ScorecardRequest,
  ServerCommand,
  type StatusParams,
} from '../../../server/src/protocol';
import { createNonce, scorecardHtml } from './html';
import { type HostMessage, type PanelStatus, SCORECARD_PANEL_TYPE, type ScorecardData, type WebviewMessage, WebviewMessageSchema, WebviewStateSchema, fixKey } from './messages';

export { SCORECARD_PANEL_TYPE, SCORECARD_VIEW_ID } from './messages';

type ServerState = 'starting' | 'running' | 'stopped';

export class ScorecardController implements vscode.Disposable {
  private readonly webviews = new Set<ScorecardWebview>();
  /** Latest score per folder (protocol URI), from `shipshape/scorecardChanged`. */
  private readonly summaries = new Map<string, ScorecardChangedParams>();
  private serverState: ServerState = 'starting';
  private status: StatusParams | undefined;
  private panel: vscode.WebviewPanel | undefined;
  private readonly scoreItem = new ScoreItem();
  private readonly disposables: vscode.Disposable[] = [];

  private lastAnalyzingPost = 0;

  constructor(
    private readonly client: LanguageClient,
    readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** Told whether the score item is in the status bar (the findings item then drops its shield). */
    private readonly onScoreShown: (shown: boolean) => void,
  ) {
    this.disposables.push(
      this.scoreItem,
      vscode.window.onDidChangeActiveTextEditor(() => this.renderScore()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.renderScore()),
    );
  }

  get mediaUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'media');
  }

  // ── server events ────────────────────────────────────────────────────────

  scorecardChanged(params: ScorecardChangedParams): void {
    this.summaries.set(params.folder, params);
    this.renderScore();
    for (const webview of this.webviews) if (webview.shows(params.folder)) void webview.refresh();
  }

  statusChanged(status: StatusParams): void {
    const wasAnalyzing = this.status?.state === 'analyzing';
    this.status = status;
    if (status.state === 'analyzing') {
      // Progress arrives every 100 ms during a scan; the panel's line needs far less.
      if (!wasAnalyzing || Date.now() - this.lastAnalyzingPost > 1000) {
        this.lastAnalyzingPost = Date.now();
        for (const webview of this.webviews) webview.post({ type: 'status', status: 'analyzing', detail: `${status.filesAnalyzed.toLocaleString()}/${status.filesTotal.toLocaleString()} files` });
      }
    } else if (status.state === 'disabled') for (const webview of this.webviews) webview.post({ type: 'status', status: 'disabled' });
    else if (wasAnalyzing) for (const webview of this.webviews) void webview.refresh();
    this.renderScore();
  }

  serverStateChanged(state: ServerState): void {
    this.serverState = state;
    if (state !== 'running') {
      this.summaries.clear();
      for (const webview of this.webviews) webview.post({ type: 'status', status: state });
    } else {
      for (const webview of this.webviews) void webview.refresh();
    }
    this.renderScore();
  }

  // ── views ────────────────────────────────────────────────────────────────

  /** `shipshape.openScorecard`: reveal the editor panel, creating it if needed. */
  openPanel(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(SCORECARD_PANEL_TYPE, 'Shipshape Scorecard', vscode.ViewColumn.Active, this.panelOptions());
    this.adoptPanel(panel, undefined);
  }

  /** A panel VS Code restored after a reload (its webview state holds the folder it showed). */
  revivePanel(panel: vscode.WebviewPanel, state: unknown): void {
    panel.webview.options = this.panelOptions();
    const parsed = WebviewStateSchema.safeParse(state ?? {});
    this.adoptPanel(panel, parsed.success ? parsed.data.folder : undefined);
  }

  resolveView(view: vscode.WebviewView): void {
    const webview = this.attach(view.webview, { beside: false, visible: () => view.visible, folder: undefined });
    // Hidden, the view loses its content (no retainContextWhenHidden); shown again, its script restores its state and asks ("ready").
    view.onDidDispose(() => webview.dispose());
  }

  dispose(): void {
    for (const webview of [...this.webviews]) webview.dispose();
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private panelOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.mediaUri], retainContextWhenHidden: false, enableFindWidget: true };
  }

  private adoptPanel(panel: vscode.WebviewPanel, folder: string | undefined): void {
    this.panel = panel;
    panel.iconPath = { light: vscode.Uri.joinPath(this.mediaUri, 'shipshape-light.svg'), dark: vscode.Uri.joinPath(this.mediaUri, 'shipshape.svg') };
    // Files open beside the panel, so the scorecard stays in view.
    const webview = this.attach(panel.webview, { beside: true, visible: () => panel.visible, folder });
    panel.onDidDispose(() => {
      webview.dispose();
      if (this.panel === panel) this.panel = undefined;
    });
  }

  private attach(webview: vscode.Webview, options: WebviewHostOptions): ScorecardWebview {
    const host = new ScorecardWebview(this, webview, options, () => this.webviews.delete(host));
    this.webviews.add(host);
    return host;
  }

  // ── what webviews ask for ────────────────────────────────────────────────

  /** The scorecard of `folder` (or the first folder), or why there is none. */
  async fetch(folder: string | undefined): Promise<ScorecardData | PanelStatus> {
    if (this.serverState !== 'running') return this.serverState;
    if ((vscode.workspace.workspaceFolders ?? []).length === 0) return 'noFolder';
    try {
      const raw: unknown = await this.client.sendRequest(ScorecardRequest.method, folder === undefined ? {} : { folder });
      const parsed = ScorecardRequest.result.safeParse(raw);
      if (!parsed.success) {
        this.log.warn(`ignoring an invalid ${ScorecardRequest.method} result: ${parsed.error.message}`);
        return 'error';
      }
      if (parsed.data === null) return folder === undefined ? (this.status?.state === 'disabled' ? 'disabled' : 'noFolder') : this.fetch(undefined);
      return parsed.data;
    } catch (error) {
      this.log.warn(`${ScorecardRequest.method} failed: ${error instanceof Error ? error.message : String(error)}`);
      return 'error';
    }
  }

  /** Opens `path` (folder-relative) at `line` (1-based) in a workspace folder. */
  async open(folder: string, path: string, line: number, beside: boolean): Promise<void> {
    const folderUri = this.workspaceFolder(folder);
    if (!folderUri) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folderUri, ...path.split('/')));
    const lineIndex = Math.min(line - 1, document.lineCount - 1);
    const position = new vscode.Position(lineIndex, document.lineAt(lineIndex).firstNonWhitespaceCharacterIndex);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true, viewColumn: beside ? vscode.ViewColumn.Beside : undefined });
  }

  /** Applies a fix through the server (verified, version-stamped edit via workspace/applyEdit). */
  async applyFix(fix: Extract<WebviewMessage, { type: 'fix' }>): Promise<{ applied: boolean; reason?: string }> {
    if (this.serverState !== 'running') return { applied: false, reason: 'the Shipshape server is not running' };
    try {
      const raw: unknown = await this.client.sendRequest(ExecuteCommandRequest.type, {
        command: ServerCommand.applyFix,
        arguments: [{ folder: fix.folder, path: fix.path, line: fix.line, ruleId: fix.ruleId, fixId: fix.fixId }],
      });
      const parsed = ApplyFixResultSchema.safeParse(raw);
      return parsed.success ? parsed.data : { applied: false, reason: 'the server gave no answer' };
    } catch (error) {
      return { applied: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  showRuleDocs(ruleId: string): void {
    void vscode.commands.executeCommand(ClientCommand.showRuleDocs, ruleId);
  }

  /** The URI of an open workspace folder named by its protocol URI; undefined for anything else. */
  private workspaceFolder(folder: string): vscode.Uri | undefined {
    const uri = this.client.protocol2CodeConverter.asUri(folder);
    const match = vscode.workspace.getWorkspaceFolder(uri);
    return match && match.uri.toString() === uri.toString() ? match.uri : undefined;
  }

  // ── status bar ───────────────────────────────────────────────────────────

  /** The score of the active editor's folder, else of the first folder that has one. */
  private renderScore(): void {
    if (this.serverState !== 'running' || this.status?.state === 'disabled') {
      this.onScoreShown(this.scoreItem.update(undefined));
      return;
    }
    const editor = vscode.window.activeTextEditor;
    const folder = editor ? vscode.workspace.getWorkspaceFolder(editor.document.uri) : undefined;
    const preferred = folder ? this.summaries.get(this.client.code2ProtocolConverter.asUri(folder.uri)) : undefined;
    const ordered = (vscode.workspace.workspaceFolders ?? []).map((candidate) => this.summaries.get(this.client.code2ProtocolConverter.asUri(candidate.uri)));
    const summary = preferred ?? ordered.find((candidate) => candidate !== undefined) ?? this.summaries.values().next().value;
    const name = summary ? vscode.workspace.getWorkspaceFolder(this.client.protocol2CodeConverter.asUri(summary.folder))?.name : undefined;
    this.onScoreShown(this.scoreItem.update(summary, (vscode.workspace.workspaceFolders ?? []).length > 1 ? name : undefined));
  }
}

interface WebviewHostOptions {
  /** Open files beside the webview (the editor panel) rather than in the active group (the side bar view). */
  beside: boolean;
  visible(): boolean;
  /** The folder restored from a serialized panel. */
  folder: string | undefined;
}

/** One scorecard webview: its HTML, its messages, the folder it shows. */
class ScorecardWebview implements vscode.Disposable {
  private folder: string | undefined;
  private data: ScorecardData | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly controller: ScorecardController,
    private readonly webview: vscode.Webview,
    private readonly options: WebviewHostOptions,
    private readonly onDispose: () => void,
  ) {
    this.folder = options.folder;
    const media = controller.mediaUri;
    webview.options = { enableScripts: true, localResourceRoots: [media] };
    webview.html = scorecardHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'scorecard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'scorecard.css')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'codicons', 'codicon.css')).toString(),
    });
    this.disposables.push(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
  }

  /** Whether a change of `folder`'s scorecard concerns this webview. */
  shows(folder: string): boolean {
    return this.folder === undefined || this.folder === folder || this.data?.folder.uri === folder;
  }

  async refresh(): Promise<void> {
    if (!this.options.visible()) return;
    const generation = ++this.generation;
    const result = await this.controller.fetch(this.folder);
    // A newer refresh started meanwhile: its answer wins.
    if (generation !== this.generation) return;
    if (typeof result === 'string') {
      this.post({ type: 'status', status: result });
      return;
    }
    this.data = result;
    this.folder = result.folder.uri;
    this.post({ type: 'scorecard', data: result });
  }

  post(message: HostMessage): void {
    if (this.options.visible()) void this.webview.postMessage(message);
  }

  dispose(): void {
    this.generation++;
    this.onDispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private receive(raw: unknown): void {
    const parsed = WebviewMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        if (message.folder !== undefined) this.folder = message.folder;
        void this.refresh();
        return;
      case 'refresh':
        void this.refresh();
        return;
      case 'selectFolder':
        this.folder = message.folder;
        void this.refresh();
        return;
      case 'open':
        // Only places this scorecard named: a webview cannot open arbitrary files.
        if (!this.knows(message.folder, message.path)) return;
        void this.controller.open(message.folder, message.path, message.line, this.options.beside).then(undefined, (error: unknown) => {
          void vscode.window.showWarningMessage(`Shipshape could not open ${message.path}: ${error instanceof Error ? error.message : String(error)}`);
        });
        return;
      case 'fix':
        void this.fix(message);
        return;
      case 'showRuleDocs':
        if (this.data?.scorecard.topRisks.some((risk) => risk.kind === 'rule' && risk.id === message.ruleId)) this.controller.showRuleDocs(message.ruleId);
        return;
    }
  }

  private async fix(message: Extract<WebviewMessage, { type: 'fix' }>): Promise<void> {
    const offered = this.data?.folder.uri === message.folder && this.data.fixes.some((fix) => fixKey(fix) === message.key && fixKey(message) === message.key);
    if (!offered) {
      this.post({ type: 'fixResult', key: message.key, applied: false, reason: 'that fix is not on the current scorecard' });
      return;
    }
    const result = await this.controller.applyFix(message);
    this.post({ type: 'fixResult', key: message.key, applied: result.applied, reason: result.reason });
    // Show the edited file: a fix to a file that was not open leaves it unsaved.
    if (result.applied) await this.controller.open(message.folder, message.path, message.line, this.options.beside).then(undefined, () => undefined);
  }

  /** Whether the current scorecard mentions `path` in `folder` (a risk location, evidence, a deduction). */
  private knows(folder: string, path: string): boolean {
    const data = this.data;
    if (!data || data.folder.uri !== folder) return false;
    const card = data.scorecard;
    return (
      card.topRisks.some((risk) => risk.locations.some((location) => location.path === path)) ||
      card.checks.some((check) => check.evidence.some((entry) => entry.path === path)) ||
      card.deductions.some((deduction) => deduction.source.kind === 'finding' && deduction.source.path === path)
    );
  }
}

/** "$(shield) 72 C" in the status bar; opens the scorecard panel. */
class ScoreItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('shipshape.score', vscode.StatusBarAlignment.Right, 101);

  constructor() {
    this.item.name = 'Shipshape Score';
    this.item.command = { title: 'Open Scorecard', command: ClientCommand.openScorecard };
  }

  /** Returns whether the item is shown. */
  update(summary: ScorecardChangedParams | undefined, folderName?: string): boolean {
    if (!summary) {
      this.item.hide();
      return false;
    }
    const { score, grade } = summary;
    this.item.text = `$(shield) ${score} ${grade}`;
    const where = folderName ? ` of ${folderName}` : '';
    this.item.tooltip = new vscode.MarkdownString(`**Shipshape** — production readiness${where}: **${score}**/100, grade **${grade}**\n\nClick to open the scorecard.`);
    this.item.accessibilityInformation = { label: `Shipshape production readiness${where} ${score} of 100, grade ${grade}. Open the scorecard.`, role: 'button' };
    this.item.show();
    return true;
  }

  dispose(): void {
    this.item.dispose();
  }
}
