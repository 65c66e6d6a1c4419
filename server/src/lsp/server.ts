// The Shipshape language server: protocol only. It keeps editor buffers in sync
// with the engine's Workspace, decides *when* to analyze (debounced per document,
// the whole workspace in the background, after a change the files whose findings
// the engine says depend on it, and whatever a change on disk, in the workspace
// folders or in the settings calls for), and answers the client: lifecycle, code
// actions, commands, the custom requests and the status. What is wrong, and how
// to fix it, is entirely the engine's and the rules' business.
//
// The rest of the server, by concern: projects.ts (the workspace folders and
// loose projects, which of them owns a file, which documents are open),
// publisher.ts (analyzing one file and publishing its diagnostics), scan.ts (the
// background scan and its progress), fixAllEdit.ts (fix-all as one
// WorkspaceEdit), scorecards.ts, and codeActions.ts and convert.ts (engine values
// as LSP values).
//
// Diagnostics are pushed (`textDocument/publishDiagnostics`), not pulled: push
// works with every LSP client (VS Code, Neovim, Helix, Emacs, Zed, Sublime), and
// it lets the background scan report findings for files nobody opened, so the
// Problems panel shows the whole repository the way a CI scan would.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Connection,
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
  type WorkspaceFolder,
  type WorkspaceFoldersChangeEvent,
  WatchKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { z } from 'zod';
