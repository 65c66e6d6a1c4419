// The incremental analysis model shared by the CLI and the language server: a set
// of files (from disk, overlaid by editor buffers), each parsed and analyzed once
// per version. Changing a file re-parses it incrementally and drops its result and
// the results computed from it: each result records the other files its facts read
// (FileResult.dependencies: the middleware and helpers resolved for it, and the route
// graph when its routes came from there), kept here as a reverse index, so a change
// costs what it invalidates, never a pass over every file. The route graph is one
// shared fact: a change drops the results that used it only when it can change the
// graph (not while someone types inside one handler's body), and re-checks the files
// no route reached yet, which a route may reach now. `setText`, `removeText` and
// `reload` say which other files' results they dropped (`Invalidation.dependents`),
// for front ends to re-publish. Project-wide input (package.json, .gitignore,
// .shipshape.json, tsconfig/jsconfig path aliases, or a schema: .prisma, SQL
// migrations, a Mongoose schema) invalidates every result.
import { join } from 'node:path';
import type { ts } from 'ts-morph';
import { CONFIG_FILE, type Config, type ConfigProblem, DEFAULT_CONFIG, configFromFile } from './config';
import { readTrackedPaths } from './files/gitIndex';
import { classifyFile, isCodeKind } from './files/kinds';
import { parseCode } from './files/parse';
import { LineIndex, changedSpan } from './files/text';
import { type DiskFile, type ReadResult, type Skipped, type WalkResult, checkText, readDiskFile, readSource, walkWorkspace } from './files/walk';
import { reparseInContext } from './facts/editContext';
import { ProjectModules } from './facts/modules';
import { isSchemaInput } from './facts/schema';
import { createProjectView } from './project';
import type { Rule } from './rule';
import { type FileResult, runRules, verifyFixes } from './runner';
import { SHARED_FACTS } from './facts/shared';
import type { FileDependencies, FileKind, Finding, Fix, ParsedFile, ProjectView, SharedFactsName } from './types';

interface Entry {
  kind: FileKind;
  /** The text came from `setText` (an editor buffer), not from disk. */
  buffer: boolean;
  text: string;
  lines: LineIndex;
  sourceFile?: ts.SourceFile;
  result?: FileResult;
  /** A shared fact the result used by being absent from it changed: check it still is before reusing the result. */
  recheck?: boolean;
  /**
   * The dependencies this file is listed under in the reverse indexes: its result's, or
   * a dropped result's until the next result replaces them (see `reindex`).
   */
  indexed?: FileDependencies;
}

/** What a change did to the cached results besides the changed file's own. */
export interface Invalidation {
  /** A project-wide input changed (package.json, an ignore file, the config, a schema, a tsconfig): every result was dropped. */
  projectWide: boolean;
  /**
   * The other files whose results were dropped (or are re-checked on their next
   * analysis) because they were computed from the changed file: what a front end
   * re-analyzes and re-publishes. Sorted.
   */
  dependents: string[];
}

const UNCHANGED: Invalidation = Object.freeze({ projectWide: false, dependents: [] as string[] });

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

function sameDependencies(a: FileDependencies, b: FileDependencies): boolean {
  const same = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((item, index) => item === y[index]);
  return same(a.paths, b.paths) && same(a.shared, b.shared) && same(a.absentFrom, b.absentFrom);
}

/** Files whose change can alter the findings of every other file. */
const PROJECT_INPUTS = new Set(['package.json', '.gitignore', CONFIG_FILE]);
/** Found at any depth: ignore rules, and the path aliases imports resolve through. */
const PROJECT_INPUT_NAMES = new Set(['.gitignore', 'tsconfig.json', 'jsconfig.json']);
/** Changes remembered for `ProjectView.changedSince`; older questions get "cannot say". */
const CHANGE_LOG_SIZE = 1_024;

