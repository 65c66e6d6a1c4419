// What a workspace check sees: the project view, the file list, the findings, and
// cheap derived evidence (imports by regex, line numbers, syntax trees on demand,
// regex hits). Everything derived from one file's text is cached on a
// `WorkspaceFile` that lives as long as that text, in a `CheckCache` the caller
// keeps per workspace; re-running the checks after an edit re-derives only what
// the edited file contributes.
import type { ts } from 'ts-morph';
import { packageName } from '../facts/imports';
import { classifyFile, isCodeKind } from '../files/kinds';
import { parseCode } from '../files/parse';
import { LineIndex } from '../files/text';
import type { FileKind, Finding, ProjectView } from '../types';
import { AppFacts } from './appFacts';
import { blankCommentsAndRegexes } from './codeText';

const TEST_PATH = /(^|\/)(__tests__|__mocks__|__fixtures__|fixtures|test|tests|spec|e2e|cypress|playwright|examples?|samples?)\/|[._-](test|spec|e2e|cy)\.[cm]?[jt]sx?$|\.stories\.[jt]sx?$/;
const CLIENT_PATH = /(^|\/)(components|hooks|public|static|assets)\//;
const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g;
const USE_CLIENT = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*['"]use client['"]/;

/** One workspace file's text and everything derived from it, cached while the text stays the same. */
export class WorkspaceFile {
  readonly kind: FileKind | undefined;
  private lineIndex?: LineIndex;
  private astCache?: ts.SourceFile;
  private packagesCache?: ReadonlySet<string>;
  private codeTextCache?: string;
  private readonly memos = new Map<string, unknown>();
  private readonly matchCache = new Map<RegExp, readonly TextMatch[]>();
  private readonly importCache = new WeakMap<readonly string[], string | null>();

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.kind = classifyFile(path);
  }

  get isCode(): boolean {
    return this.kind !== undefined && isCodeKind(this.kind);
  }

  /** Tests, fixtures, mocks, stories and bundled examples: not what runs in production. */
  get isTest(): boolean {
    return TEST_PATH.test(this.path);
  }

  /** Browser code: `'use client'` files and component folders. */
  get isClient(): boolean {
    return this.memo('isClient', () => USE_CLIENT.test(this.text) || CLIENT_PATH.test(this.path));
  }

  /** 1-based line of an offset. */
  line(offset: number): number {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex.position(offset).line + 1;
  }

  /** The syntax tree, parsed on first use (code files only). */
  get ast(): ts.SourceFile {
    if (!this.astCache) {
      if (!this.kind || !isCodeKind(this.kind)) throw new Error(`not a code file: ${this.path}`);
      this.astCache = parseCode(this.path, this.text, this.kind);
    }
    return this.astCache;
  }

  /** What regexes search: for code, the text with comments and regex literals blanked (offsets unchanged); otherwise the text. */
  get searchText(): string {
    if (this.codeTextCache === undefined) this.codeTextCache = this.isCode ? blankCommentsAndRegexes(this.text, this.kind === 'tsx' || this.kind === 'jsx') : this.text;
    return this.codeTextCache;
  }

  /** Packages imported or required anywhere in the file (`@sentry/node/preload` → `@sentry/node`). */
  get packages(): ReadonlySet<string> {
    if (!this.packagesCache) {
      const names = new Set<string>();
      if (this.isCode) for (const match of this.searchText.matchAll(IMPORT_SPECIFIER)) if (match[1]) names.add(packageName(match[1]));
      this.packagesCache = names;
    }
    return this.packagesCache;
  }

  /** The first of these packages (or `@scope/` prefixes) the file imports; cached per list, so pass module constants. */
  importOf(names: readonly string[]): string | undefined {
    let found = this.importCache.get(names);
    if (found === undefined) {
      found = null;
      for (const pkg of this.packages) {
        if (names.some((name) => (name.endsWith('/') ? pkg.startsWith(name) : pkg === name))) {
          found = pkg;
          break;
        }
      }
      this.importCache.set(names, found);
    }
    return found ?? undefined;
  }

  /** Derives a value once per text; `key` must name what `derive` computes. */
  memo<T>(key: string, derive: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = derive();
    this.memos.set(key, value);
    return value;
  }

  /** Every match of a global regex in `searchText`, with its 1-based line (cached per regex object: pass module constants). */
  matches(pattern: RegExp): readonly TextMatch[] {
    let found = this.matchCache.get(pattern);
    if (!found) {
      if (!pattern.global) throw new Error(`pattern must be global: ${pattern}`);
      found = [...this.searchText.matchAll(pattern)].map((match) => ({ index: match.index, line: this.line(match.index), text: match[0], groups: match.slice(1) }));
      this.matchCache.set(pattern, found);
    }
    return found;
  }
}

export interface TextMatch {
  index: number;
  line: number;
  text: string;
  /** Capture groups (undefined when a group did not take part). */
  groups: (string | undefined)[];
}

export interface Hit extends TextMatch {
  file: WorkspaceFile;
}

/**
 * Derived evidence that outlives one run of the checks. Keep one per workspace
 * (the language server: per workspace folder) and pass it to every `runChecks`.
 */
export class CheckCache {
  private readonly files = new Map<string, WorkspaceFile>();

  file(path: string, text: string): WorkspaceFile {
    const cached = this.files.get(path);
    if (cached && cached.text === text) return cached;
    const file = new WorkspaceFile(path, text);
    this.files.set(path, file);
    return file;
  }

