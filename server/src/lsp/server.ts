// The Shipshape language server: protocol only. It keeps editor buffers in sync
// with the engine's Workspace, decides *when* to analyze (debounced per document,
// the whole workspace in the background, and after a change the files whose
// findings the engine says depend on it), and translates results into LSP:
// diagnostics, code actions, commands, progress and two custom messages. What
// is wrong, and how to fix it, is entirely the engine's and the rules' business.
//
// Diagnostics are pushed (`textDocument/publishDiagnostics`), not pulled: push
// works with every LSP client (VS Code, Neovim, Helix, Emacs, Zed, Sublime), and
// it lets the background scan report findings for files nobody opened, so the
// Problems panel shows the whole repository the way a CI scan would.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  type DidChangeConfigurationParams,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  type ExecuteCommandParams,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkDoneProgressServerReporter,
  type WorkspaceEdit,
  type WorkspaceFolder,
  type WorkspaceFoldersChangeEvent,
  WatchKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { z } from 'zod';
import packageJson from '../../../package.json';
import { CONFIG_FILE, type FileKind, type FileResult, type Finding, type InternalError, type Invalidation, type RuleMeta, classifyFile } from '../engine';
import { createsFiles, fixAll } from '../engine/fixes/fixAll';
import { readText } from '../engine/files/walk';
import type { Rule } from '../engine/rule';
import {
  DIAGNOSTIC_SOURCE,
  DiagnosticDataSchema,
  FIX_ALL_KIND,
  ApplyFixArgsSchema,
  ApplyFixResultSchema,
  FindingsRequest,
  type FindingsResult,
  FixAllArgsSchema,
  type InitializationOptions,
  InitializationOptionsSchema,
  OpenRuleDocsArgsSchema,
  PlaceCursorArgsSchema,
  type RuleDocsResult,
  RuleDocsRequest,
  ScorecardChangedNotification,
  ScorecardRequest,
  type ScorecardResult,
  ServerCommand,
  StatusNotification,
  type StatusParams,
} from '../protocol';
import { parseSettings } from '../settings';
import { type ClientAbilities, quickFixes, rangesIntersect } from './codeActions';
import { type EditStep, type FileState, configDiagnostics, editAbilitiesOf, fixToWorkspaceEdit, toDiagnostic, workspaceEditOf } from './convert';
import { hunkEdits } from './hunkEdits';
import { Project, looseRootOf } from './project';
import { findingInfo, ruleDocsMarkdown, ruleInfo } from './reports';
import { type Logger, describeError, isAbortError, runSafely, safeNotification, safeRequest } from './safe';
import { Debouncer } from './scheduler';
import { Scorecards } from './scorecards';

export interface ServerOptions {
  rules: readonly Rule[];
  /** Meta of every rule that can report, including engine-reported ones. */
  ruleMeta: readonly RuleMeta[];
  docsUrl(ruleId: string): string;
}

/** Above this, one file's analysis makes typing feel sluggish: the status turns to a warning. */
const STATUS_BUDGET_MS = 500;
/** Bursts of file-system events (a `git checkout`) settle before the server reacts. */
const WATCH_DEBOUNCE_MS = 100;
/** Progress notifications at most this often during a scan. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Files whose change on disk the server must see: project-wide inputs
 * (`.shipshape.json`, `.gitignore`, `package.json`), the env files fixes write,
 * and every kind of file the engine analyzes (edits outside the editor, a
 * `git checkout`).
 */
const WATCHED_GLOBS = [
  `**/${CONFIG_FILE}`,
  '**/.gitignore',
  '**/package.json',
  '**/.env*',
  '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,sql,prisma,yml,yaml,json}',
  '**/{Dockerfile,Dockerfile.*,*.dockerfile}',
];

/**
 * Deletions of anything, folders included: a client reports a deleted or moved
 * folder as one event for the folder and none for the files in it (VS Code folds
 * them, microsoft/vscode#109754), and no glob above matches a folder's name.
 */
const DELETION_WATCHER = { globPattern: '**/*', kind: WatchKind.Delete };

/** What was last published for a file, so code actions find their fixes without re-analysis. */
interface Published {
  project: Project;
  path: string;
  uri: string;
  /** Document version analyzed; null for a file that is not open. */
  version: number | null;
  kind: FileKind;
  /** The analyzed text (fix offsets refer to it). */
  text: string;
  findings: readonly Finding[];
  /** Texts of the other files this file's fixes edit, as they were when the fixes were built. */
  bases: ReadonlyMap<string, string | undefined>;
  /** The engine result published (re-publishing the same result for the same version is skipped). */
  result: FileResult;
}

interface Located {
  project: Project;
  path: string;
  abs: string;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  new ShipshapeServer(connection, options).listen();
}

class ShipshapeServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly log: Logger;
  private readonly knownRules: ReadonlySet<string>;
  private readonly metaById: ReadonlyMap<string, RuleMeta>;
  private projects: Project[] = [];
  private abilities: ClientAbilities = { snippetEdits: false, showDocument: false, clientShowsRuleDocs: false, documentChanges: false, createFiles: false };
  private supportsConfiguration = false;
  private supportsWatcherRegistration = false;
  private supportsConfigurationRegistration = false;
  private supportsFolderChanges = false;
  private init: InitializationOptions = { showRuleDocsCommand: false };
  /** Settings pushed by `didChangeConfiguration`, for clients without `workspace/configuration`. */
  private pushedSettings: unknown;
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;

  private readonly documentQueue = new Debouncer();
  private readonly diskQueue = new Debouncer();
  /** Per folder: re-analysis of the files whose findings depend on a file that changed. */
  private readonly dependentsQueue = new Debouncer();
  private readonly published = new Map<string, Published>();
  /** Absolute path → URI of the open document, as the client spelled it. */
  private readonly openByPath = new Map<string, string>();
  /** Bases of each result's fixes, recorded when the engine produced it. */
  private readonly fixBases = new WeakMap<FileResult, Map<string, string | undefined>>();
  private readonly internalErrors = new Map<string, readonly InternalError[]>();
  private readonly loggedSkips = new Set<string>();
  private lastAnalysis = { ms: 0, skippedForTime: false };
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly scorecards: Scorecards;
  /** Workspace folders in the client's order (`projects` is sorted deepest first). */
  private folderOrder = 0;

  constructor(
    private readonly connection: Connection,
    private readonly options: ServerOptions,
  ) {
    this.log = {
      info: (message) => connection.console.info(message),
      warn: (message) => connection.console.warn(message),
      error: (message) => connection.console.error(message),
    };
    this.knownRules = new Set(options.ruleMeta.map((meta) => meta.id));
    this.metaById = new Map(options.ruleMeta.map((meta) => [meta.id, meta]));
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.scorecards = new Scorecards(
      {
        log: this.log,
        openPaths: (project) => this.openPathsOf(project),
        notify: (params) => void connection.sendNotification(ScorecardChangedNotification.method, validated(ScorecardChangedNotification.schema, params)),
      },
      options.ruleMeta,
    );
  }

  listen(): void {
    const { connection, documents, log } = this;
    process.on('uncaughtException', (error) => log.error(`uncaught exception: ${describeError(error)}`));
    process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${describeError(reason)}`));

    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(safeNotification(log, 'initialized', () => this.initialized()));
    connection.onShutdown(() => {
      if (this.statusTimer) clearTimeout(this.statusTimer);
      this.scorecards.dispose();
      this.documentQueue.cancelAll();
      this.diskQueue.cancelAll();
      this.dependentsQueue.cancelAll();
      for (const project of this.projects) project.scan?.abort();
    });

    documents.onDidOpen(safeNotification(log, 'didOpen', (event) => this.opened(event.document)));
    documents.onDidChangeContent(safeNotification(log, 'didChange', (event) => this.changed(event.document)));
    documents.onDidClose(safeNotification(log, 'didClose', (event) => this.closed(event.document)));
    connection.onDidChangeWatchedFiles(safeNotification(log, 'didChangeWatchedFiles', (params: DidChangeWatchedFilesParams) => this.watchedFilesChanged(params)));
    connection.onDidChangeConfiguration(safeNotification(log, 'didChangeConfiguration', (params: DidChangeConfigurationParams) => this.configurationChanged(params)));

    connection.onCodeAction(safeRequest(log, 'codeAction', [], (params: CodeActionParams) => this.codeActions(params)));
    connection.onExecuteCommand(safeRequest(log, 'executeCommand', null, (params: ExecuteCommandParams) => this.executeCommand(params)));
    connection.onRequest(FindingsRequest.method, safeRequest(log, FindingsRequest.method, null, (params: unknown) => this.findings(params)));
    connection.onRequest(RuleDocsRequest.method, safeRequest(log, RuleDocsRequest.method, null, (params: unknown) => this.ruleDocs(params)));
    connection.onRequest(ScorecardRequest.method, safeRequest(log, ScorecardRequest.method, null, (params: unknown) => this.scorecard(params)));

    documents.listen(connection);
    connection.listen();
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  private initialize(params: InitializeParams): InitializeResult {
    const capabilities = params.capabilities;
    this.supportsConfiguration = capabilities.workspace?.configuration === true;
    this.supportsWatcherRegistration = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.supportsConfigurationRegistration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    this.supportsFolderChanges = capabilities.workspace?.workspaceFolders === true;
    const init = InitializationOptionsSchema.safeParse(params.initializationOptions ?? {});
    if (init.success) this.init = init.data;
    else this.log.warn(`ignoring invalid initializationOptions: ${init.error.message}`);
    this.abilities = {
      ...editAbilitiesOf(capabilities),
      snippetEdits: capabilities.workspace?.workspaceEdit?.snippetEditSupport === true,
      showDocument: capabilities.window?.showDocument?.support === true,
      clientShowsRuleDocs: this.init.showRuleDocsCommand,
    };

    const folders: WorkspaceFolder[] = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri }] : []);
    for (const folder of folders) this.addProject(folder.uri, folder.name);
    if (this.projects.length === 0) this.log.info('no workspace folder: each file opened is analyzed with the folder of its nearest package.json as its project');

    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: Object.values(ServerCommand) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'shipshape', version: packageJson.version },
    };
  }

  private async initialized(): Promise<void> {
    const { connection, log } = this;
    // Each step may fail on a quirky client; none of them may keep the server from becoming ready.
    try {
      if (this.supportsWatcherRegistration) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [...WATCHED_GLOBS.map((globPattern) => ({ globPattern })), DELETION_WATCHER] });
      }
      if (this.supportsConfigurationRegistration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'shipshape' });
      if (this.supportsFolderChanges) connection.workspace.onDidChangeWorkspaceFolders(safeNotification(log, 'didChangeWorkspaceFolders', (event: WorkspaceFoldersChangeEvent) => this.foldersChanged(event)));
    } catch (error) {
      log.warn(`could not register for file and configuration changes: ${describeError(error)}`);
    }
    try {
      await Promise.all(this.projects.map((project) => this.loadSettings(project)));
    } catch (error) {
      log.warn(`could not read settings, using the defaults: ${describeError(error)}`);
    }
    for (const project of this.projects) project.rebuild(this.buffersFor(project));
    this.markReady();
    for (const project of this.projects) this.startScan(project);
    this.statusChanged();
  }

  private addProject(uri: string, name: string, loose = false): Project | undefined {
    const root = uriToPath(uri);
    if (!root) {
      this.log.warn(`skipping workspace folder ${uri}: only file: folders are analyzed`);
      return undefined;
    }
    const project = new Project(uri, root, name, { rules: this.options.rules, knownRules: this.knownRules }, loose);
    project.order = this.folderOrder++;
    this.projects.push(project);
    // Deepest folder first, so a nested folder owns its files.
    this.projects.sort((a, b) => b.root.length - a.root.length);
    return project;
  }

  private async foldersChanged(event: WorkspaceFoldersChangeEvent): Promise<void> {
    // Loose projects may sit inside an added folder, which owns their files from now on,
    // and files of a removed folder may be left outside every folder: start them over.
    for (const project of this.projects.filter((candidate) => candidate.loose)) this.removeProject(project);
    for (const removed of event.removed) {
      const project = this.projects.find((candidate) => candidate.uri === removed.uri);
      if (!project) continue;
      this.removeProject(project);
      // A folder around the removed one owns its files again: they need its analysis, with its config.
      for (const outer of this.projects) if (outer.relative(project.root) !== undefined) this.startScan(outer);
    }
    for (const added of event.added) {
      const project = this.addProject(added.uri, added.name);
      if (!project) continue;
      await this.loadSettings(project);
      project.rebuild(this.buffersFor(project));
      this.startScan(project);
    }
    for (const abs of this.openByPath.keys()) if (!this.ownerOf(abs)) this.addLooseProject(abs);
  }

  /**
   * A file opened outside every workspace folder is analyzed in a loose project rooted
   * at the folder of its nearest package.json (else its own folder), so that imports,
   * `.shipshape.json` and `schema.prisma` mean there what they would in that folder.
   * Files inside dependency or build folders (a go-to-definition into node_modules) are not.
   */
  private addLooseProject(abs: string): void {
    if (!classifyFile(basename(abs))) return;
    const root = looseRootOf(abs);
    if (root === undefined) return;
    const project = this.addProject(pathToUri(root), basename(root) || root, true);
    if (!project) return;
    this.log.info(`${abs} is outside every workspace folder: analyzing the files opened under ${root} on their own`);
    runSafely(this.log, `preparing ${root}`, async () => {
      await this.ready;
      await this.loadSettings(project);
      if (!this.projects.includes(project)) return;
      project.rebuild(this.buffersFor(project));
      await this.startScan(project);
    });
  }

  private removeProject(project: Project): void {
    project.scan?.abort();
    this.projects = this.projects.filter((candidate) => candidate !== project);
    this.clearProject(project);
  }

  /** Whether any open document belongs to the project. */
  private hasOpenFiles(project: Project): boolean {
    for (const abs of this.openByPath.keys()) if (this.ownerOf(abs) === project) return true;
    return false;
  }

  // ── settings ─────────────────────────────────────────────────────────────

  private async loadSettings(project: Project): Promise<void> {
    let raw: unknown;
    if (this.supportsConfiguration) {
      const value: unknown = await this.connection.workspace.getConfiguration({ scopeUri: project.uri, section: 'shipshape' });
      raw = value;
    } else {
      raw = this.pushedSettings ?? this.init.settings;
    }
    const { settings, problems } = parseSettings(raw ?? {}, this.knownRules);
    for (const problem of problems) this.log.warn(problem);
    project.settings = settings;
  }

  private async configurationChanged(params: DidChangeConfigurationParams): Promise<void> {
    if (!this.supportsConfiguration) {
      const settings: unknown = params.settings;
      this.pushedSettings = typeof settings === 'object' && settings !== null && 'shipshape' in settings ? settings.shipshape : settings;
    }
    await this.ready;
    for (const project of this.projects) {
      const relevant = (): string => JSON.stringify([project.settings.enable, project.settings.rules, project.settings.exclude]);
      const before = relevant();
      await this.loadSettings(project);
      if (relevant() === before) continue;
      if (!project.enabled) {
        project.scan?.abort();
        this.clearProject(project);
        this.log.info(`Shipshape is disabled for ${project.root}`);
        continue;
      }
      project.rebuild(this.buffersFor(project));
      this.startScan(project);
    }
    this.statusChanged();
  }

  // ── documents ────────────────────────────────────────────────────────────

  private opened(document: TextDocument): void {
    const abs = uriToPath(document.uri);
    if (!abs) return;
    this.openByPath.set(abs, document.uri);
    if (!this.ownerOf(abs)) this.addLooseProject(abs);
  }

  /** Fires on open and on every edit: the first analysis of a document runs at once, later ones after the debounce. */
  private changed(document: TextDocument): void {
    const located = this.locate(document.uri);
    if (!located) return;
    const previous = this.published.get(located.abs);
    const delay = previous?.version === null || previous === undefined ? 0 : located.project.settings.debounceMs;
    this.scheduleDocument(document.uri, delay);
    // Typing goes on: the dependents of earlier edits wait until it pauses.
    if (located.project.staleDependents.size > 0) this.scheduleDependents(located.project);
  }

  private async closed(document: TextDocument): Promise<void> {
    this.documentQueue.cancel(document.uri);
    // Forgotten even outside every folder: one added later must read this file from disk.
    const closedPath = uriToPath(document.uri);
    if (closedPath) this.openByPath.delete(closedPath);
    const located = this.locate(document.uri);
    if (located?.project.loose) {
      // Nothing outside a folder is analyzed unless open (like ESLint: closing it clears its problems).
      const { project, path, abs } = located;
      this.clear(abs);
      if (!this.hasOpenFiles(project)) this.removeProject(project);
      // Other open files that import it read what is on disk again.
      else if (project.ready) project.workspace.reload(path);
      return;
    }
    await this.ready;
    if (!located || !located.project.ready) return;
    const { project, path, abs } = located;
    // The file is what is on disk again (or gone, if it was never saved).
    this.scorecards.changed(project);
    if (isGitignore(path)) {
      const disk = readText(abs);
      if (disk !== project.workspace.readFile(path) && project.workspace.reload(path).projectWide) this.projectInputChanged(project, path);
      return;
    }
    // The buffer is gone: the file is what is on disk again. Its findings stay
    // published as workspace findings (like ESLint's workspace mode).
    const invalidation = project.workspace.reload(path);
    if (invalidation.projectWide) {
      this.projectInputChanged(project, path);
      return;
    }
    this.dependentsChanged(project, invalidation);
    if (!project.enabled || project.isExcluded(path) || !existsSync(abs)) {
      this.clear(abs);
      return;
    }
    this.analyzeAndPublish(located, pathToUri(abs), null);
  }

  private scheduleDocument(uri: string, delayMs: number): void {
    this.documentQueue.schedule(uri, delayMs, (signal) =>
      runSafely(this.log, `analyzing ${uri}`, async () => {
        try {
          await this.ready;
          if (signal.aborted) return;
          const version = this.syncDocument(uri);
          if (version === undefined) return;
          // Let edits that arrived during the re-parse cancel this run before rules start.
          await yieldToEventLoop();
          if (signal.aborted) return;
          this.publishDocument(uri, version, signal);
        } finally {
          this.documentQueue.done(uri, signal);
        }
      }),
    );
  }

  /**
   * Runs a waiting analysis of `uri` right now (before code actions and fix-all,
   * which must see the current version).
   */
  private flush(uri: string): void {
    const document = this.documents.get(uri);
    const located = this.locate(uri);
    if (!document || !located) return;
    if (this.published.get(located.abs)?.version === document.version) return;
    this.documentQueue.cancel(uri);
    const version = this.syncDocument(uri);
    if (version !== undefined) this.publishDocument(uri, version, undefined);
  }

  /** Hands the buffer to the engine; returns the version to analyze, or undefined if nothing should be. */
  private syncDocument(uri: string): number | undefined {
    const document = this.documents.get(uri);
    const located = this.locate(uri);
    if (!document || !located || !located.project.ready) return undefined;
    const { project, path, abs } = located;
    if (!project.enabled) return undefined;
    if (isGitignore(path)) {
      // Not analyzed itself, but an unsaved edit (say, from "Move secret to env") changes what is ignored.
      const text = document.getText();
      if (project.workspace.readFile(path) !== text && project.workspace.setText(path, text).projectWide) this.projectInputChanged(project, path);
      return undefined;
    }
    if (project.isExcluded(path)) {
      this.clear(abs);
      return undefined;
    }
    const invalidation = project.workspace.setText(path, document.getText());
    if (invalidation.projectWide) {
      // A project-wide input changed: the rescan analyzes every file, this one included.
      this.projectInputChanged(project, path);
      return undefined;
    }
    this.dependentsChanged(project, invalidation);
    return document.version;
  }

  private publishDocument(uri: string, version: number, signal: AbortSignal | undefined): void {
    const located = this.locate(uri);
    if (!located) return;
    this.analyzeAndPublish(located, uri, version, signal);
  }

  // ── analysis ─────────────────────────────────────────────────────────────

  /**
   * Analyzes one file and publishes the result, unless the analysis was
   * cancelled or the document moved past `version` meanwhile: stale results are
   * never published. Only the innermost workspace folder around a file publishes
   * it: an outer folder's scan or dependents reach a nested folder's files too.
   */
  private analyzeAndPublish(located: Located, uri: string, version: number | null, signal?: AbortSignal): void {
    const { project, path, abs } = located;
    if (this.ownerOf(abs) !== project) return;
    const result = this.analyze(project, path, signal, version !== null);
    if (signal?.aborted) return;
    if (version !== null && this.documents.get(uri)?.version !== version) return;
    if (!result) {
      this.logSkip(project, path);
      this.internalErrors.delete(abs);
      this.clear(abs);
      return;
    }
    this.publish(located, uri, version, result);
  }

  private analyze(project: Project, path: string, signal: AbortSignal | undefined, interactive: boolean, retry = true): FileResult | undefined {
    const workspace = project.workspace;
    let result: FileResult | undefined;
    try {
      result = workspace.analyzeFile(path, signal);
    } catch (error) {
      if (isAbortError(error)) return undefined;
      this.log.error(`analysis of ${path} failed: ${describeError(error)}`);
      return undefined;
    }
    if (!result) return undefined;
    const bases = this.fixBases.get(result);
    if (!bases) {
      // A result the engine just produced: record what its fixes were built on, report its internal errors.
      this.fixBases.set(result, this.basesOf(project, path, result));
      for (const error of result.errors) this.log.error(`[${error.ruleId}] ${error.path}: ${error.message}`);
      const key = join(project.root, path);
      if (result.errors.length > 0) this.internalErrors.set(key, result.errors);
      else this.internalErrors.delete(key);
      if (interactive) this.lastAnalysis = { ms: result.elapsedMs, skippedForTime: result.errors.some((error) => error.message.includes('time budget')) };
      this.scorecards.changed(project);
      return result;
    }
    const stale = [...bases].some(([other, text]) => workspace.readFile(other) !== text);
    if (!stale || !retry) return result;
    // Another file a fix edits (`.env`, `.gitignore`) changed since: rebuild this file's fixes.
    const text = workspace.readFile(path);
    if (text === undefined) return result;
    workspace.removeText(path);
    workspace.setText(path, text);
    return this.analyze(project, path, signal, interactive, false);
  }

  private basesOf(project: Project, path: string, result: FileResult): Map<string, string | undefined> {
    const bases = new Map<string, string | undefined>();
    for (const finding of result.findings) {
      for (const fix of finding.fixes) {
        for (const change of fix.changes) if (change.path !== path && !bases.has(change.path)) bases.set(change.path, project.workspace.readFile(change.path));
      }
    }
    return bases;
  }

  private publish(located: Located, uri: string, version: number | null, result: FileResult): void {
    const { project, path, abs } = located;
    const text = project.workspace.readFile(path) ?? '';
    const diagnostics: Diagnostic[] = result.findings.map((finding, index) => toDiagnostic(finding, index, version, this.options.docsUrl));
    if (path === CONFIG_FILE) diagnostics.push(...configDiagnostics(text, project.configProblems));
    const before = this.published.get(abs);
    if (before && before.result === result && before.version === version && before.uri === uri) return;
    if (version === null && diagnostics.length === 0) {
      // A clean file nobody has open: remember nothing, clear what was there.
      this.clear(abs);
      return;
    }
    this.published.set(abs, {
      project,
      path,
      uri,
      version,
      kind: classifyFile(path) ?? 'ts',
      text,
      findings: result.findings,
      bases: this.fixBases.get(result) ?? new Map(),
      result,
    });
    project.published.add(path);
    // A nested folder added since takes the file over from the folder around it.
    if (before && before.project !== project) before.project.published.delete(before.path);
    if (before && before.uri !== uri && before.version === null) this.connection.sendDiagnostics({ uri: before.uri, diagnostics: [] });
    void this.connection.sendDiagnostics({ uri, version: version ?? undefined, diagnostics });
    this.statusChanged();
  }

  private clear(abs: string): void {
    const before = this.published.get(abs);
    if (!before) return;
    this.published.delete(abs);
    before.project.published.delete(before.path);
    void this.connection.sendDiagnostics({ uri: before.uri, diagnostics: [] });
    this.scorecards.changed(before.project);
    this.statusChanged();
  }

  private clearProject(project: Project): void {
    for (const path of [...project.published]) this.clear(join(project.root, path));
    this.statusChanged();
  }

  private logSkip(project: Project, path: string): void {
    const skip = [...(project.ready ? project.workspace.skipped : [])].reverse().find((candidate) => candidate.path === path);
    if (!skip) return;
    const key = `${project.root}\0${path}\0${skip.reason}`;
    if (this.loggedSkips.has(key)) return;
    this.loggedSkips.add(key);
    this.log.info(`skipped ${path}: ${skip.reason}`);
  }

  /**
   * `.shipshape.json`, `.gitignore` or `package.json` changed: every result may
   * change. Config and ignore rules decide which files exist for the engine, so
   * those rebuild the workspace; any of them re-analyzes everything.
   */
  private projectInputChanged(project: Project, path: string): void {
    if (path === CONFIG_FILE || isGitignore(path)) project.rebuild(this.buffersFor(project));
    this.startScan(project);
  }

  // ── dependents ───────────────────────────────────────────────────────────

  /**
   * A change dropped the results of files computed from the changed one (routes
   * behind an edited middleware, a router whose mount moved): queue them, open or
   * not, for re-analysis once edits pause.
   */
  private dependentsChanged(project: Project, invalidation: Invalidation): void {
    if (invalidation.dependents.length === 0) return;
    for (const path of invalidation.dependents) project.staleDependents.add(path);
    this.scheduleDependents(project);
  }

  /**
   * Re-analyzes and re-publishes a folder's queued dependents after the debounce, one
   * per event-loop turn; a newer edit postpones (and a newer change extends) the batch.
   * Open files go through their own queue, so what is published is for their current version.
   */
  private scheduleDependents(project: Project): void {
    this.dependentsQueue.schedule(project.root, project.settings.debounceMs, (signal) =>
      runSafely(this.log, `re-analyzing files that depend on a change in ${project.root}`, async () => {
        try {
          await this.ready;
          while (project.staleDependents.size > 0) {
            await yieldToEventLoop();
            if (signal.aborted || !this.projects.includes(project) || !project.ready) return;
            const [path] = project.staleDependents;
            if (path === undefined) return;
            project.staleDependents.delete(path);
            const abs = join(project.root, path);
            const openUri = this.openByPath.get(abs);
            if (openUri) {
              this.scheduleDocument(openUri, 0);
              continue;
            }
            if (project.loose) continue; // only open files are analyzed outside every folder
            if (!project.enabled || project.isExcluded(path) || project.workspace.readFile(path) === undefined) {
              this.clear(abs);
              continue;
            }
            this.analyzeAndPublish({ project, path, abs }, pathToUri(abs), null, signal);
          }
        } finally {
          this.dependentsQueue.done(project.root, signal);
        }
      }),
    );
  }

  // ── background scan ──────────────────────────────────────────────────────

  private startScan(project: Project): Promise<void> {
    if (project.loose) {
      // A loose project never walks its root: its open files are all it analyzes.
      for (const [abs, uri] of this.openByPath) if (this.ownerOf(abs) === project) this.scheduleDocument(uri, 0);
      return Promise.resolve();
    }
    const scan = this.scan(project);
    scan.catch((error: unknown) => this.log.error(`scan of ${project.root} failed: ${describeError(error)}`));
    project.scanDone = scan.catch(() => undefined);
    return scan;
  }

  /**
   * Analyzes every file of a folder, one per event-loop turn so edits stay
   * responsive, publishing as it goes. A newer scan of the folder aborts this one.
   */
  private async scan(project: Project): Promise<void> {
    project.scan?.abort();
    const controller = new AbortController();
    const signal = controller.signal;
    project.scan = controller;
    if (!project.enabled || !project.ready) return;
    project.scanning = true;
    this.statusChanged();
    const started = performance.now();
    const paths = project.workspace.discover();
    project.files.clear();
    for (const path of paths) project.files.add(path);
    project.filesTotal = paths.length;
    project.filesAnalyzed = 0;
    this.logWalk(project);
    const progress = await this.beginProgress(paths.length);
    const seen = new Set<string>();
    let lastReport = performance.now();
    try {
      for (const path of paths) {
        await yieldToEventLoop();
        if (signal.aborted) return;
        seen.add(path);
        const abs = join(project.root, path);
        const openUri = this.openByPath.get(abs);
        if (openUri) this.scheduleDocument(openUri, 0);
        else this.analyzeAndPublish({ project, path, abs }, pathToUri(abs), null, signal);
        project.filesAnalyzed++;
        if (performance.now() - lastReport > PROGRESS_INTERVAL_MS) {
          lastReport = performance.now();
          progress.report(Math.floor((project.filesAnalyzed / Math.max(paths.length, 1)) * 100), progressMessage(project.filesAnalyzed, paths.length));
          this.statusChanged();
        }
      }
      // Open files the walk does not list (new, unsaved to a new path) still get analyzed.
      for (const [abs, uri] of this.openByPath) {
        const path = project.relative(abs);
        if (path !== undefined && !seen.has(path) && this.locate(uri)?.project === project) this.scheduleDocument(uri, 0);
      }
      // Files published before that are gone now (deleted, newly ignored or excluded).
      for (const path of [...project.published]) {
        const abs = join(project.root, path);
        if (!seen.has(path) && !this.openByPath.has(abs)) this.clear(abs);
      }
      project.lastScanMs = performance.now() - started;
      this.log.info(`analyzed ${paths.length} files in ${project.root} in ${Math.round(project.lastScanMs)} ms`);
    } finally {
      progress.done();
      if (project.scan === controller) {
        project.scanning = false;
        this.scorecards.changed(project);
      }
      this.statusChanged();
    }
  }

  private async beginProgress(total: number): Promise<WorkDoneProgressServerReporter> {
    let reporter: WorkDoneProgressServerReporter;
    try {
      reporter = await this.connection.window.createWorkDoneProgress();
    } catch (error) {
      this.log.warn(`no progress reporting: ${describeError(error)}`);
      reporter = { begin: () => undefined, report: () => undefined, done: () => undefined, token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } };
    }
    reporter.begin('Shipshape', 0, progressMessage(0, total), false);
    return reporter;
  }

  private logWalk(project: Project): void {
    const byReason = new Map<string, number>();
    for (const skip of project.workspace.skipped) byReason.set(skip.reason, (byReason.get(skip.reason) ?? 0) + 1);
    if (byReason.size === 0) return;
    this.log.info(`${project.root}: left out ${[...byReason].map(([reason, count]) => `${count} × ${reason}`).join(', ')}`);
  }

  // ── file system ──────────────────────────────────────────────────────────

  private async watchedFilesChanged(params: DidChangeWatchedFilesParams): Promise<void> {
    await this.ready;
    for (const change of params.changes) {
      const located = this.locate(change.uri);
      // An open buffer wins over the disk until it is closed.
      if (!located || !located.project.ready || this.openByPath.has(located.abs)) continue;
      this.scheduleDiskChange(located, change.type === FileChangeType.Deleted, WATCH_DEBOUNCE_MS);
    }
  }

  private scheduleDiskChange(located: Located, deleted: boolean, delayMs: number): void {
    this.diskQueue.schedule(located.abs, delayMs, (signal) => {
      runSafely(this.log, `reloading ${located.path}`, () => this.diskChanged(located, deleted));
      this.diskQueue.done(located.abs, signal);
    });
  }

  /**
   * A closed file whose disk text differs from the engine's copy, found while building
   * or applying a fix: the client sent no watcher event (Neovim on Linux watches nothing by
   * default; VS Code's comes late). Handled as that event would have been, so the
   * findings and fixes that read the file are rebuilt on its new text.
   */
  private noticeUnreportedDiskChange(abs: string, disk: string | undefined): void {
    const located = this.locate(pathToUri(abs));
    if (!located || !located.project.ready || this.openByPath.has(abs) || disk === located.project.workspace.readFile(located.path)) return;
    this.log.info(`${located.path} changed on disk with no watcher event: reloading it`);
    this.scheduleDiskChange(located, disk === undefined, 0);
  }

  private diskChanged(located: Located, deleted: boolean): void {
    const { project, path, abs } = located;
    if (!project.ready || this.openByPath.has(abs)) return;
    if (deleted && this.folderDeleted(located)) return;
    // The deletion watcher reports every file: one Shipshape never reads changes nothing.
    if (deleted && !classifyFile(path) && !isGitignore(path)) return;
    if (deleted || !existsSync(abs) || project.isExcluded(path)) project.files.delete(path);
    else project.files.add(path);
    this.scorecards.changed(project);
    const invalidation = project.workspace.reload(path);
    if (invalidation.projectWide) {
      this.projectInputChanged(project, path);
      return;
    }
    this.dependentsChanged(project, invalidation);
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (name === '.env' || name.startsWith('.env.')) {
      // Fixes of open files may write this file: re-analyze them so their edits fit its new text.
      for (const [otherAbs, uri] of this.openByPath) if (project.relative(otherAbs) !== undefined) this.scheduleDocument(uri, 0);
    }
    if (deleted || !project.enabled || project.isExcluded(path) || !existsSync(abs)) {
      this.clear(abs);
      return;
    }
    this.analyzeAndPublish(located, pathToUri(abs), null);
  }

  /**
   * A deleted (or moved) folder, reported as one event: forget every file it held,
   * so no other file's facts read them, then rescan, which clears their diagnostics
   * and analyzes a folder moved in under another name. False when `located` held no
   * known file (a deleted file, or a folder of nothing analyzed).
   */
  private folderDeleted(located: Located): boolean {
    const { project, path } = located;
    const held = project.workspace.paths.filter((known) => known.startsWith(`${path}/`));
    if (held.length === 0) return false;
    for (const known of held) {
      project.files.delete(known);
      project.workspace.reload(known);
    }
    this.scorecards.changed(project);
    this.startScan(project);
    return true;
  }

  // ── code actions and commands ────────────────────────────────────────────

  private async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    await this.ready;
    const uri = params.textDocument.uri;
    this.flush(uri);
    const document = this.documents.get(uri);
    const located = this.locate(uri);
    if (!document || !located) return [];
    const published = this.published.get(located.abs);
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
    const actions: CodeAction[] = [];

    if (only && wants(FIX_ALL_KIND)) {
      const edit = this.fixAllEdit(uri);
      if (edit) actions.push({ title: 'Fix all safe Shipshape problems', kind: FIX_ALL_KIND, edit: edit.edit });
    }
    // Only the analysis of the document as it is now may produce edits.
    if (!wants(CodeActionKind.QuickFix) || !published || published.version !== document.version) return actions;

    const indexes = new Set<number>();
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const data = DiagnosticDataSchema.safeParse(diagnostic.data);
      if (!data.success || data.data.documentVersion !== published.version) continue;
      if (published.findings[data.data.index]?.ruleId === data.data.ruleId) indexes.add(data.data.index);
    }
    for (const [index, finding] of published.findings.entries()) if (rangesIntersect(finding.range, params.range)) indexes.add(index);
    if (indexes.size === 0) return actions;

    const version = document.version;
    actions.push(
      ...quickFixes(
        {
          uri,
          version,
          path: published.path,
          kind: published.kind,
          text: published.text,
          findings: published.findings,
          fixesOf: (finding) => located.project.workspace.verifiedFixes(published.path, finding),
          diagnosticOf: (index) => {
            const finding = published.findings[index];
            if (!finding) throw new Error(`no finding ${index}`);
            return toDiagnostic(finding, index, version, this.options.docsUrl);
          },
          stateOf: (path) => this.fileState(published, path),
        },
        [...indexes].sort((a, b) => a - b),
        this.abilities,
      ),
    );
    return actions;
  }

  /**
   * Where a file a fix touches stands now. The finding's own file is the
   * analyzed text at the current version; any other file must still hold the
   * text the fix was built on, or the fix is not offered.
   */
  private fileState(published: Published, path: string): FileState | undefined {
    const { project } = published;
    const abs = join(project.root, path);
    if (path === published.path) return { uri: published.uri, text: published.text, version: published.version, exists: true };
    const openUri = this.openByPath.get(abs);
    const openDocument = openUri ? this.documents.get(openUri) : undefined;
    // A closed file is read from disk: it may have changed there with no watcher event (yet).
    const current = openDocument ? openDocument.getText() : readText(abs);
    const base = published.bases.get(path);
    if (current !== base) {
      if (!openDocument) this.noticeUnreportedDiskChange(abs, current);
      return undefined;
    }
    // Never offer to create a file that has appeared on disk meanwhile.
    if (base === undefined && existsSync(abs)) return undefined;
    return { uri: openUri ?? pathToUri(abs), text: current ?? '', version: openDocument?.version ?? null, exists: current !== undefined };
  }

  /**
   * Every safe fix in one document, as one WorkspaceEdit: the engine applies them
   * in memory (re-analyzing between passes), the server turns the before/after
   * texts into one small edit per changed region (lines between two fixes stay
   * untouched, with their breakpoints and folds) and puts the engine back where
   * the editor is.
   */
  private fixAllEdit(uri: string): { edit: WorkspaceEdit; applied: number } | undefined {
    const document = this.documents.get(uri);
    const located = this.locate(uri);
    if (!document || !located || !located.project.ready || !located.project.enabled || located.project.isExcluded(located.path)) return undefined;
    const { project, path } = located;
    const workspace = project.workspace;
    if (workspace.readFile(path) !== document.getText()) workspace.setText(path, document.getText());
    let result: ReturnType<typeof fixAll>;
    try {
      result = fixAll(workspace, { safeOnly: true, paths: [path], createFiles: this.abilities.createFiles });
    } catch (error) {
      // The engine may have applied part of the fixes to its in-memory copy: start from the editor's view again.
      this.log.error(`fix-all for ${path} failed: ${describeError(error)}`);
      project.rebuild(this.buffersFor(project));
      return undefined;
    }
    if (result.applied.length === 0) return undefined;

    const changes: { order: number; step: EditStep }[] = [];
    let clobber = false;
    for (const [changed, after] of result.files) {
      const abs = join(project.root, changed);
      const openUri = changed === path ? uri : this.openByPath.get(abs);
      const openDocument = openUri ? this.documents.get(openUri) : undefined;
      // Put the engine back where the editor and the disk are.
      let before: string | undefined;
      if (result.created.has(changed)) workspace.removeText(changed);
      else if (openDocument) workspace.setText(changed, (before = openDocument.getText()));
      else {
        workspace.reload(changed);
        before = workspace.readFile(changed);
      }
      const target = openUri ?? pathToUri(abs);
      const order = changed.endsWith('.gitignore') ? 0 : changed === path ? 2 : 1;
      if (before === undefined) {
        if (existsSync(abs)) clobber = true;
        changes.push({ order, step: { kind: 'create', uri: target, text: after } });
        continue;
      }
      const edits = hunkEdits(before, after);
      if (edits.length > 0) changes.push({ order, step: { kind: 'edit', uri: target, version: openDocument?.version ?? null, edits } });
    }
    if (clobber) {
      this.log.warn(`fix-all for ${path} skipped: a file it would create exists now`);
      return undefined;
    }
    changes.sort((a, b) => a.order - b.order);
    // Undefined only if the engine created a file it was told not to: send nothing rather than half.
    const edit = workspaceEditOf(changes.map((entry) => entry.step), this.abilities);
    return edit && { edit, applied: result.applied.length };
  }

  private async executeCommand(params: ExecuteCommandParams): Promise<unknown> {
    await this.ready;
    const args = params.arguments ?? [];
    switch (params.command) {
      case ServerCommand.analyzeWorkspace: {
        await Promise.all(
          this.projects.map((project) => {
            if (!project.enabled) return Promise.resolve();
            project.rebuild(this.buffersFor(project));
            return this.startScan(project);
          }),
        );
        return { files: this.projects.reduce((sum, project) => sum + project.filesAnalyzed, 0) };
      }
      case ServerCommand.fixAll: {
        const [target] = FixAllArgsSchema.parse(args);
        this.flush(target.uri);
        const document = this.documents.get(target.uri);
        if (!document || (target.version !== undefined && target.version !== document.version)) return { applied: 0 };
        const fixed = this.fixAllEdit(target.uri);
        if (!fixed) return { applied: 0 };
        const response = await this.connection.workspace.applyEdit({ label: 'Fix all safe Shipshape problems', edit: fixed.edit });
        return { applied: response.applied ? fixed.applied : 0 };
      }
      case ServerCommand.placeCursor: {
        const [target] = PlaceCursorArgsSchema.parse(args);
        if (!this.abilities.showDocument) return null;
        await this.connection.window.showDocument({ uri: target.uri, takeFocus: true, selection: { start: target.position, end: target.position } });
        return null;
      }
      case ServerCommand.applyFix:
        return ApplyFixResultSchema.parse(await this.applyFix(args));
      case ServerCommand.openRuleDocs: {
        const [ruleId] = OpenRuleDocsArgsSchema.parse(args);
        if (!this.abilities.showDocument) return null;
        await this.connection.window.showDocument({ uri: this.options.docsUrl(ruleId), external: true });
        return null;
      }
      default:
        this.log.warn(`unknown command ${params.command}`);
        return null;
    }
  }

  // ── custom requests and status ───────────────────────────────────────────

  private findings(params: unknown): FindingsResult {
    FindingsRequest.params.parse(params ?? undefined);
    const findings = [...this.published.values()].flatMap((entry) =>
      entry.findings.map((finding) => findingInfo(finding, { uri: entry.uri, path: entry.path, folder: entry.project.uri })),
    );
    findings.sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return validated(FindingsRequest.result, {
      complete: this.projects.every((project) => !project.scanning),
      folders: this.projects.map((project) => ({
        uri: project.uri,
        enabled: project.enabled,
        filesAnalyzed: project.filesAnalyzed,
        skipped: project.ready ? project.workspace.skipped.map((skip) => ({ path: skip.path, reason: skip.reason })) : [],
        configProblems: project.configProblems.map((problem) => ({ path: problem.path, message: problem.message })),
      })),
      findings,
      internalErrors: [...this.internalErrors.values()].flat().map((error) => ({ ruleId: error.ruleId, path: error.path, message: error.message })),
      rules: this.options.ruleMeta.map((meta) => ruleInfo(meta, this.options.docsUrl(meta.id))),
    });
  }

  private async scorecard(params: unknown): Promise<ScorecardResult> {
    const folder = ScorecardRequest.params.parse(params ?? undefined)?.folder;
    await this.ready;
    const project = folder === undefined ? this.firstProject() : this.projectOf(folder);
    // The scorecard grades a folder; files opened outside every folder have none.
    if (!project || project.loose) return null;
    // The scorecard covers the whole folder: let a running scan finish (a newer scan may replace it meanwhile).
    while (project.scanning) await project.scanDone;
    if (!project.enabled || !project.ready || !this.projects.includes(project)) return null;
    const computed = this.scorecards.current(project);
    const folders = this.projects.filter((candidate) => !candidate.loose).sort((a, b) => a.order - b.order).map((candidate) => ({ uri: candidate.uri, name: candidate.name }));
    return validated(ScorecardRequest.result, { folder: { uri: project.uri, name: project.name }, folders, revision: computed.revision, scorecard: computed.scorecard, fixes: computed.fixes });
  }

  /**
   * Applies one finding's fix, named by folder, path, line, rule and fix id (what
   * the scorecard panel shows), with the same verified edit the quick fix offers.
   */
  private async applyFix(args: unknown[]): Promise<{ applied: boolean; reason?: string }> {
    const [target] = ApplyFixArgsSchema.parse(args);
    const project = this.projectOf(target.folder);
    if (!project || !project.ready || !project.enabled) return { applied: false, reason: 'Shipshape does not analyze that folder' };
    const abs = join(project.root, target.path);
    if (project.relative(abs) !== target.path) return { applied: false, reason: 'the path is not inside the folder' };
    const openUri = this.openByPath.get(abs);
    if (openUri) this.flush(openUri);
    const published = this.published.get(abs);
    const finding = published?.findings.find((candidate) => candidate.ruleId === target.ruleId && candidate.range.start.line === target.line - 1 && candidate.fixes.some((fix) => fix.id === target.fixId));
    const fix = finding && project.workspace.verifiedFixes(target.path, finding).find((candidate) => candidate.id === target.fixId);
    if (!published || !fix) return { applied: false, reason: 'the finding is gone or has changed' };
    const document = openUri ? this.documents.get(openUri) : undefined;
    if (document && published.version !== document.version) return { applied: false, reason: 'the file changed since it was analyzed' };
    const disk = document ? undefined : readText(abs);
    if (!document && disk !== published.text) {
      // Rewritten on disk with no watcher event yet (or none ever: not every client watches files):
      // the fix's offsets no longer fit. Analyze what is there now, so the scorecard catches up.
      this.noticeUnreportedDiskChange(abs, disk);
      return { applied: false, reason: 'the file changed on disk since it was analyzed' };
    }
    if (createsFiles(fix) && !this.abilities.createFiles) return { applied: false, reason: 'the fix creates a file, which this editor cannot do through the language server' };
    const edit = fixToWorkspaceEdit(fix, (path) => this.fileState(published, path), this.abilities);
    if (!edit) return { applied: false, reason: 'a file the fix edits changed since the fix was built' };
    const response = await this.connection.workspace.applyEdit({ label: fix.title, edit });
    return response.applied ? { applied: true } : { applied: false, reason: response.failureReason ?? 'the editor did not apply the edit' };
  }

  private ruleDocs(params: unknown): RuleDocsResult {
    const { ruleId } = RuleDocsRequest.params.parse(params);
    const meta = this.metaById.get(ruleId);
    if (!meta) return null;
    const docsUrl = this.options.docsUrl(meta.id);
    return validated(RuleDocsRequest.result, { ruleId: meta.id, title: meta.title, markdown: ruleDocsMarkdown(meta, docsUrl), docsUrl });
  }

  private statusChanged(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      runSafely(this.log, 'status', () => this.sendStatus());
    }, 100);
  }

  private sendStatus(): void {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const entry of this.published.values()) for (const finding of entry.findings) counts[finding.severity]++;
    const enabled = this.projects.filter((project) => project.enabled);
    const scans = enabled.map((project) => project.lastScanMs).filter((ms): ms is number => ms !== null);
    const status: StatusParams = {
      state: enabled.length === 0 && this.projects.length > 0 ? 'disabled' : enabled.some((project) => project.scanning) ? 'analyzing' : 'idle',
      filesAnalyzed: enabled.reduce((sum, project) => sum + project.filesAnalyzed, 0),
      filesTotal: enabled.reduce((sum, project) => sum + project.filesTotal, 0),
      findings: counts,
      lastAnalysisMs: Math.round(this.lastAnalysis.ms * 10) / 10,
      lastScanMs: scans.length === 0 ? null : Math.round(Math.max(...scans)),
      budgetMs: STATUS_BUDGET_MS,
      overBudget: this.lastAnalysis.ms > STATUS_BUDGET_MS || this.lastAnalysis.skippedForTime,
      internalErrors: [...this.internalErrors.values()].reduce((sum, errors) => sum + errors.length, 0),
    };
    void this.connection.sendNotification(StatusNotification.method, validated(StatusNotification.schema, status));
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private locate(uri: string): Located | undefined {
    const abs = uriToPath(uri);
    const project = abs === undefined ? undefined : this.ownerOf(abs);
    if (abs === undefined || !project) return undefined;
    const path = project.relative(abs);
    return path === undefined ? undefined : { project, path, abs };
  }

  /** The innermost workspace folder holding an absolute path (`projects` is sorted deepest first). */
  private ownerOf(abs: string): Project | undefined {
    return this.projects.find((project) => project.relative(abs) !== undefined);
  }

  /** The folder named by a URI (however the client encoded it). */
  private projectOf(uri: string): Project | undefined {
    const root = uriToPath(uri);
    return this.projects.find((project) => project.uri === uri || (root !== undefined && project.root === root));
  }

  /** The first workspace folder in the client's order. */
  private firstProject(): Project | undefined {
    return this.projects.reduce<Project | undefined>((first, project) => (!project.loose && (first === undefined || project.order < first.order) ? project : first), undefined);
  }

  /** Paths of a folder's open documents that are analyzed (what the scorecard adds to the walked files). */
  private openPathsOf(project: Project): string[] {
    const paths: string[] = [];
    for (const abs of this.openByPath.keys()) {
      const path = project.relative(abs);
      if (path !== undefined && this.ownerOf(abs) === project && !project.isExcluded(path)) paths.push(path);
    }
    return paths;
  }

  /** Open buffers of a folder, by folder-relative path. */
  private buffersFor(project: Project): Map<string, string> {
    const buffers = new Map<string, string>();
    for (const document of this.documents.all()) {
      const located = this.locate(document.uri);
      if (located?.project === project && (classifyFile(located.path) || isGitignore(located.path))) buffers.set(located.path, document.getText());
    }
    return buffers;
  }
}

/** What the server sends is checked against the shared schema too; a mismatch is a server bug, not bad input. */
function validated<T>(schema: z.ZodType<T>, value: T): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`the server built an invalid message: ${parsed.error.message}`);
  return parsed.data;
}

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

function isGitignore(path: string): boolean {
  return path === '.gitignore' || path.endsWith('/.gitignore');
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function progressMessage(done: number, total: number): string {
  return `analyzing ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} files`;
}
