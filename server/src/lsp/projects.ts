// The projects the server analyzes: one per workspace folder, plus a loose one
// around files opened outside every folder (see project.ts), and which document
// is open at which path. Together they answer which project owns a file, the
// innermost folder around it, and what a project's open buffers are.
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyFile } from '../engine';
import { isGitignore, uriToPath } from './paths';
import { type EngineSetup, Project } from './project';
import type { Logger } from './safe';

/** A file named by URI, placed in the project that owns it. */
export interface Located {
  project: Project;
  path: string;
  abs: string;
}

export class Projects {
  private list: Project[] = [];
  /** Workspace folders in the client's order (`all` is sorted deepest first). */
  private folderOrder = 0;
  /** Absolute path → URI of the open document, as the client spelled it. */
  private readonly openUris = new Map<string, string>();

  constructor(
    private readonly engine: EngineSetup,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly log: Logger,
  ) {}

  /** Deepest root first. Removing a project replaces the array, so a loop over it may go on safely. */
  get all(): readonly Project[] {
    return this.list;
  }

  /** Absolute path → URI of each open document, as the client spelled it. */
  get openByPath(): ReadonlyMap<string, string> {
    return this.openUris;
  }

  add(uri: string, name: string, loose = false): Project | undefined {
    const root = uriToPath(uri);
    if (!root) {
      this.log.warn(`skipping workspace folder ${uri}: only file: folders are analyzed`);
      return undefined;
    }
    const project = new Project(uri, root, name, this.engine, loose);
    project.order = this.folderOrder++;
    this.list.push(project);
    // Deepest folder first, so a nested folder owns its files.
    this.list.sort((a, b) => b.root.length - a.root.length);
    return project;
  }

  /** Drops the project from the list; stopping its scan and clearing its diagnostics is the caller's. */
  remove(project: Project): void {
    this.list = this.list.filter((candidate) => candidate !== project);
  }

  includes(project: Project): boolean {
    return this.list.includes(project);
  }

  opened(abs: string, uri: string): void {
    this.openUris.set(abs, uri);
  }

  closed(abs: string): void {
    this.openUris.delete(abs);
  }

  locate(uri: string): Located | undefined {
    const abs = uriToPath(uri);
    const project = abs === undefined ? undefined : this.ownerOf(abs);
    if (abs === undefined || !project) return undefined;
    const path = project.relative(abs);
    return path === undefined ? undefined : { project, path, abs };
  }

  /** The innermost workspace folder holding an absolute path (`all` is sorted deepest first). */
  ownerOf(abs: string): Project | undefined {
    return this.list.find((project) => project.relative(abs) !== undefined);
  }

  /** The folder named by a URI (however the client encoded it). */
  projectOf(uri: string): Project | undefined {
    const root = uriToPath(uri);
    return this.list.find((project) => project.uri === uri || (root !== undefined && project.root === root));
  }

  /** The first workspace folder in the client's order. */
  first(): Project | undefined {
    return this.list.reduce<Project | undefined>((first, project) => (!project.loose && (first === undefined || project.order < first.order) ? project : first), undefined);
  }

  /** The open documents the project owns (a nested folder's are that folder's), with the URI each was opened by. */
  openIn(project: Project): (Located & { uri: string })[] {
    const open: (Located & { uri: string })[] = [];
    for (const [abs, uri] of this.openUris) {
      const path = project.relative(abs);
      if (path !== undefined && this.ownerOf(abs) === project) open.push({ project, path, abs, uri });
    }
    return open;
  }

  /** Whether any open document belongs to the project. */
  hasOpenFiles(project: Project): boolean {
    return this.openIn(project).length > 0;
  }

  /** Paths of a folder's open documents that are analyzed (what the scorecard adds to the walked files). */
  openPathsOf(project: Project): string[] {
    return this.openIn(project)
      .map((open) => open.path)
      .filter((path) => !project.isExcluded(path));
  }

  /** Open buffers of a folder, by folder-relative path. */
  buffersFor(project: Project): Map<string, string> {
    const buffers = new Map<string, string>();
    for (const document of this.documents.all()) {
      const located = this.locate(document.uri);
      if (located?.project === project && (classifyFile(located.path) || isGitignore(located.path))) buffers.set(located.path, document.getText());
    }
    return buffers;
  }
}
