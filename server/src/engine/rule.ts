// What a rule is and what it sees. Rules live in rules/<id>/ and import only this
// module, the types and the facts: never the runner, never a front end.
import type { Config } from './config';
import type { FileFacts } from './facts';
import type { ParsedFile, ProjectView, Report, RuleMeta, Severity } from './types';

export interface RuleContext {
  readonly file: ParsedFile;
  readonly project: ProjectView;
  /** Derived lazily and cached per file version: routes, request inputs, SQL sinks, … */
  readonly facts: FileFacts;
  /** The severity configured for this rule (defaults to meta.defaultSeverity). */
  readonly severity: Severity;
  /** The effective configuration (`.shipshape.json` and editor settings), for rules with options such as `publicRoutes`. */
  readonly config: Readonly<Config>;
  report(report: Report): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(context: RuleContext): void;
}

/** Identity at run time; gives rule modules a checked shape and one place to grep for rules. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
