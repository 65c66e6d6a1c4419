// Analysis and publishing: runs the engine on one file, sends its diagnostics
// (or clears them), and remembers what it published, so that code actions,
// fix-all, the findings request and the status read results without analyzing
// again. Stale results are never published; when to analyze is the server's call.
import { join } from 'node:path';
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE, type FileKind, type FileResult, type Finding, type InternalError, classifyFile } from '../engine';
import { configDiagnostics, toDiagnostic } from './convert';
import type { Project } from './project';
import type { Located, Projects } from './projects';
import { type Logger, describeError, isAbortError } from './safe';
import type { Scorecards } from './scorecards';

/** What was last published for a file, so code actions find their fixes without re-analysis. */
export interface Published {
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

export interface PublisherHost {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly projects: Projects;
  readonly scorecards: Scorecards;
  readonly log: Logger;
  readonly docsUrl: (ruleId: string) => string;
  /** What is published, or how long an analysis took, changed: the status is due. */
  statusChanged(): void;
}

export class Publisher {
  private readonly publishedByPath = new Map<string, Published>();
  /** Bases of each result's fixes, recorded when the engine produced it. */
  private readonly fixBases = new WeakMap<FileResult, Map<string, string | undefined>>();
  private readonly internalErrorsByPath = new Map<string, readonly InternalError[]>();
  private readonly loggedSkips = new Set<string>();
  private latest = { ms: 0, skippedForTime: false };

  constructor(private readonly host: PublisherHost) {}

  /** By absolute path. */
  get published(): ReadonlyMap<string, Published> {
    return this.publishedByPath;
  }

  /** The engine's internal errors (a rule that threw or ran out of time), by absolute path. */
  get internalErrors(): ReadonlyMap<string, readonly InternalError[]> {
    return this.internalErrorsByPath;
  }

  /** How long the latest analysis of an open document took, and whether rules were skipped for time. */
  get lastAnalysis(): { readonly ms: number; readonly skippedForTime: boolean } {
    return this.latest;
  }

  /**
   * Analyzes one file and publishes the result, unless the analysis was
   * cancelled or the document moved past `version` meanwhile: stale results are
   * never published. Only the innermost workspace folder around a file publishes
   * it: an outer folder's scan or dependents reach a nested folder's files too.
   */
  analyzeAndPublish(located: Located, uri: string, version: number | null, signal?: AbortSignal): void {
    const { project, path, abs } = located;
    if (this.host.projects.ownerOf(abs) !== project) return;
    const result = this.analyze(project, path, signal, version !== null);
    if (signal?.aborted) return;
    if (version !== null && this.host.documents.get(uri)?.version !== version) return;
    if (!result) {
      this.logSkip(project, path);
      this.internalErrorsByPath.delete(abs);
      this.clear(abs);
      return;
    }
    this.publish(located, uri, version, result);
  }

  clear(abs: string): void {
    const before = this.publishedByPath.get(abs);
    if (!before) return;
    this.publishedByPath.delete(abs);
    before.project.published.delete(before.path);
    void this.host.connection.sendDiagnostics({ uri: before.uri, diagnostics: [] });
    this.host.scorecards.changed(before.project);
    this.host.statusChanged();
  }

  clearProject(project: Project): void {
    for (const path of [...project.published]) this.clear(join(project.root, path));
    this.host.statusChanged();
  }

  private analyze(project: Project, path: string, signal: AbortSignal | undefined, interactive: boolean, retry = true): FileResult | undefined {
    const workspace = project.workspace;
    let result: FileResult | undefined;
    try {
      result = workspace.analyzeFile(path, signal);
    } catch (error) {
      if (isAbortError(error)) return undefined;
      this.host.log.error(`analysis of ${path} failed: ${describeError(error)}`);
      return undefined;
    }
    if (!result) return undefined;
    const bases = this.fixBases.get(result);
    if (!bases) {
      // A result the engine just produced: record what its fixes were built on, report its internal errors.
      this.fixBases.set(result, this.basesOf(project, path, result));
      for (const error of result.errors) this.host.log.error(`[${error.ruleId}] ${error.path}: ${error.message}`);
      const key = join(project.root, path);
      if (result.errors.length > 0) this.internalErrorsByPath.set(key, result.errors);
      else this.internalErrorsByPath.delete(key);
      if (interactive) this.latest = { ms: result.elapsedMs, skippedForTime: result.errors.some((error) => error.message.includes('time budget')) };
      this.host.scorecards.changed(project);
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
    const { connection } = this.host;
    const text = project.workspace.readFile(path) ?? '';
    const diagnostics: Diagnostic[] = result.findings.map((finding, index) => toDiagnostic(finding, index, version, this.host.docsUrl));
    if (path === CONFIG_FILE) diagnostics.push(...configDiagnostics(text, project.configProblems));
    const before = this.publishedByPath.get(abs);
    if (before && before.result === result && before.version === version && before.uri === uri) return;
    if (version === null && diagnostics.length === 0) {
      // A clean file nobody has open: remember nothing, clear what was there.
      this.clear(abs);
      return;
    }
    this.publishedByPath.set(abs, {
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
    if (before && before.uri !== uri && before.version === null) connection.sendDiagnostics({ uri: before.uri, diagnostics: [] });
    void connection.sendDiagnostics({ uri, version: version ?? undefined, diagnostics });
    this.host.statusChanged();
  }

  private logSkip(project: Project, path: string): void {
    const skip = [...(project.ready ? project.workspace.skipped : [])].reverse().find((candidate) => candidate.path === path);
    if (!skip) return;
    const key = `${project.root}\0${path}\0${skip.reason}`;
    if (this.loggedSkips.has(key)) return;
    this.loggedSkips.add(key);
    this.host.log.info(`skipped ${path}: ${skip.reason}`);
  }
}
