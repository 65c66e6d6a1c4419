// A minimal LSP client for the protocol tests: spawns the built server
// (`node dist/server.js --stdio`), answers its requests the way an editor would
// (configuration, capability registration, progress, applyEdit, showDocument),
// keeps every notification, and lets tests *wait for* what they expect — a
// publishDiagnostics for a uri and version, a log line, a status — with a
// timeout that fails the test. No sleeps.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type ApplyWorkspaceEditParams,
  ApplyWorkspaceEditRequest,
  type ClientCapabilities,
  type CodeAction,
  CodeActionRequest,
  type Command,
  ConfigurationRequest,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  type FileEvent,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  type LogMessageParams,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  type Range,
  RegistrationRequest,
  type ResourceOperationKind,
  type RegistrationParams,
  ShowDocumentRequest,
  type ShowDocumentParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextEdit,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type WorkspaceEdit,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ALL_RULE_META } from '../../rules/meta';
import { type ScorecardChangedParams, ScorecardChangedNotification, StatusNotification, type StatusParams } from '../../server/src/protocol';

export const REPO = join(__dirname, '..', '..');
export const SERVER = join(REPO, 'dist', 'server.js');

/** How long a test waits for something the server should send before it fails. */
const WAIT_MS = 30_000;

const temps: string[] = [];
process.on('exit', () => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A temp workspace folder holding these files (path -> content). */
export { makeWorkspace, writeFile } from '../support/tempWorkspace';

export function uriOf(root: string, path: string): string {
  return pathToFileURL(join(root, path)).href;
}

/**
 * `shipshape.rules` turning off every rule but these (and invalid-suppression),
 * so a test's expectations hold however many rules land later.
 */
export function onlyRules(...keep: string[]): Record<string, 'off'> {
  return Object.fromEntries(ALL_RULE_META.filter((meta) => !keep.includes(meta.id) && meta.id !== 'invalid-suppression').map((meta) => [meta.id, 'off' as const]));
}

export interface StartOptions {
  /** Rules left on (default: sql-injection and hardcoded-secret), via `shipshape.rules`. */
  rules?: string[];
  /** More `shipshape.*` settings answered to `workspace/configuration`. */
  settings?: Record<string, unknown>;
  /** Whether the client applies snippet text edits (LSP 3.18). */
  snippetEdits?: boolean;
  /**
   * `workspace.workspaceEdit` capabilities other than the default (documentChanges
   * and the create operation, as VS Code and Neovim declare). The client refuses
   * edits that use what it did not declare, as the spec lets it.
   */
  workspaceEdit?: { documentChanges: boolean; resourceOperations: ResourceOperationKind[] };
  /** The command to run instead of `node dist/server.js --stdio`. */
  command?: { args: string[] };
  initializationOptions?: Record<string, unknown>;
  /** Start with no workspace folder (`code app.ts`): `root` only anchors relative paths. */
  noFolder?: boolean;
}

type Waiter = { check: () => boolean; resolve: () => void };

export class TestClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly statuses: StatusParams[] = [];
  readonly scorecards: ScorecardChangedParams[] = [];
  readonly progress: { token: string | number; value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd }[] = [];
  readonly registrations: RegistrationParams[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly documents = new Map<string, TextDocument>();
  settings: Record<string, unknown>;
  private readonly waiters = new Set<Waiter>();
  private stderr = '';
  private readonly editCapabilities: { documentChanges: boolean; resourceOperations: ResourceOperationKind[] };

  private constructor(
    readonly root: string,
    readonly connection: ProtocolConnection,
    private readonly child: ChildProcess,
    options: StartOptions,
  ) {
    this.editCapabilities = options.workspaceEdit ?? { documentChanges: true, resourceOperations: ['create'] };
    this.settings = { rules: onlyRules(...(options.rules ?? ['sql-injection', 'hardcoded-secret'])), ...options.settings };
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.record(this.diagnostics, params));
    connection.onNotification(LogMessageNotification.type, (params) => this.record(this.logs, params));
    connection.onNotification(StatusNotification.method, (params: unknown) => this.record(this.statuses, StatusNotification.schema.parse(params)));
    connection.onNotification(ScorecardChangedNotification.method, (params: unknown) => this.record(this.scorecards, ScorecardChangedNotification.schema.parse(params)));
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.record(this.registrations, params);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      connection.onProgress(WorkDoneProgress.type, token, (value) => this.record(this.progress, { token, value }));
    });
    connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.record(this.shownDocuments, params);
      return { success: true };
    });
    connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      this.record(this.appliedEdits, params);
      try {
        this.applyEdit(params.edit);
      } catch (error) {
        // What an editor answers for an edit it cannot apply.
        return { applied: false, failureReason: error instanceof Error ? error.message : String(error) };
      }
      return { applied: true };
    });
  }

  static async start(root: string, options: StartOptions = {}): Promise<TestClient> {
    const args = options.command?.args ?? [SERVER, '--stdio'];
    if (!options.command) assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    if (!child.stdout || !child.stdin) throw new Error('no stdio');
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new TestClient(root, connection, child, options);
    connection.listen();
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        didChangeConfiguration: { dynamicRegistration: true },
        workspaceEdit: { ...client.editCapabilities, snippetEditSupport: options.snippetEdits ?? false },
      },
      window: { workDoneProgress: true, showDocument: { support: true } },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
      },
    };
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: options.noFolder ? null : pathToFileURL(root).href,
      workspaceFolders: options.noFolder ? null : [{ uri: pathToFileURL(root).href, name: 'test' }],
      capabilities,
      initializationOptions: options.initializationOptions ?? {},
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves once `check` holds (checked now and after every message from the server). */
  waitFor(what: string, check: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}\n${this.describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The newest publishDiagnostics for `uri` once it satisfies `check` (e.g. a version). */
  async waitForDiagnostics(uri: string, check: (params: PublishDiagnosticsParams) => boolean, what = `diagnostics for ${uri}`): Promise<PublishDiagnosticsParams> {
    let found: PublishDiagnosticsParams | undefined;
    await this.waitFor(what, () => {
      found = this.latestDiagnostics(uri);
      return found !== undefined && check(found);
    });
    if (!found) throw new Error('unreachable');
    return found;
  }

  /** Diagnostics published for the document's `version`. */
  waitForVersion(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (params) => params.version === version, `diagnostics for ${uri} at version ${version}`);
  }

  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return [...this.diagnostics].reverse().find((params) => sameFile(params.uri, uri));
  }

  async waitForLog(pattern: RegExp): Promise<LogMessageParams> {
    let found: LogMessageParams | undefined;
    await this.waitFor(`a log message matching ${pattern}`, () => (found = this.logs.find((log) => pattern.test(log.message))) !== undefined);
    if (!found) throw new Error('unreachable');
    return found;
  }

  /** Waits for the end of a background scan that began after `since` progress messages. */
  async waitForScanEnd(since = 0): Promise<void> {
    await this.waitFor('the end of a workspace scan', () => this.progress.slice(since).some((entry) => entry.value.kind === 'end'));
  }

  async open(path: string, text?: string, languageId = 'typescript'): Promise<TextDocument> {
    const uri = uriOf(this.root, path);
    const content = text ?? readFileSync(join(this.root, path), 'utf8');
    const document = TextDocument.create(uri, languageId, 1, content);
    this.documents.set(uri, document);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text: content } });
    return document;
  }

  /** Replaces a range (or the whole text) of an open document; returns the new version. */
  async edit(uri: string, newText: string, range?: Range): Promise<number> {
    const document = this.documents.get(uri);
    assert.ok(document, `${uri} is not open`);
    const version = document.version + 1;
    const change = range ? { range, text: newText } : { text: newText };
    const next = TextDocument.update(document, [change], version);
    this.documents.set(uri, next);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async fileChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  executeCommand(command: string, args: unknown[] = []): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /**
   * Applies a WorkspaceEdit as an editor would: CreateFile (honouring
   * ignoreIfExists), then text edits, to open documents (sending didChange; a
   * versioned edit for a document that moved on is refused) or to files on disk.
   * Refuses what the client did not declare (documentChanges, resource operations).
   */
  applyEdit(edit: WorkspaceEdit): void {
    assert.ok(this.editCapabilities.documentChanges || edit.documentChanges === undefined, 'documentChanges sent to a client that did not declare them');
    for (const change of edit.documentChanges ?? []) {
      if ('kind' in change) {
        assert.ok(this.editCapabilities.resourceOperations.includes(change.kind), `resource operation ${change.kind} sent to a client that did not declare it`);
        assert.equal(change.kind, 'create', `unexpected resource operation ${change.kind}`);
        const path = fileURLToPath(change.uri);
        if (existsSync(path)) {
          assert.ok(change.options?.ignoreIfExists || change.options?.overwrite, `CreateFile would fail: ${path} exists`);
          if (change.options?.overwrite) writeFileSync(path, '');
        } else {
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, '');
        }
        continue;
      }
      const uri = change.textDocument.uri;
      const edits: TextEdit[] = change.edits.map((item) => ('snippet' in item ? { range: item.range, newText: snippetText(item.snippet.value) } : item));
      const open = [...this.documents.values()].find((document) => sameFile(document.uri, uri));
      if (open) {
        if (change.textDocument.version !== null) assert.equal(change.textDocument.version, open.version, `edit for ${uri} is for version ${change.textDocument.version}, the document is at ${open.version}`);
        const text = TextDocument.applyEdits(open, edits);
        void this.edit(open.uri, text);
      } else {
        const path = fileURLToPath(uri);
        const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
        writeFileSync(path, TextDocument.applyEdits(TextDocument.create(uri, 'plaintext', 0, before), edits));
      }
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const open = [...this.documents.values()].find((document) => sameFile(document.uri, uri));
      if (open) {
        void this.edit(open.uri, TextDocument.applyEdits(open, edits));
        continue;
      }
      const path = fileURLToPath(uri);
      writeFileSync(path, TextDocument.applyEdits(TextDocument.create(uri, 'plaintext', 0, readFileSync(path, 'utf8')), edits));
    }
  }

  text(uri: string): string {
    const document = this.documents.get(uri);
    assert.ok(document, `${uri} is not open`);
    return document.getText();
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.alive) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        this.child.kill();
      }
      await exited;
    }
    this.connection.dispose();
  }

  private record<T>(list: T[], item: T): void {
    list.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private describe(): string {
    const last = this.diagnostics.slice(-5).map((params) => `  ${params.uri} v${params.version ?? '-'}: ${params.diagnostics.map((d) => d.code).join(', ') || '(none)'}`);
    const logs = this.logs.slice(-10).map((log) => `  [${log.type}] ${log.message.split('\n')[0]}`);
    return [`last diagnostics:`, ...last, `last logs:`, ...logs, `server stderr: ${this.stderr.slice(-2000)}`].join('\n');
  }
}

/** Two file URIs naming the same file, however each side encoded it. */
export function sameFile(a: string, b: string): boolean {
  try {
    return fileURLToPath(a) === fileURLToPath(b);
  } catch {
    return a === b;
  }
}

/** The text a snippet inserts: `$0`/`${n:…}` markers removed, escapes resolved. */
export function snippetText(snippet: string): string {
  return snippet.replace(/\\([$}\\])|\$\{\d+:([^}]*)\}|\$\d+/g, (_match, escaped: string | undefined, placeholder: string | undefined) => escaped ?? placeholder ?? '');
}

/** The code actions that are CodeActions (not bare Commands), by title. */
export function actionsOf(result: (CodeAction | Command)[] | null): CodeAction[] {
  return (result ?? []).filter((item): item is CodeAction => typeof item.command !== 'string');
}

/** Runs a test body against a server for `root`, always stopping it. */
export async function withServer(root: string, options: StartOptions, body: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await TestClient.start(root, options);
  try {
    await body(client);
  } finally {
    await client.stop();
  }
}
