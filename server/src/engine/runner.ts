// Runs rules over one parsed file: each rule isolated (a throwing rule becomes an
// internal-error record, the others still report), a per-file time budget, the
// AbortSignal honoured between rules, suppressions applied and fixes checked
// against their rule's declaration. Findings carry the fixes their rule proposes;
// `verifyFixes` checks them when someone is about to be offered or apply one (a
// code action, fix-all, `--fix`): verifying costs a parse and a rule run per fix,
// which a scan or a keystroke should not pay for fixes nobody looks at. A result
// also says which other files its facts read (its `dependencies`), for the
// Workspace to know what to re-analyze when one of them changes.
import { FileFacts } from './facts';
import { type LineIndex, applyEdits } from './files/text';
import { isCodeKind } from './files/kinds';
import { parseCode, syntaxErrors } from './files/parse';
import type { Rule, RuleContext } from './rule';
import { SUPPRESSION_RULE_ID, type Suppressions, parseSuppressions, unusedSuppressions } from './suppressions';
import type { FileDependencies, Finding, Fix, InternalError, ParsedFile, ProjectView, Report, Severity } from './types';
import type { Config } from './config';
import { createProjectView } from './project';
import { isSchemaInput } from './facts/schema';

export interface RunOptions {
  rules: readonly Rule[];
  config: Config;
  /** Ids of every rule that exists (suppressions naming others are reported). */
  knownRules: ReadonlySet<string>;
  signal?: AbortSignal;
  /** Stop running further rules on a file after this long (ms). */
  timeBudgetMs?: number;
}

export interface FileResult {
  findings: Finding[];
  errors: InternalError[];
  /** Fixes dropped because they were not declared by their rule or (once verified) failed verification. */
  droppedFixes: number;
  /** Engine time for this file, in ms. */
  elapsedMs: number;
  /** How many reports each rule made on this text: the "before" side of every fix check. */
  reportCounts: ReadonlyMap<string, number>;
  /** The other files the findings were computed from (the route graph's, imported middleware and helpers). */
  dependencies: FileDependencies;
}

const DEFAULT_TIME_BUDGET_MS = 2_000;
const NO_SUPPRESSIONS: Suppressions = { lines: new Map(), file: new Set(), problems: [], directives: [] };

export function runRules(file: ParsedFile, lines: LineIndex, project: ProjectView, options: RunOptions): FileResult {
  const started = performance.now();
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const facts = new FileFacts(file, project);
  // JSON has no comments: text that looks like a directive there is data (an old report, a fixture).
  const suppressions = file.kind === 'json' ? NO_SUPPRESSIONS : parseSuppressions(file.text, lines, options.knownRules);
  const findings: Finding[] = [];
  const errors: InternalError[] = [];
  let droppedFixes = 0;
  // How many reports each rule made on this text: the "before" side of every fix check.
  const reportCounts = new Map<string, number>();
  // What the suppressions hid: `rule id` (file-wide) and `rule id@line`.
  const suppressed = new Set<string>();

  for (const rule of applicableRules(file, options)) {
    options.signal?.throwIfAborted();
    if (performance.now() - started > budget) {
      errors.push({ ruleId: rule.meta.id, path: file.path, message: `skipped: the file's ${budget} ms time budget was used up by earlier rules` });
      continue;
    }
    const reports: Report[] = [];
    const severity = severityFor(rule, options.config);
    const context: RuleContext = { file, project, facts, severity, config: options.config, report: (report) => reports.push(report) };
    try {
      rule.check(context);
      reportCounts.set(rule.meta.id, reports.length);
    } catch (error) {
      errors.push({ ruleId: rule.meta.id, path: file.path, message: `rule crashed: ${(error as Error).message ?? String(error)}` });
      continue;
    }
    const explicit = options.config.rules[rule.meta.id] !== undefined;
    for (const report of reports) {
      const line = lines.position(report.start).line;
      if (suppressions.file.has(rule.meta.id)) {
        suppressed.add(rule.meta.id);
        continue;
      }
      if (suppressions.lines.get(line)?.has(rule.meta.id)) {
        suppressed.add(`${rule.meta.id}@${line}`);
        continue;
      }
      const { fixes, undeclared } = declaredFixes(rule, report);
      droppedFixes += undeclared;
      if (undeclared > 0) errors.push({ ruleId: rule.meta.id, path: file.path, message: `rule reported ${undeclared} fix(es) it does not declare; dropped` });
      findings.push({
        ruleId: rule.meta.id,
        severity: explicit ? severity : (report.severity ?? severity),
        message: report.message,
        path: file.path,
        range: lines.range(report.start, report.end),
        offset: { start: report.start, end: report.end },
        snippet: report.snippet ?? snippetOf(file.text, report.start, report.end),
        fixes,
      });
    }
  }

  if (options.config.rules[SUPPRESSION_RULE_ID] !== 'off') {
    // A rule that did not run here (off, not for this kind of file, crashed, out of time) cannot tell whether a suppression of it is used.
    const unused = suppressions.directives.length === 0 ? [] : unusedSuppressions(suppressions, reportCounts, suppressed);
    for (const problem of [...suppressions.problems, ...unused]) {
      findings.push({
        ruleId: SUPPRESSION_RULE_ID,
        severity: (options.config.rules[SUPPRESSION_RULE_ID] as Severity | undefined) ?? 'warning',
        message: problem.message,
        path: file.path,
        range: lines.range(problem.start, problem.end),
        offset: { start: problem.start, end: problem.end },
        snippet: snippetOf(file.text, problem.start, problem.end),
        fixes: [],
      });
    }
  }

  findings.sort((a, b) => a.offset.start - b.offset.start || a.ruleId.localeCompare(b.ruleId));
  return { findings, errors, droppedFixes, elapsedMs: performance.now() - started, reportCounts, dependencies: facts.dependencies };
}

