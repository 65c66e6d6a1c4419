// The engine's vocabulary. Everything here is plain data: no editor types, so the
// CLI, the language server and the tests all speak the same language.
import type { ts } from 'ts-morph';
import type { ProjectSchema } from './facts/schema';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export type Dimension = 'security' | 'data' | 'reliability' | 'observability' | 'delivery' | 'compliance' | 'cost';

/** Kinds of file the engine understands. Code kinds are parsed as TypeScript/JavaScript. */
export const FILE_KINDS = ['ts', 'tsx', 'js', 'jsx', 'env', 'sql', 'prisma', 'dockerfile', 'yaml', 'json'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const CODE_KINDS: readonly FileKind[] = ['ts', 'tsx', 'js', 'jsx'];

/** 0-based line and UTF-16 character, like LSP. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/** Offsets into one file's text (UTF-16 code units, as JS strings index). */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * One file touched by a fix. `edit` works on the file's current text; `create`
 * only ever creates a file that does not exist (fix builders check first), so a
 * fix can never clobber what a user wrote.
 */
export type FileChange = { kind: 'edit'; path: string; edits: TextEdit[] } | { kind: 'create'; path: string; text: string };

export interface FixDeclaration {
  /** Stable id, e.g. `parameterize-query`. */
  id: string;
  title: string;
  /** Safe fixes may run unattended (fix-all, on save, `--fix`); unsafe ones only when a person picks them. */
  safe: boolean;
}

export interface Fix {
  id: string;
  title: string;
  safe: boolean;
  preferred: boolean;
  changes: FileChange[];
}

export interface RuleDocs {
  /** One sentence: what the rule catches. */
  summary: string;
  /** Why it breaks in production. */
  why: string;
  /** How to fix it. */
  howToFix: string;
  /** CWE ids, OWASP links, vendor docs. */
  references: readonly string[];
}

export interface RuleMeta {
  id: string;
  title: string;
  dimension: Dimension;
  defaultSeverity: Severity;
  /** File kinds the rule wants to see; the runner never calls it for others. */
  fileKinds: readonly FileKind[];
  docs: RuleDocs;
  /** Every fix the rule can offer. The runner drops (and counts) a fix whose id is not declared here. */
  fixes: readonly FixDeclaration[];
}

/** What a rule reports. Offsets are into the file being checked. */
export interface Report {
  start: number;
  end: number;
  message: string;
  /** Overrides the rule's configured severity for this finding (e.g. a test-mode key). */
  severity?: Severity;
  /** What outputs may show of the flagged text; rules that flag secrets pass a redacted form. */
  snippet?: string;
  fixes?: RuleFix[];
}

/** A fix as a rule builds it; title and safety come from the rule's declaration unless refined. */
export interface RuleFix {
  /** Must name one of the rule's declared fixes. */
  id: string;
  /** A more specific title, e.g. "Move secret to env as STRIPE_SECRET_KEY". */
  title?: string;
  changes: FileChange[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  range: Range;
  offset: { start: number; end: number };
  /** The flagged source text, secrets redacted; used for baselines and snippets. */
  snippet: string;
  fixes: Fix[];
}

/** A rule that threw or ran out of time; the other rules still report. */
export interface InternalError {
  ruleId: string;
  path: string;
  message: string;
}

/** Read-only view of the workspace, for rules and fix builders that look beyond one file. */
export interface ProjectView {
  readonly root: string;
  /** Text of a workspace file (relative path), or undefined if it does not exist. */
  readFile(path: string): string | undefined;
  /** Dependencies and devDependencies named in the root package.json. */
  readonly dependencies: ReadonlySet<string>;
  /** Whether `.gitignore` rules (root and nested) ignore this path. */
  isIgnored(path: string): boolean;
  /** Whether git tracks this path (read from `.git/index`, never by running git). */
  isTracked(path: string): boolean;
  /** Every analyzable workspace path known so far (discovered or opened). */
  listFiles(): readonly string[];
  /** Models, owner fields, indexes and RLS from schema.prisma, SQL migrations and Mongoose schemas; built on first use. */
  readonly schema: ProjectSchema;
  /**
   * Changes whenever any file's text does (an edit, a reload); undefined for views
   * that cannot say (fix-verification overlays). Lets caches that depend on many
   * files skip re-checking each of them while nothing changed.
   */
  readonly revision?: number;
  /**
   * The paths whose text changed since `revision` (an earlier value of `revision`),
   * or undefined when the view cannot say (too long ago, a new walk of the folder).
   * Lets caches that depend on many files re-check only the ones that changed.
   */
  changedSince?(revision: number): Iterable<string> | undefined;
}

/**
 * What one file's findings were computed from besides its own text and the
 * project-wide inputs (package.json, ignore files, config, schemas): the other files
 * its facts read, so that a change to one of them re-analyzes it too. Plain data.
 */
export interface FileDependencies {
  /** Files read for this file alone: the middleware in front of its routes, the auth helpers its handlers call. */
  readonly paths: readonly string[];
  /** Facts built once for the whole project from many files that the findings used (see facts/shared.ts). */
  readonly shared: readonly SharedFactsName[];
  /**
   * Project-wide facts the findings used by being absent from them (a module no route
   * reaches yet): after such a fact changes the result stands as long as the file is
   * still absent, which its next analysis checks before running any rule.
   */
  readonly absentFrom: readonly SharedFactsName[];
}

/** Facts derived from many files at once and shared by the files they serve. */
export const SHARED_FACTS_NAMES = ['route-graph'] as const;
export type SharedFactsName = (typeof SHARED_FACTS_NAMES)[number];

export interface ParsedFile {
  /** Workspace-relative path with forward slashes. */
  path: string;
  kind: FileKind;
  text: string;
  /** Present for code kinds. */
  sourceFile?: ts.SourceFile;
}
