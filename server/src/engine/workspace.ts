// The incremental analysis model shared by the CLI and the language server: a set
// of files (from disk, overlaid by editor buffers), each parsed and analyzed once
// per version. Changing a file re-parses it incrementally and re-analyzes only it,
// unless it is project-wide input (package.json, .gitignore, .shipshape.json, or a
// schema: .prisma, SQL migrations, a Mongoose schema), which invalidates every result.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ts } from 'ts-morph';
import { CONFIG_FILE, type Config, type ConfigProblem, DEFAULT_CONFIG, parseConfig } from './config';
import { readTrackedPaths } from './files/gitIndex';
import { classifyFile, isCodeKind } from './files/kinds';
import { parseCode, reparseCode } from './files/parse';
import { LineIndex } from './files/text';
import { type ReadResult, type Skipped, checkText, readSource, walkWorkspace } from './files/walk';
import { isSchemaInput } from './facts/schema';
import { createProjectView } from './project';
import type { Rule } from './rule';
import { type FileResult, runRules, verifyFixes } from './runner';
import type { FileKind, Finding, Fix, ParsedFile, ProjectView } from './types';

interface Entry {
  kind: FileKind;
  /** The text came from `setText` (an editor buffer), not from disk. */
  buffer: boolean;
  text: string;
  lines: LineIndex;
  sourceFile?: ts.SourceFile;
  result?: FileResult;
}

export interface WorkspaceOptions {
  rules: readonly Rule[];
  /** Every rule id that exists, including engine-reported ones. */
  knownRules: ReadonlySet<string>;
  /** Overrides `.shipshape.json` (tests, the editor's settings). */
  config?: Config;
  /** Per-file time budget, ms. */
  timeBudgetMs?: number;
  /**
   * Which syntax trees to keep after analysis (default `all`). Trees make the
   * reparse after an edit incremental; each also costs memory. An editor keeps
   * `buffers` (files whose text came through `setText`, i.e. open documents); a
   * one-shot scan keeps `none`. Dropped trees are re-parsed on demand.
   */
  retainSyntaxTrees?: 'all' | 'buffers' | 'none';
}

/** Files whose change can alter the findings of every other file. */
const PROJECT_INPUTS = new Set(['package.json', '.gitignore', CONFIG_FILE]);
/** Changes remembered for `ProjectView.changedSince`; older questions get "cannot say". */
const CHANGE_LOG_SIZE = 1_024;

export class Workspace {
  private readonly entries = new Map<string, Entry>();
  private readonly known = new Set<string>();
  private readonly diskCache = new Map<string, string | null>();
  private tracked: Set<string> | undefined;
  private projectView: ProjectView;
  private configState: { config: Config; problems: ConfigProblem[] } = { config: DEFAULT_CONFIG, problems: [] };
  /** Bumped whenever a file's text may have changed: the project view's `revision`. */
  private textRevision = 0;
  /** The path changed at each revision after `changeLogBase` (undefined: many, a new walk). */
  private changeLog: (string | undefined)[] = [];
  private changeLogBase = 0;
  /** Verified fixes per finding of a current result (findings of replaced results are never asked again). */
  private readonly verified = new WeakMap<Finding, Fix[]>();
  /** Files the last walk left out, with the reason. */
  skipped: Skipped[] = [];

  constructor(
    readonly root: string,
    private readonly options: WorkspaceOptions,
  ) {
    this.tracked = readTrackedPaths(root);
    this.projectView = this.createProject();
    this.loadConfig();
  }

  get project(): ProjectView {
    return this.projectView;
  }

  get config(): Config {
    return this.options.config ?? this.configState.config;
  }

  /** Problems in `.shipshape.json`; analysis runs on defaults while there are any. */
  get configProblems(): readonly ConfigProblem[] {
    return this.configState.problems;
  }

  /** Walks the root and registers every analyzable file (read lazily on first analysis). */
  discover(): string[] {
    const walk = walkWorkspace(this.root, { exclude: this.config.exclude });
    this.skipped = walk.skipped;
    this.changed(undefined);
    for (const file of walk.files) this.known.add(file.path);
    return walk.files.map((file) => file.path);
  }

  /** Paths currently known (discovered or opened), whether or not read yet. */
  get paths(): string[] {
    return [...new Set([...this.known, ...this.entries.keys()])];
  }

  /**
   * Sets a file's text (an editor buffer, or a fresh read). Returns whether the
   * change affects other files' results too.
   */
  setText(path: string, text: string): boolean {
    const kind = classifyFile(path);
    const previous = this.entries.get(path);
    if (previous && previous.text === text) return false;
    this.changed(path);
    this.diskCache.set(path, text);
    if (kind) {
      this.skipped = this.skipped.filter((skip) => skip.path !== path);
      const entry = this.createEntry(path, kind, checkText(text), true, previous?.sourceFile);
      if (entry) this.entries.set(path, entry);
      else this.entries.delete(path);
    }
    return this.invalidateIfProjectInput(path, [previous?.text, text]);
  }

  /** Forgets a file's buffer; the disk version (if any) is read again on next use. */
  removeText(path: string): boolean {
    const previous = this.entries.get(path)?.text;
    this.changed(path);
    this.entries.delete(path);
    this.diskCache.delete(path);
    return this.invalidateIfProjectInput(path, [previous]);
  }

  /** Forgets what is known of a file so the disk version is read on next use (after a change outside the editor). */
  reload(path: string): boolean {
    this.skipped = this.skipped.filter((skip) => skip.path !== path);
    return this.removeText(path);
  }

