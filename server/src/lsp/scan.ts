// The background scan: analyzes every file of a workspace folder, one per
// event-loop turn so edits stay responsive, publishing as it goes and reporting
// progress to the client. It is what makes the Problems panel show the whole
// repository, files nobody opened included. A loose project is never scanned:
// starting one re-analyzes its open files.
import { join } from 'node:path';
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { pathToUri } from './paths';
import type { Project } from './project';
import type { Projects } from './projects';
import type { Publisher } from './publisher';
import { type Logger, describeError } from './safe';
import { yieldToEventLoop } from './scheduler';
import type { Scorecards } from './scorecards';

/** Progress notifications at most this often during a scan. */
const PROGRESS_INTERVAL_MS = 100;

export interface ScanHost {
  readonly connection: Connection;
  readonly projects: Projects;
  readonly publisher: Publisher;
  readonly scorecards: Scorecards;
  readonly log: Logger;
  /** Analyzes an open document through its own queue, so what is published is for its current version. */
  scheduleDocument(uri: string, delayMs: number): void;
  /** A scan started, advanced or ended: the status is due. */
  statusChanged(): void;
}

export class Scans {
  constructor(private readonly host: ScanHost) {}

  /** Starts a scan of the folder, aborting the one running; the promise settles when it ends. */
  start(project: Project): Promise<void> {
    const { projects, log } = this.host;
    if (project.loose) {
      // A loose project never walks its root: its open files are all it analyzes.
      for (const { uri } of projects.openIn(project)) this.host.scheduleDocument(uri, 0);
      return Promise.resolve();
    }
    const scan = this.scan(project);
    scan.catch((error: unknown) => log.error(`scan of ${project.root} failed: ${describeError(error)}`));
    project.scanDone = scan.catch(() => undefined);
    return scan;
  }

  /**
   * Analyzes every file of a folder, one per event-loop turn so edits stay
   * responsive, publishing as it goes. A newer scan of the folder aborts this one.
   */
  private async scan(project: Project): Promise<void> {
    const { projects, publisher, log } = this.host;
    project.scan?.abort();
    const controller = new AbortController();
    const signal = controller.signal;
    project.scan = controller;
    if (!project.enabled || !project.ready) return;
    project.scanning = true;
    this.host.statusChanged();
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
        const openUri = projects.openByPath.get(abs);
        if (openUri) this.host.scheduleDocument(openUri, 0);
        else publisher.analyzeAndPublish({ project, path, abs }, pathToUri(abs), null, signal);
        project.filesAnalyzed++;
        if (performance.now() - lastReport > PROGRESS_INTERVAL_MS) {
          lastReport = performance.now();
          progress.report(Math.floor((project.filesAnalyzed / Math.max(paths.length, 1)) * 100), progressMessage(project.filesAnalyzed, paths.length));
          this.host.statusChanged();
        }
      }
      // Open files the walk does not list (new, unsaved to a new path) still get analyzed.
      for (const { path, uri } of projects.openIn(project)) if (!seen.has(path)) this.host.scheduleDocument(uri, 0);
      // Files published before that are gone now (deleted, newly ignored or excluded).
      for (const path of [...project.published]) {
        const abs = join(project.root, path);
        if (!seen.has(path) && !projects.openByPath.has(abs)) publisher.clear(abs);
      }
      project.lastScanMs = performance.now() - started;
      log.info(`analyzed ${paths.length} files in ${project.root} in ${Math.round(project.lastScanMs)} ms`);
    } finally {
      progress.done();
      if (project.scan === controller) {
        project.scanning = false;
        this.host.scorecards.changed(project);
      }
      this.host.statusChanged();
    }
  }

  private async beginProgress(total: number): Promise<WorkDoneProgressServerReporter> {
    let reporter: WorkDoneProgressServerReporter;
    try {
      reporter = await this.host.connection.window.createWorkDoneProgress();
    } catch (error) {
      this.host.log.warn(`no progress reporting: ${describeError(error)}`);
      reporter = { begin: () => undefined, report: () => undefined, done: () => undefined, token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } };
    }
    reporter.begin('Shipshape', 0, progressMessage(0, total), false);
    return reporter;
  }

  private logWalk(project: Project): void {
    const byReason = new Map<string, number>();
    for (const skip of project.workspace.skipped) byReason.set(skip.reason, (byReason.get(skip.reason) ?? 0) + 1);
    if (byReason.size === 0) return;
    this.host.log.info(`${project.root}: left out ${[...byReason].map(([reason, count]) => `${count} × ${reason}`).join(', ')}`);
  }
}

function progressMessage(done: number, total: number): string {
  return `analyzing ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} files`;
}