export class Workspace {
  private readonly entries = new Map<string, Entry>();
  private readonly known = new Set<string>();
  /** Texts of files without an entry: read from disk (with the verdict an entry reuses), or released after analysis. */
  private readonly diskCache = new Map<string, Partial<DiskFile> & { text: string | undefined }>();
  private tracked: Set<string> | undefined;
  private projectView: ProjectView;
  private configState: { config: Config; problems: ConfigProblem[] } = { config: DEFAULT_CONFIG, problems: [] };
  /** Bumped whenever a file's text may have changed: the project view's `revision`. */
  private textRevision = 0;
  /** The path changed at each revision after `changeLogBase` (undefined: many, a new walk). */
  private changeLog: (string | undefined)[] = [];
  private changeLogBase = 0;
  /** Reverse index of the cached results' dependencies: path -> files whose result read it. */
  private readonly readers = new Map<string, Set<string>>();
  /** Shared fact -> files whose cached result used it. */
  private readonly users = new Map<SharedFactsName, Set<string>>();
  /** Shared fact -> files whose cached result used it by being absent from it. */
  private readonly absentees = new Map<SharedFactsName, Set<string>>();
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

  /**
   * Walks the root and registers every analyzable file (read lazily on first analysis).
   * `walk`: a walk of this root already made with this workspace's config (the CLI plans
   * a scan before it opens a workspace), instead of walking again.
   */
  discover(walk: WalkResult = walkWorkspace(this.root, { exclude: this.config.exclude })): string[] {
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
   * Sets a file's text (an editor buffer, or a fresh read). Drops its result and the
   * results computed from it; says which other files those were.
   */
  setText(path: string, text: string): Invalidation {
    const kind = classifyFile(path);
    const previous = this.entries.get(path);
    if (previous && previous.text === text) return UNCHANGED;
    const before = previous ? previous.text : this.diskCache.get(path)?.text;
    this.changed(path);
    this.diskCache.set(path, { text });
    let tree: ts.SourceFile | undefined;
    if (kind) {
      this.skipped = this.skipped.filter((skip) => skip.path !== path);
      if (previous) this.dropResult(previous);
      const entry = this.createEntry(path, kind, checkText(text), true, previous);
      if (entry) {
        entry.indexed = previous?.indexed;
        this.entries.set(path, entry);
      } else {
        if (previous) this.unindex(path, previous);
        this.entries.delete(path);
      }
      tree = entry?.sourceFile;
    }
    return this.invalidate(path, [previous?.text, text], before, text, tree);
  }

  /** Forgets a file's buffer; the disk version (if any) is what is analyzed from now on. */
  removeText(path: string): Invalidation {
    const previous = this.entries.get(path);
    const before = previous ? previous.text : this.diskCache.get(path)?.text;
    this.changed(path);
    if (previous) {
      this.dropResult(previous);
      this.unindex(path, previous);
    }
    this.entries.delete(path);
    this.diskCache.delete(path);
    return this.invalidate(path, [previous?.text], before, this.readFile(path), undefined);
  }

  /** Forgets what is known of a file so the disk version is read on next use (after a change outside the editor). */
  reload(path: string): Invalidation {
    this.skipped = this.skipped.filter((skip) => skip.path !== path);
    return this.removeText(path);
  }

  /**
   * Analyzes one file: cached until its text, a file its result was computed from
   * (see FileResult.dependencies) or a project input changes.
   */
  analyzeFile(path: string, signal?: AbortSignal): FileResult | undefined {
    const entry = this.entry(path);
    if (!entry) return undefined;
    if (entry.result && entry.recheck) {
      entry.recheck = false;
      if (!entry.result.dependencies.absentFrom.every((facts) => SHARED_FACTS[facts].isAbsent(this.projectView, path))) this.dropResult(entry);
    }
    if (entry.result) return entry.result;
    if (isCodeKind(entry.kind) && !entry.sourceFile) entry.sourceFile = parseCode(path, entry.text, entry.kind);
    const file: ParsedFile = { path, kind: entry.kind, text: entry.text, sourceFile: entry.sourceFile };
    const result = runRules(file, entry.lines, this.projectView, {
      rules: this.options.rules,
      config: this.config,
      knownRules: this.options.knownRules,
      signal,
      timeBudgetMs: this.options.timeBudgetMs,
    });
    entry.result = result;
    this.reindex(path, entry, result.dependencies);
    const retain = this.options.retainSyntaxTrees ?? 'all';
    if (retain === 'none' || (retain === 'buffers' && !entry.buffer)) entry.sourceFile = undefined;
    return result;
  }

  /**
   * Forgets what analyzing `path` kept (its result, line index, tree and text): for a
   * scan that hands each result on and never asks for it again (a worker thread), so
   * memory does not grow with every file analyzed. Another file's cross-file facts that
   * need it later read it from disk again; a later `analyzeFile(path)` analyzes the
   * file afresh. Editor buffers are kept.
   */
  release(path: string): void {
    const entry = this.entries.get(path);
    if (!entry || entry.buffer) return;
    this.dropResult(entry);
    this.unindex(path, entry);
    this.entries.delete(path);
    // Its tree too, parsed for other files' cross-file facts: on the benchmark workspace
    // no file needs a released file's tree again (the parse count is the same), and the
    // module cache otherwise holds ~60 MB of trees to the end.
    ProjectModules.of(this.projectView).forget(path);
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
    let cached = this.diskCache.get(path);
    if (!cached) this.diskCache.set(path, (cached = readDiskFile(join(this.root, path))));
    return cached.text;
  }

  private entry(path: string): Entry | undefined {
    const existing = this.entries.get(path);
    if (existing) return existing;
    const kind = classifyFile(path);
    if (!kind || this.skipped.some((skip) => skip.path === path)) return undefined;
    // Read once: a file read earlier for another file's cross-file facts (the route
    // graph's candidate scan reads them all) is not read again, and keeps one string.
    const read = this.diskCache.get(path)?.read ?? readSource(join(this.root, path));
    const entry = this.createEntry(path, kind, read, false);
    if (entry) {
      this.entries.set(path, entry);
      // `readFile` answers from the entry from now on.
      this.diskCache.delete(path);
    }
    return entry;
  }

  /** Parses a readable file into an entry (from the previous version's, when there is one), or records why it is skipped. */
  private createEntry(path: string, kind: FileKind, read: ReadResult, buffer: boolean, previous?: Entry): Entry | undefined {
    if (!read.ok) {
      this.skipped.push({ path, reason: read.reason });
      return undefined;
    }
    // found once for the reparse and the line index, which both need only look at what changed
    const change = previous && changedSpan(previous.text, read.text);
    let sourceFile: ts.SourceFile | undefined;
    if (isCodeKind(kind)) {
      try {
        sourceFile = previous?.sourceFile && change ? reparseInContext(previous.sourceFile, read.text, change) : (this.sharedTree(path, read.text, buffer) ?? parseCode(path, read.text, kind));
      } catch (error) {
        // The TypeScript parser recurses per nesting level; pathological input can exhaust the stack.
        this.skipped.push({ path, reason: error instanceof RangeError ? 'too deeply nested to parse' : `cannot parse: ${(error as Error).message}` });
        return undefined;
      }
    }
    const lines = previous && change ? LineIndex.afterChange(previous.lines, read.text, change) : new LineIndex(read.text);
    return { kind, buffer, text: read.text, lines, sourceFile };
  }

  /**
   * A file a scan reads from disk may have been parsed already for another file's
   * cross-file facts (the route graph parses every router): that tree serves, when the
   * workspace keeps no trees, since only a kept tree is ever reparsed in place.
   */
  private sharedTree(path: string, text: string, buffer: boolean): ts.SourceFile | undefined {
    if (buffer || this.options.retainSyntaxTrees !== 'none') return undefined;
    return ProjectModules.of(this.projectView).parsedTree(path, text);
  }

  /**
   * Drops the results a change of `path` (from `before` to `after`, parsed as `tree`)
   * can alter: all of them for a project input, else those that read the file and
   * those that used a shared fact (the route graph) the change alters; results guarded
   * by being absent from such a fact are re-checked on their next analysis. `schemaTexts`: the texts that
   * decide whether the file is a schema (a Mongoose schema is project input only while
   * it holds one). The file's own result is dropped by the caller.
   */
  private invalidate(path: string, schemaTexts: readonly (string | undefined)[], before: string | undefined, after: string | undefined, tree: ts.SourceFile | undefined): Invalidation {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (PROJECT_INPUTS.has(path) || PROJECT_INPUT_NAMES.has(name) || isSchemaInput(path, schemaTexts)) {
      this.projectView = this.createProject();
      if (path === CONFIG_FILE) this.loadConfig();
      const dependents: string[] = [];
      for (const [other, entry] of this.entries) {
        if (entry.result && other !== path) dependents.push(other);
        entry.result = undefined;
        entry.recheck = false;
        entry.indexed = undefined;
      }
      this.readers.clear();
      this.users.clear();
      this.absentees.clear();
      return { projectWide: true, dependents: dependents.sort() };
    }
    if (before === after) return UNCHANGED;
    // The indexes also list files whose result is dropped (see `reindex`): those have nothing to drop.
    const stale = new Set(this.othersWithResult(path, this.readers.get(path)));
    const recheck = new Set<string>();
    for (const facts of new Set([...this.users.keys(), ...this.absentees.keys()])) {
      const used = (files: Iterable<string> | undefined): boolean => !this.othersWithResult(path, files).next().done;
      if (!used(this.users.get(facts)) && !used(this.absentees.get(facts))) continue; // no other result uses it
      if (!SHARED_FACTS[facts].changedBy(this.projectView, path, before, after, tree)) continue;
      for (const user of this.othersWithResult(path, this.users.get(facts))) stale.add(user);
      for (const absentee of this.absentees.get(facts) ?? []) recheck.add(absentee);
    }
    for (const other of stale) {
      const entry = this.entries.get(other);
      if (entry) this.dropResult(entry);
      recheck.delete(other);
    }
    recheck.delete(path);
    for (const other of recheck) {
      const entry = this.entries.get(other);
      if (entry?.result) entry.recheck = true;
      else recheck.delete(other);
    }
    return { projectWide: false, dependents: [...stale, ...recheck].sort() };
  }

  /** The files among `files`, other than `path`, that have a result. */
  private *othersWithResult(path: string, files: Iterable<string> | undefined): Generator<string> {
    for (const file of files ?? []) if (file !== path && this.entries.get(file)?.result) yield file;
  }

  /** Drops a file's result; it stays in the reverse indexes until its next result (`reindex`) or `unindex`. */
  private dropResult(entry: Entry): void {
    entry.result = undefined;
    entry.recheck = false;
  }

  /**
   * Lists a file under its new result's dependencies. A keystroke drops the result and
   * the next analysis reads what the last one read (784 paths for the 10k-line bench
   * module, resolution candidates mostly): taking the file out of every set on the drop
   * and putting it back here was ~0.4 ms and ~200 KB per edit, so the dropped result's
   * entries stay until now and only a difference is applied.
   */
  private reindex(path: string, entry: Entry, dependencies: FileDependencies): void {
    const before = entry.indexed;
    entry.indexed = dependencies;
    if (before && sameDependencies(before, dependencies)) return;
    if (before) this.index(path, before, false);
    this.index(path, dependencies, true);
  }

  /** Takes a file out of the reverse indexes (its entry is going away). */
  private unindex(path: string, entry: Entry): void {
    if (entry.indexed) this.index(path, entry.indexed, false);
    entry.indexed = undefined;
  }

  /**
   * Adds (or removes) a result's dependencies to (from) the reverse indexes. A set left
   * empty stays in its map: a keystroke removes a file from every set it is in and adds
   * it back after the analysis, and deleting and re-adding hundreds of keys made the
   * maps shrink and grow again (a tenth of what an edit of a 10k-line file allocated).
   * The keys are paths and shared facts of the project, so the empty sets are few.
   */
  private index(path: string, dependencies: FileDependencies, add: boolean): void {
    const update = <K>(map: Map<K, Set<string>>, key: K): void => {
      let files = map.get(key);
      if (add) {
        if (!files) map.set(key, (files = new Set()));
        files.add(path);
      } else files?.delete(path);
    };
    for (const read of dependencies.paths) update(this.readers, read);
    for (const facts of dependencies.shared) update(this.users, facts);
    for (const facts of dependencies.absentFrom) update(this.absentees, facts);
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
    this.configState = configFromFile(this.readFile(CONFIG_FILE), this.options.knownRules);
  }
}
