// One workspace folder: its settings (cached per folder, never global), the
// engine Workspace built from the repo's `.shipshape.json` merged with those
// settings, and the state of its background scan. A loose project stands in for a
// folder around files opened outside every workspace folder (`code app.ts`): it
// analyzes its open files only, and never walks its root.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { CONFIG_FILE, type Config, type ConfigProblem, DEFAULT_CONFIG, Workspace, classifyFile, parseConfig } from '../engine';
import { CheckCache } from '../engine/scorecard/index';
import { DEFAULT_EXCLUDED_DIRS, readText } from '../engine/files/walk';
import type { Rule } from '../engine/rule';
import { DEFAULT_SETTINGS, type Settings, mergeSettings } from '../settings';

export interface EngineSetup {
  rules: readonly Rule[];
  knownRules: ReadonlySet<string>;
  /** Per-file engine budget, ms: rules not run by then are skipped (and reported as internal errors). */
  timeBudgetMs?: number;
}

export class Project {
  settings: Settings = DEFAULT_SETTINGS;
  /** Built once settings are known; rebuilt when the config or ignore rules change. */
  private current: Workspace | undefined;
  private excluded: Ignore = ignore();
  /** The running background scan, aborted when a newer one starts. */
  scan: AbortController | undefined;
  scanning = false;
  lastScanMs: number | null = null;
  /** Progress of the latest scan. */
  filesAnalyzed = 0;
  filesTotal = 0;
  /** Paths whose diagnostics this folder has published (to clear those that disappear). */
  readonly published = new Set<string>();
  /** Files whose results a change dropped because they were computed from the changed file, waiting to be re-analyzed. */
  readonly staleDependents = new Set<string>();
  /** The running (or last) background scan; awaited by requests that need the whole folder analyzed. */
  scanDone: Promise<void> = Promise.resolve();
  /** The files the scorecard covers: the last scan's walk, kept up to date by file-system events. */
  readonly files = new Set<string>();
  /** Bumped whenever a file, a result or the settings of this folder change: the scorecard's cache key. */
  revision = 0;
  /** Per-file evidence of the workspace checks, re-derived only for files whose text changed. */
  checkCache = new CheckCache();
  /** Position among the client's workspace folders. */
  order = 0;

  constructor(
    readonly uri: string,
    readonly root: string,
    /** The workspace folder's display name. */
    readonly name: string,
    private readonly engine: EngineSetup,
    /** Made for files opened outside every workspace folder, rather than for a folder (see above). */
    readonly loose = false,
  ) {}

  get workspace(): Workspace {
    if (!this.current) throw new Error(`workspace for ${this.root} used before it was built`);
    return this.current;
  }

  get ready(): boolean {
    return this.current !== undefined;
  }

  get enabled(): boolean {
    return this.settings.enable;
  }

  get configProblems(): readonly ConfigProblem[] {
    return this.current?.configProblems ?? [];
  }

  /**
   * A fresh engine Workspace: the repo's config (from `configText`, the open
   * buffer, or disk) merged with this folder's settings, then every open buffer
   * laid over disk. The engine re-reads and re-parses lazily.
   */
  rebuild(buffers: ReadonlyMap<string, string>): void {
    const configText = buffers.get(CONFIG_FILE) ?? readText(join(this.root, CONFIG_FILE));
    const repoConfig: Config = configText === undefined ? DEFAULT_CONFIG : parseConfig(configText, this.engine.knownRules).config;
    const config = mergeSettings(repoConfig, this.settings);
    this.excluded = ignore().add(config.exclude);
    // Only open documents keep their syntax trees (for incremental reparses while typing): the
    // background scan would otherwise keep one per file (measured +480 MB peak on a generated
    // 200k-line workspace).
    const workspace = new Workspace(this.root, {
      rules: this.engine.rules,
      knownRules: this.engine.knownRules,
      config,
      timeBudgetMs: this.engine.timeBudgetMs,
      retainSyntaxTrees: 'buffers',
    });
    for (const [path, text] of buffers) workspace.setText(path, text);
    this.current = workspace;
    // A fresh workspace holds no results: the scan that follows analyzes every file.
    this.staleDependents.clear();
    this.checkCache = new CheckCache();
    this.revision++;
  }

  /** Folder-relative path with forward slashes, or undefined outside this folder. */
  relative(absolutePath: string): string | undefined {
    const rel = relative(this.root, absolutePath);
    // `..foo.ts` is a file in the folder; only a `..` segment leads out of it.
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
    return rel.split(sep).join('/');
  }

  /** Whether the walk leaves out a whole folder: a dependency or build folder by name, or one the excludes name. */
  isExcludedFolder(path: string): boolean {
    return throughDependencyOrBuildFolder(path.split('/')) || this.excluded.ignores(`${path}/`);
  }

  /**
   * Whether an open file is left out the way the workspace walk leaves it out:
   * dependency/build folders, the configured excludes, `.gitignore` (except
   * `.env` files: a tracked one leaks all the same).
   */
  isExcluded(path: string): boolean {
    const kind = classifyFile(path);
    if (!kind) return true;
    if (throughDependencyOrBuildFolder(path.split('/').slice(0, -1))) return true;
    if (this.excluded.ignores(path)) return true;
    return kind !== 'env' && this.current !== undefined && this.current.project.isIgnored(path);
  }
}

/**
 * The root of a loose project for a file opened outside every workspace folder: the
 * folder of the nearest package.json above it, else the file's own folder. Undefined for
 * a dependency's file (node_modules, with a package.json of its own) or one in a folder
 * the walk of the package would leave out (dist, build, coverage, …).
 */
export function looseRootOf(absolutePath: string): string | undefined {
  const folder = dirname(absolutePath);
  if (folder.split(sep).includes('node_modules')) return undefined;
  const root = packageFolderOf(folder) ?? folder;
  return throughDependencyOrBuildFolder(relative(root, folder).split(sep)) ? undefined : root;
}

/** Whether a folder path, given as its names, goes through one the walk never enters (node_modules, dist, coverage, …). */
function throughDependencyOrBuildFolder(folders: readonly string[]): boolean {
  return folders.some((folder) => DEFAULT_EXCLUDED_DIRS.has(folder));
}

function packageFolderOf(folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
