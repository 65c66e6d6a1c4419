// `shipshape-ignore-next-line <rule-id>[, <rule-id>…] -- reason` and
// `shipshape-ignore-file <rule-id> -- reason`, in any comment style (`//`, `/* */`, `#`, `--`).
// A suppression without a reason, or naming an unknown rule, is itself a finding:
// silent suppressions are how real problems get buried.
import type { LineIndex } from './files/text';
import type { RuleMeta } from './types';

export const SUPPRESSION_RULE_ID = 'invalid-suppression';

/** Reported by the engine itself, so it has meta like any rule (docs, SARIF) but no check. */
export const SUPPRESSION_RULE_META: RuleMeta = {
  id: SUPPRESSION_RULE_ID,
  title: 'Suppression without a reason or for an unknown rule',
  dimension: 'delivery',
  defaultSeverity: 'warning',
  fileKinds: ['ts', 'tsx', 'js', 'jsx', 'env', 'sql', 'prisma', 'dockerfile', 'yaml', 'json'],
  docs: {
    summary: 'A `shipshape-ignore-*` comment that gives no reason or names a rule that does not exist.',
    why: 'Unexplained suppressions hide real production risks from reviewers; a typo in a rule id silently suppresses nothing.',
    howToFix: 'Name an existing rule id and say why the code is safe after ` -- `, e.g. `// shipshape-ignore-next-line sql-injection -- table name comes from a fixed enum`.',
    references: [],
  },
  fixes: [],
};

export interface Suppressions {
  /** 0-based line -> rule ids suppressed on that line. */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
  readonly file: ReadonlySet<string>;
  readonly problems: readonly SuppressionProblem[];
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
  if (!text.includes('shipshape-ignore-')) return { lines: byLine, file, problems };

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
    const unknown = ids.filter((id) => !knownRules.has(id));
    for (const id of unknown) problems.push({ start, end, message: `Suppression names unknown rule "${id}".` });
    if (!reason) {
      problems.push({ start, end, message: `Suppression of ${ids.join(', ')} gives no reason: add \` -- why this is safe\` so reviewers can trust it.` });
    }
    const valid = ids.filter((id) => knownRules.has(id));
    if (match[1] === 'file') {
      for (const id of valid) file.add(id);
    } else {
      const line = lines.position(start).line + 1;
      const set = byLine.get(line) ?? new Set<string>();
      for (const id of valid) set.add(id);
      byLine.set(line, set);
    }
  }
  return { lines: byLine, file, problems };
}