/**
 * The fixes of `finding` (a finding of `result`, analyzed on `file`) that pass
 * verification; counts the others in `result.droppedFixes`.
 */
export function verifyFixes(file: ParsedFile, project: ProjectView, result: FileResult, finding: Finding, options: Pick<RunOptions, 'rules' | 'config'>): Fix[] {
  const before = result.reportCounts.get(finding.ruleId) ?? 0;
  const verified = finding.fixes.filter((fix) => verifyFix(file, finding, fix, before, project, options));
  result.droppedFixes += finding.fixes.length - verified.length;
  return verified;
}

function applicableRules(file: ParsedFile, options: RunOptions): Rule[] {
  return options.rules.filter((rule) => rule.meta.fileKinds.includes(file.kind) && options.config.rules[rule.meta.id] !== 'off');
}

function severityFor(rule: Rule, config: Config): Severity {
  const setting = config.rules[rule.meta.id];
  return setting === undefined || setting === 'off' ? rule.meta.defaultSeverity : setting;
}

function declaredFixes(rule: Rule, report: Report): { fixes: Fix[]; undeclared: number } {
  const fixes: Fix[] = [];
  let undeclared = 0;
  for (const [index, fix] of (report.fixes ?? []).entries()) {
    const declaration = rule.meta.fixes.find((declared) => declared.id === fix.id);
    if (!declaration) {
      undeclared++;
      continue;
    }
    fixes.push({ id: fix.id, title: fix.title ?? declaration.title, safe: declaration.safe, preferred: index === 0, changes: fix.changes });
  }
  return { fixes, undeclared };
}

/**
 * A fix is offered only if the edited file still parses (no new syntax errors)
 * and re-running the rule on it reports fewer findings of that rule.
 */
function verifyFix(file: ParsedFile, finding: Finding, fix: Fix, before: number, project: ProjectView, options: Pick<RunOptions, 'rules' | 'config'>): boolean {
  const rule = options.rules.find((candidate) => candidate.meta.id === finding.ruleId);
  if (!rule) return false;
  // A fix may leave the flagged file as it is (e.g. "Add .env to .gitignore"): then it
  // is judged on the same text against the project as the fix leaves it.
  const change = fix.changes.find((candidate) => candidate.path === file.path);
  let edited = file;
  if (change) {
    if (change.kind !== 'edit') return false;
    let text: string;
    try {
      text = applyEdits(file.text, change.edits);
    } catch {
      return false;
    }
    edited = { ...file, text, sourceFile: isCodeKind(file.kind) ? parseCode(file.path, text, file.kind) : undefined };
    if (file.sourceFile && edited.sourceFile && syntaxErrors(edited.sourceFile).length > syntaxErrors(file.sourceFile).length) return false;
  }
  const after = countReports(rule, edited, overlay(project, fix), options.config);
  return after < before;
}

function countReports(rule: Rule, file: ParsedFile, project: ProjectView, config: Config): number {
  let count = 0;
  const context: RuleContext = { file, project, facts: new FileFacts(file, project), severity: rule.meta.defaultSeverity, config, report: () => count++ };
  try {
    rule.check(context);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  return count;
}

/** The project as it would be after the fix's changes to other files (`.gitignore`, `.env`, …). */
function overlay(project: ProjectView, fix: Fix): ProjectView {
  const changed = new Map<string, string>();
  for (const change of fix.changes) {
    const current = project.readFile(change.path);
    if (change.kind === 'create') changed.set(change.path, change.text);
    else if (current !== undefined) changed.set(change.path, applyEdits(current, change.edits));
  }
  if (changed.size === 0) return project;
  const listFiles = (): string[] => [...new Set([...project.listFiles(), ...changed.keys()])];
  // Rebuilding the schema facts for every verified fix is wasted work unless the fix edits a schema file.
  const schemaChanged = [...changed].some(([path, text]) => isSchemaInput(path, [text, project.readFile(path)]));
  return createProjectView(project.root, (path) => changed.get(path) ?? project.readFile(path), (path) => project.isTracked(path), listFiles, schemaChanged ? undefined : project);
}

function snippetOf(text: string, start: number, end: number): string {
  const lineEnd = text.indexOf('\n', start);
  const stop = Math.min(end, lineEnd === -1 ? text.length : lineEnd);
  return text.slice(start, Math.max(stop, start)).trim().slice(0, 200);
}