  /** Analyzes one file (cached until its text or a project input changes). */
  analyzeFile(path: string, signal?: AbortSignal): FileResult | undefined {
    const entry = this.entry(path);
    if (!entry) return undefined;
    if (entry.result) return entry.result;
    if (isCodeKind(entry.kind) && !entry.sourceFile) entry.sourceFile = parseCode(path, entry.text, entry.kind);
    const file: ParsedFile = { path, kind: entry.kind, text: entry.text, sourceFile: entry.sourceFile };
    entry.result = runRules(file, entry.lines, this.projectView, {
      rules: this.options.rules,
      config: this.config,
      knownRules: this.options.knownRules,
      signal,
      timeBudgetMs: this.options.timeBudgetMs,
    });
    const retain = this.options.retainSyntaxTrees ?? 'all';
    if (retain === 'none' || (retain === 'buffers' && !entry.buffer)) entry.sourceFile = undefined;
    return entry.result;
  }

  /**
   * The fixes of a finding from the current `analyzeFile(path)` result that pass
   * verification (the edited text parses and the finding is gone), verified on the
   * first request. A finding of a result that has been replaced since (its file or a
   * project input changed) gets none: its fixes were built on text that is gone.
   */
  verifiedFixes(path: string, finding: Finding): Fix[] {
    const cached = this.verified.get(finding);
    if (cached) return cached;
    const entry = this.entries.get(path);
    const result = entry?.result;
    if (!entry || !result || !result.findings.includes(finding)) return [];
    let fixes: Fix[] = [];
    if (finding.fixes.length > 0) {
      const sourceFile = isCodeKind(entry.kind) ? (entry.sourceFile ?? parseCode(path, entry.text, entry.kind)) : undefined;
      const file: ParsedFile = { path, kind: entry.kind, text: entry.text, sourceFile };
      fixes = verifyFixes(file, this.projectView, result, finding, { rules: this.options.rules, config: this.config });
    }
    this.verified.set(finding, fixes);
    return fixes;
  }

  /** The current text of a file: editor buffer, else disk. */
  readFile(path: string): string | undefined {
    const entry = this.entries.get(path);
    if (entry) return entry.text;
    if (!this.diskCache.has(path)) {
      let text: string | null = null;
      try {
        text = readFileSync(join(this.root, path), 'utf8');
      } catch {
        text = null;
      }
      this.diskCache.set(path, text);
    }
    return this.diskCache.get(path) ?? undefined;
  }

  private entry(path: string): Entry | undefined {
    const existing = this.entries.get(path);
    if (existing) return existing;
    const kind = classifyFile(path);
    if (!kind || this.skipped.some((skip) => skip.path === path)) return undefined;
    const entry = this.createEntry(path, kind, readSource(join(this.root, path)), false);
    if (entry) this.entries.set(path, entry);
    return entry;
  }

  /** Parses a readable file into an entry, or records why it is skipped. */
  private createEntry(path: string, kind: FileKind, read: ReadResult, buffer: boolean, previous?: ts.SourceFile): Entry | undefined {
    if (!read.ok) {
      this.skipped.push({ path, reason: read.reason });
      return undefined;
    }
    let sourceFile: ts.SourceFile | undefined;
    if (isCodeKind(kind)) {
      try {
        sourceFile = previous ? reparseCode(previous, read.text) : parseCode(path, read.text, kind);
      } catch (error) {
        // The TypeScript parser recurses per nesting level; pathological input can exhaust the stack.
        this.skipped.push({ path, reason: error instanceof RangeError ? 'too deeply nested to parse' : `cannot parse: ${(error as Error).message}` });
        return undefined;
      }
    }
    return { kind, buffer, text: read.text, lines: new LineIndex(read.text), sourceFile };
  }

  /** `texts`: the file's text before and after the change (a Mongoose schema is project input only while it holds one). */
  private invalidateIfProjectInput(path: string, texts: readonly (string | undefined)[]): boolean {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const projectWide = PROJECT_INPUTS.has(path) || name === '.gitignore' || isSchemaInput(path, texts);
    if (projectWide) {
      this.projectView = this.createProject();
      if (path === CONFIG_FILE) this.loadConfig();
      for (const entry of this.entries.values()) entry.result = undefined;
    } else {
      const entry = this.entries.get(path);
      if (entry) entry.result = undefined;
    }
    return projectWide;
  }

  /** Records that `path`'s text changed (undefined: any file's may have). */
  private changed(path: string | undefined): void {
    this.textRevision++;
    this.changeLog.push(path);
    if (this.changeLog.length > CHANGE_LOG_SIZE) {
      this.changeLog = this.changeLog.slice(-CHANGE_LOG_SIZE / 2);
      this.changeLogBase = this.textRevision - this.changeLog.length;
    }
  }

  private changedSince(revision: number): Iterable<string> | undefined {
    if (revision < this.changeLogBase || revision > this.textRevision) return undefined;
    const paths = new Set<string>();
    for (const path of this.changeLog.slice(revision - this.changeLogBase)) {
      if (path === undefined) return undefined;
      paths.add(path);
    }
    return paths;
  }

  private createProject(): ProjectView {
    return createProjectView(
      this.root,
      (path) => this.readFile(path),
      (path) => this.tracked?.has(path) ?? false,
      () => this.paths,
      undefined,
      () => this.textRevision,
      (revision) => this.changedSince(revision),
    );
  }

  private loadConfig(): void {
    const text = this.readFile(CONFIG_FILE);
    if (text === undefined) {
      this.configState = { config: DEFAULT_CONFIG, problems: [] };
      return;
    }
    const parsed = parseConfig(text, this.options.knownRules);
    this.configState = parsed.ok ? { config: parsed.config, problems: [] } : { config: parsed.config, problems: parsed.problems };
  }
}