import packageJson from '../../../package.json';
import { CONFIG_FILE, type Invalidation, type RuleMeta, classifyFile } from '../engine';
import { createsFiles } from '../engine/fixes/fixAll';
import { leadsToFolder, readText, walkWorkspace } from '../engine/files/walk';
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
import { type FileState, editAbilitiesOf, fixToWorkspaceEdit, toDiagnostic } from './convert';
import { type FixAllContext, fixAllEdit } from './fixAllEdit';
import { isGitignore, pathToUri, uriToPath } from './paths';
import { type Project, looseRootOf } from './project';
import { type Located, Projects } from './projects';
import { type Published, Publisher } from './publisher';
import { findingInfo, ruleDocsMarkdown, ruleInfo } from './reports';
import { type Logger, describeError, runSafely, safeNotification, safeRequest } from './safe';
import { Scans } from './scan';
import { Debouncer, yieldToEventLoop } from './scheduler';
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
 * Deletions and creations of anything, folders included: a client reports a folder
 * deleted, or moved in from outside the workspace, as one event for the folder and
 * none for the files in it (VS Code folds them, microsoft/vscode#109754), and no glob
 * above matches a folder's name.
 */
const FOLDER_WATCHER = { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete };

export function startServer(connection: Connection, options: ServerOptions): void {
  new ShipshapeServer(connection, options).listen();
}

class ShipshapeServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly log: Logger;
  private readonly knownRules: ReadonlySet<string>;
  private readonly metaById: ReadonlyMap<string, RuleMeta>;
  private readonly projects: Projects;
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
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly scorecards: Scorecards;
  private readonly publisher: Publisher;
  private readonly scans: Scans;

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
    const projects = new Projects({ rules: options.rules, knownRules: this.knownRules }, this.documents, this.log);
    this.projects = projects;
    this.scorecards = new Scorecards(
      {
        log: this.log,
        openPaths: (project) => projects.openPathsOf(project),
        notify: (params) => void connection.sendNotification(ScorecardChangedNotification.method, validated(ScorecardChangedNotification.schema, params)),
      },
      options.ruleMeta,
    );
    const statusChanged = (): void => this.statusChanged();
    this.publisher = new Publisher({ connection, documents: this.documents, projects, scorecards: this.scorecards, log: this.log, docsUrl: options.docsUrl, statusChanged });
    this.scans = new Scans({
      connection,
      projects,
      publisher: this.publisher,
      scorecards: this.scorecards,
      log: this.log,
      scheduleDocument: (uri, delayMs) => this.scheduleDocument(uri, delayMs),
      statusChanged,
    });
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
      for (const project of this.projects.all) project.scan?.abort();
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
    for (const folder of folders) this.projects.add(folder.uri, folder.name);
    if (this.projects.all.length === 0) this.log.info('no workspace folder: each file opened is analyzed with the folder of its nearest package.json as its project');

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
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [...WATCHED_GLOBS.map((globPattern) => ({ globPattern })), FOLDER_WATCHER] });
      }
      if (this.supportsConfigurationRegistration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'shipshape' });
      if (this.supportsFolderChanges) connection.workspace.onDidChangeWorkspaceFolders(safeNotification(log, 'didChangeWorkspaceFolders', (event: WorkspaceFoldersChangeEvent) => this.foldersChanged(event)));
    } catch (error) {
      log.warn(`could not register for file and configuration changes: ${describeError(error)}`);
    }
    try {
      await Promise.all(this.projects.all.map((project) => this.loadSettings(project)));
    } catch (error) {
      log.warn(`could not read settings, using the defaults: ${describeError(error)}`);
    }
    for (const project of this.projects.all) project.rebuild(this.projects.buffersFor(project));
    this.markReady();
    for (const project of this.projects.all) this.scans.start(project);
    this.statusChanged();
  }

  private async foldersChanged(event: WorkspaceFoldersChangeEvent): Promise<void> {
    // Loose projects may sit inside an added folder, which owns their files from now on,
    // and files of a removed folder may be left outside every folder: start them over.
    for (const project of this.projects.all.filter((candidate) => candidate.loose)) this.removeProject(project);
    for (const removed of event.removed) {
      const project = this.projects.all.find((candidate) => candidate.uri === removed.uri);
      if (!project) continue;
      this.removeProject(project);
      // A folder around the removed one owns its files again: they need its analysis, with its config.
      for (const outer of this.projects.all) if (outer.relative(project.root) !== undefined) this.scans.start(outer);
    }
    for (const added of event.added) {
      const project = this.projects.add(added.uri, added.name);
      if (!project) continue;
      await this.loadSettings(project);
      project.rebuild(this.projects.buffersFor(project));
      this.scans.start(project);
    }
    for (const abs of this.projects.openByPath.keys()) if (!this.projects.ownerOf(abs)) this.addLooseProject(abs);
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
    const project = this.projects.add(pathToUri(root), basename(root) || root, true);
    if (!project) return;
    this.log.info(`${abs} is outside every workspace folder: analyzing the files opened under ${root} on their own`);
    runSafely(this.log, `preparing ${root}`, async () => {
      await this.ready;
      await this.loadSettings(project);
      if (!this.projects.includes(project)) return;
      project.rebuild(this.projects.buffersFor(project));
      await this.scans.start(project);
    });
  }

  private removeProject(project: Project): void {
    project.scan?.abort();
    this.projects.remove(project);
    this.publisher.clearProject(project);
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
    for (const project of this.projects.all) {
      const relevant = (): string => JSON.stringify([project.settings.enable, project.settings.rules, project.settings.exclude]);
      const before = relevant();
      await this.loadSettings(project);
      if (relevant() === before) continue;
      if (!project.enabled) {
        project.scan?.abort();
        this.publisher.clearProject(project);
        this.log.info(`Shipshape is disabled for ${project.root}`);
        continue;
      }
      project.rebuild(this.projects.buffersFor(project));
      this.scans.start(project);
    }
    this.statusChanged();
  }

  // ── documents ────────────────────────────────────────────────────────────

  private opened(document: TextDocument): void {
    const abs = uriToPath(document.uri);
    if (!abs) return;
    this.projects.opened(abs, document.uri);
    if (!this.projects.ownerOf(abs)) this.addLooseProject(abs);
  }

  /** Fires on open and on every edit: the first analysis of a document runs at once, later ones after the debounce. */
  private changed(document: TextDocument): void {
    const located = this.projects.locate(document.uri);
    if (!located) return;
    const previous = this.publisher.published.get(located.abs);
    const delay = previous?.version === null || previous === undefined ? 0 : located.project.settings.debounceMs;
    this.scheduleDocument(document.uri, delay);
    // Typing goes on: the dependents of earlier edits wait until it pauses.
    if (located.project.staleDependents.size > 0) this.scheduleDependents(located.project);
  }

  private async closed(document: TextDocument): Promise<void> {
    this.documentQueue.cancel(document.uri);
    // Forgotten even outside every folder: one added later must read this file from disk.
    const closedPath = uriToPath(document.uri);
    if (closedPath) this.projects.closed(closedPath);
    const located = this.projects.locate(document.uri);
    if (located?.project.loose) {
      // Nothing outside a folder is analyzed unless open (like ESLint: closing it clears its problems).
      const { project, path, abs } = located;
      this.publisher.clear(abs);
      if (!this.projects.hasOpenFiles(project)) this.removeProject(project);
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
      this.publisher.clear(abs);
      return;
    }
    this.publisher.analyzeAndPublish(located, pathToUri(abs), null);
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
    const located = this.projects.locate(uri);
    if (!document || !located) return;
    if (this.publisher.published.get(located.abs)?.version === document.version) return;
    this.documentQueue.cancel(uri);
    const version = this.syncDocument(uri);
    if (version !== undefined) this.publishDocument(uri, version, undefined);
  }

  /** Hands the buffer to the engine; returns the version to analyze, or undefined if nothing should be. */
  private syncDocument(uri: string): number | undefined {
    const document = this.documents.get(uri);
    const located = this.projects.locate(uri);
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
      this.publisher.clear(abs);
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
    const located = this.projects.locate(uri);
    if (!located) return;
    this.publisher.analyzeAndPublish(located, uri, version, signal);
  }

  // ── what a change invalidates ────────────────────────────────────────────

  /**
   * `.shipshape.json`, `.gitignore` or `package.json` changed: every result may
   * change. Config and ignore rules decide which files exist for the engine, so
   * those rebuild the workspace; any of them re-analyzes everything.
   */
  private projectInputChanged(project: Project, path: string): void {
    if (path === CONFIG_FILE || isGitignore(path)) project.rebuild(this.projects.buffersFor(project));
    this.scans.start(project);
  }

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
            const openUri = this.projects.openByPath.get(abs);
            if (openUri) {
              this.scheduleDocument(openUri, 0);
              continue;
            }
            if (project.loose) continue; // only open files are analyzed outside every folder
            if (!project.enabled || project.isExcluded(path) || project.workspace.readFile(path) === undefined) {
              this.publisher.clear(abs);
              continue;
            }
            this.publisher.analyzeAndPublish({ project, path, abs }, pathToUri(abs), null, signal);
          }
        } finally {
          this.dependentsQueue.done(project.root, signal);
        }
      }),
    );
  }

  // ── file system ──────────────────────────────────────────────────────────

  private async watchedFilesChanged(params: DidChangeWatchedFilesParams): Promise<void> {
    await this.ready;
    for (const change of params.changes) {
      const located = this.projects.locate(change.uri);
      // An open buffer wins over the disk until it is closed.
      if (!located || !located.project.ready || this.projects.openByPath.has(located.abs)) continue;
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
    const located = this.projects.locate(pathToUri(abs));
    if (!located || !located.project.ready || this.projects.openByPath.has(abs) || disk === located.project.workspace.readFile(located.path)) return;
    this.log.info(`${located.path} changed on disk with no watcher event: reloading it`);
    this.scheduleDiskChange(located, disk === undefined, 0);
  }

  private diskChanged(located: Located, deleted: boolean): void {
    const { project, path, abs } = located;
    if (!project.ready || this.projects.openByPath.has(abs)) return;
    if (deleted && this.folderDeleted(located)) return;
    if (!deleted && this.folderCreated(located)) return;
    // The folder watcher reports every file: one Shipshape never reads changes nothing.
    if (!classifyFile(path) && !isGitignore(path)) return;
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
      for (const [otherAbs, uri] of this.projects.openByPath) if (project.relative(otherAbs) !== undefined) this.scheduleDocument(uri, 0);
    }
    if (deleted || !project.enabled || project.isExcluded(path) || !existsSync(abs)) {
      this.publisher.clear(abs);
      return;
    }
    this.publisher.analyzeAndPublish(located, pathToUri(abs), null);
  }

  /**
   * A folder created, or moved in from outside the workspace, reported as one event: each
   * file in it that the walk would take is handled as if it had its own Created event
   * (an empty new folder costs nothing). False for a file.
   */
  private folderCreated(located: Located): boolean {
    const { project, path, abs } = located;
    if (!leadsToFolder(abs)) return false;
    // `dist/` appearing during a build: nothing in it is analyzed, so it is not walked.
    if (project.isExcludedFolder(path)) return true;
    // The walk prunes dependency and build folders below it; excludes and .gitignore are checked per file.
    for (const { path: inside } of walkWorkspace(abs).files) {
      const file = `${path}/${inside}`;
      if (!project.isExcluded(file)) this.scheduleDiskChange({ project, path: file, abs: join(project.root, file) }, false, WATCH_DEBOUNCE_MS);
    }
    return true;
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
    this.scans.start(project);
    return true;
  }

  // ── code actions and commands ────────────────────────────────────────────

  private async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    await this.ready;
    const uri = params.textDocument.uri;
    this.flush(uri);
    const document = this.documents.get(uri);
    const located = this.projects.locate(uri);
    if (!document || !located) return [];
    const published = this.publisher.published.get(located.abs);
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
    const actions: CodeAction[] = [];

    if (only && wants(FIX_ALL_KIND)) {
      const edit = fixAllEdit(uri, this.fixAllContext(), { sameFileOnly: true });
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
    const openUri = this.projects.openByPath.get(abs);
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

  /** What fix-all works with, read when it runs: the client's abilities are known only after `initialize`. */
  private fixAllContext(): FixAllContext {
    return { documents: this.documents, projects: this.projects, abilities: this.abilities, log: this.log };
  }

  private async executeCommand(params: ExecuteCommandParams): Promise<unknown> {
    await this.ready;
    const args = params.arguments ?? [];
    switch (params.command) {
      case ServerCommand.analyzeWorkspace: {
        await Promise.all(
          this.projects.all.map((project) => {
            if (!project.enabled) return Promise.resolve();
            project.rebuild(this.projects.buffersFor(project));
            return this.scans.start(project);
          }),
        );
        return { files: this.projects.all.reduce((sum, project) => sum + project.filesAnalyzed, 0) };
      }
      case ServerCommand.fixAll: {
        const [target] = FixAllArgsSchema.parse(args);
        this.flush(target.uri);
        const document = this.documents.get(target.uri);
        if (!document || (target.version !== undefined && target.version !== document.version)) return { applied: 0 };
        const fixed = fixAllEdit(target.uri, this.fixAllContext(), { sameFileOnly: false });
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
    const findings = [...this.publisher.published.values()].flatMap((entry) =>
      entry.findings.map((finding) => findingInfo(finding, { uri: entry.uri, path: entry.path, folder: entry.project.uri })),
    );
    findings.sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return validated(FindingsRequest.result, {
      complete: this.projects.all.every((project) => !project.scanning),
      folders: this.projects.all.map((project) => ({
        uri: project.uri,
        enabled: project.enabled,
        filesAnalyzed: project.filesAnalyzed,
        skipped: project.ready ? project.workspace.skipped.map((skip) => ({ path: skip.path, reason: skip.reason })) : [],
        configProblems: project.configProblems.map((problem) => ({ path: problem.path, message: problem.message })),
      })),
      findings,
      internalErrors: [...this.publisher.internalErrors.values()].flat().map((error) => ({ ruleId: error.ruleId, path: error.path, message: error.message })),
      rules: this.options.ruleMeta.map((meta) => ruleInfo(meta, this.options.docsUrl(meta.id))),
    });
  }

  private async scorecard(params: unknown): Promise<ScorecardResult> {
    const folder = ScorecardRequest.params.parse(params ?? undefined)?.folder;
    await this.ready;
    const project = folder === undefined ? this.projects.first() : this.projects.projectOf(folder);
    // The scorecard grades a folder; files opened outside every folder have none.
    if (!project || project.loose) return null;
    // The scorecard covers the whole folder: let a running scan finish (a newer scan may replace it meanwhile).
    while (project.scanning) await project.scanDone;
    if (!project.enabled || !project.ready || !this.projects.includes(project)) return null;
    const computed = this.scorecards.current(project);
    const folders = this.projects.all.filter((candidate) => !candidate.loose).sort((a, b) => a.order - b.order).map((candidate) => ({ uri: candidate.uri, name: candidate.name }));
    return validated(ScorecardRequest.result, { folder: { uri: project.uri, name: project.name }, folders, revision: computed.revision, scorecard: computed.scorecard, fixes: computed.fixes });
  }

  /**
   * Applies one finding's fix, named by folder, path, line, rule and fix id (what
   * the scorecard panel shows), with the same verified edit the quick fix offers.
   */
  private async applyFix(args: unknown[]): Promise<{ applied: boolean; reason?: string }> {
    const [target] = ApplyFixArgsSchema.parse(args);
    const project = this.projects.projectOf(target.folder);
    if (!project || !project.ready || !project.enabled) return { applied: false, reason: 'Shipshape does not analyze that folder' };
    const abs = join(project.root, target.path);
    if (project.relative(abs) !== target.path) return { applied: false, reason: 'the path is not inside the folder' };
    const openUri = this.projects.openByPath.get(abs);
    if (openUri) this.flush(openUri);
    const published = this.publisher.published.get(abs);
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
    for (const entry of this.publisher.published.values()) for (const finding of entry.findings) counts[finding.severity]++;
    const enabled = this.projects.all.filter((project) => project.enabled);
    const scans = enabled.map((project) => project.lastScanMs).filter((ms): ms is number => ms !== null);
    const status: StatusParams = {
      state: enabled.length === 0 && this.projects.all.length > 0 ? 'disabled' : enabled.some((project) => project.scanning) ? 'analyzing' : 'idle',
      filesAnalyzed: enabled.reduce((sum, project) => sum + project.filesAnalyzed, 0),
      filesTotal: enabled.reduce((sum, project) => sum + project.filesTotal, 0),
      findings: counts,
      lastAnalysisMs: Math.round(this.publisher.lastAnalysis.ms * 10) / 10,
      lastScanMs: scans.length === 0 ? null : Math.round(Math.max(...scans)),
      budgetMs: STATUS_BUDGET_MS,
      overBudget: this.publisher.lastAnalysis.ms > STATUS_BUDGET_MS || this.publisher.lastAnalysis.skippedForTime,
      internalErrors: [...this.publisher.internalErrors.values()].reduce((sum, errors) => sum + errors.length, 0),
    };
    void this.connection.sendNotification(StatusNotification.method, validated(StatusNotification.schema, status));
  }
}

/** What the server sends is checked against the shared schema too; a mismatch is a server bug, not bad input. */
function validated<T>(schema: z.ZodType<T>, value: T): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`the server built an invalid message: ${parsed.error.message}`);
  return parsed.data;
}