  /** Drops files not seen in the last run. */
  retain(paths: ReadonlySet<string>): void {
    for (const path of this.files.keys()) if (!paths.has(path)) this.files.delete(path);
  }
}

export interface PackageJson {
  scripts: Record<string, string>;
  engines: Record<string, string>;
  /** `volta.node`, when set. */
  voltaNode?: string;
}

/** What every check is evaluated against. */
export class CheckContext {
  /** Every workspace path given, sorted, without duplicates. */
  readonly files: readonly string[];
  private readonly seen = new Map<string, WorkspaceFile | null>();
  private codeCache?: WorkspaceFile[];
  private serverCodeCache?: WorkspaceFile[];
  private packageJsonCache?: PackageJson | null;
  private appCache?: AppFacts;
  private gitKnownCache?: boolean;

  constructor(
    readonly project: ProjectView,
    files: readonly string[],
    readonly findings: readonly Finding[],
    private readonly cache: CheckCache,
    /** Rules that ran; undefined means all of them. */
    readonly rulesRun: ReadonlySet<string> | undefined,
  ) {
    this.files = [...new Set(files)].sort();
  }

  /** A file by path (listed or not), or undefined when it does not exist. */
  file(path: string): WorkspaceFile | undefined {
    let file = this.seen.get(path);
    if (file === undefined) {
      const text = this.project.readFile(path);
      file = text === undefined ? null : this.cache.file(path, text);
      this.seen.set(path, file);
    }
    return file ?? undefined;
  }

  exists(path: string): boolean {
    return this.file(path) !== undefined;
  }

  /** The first of these paths that exists. */
  firstExisting(paths: readonly string[]): string | undefined {
    return paths.find((path) => this.exists(path));
  }

  /** Listed files whose path matches. */
  filesMatching(pattern: RegExp): WorkspaceFile[] {
    return this.files.filter((path) => pattern.test(path)).flatMap((path) => this.file(path) ?? []);
  }

  /** Production code: every listed code file that is not a test, fixture, mock or story. */
  get code(): readonly WorkspaceFile[] {
    return (this.codeCache ??= this.files.flatMap((path) => {
      const file = this.file(path);
      return file && file.isCode && !file.isTest ? [file] : [];
    }));
  }

  /** Production code that runs on the server (not `'use client'`, not component folders). */
  get serverCode(): readonly WorkspaceFile[] {
    return (this.serverCodeCache ??= this.code.filter((file) => !file.isClient));
  }

  /** Every match of a global regex in these files (default: production code). */
  search(pattern: RegExp, files: readonly WorkspaceFile[] = this.code): Hit[] {
    return files.flatMap((file) => file.matches(pattern).map((match) => ({ ...match, file })));
  }

  /** The first match of a global regex in these files (default: production code), in path order. */
  first(pattern: RegExp, files: readonly WorkspaceFile[] = this.code): Hit | undefined {
    for (const file of files) {
      const match = file.matches(pattern)[0];
      if (match) return { ...match, file };
    }
    return undefined;
  }

  /** Files (default: production code) that import any of these packages, or a package with one of these prefixes (`@sentry/`). */
  importing(names: readonly string[], files: readonly WorkspaceFile[] = this.code): { file: WorkspaceFile; pkg: string }[] {
    const out: { file: WorkspaceFile; pkg: string }[] = [];
    for (const file of files) {
      const pkg = file.importOf(names);
      if (pkg !== undefined) out.push({ file, pkg });
    }
    return out;
  }

  /** The first file (default: production code) importing one of these packages. */
  firstImporting(names: readonly string[], files: readonly WorkspaceFile[] = this.code): { file: WorkspaceFile; pkg: string } | undefined {
    for (const file of files) {
      const pkg = file.importOf(names);
      if (pkg !== undefined) return { file, pkg };
    }
    return undefined;
  }

  /** The root package.json's scripts and engines, or undefined when there is none (or it is not JSON). */
  get packageJson(): PackageJson | undefined {
    if (this.packageJsonCache === undefined) this.packageJsonCache = parsePackageJson(this.file('package.json')?.text) ?? null;
    return this.packageJsonCache ?? undefined;
  }

  /** Dependencies named in package.json that are in this list (or start with a listed `@scope/` prefix). */
  dependencies(names: readonly string[]): string[] {
    return [...this.project.dependencies].filter((dep) => names.some((name) => (name.endsWith('/') ? dep.startsWith(name) : dep === name))).sort();
  }

  /** Whether git's index is readable here (some listed file is tracked): only then does "untracked" mean anything. */
  get gitKnown(): boolean {
    return (this.gitKnownCache ??= this.project.isTracked('package.json') || this.files.some((path) => this.project.isTracked(path)));
  }

  /** App-level facts several checks share: server kind, database, auth routes, user accounts, … */
  get app(): AppFacts {
    return (this.appCache ??= new AppFacts(this));
  }

  /** Paths read during this run, for cache eviction. */
  get readPaths(): ReadonlySet<string> {
    return new Set([...this.seen.entries()].filter(([, file]) => file !== null).map(([path]) => path));
  }
}

function parsePackageJson(text: string | undefined): PackageJson | undefined {
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  const strings = (value: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
    return out;
  };
  const volta = strings(record.volta);
  return { scripts: strings(record.scripts), engines: strings(record.engines), voltaNode: volta.node };
}
