// `shipshape-ignore-next-line <rule-id>[, <rule-id>…] -- reason` and
// `shipshape-ignore-file <rule-id> -- reason`, in any comment style (`//`, `/* */`, `#`, `--`).
// A suppression without a reason, naming an unknown rule, or suppressing nothing
// (the problem starts on another line: a formatter split the statement) is itself
// a finding: silent suppressions are how real problems get buried.
import type { LineIndex } from './files/text';
import type { RuleMeta } from './types';

export const SUPPRESSION_RULE_ID = 'invalid-suppression';

/** Reported by the engine itself, so it has meta like any rule (docs, SARIF) but no check. */
export const SUPPRESSION_RULE_META: RuleMeta = {
  id: SUPPRESSION_RULE_ID,
  title: 'Suppression without a reason, for an unknown rule, or suppressing nothing',
  dimension: 'delivery',
  defaultSeverity: 'warning',
  fileKinds: ['ts', 'tsx', 'js', 'jsx', 'env', 'sql', 'prisma', 'dockerfile', 'yaml', 'json'],
  docs: {
    summary: 'A `shipshape-ignore-*` comment that gives no reason, names a rule that does not exist, or suppresses nothing: no problem of that rule starts on the next line (or, for `ignore-file`, anywhere in the file) after the rule ran.',
    why: 'Unexplained suppressions hide real production risks from reviewers; a typo in a rule id silently suppresses nothing, and so does a comment above a statement a formatter split over several lines when the problem is reported on a later one.',
    howToFix: 'Name an existing rule id and say why the code is safe after ` -- `, e.g. `// shipshape-ignore-next-line sql-injection -- table name comes from a fixed enum`, right above the line the problem is reported on. Remove a suppression that no longer suppresses anything.',
    references: [],
  },
  fixes: [],
};

export interface Suppressions {
  /** 0-based line -> rule ids suppressed on that line. */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
  readonly file: ReadonlySet<string>;
  readonly problems: readonly SuppressionProblem[];
  /** Each directive with the known rules it names, to tell afterwards which suppressed nothing. */
  readonly directives: readonly SuppressionDirective[];
}

export interface SuppressionDirective {
  start: number;
  end: number;
  /** The 0-based line it suppresses; undefined for `ignore-file`. */
  line: number | undefined;
  ruleIds: readonly string[];
  /** Already reported (no reason, an unknown rule): one finding per comment is enough. */
  reported: boolean;
}

export interface SuppressionProblem {
  start: number;
  end: number;
  message: string;
}

const DIRECTIVE = /(?:\/\/|\/\*|#|--)\s*shipshape-ignore-(next-line|file)\b([^\n\r]*)/g;

export function parseSuppressions(text: string, lines: LineIndex, knownRules: ReadonlySet<string>): Suppressions {
  const byLine = new Map<number, Set<string>>();
  const file = new Set<string>();
  const problems: SuppressionProblem[] = [];
  const directives: SuppressionDirective[] = [];
  if (!text.includes('shipshape-ignore-')) return { lines: byLine, file, problems, directives };

  for (const match of text.matchAll(DIRECTIVE)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    const body = (match[2] ?? '').replace(/\*\/\s*$/, '');
    const [idsPart = '', ...reasonParts] = body.split('--');
    const reason = reasonParts.join('--').trim();
    const ids = idsPart.split(/[\s,]+/).filter(Boolean);
    if (ids.length === 0) {
      problems.push({ start, end, message: 'Suppression names no rule: write `shipshape-ignore-next-line <rule-id> -- reason`.' });
      continue;
    }
    const problemsBefore = problems.length;
    const unknown = ids.filter((id) => !knownRules.has(id));
    for (const id of unknown) problems.push({ start, end, message: `Suppression names unknown rule "${id}".` });
    if (!reason) {
      problems.push({ start, end, message: `Suppression of ${ids.join(', ')} gives no reason: add \` -- why this is safe\` so reviewers can trust it.` });
    }
    const valid = ids.filter((id) => knownRules.has(id));
    const reported = problems.length > problemsBefore;
    if (match[1] === 'file') {
      for (const id of valid) file.add(id);
      directives.push({ start, end, line: undefined, ruleIds: valid, reported });
    } else {
      const line = lines.position(start).line + 1;
      const set = byLine.get(line) ?? new Set<string>();
      for (const id of valid) set.add(id);
      byLine.set(line, set);
      directives.push({ start, end, line, ruleIds: valid, reported });
    }
  }
  return { lines: byLine, file, problems, directives };
}

/**
 * Problems for directives that suppressed nothing: for each rule they name that ran
 * on the file to the end (`ran`), no problem of it was suppressed where they point.
 * `used` holds `rule id` for file-wide use and `rule id@line` per line.
 */
export function unusedSuppressions(suppressions: Suppressions, ran: { has(ruleId: string): boolean }, used: ReadonlySet<string>): SuppressionProblem[] {
  const problems: SuppressionProblem[] = [];
  for (const { start, end, line, ruleIds, reported } of suppressions.directives) {
    if (reported) continue;
    for (const id of ruleIds) {
      if (!ran.has(id)) continue;
      if (line === undefined) {
        if (!used.has(id)) problems.push({ start, end, message: `This shipshape-ignore-file ${id} suppresses nothing: ${id} reports no problem in this file. Remove it.` });
      } else if (!used.has(`${id}@${line}`) && !used.has(id)) {
        problems.push({ start, end, message: `This shipshape-ignore-next-line ${id} suppresses nothing: no ${id} problem starts on line ${line + 1}. Put it right above the line the problem is reported on (a statement split over several lines is reported where the risky part is), or remove it.` });
      }
    }
  }
  return problems;
}
