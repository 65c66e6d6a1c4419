// What a workspace check is: declarative meta (id, dimension, weight, remedy) plus
// an evaluation over the check context. One module per dimension holds the table.
import type { Dimension } from '../../types';
import type { CheckContext, Hit } from '../context';
import type { CheckStatus, Evidence } from '../schema';

export interface CheckOutcome {
  status: CheckStatus;
  /** One line: what was found. */
  summary: string;
  evidence: Evidence[];
}

export interface CheckDefinition {
  /** Stable kebab-case id; never reuse one for a different check. */
  id: string;
  dimension: Dimension;
  /** The statement a passing workspace makes true: "CI runs the tests". */
  title: string;
  /** Points the dimension loses while the check fails (unknown and not-applicable cost nothing). */
  weight: number;
  /** One line: what to do when it fails. */
  remedy: string;
  evaluate(ctx: CheckContext): CheckOutcome;
}

/** Evidence lists longer than this end with "… and N more". */
const MAX_EVIDENCE = 20;

function outcome(status: CheckStatus, summary: string, evidence: readonly Evidence[]): CheckOutcome {
  const kept = evidence.slice(0, MAX_EVIDENCE);
  if (evidence.length > MAX_EVIDENCE) kept.push({ detail: `… and ${evidence.length - MAX_EVIDENCE} more` });
  return { status, summary, evidence: kept };
}

export const pass = (summary: string, ...evidence: Evidence[]): CheckOutcome => outcome('pass', summary, evidence);
export const fail = (summary: string, ...evidence: Evidence[]): CheckOutcome => outcome('fail', summary, evidence);
export const notApplicable = (summary: string, ...evidence: Evidence[]): CheckOutcome => outcome('not-applicable', summary, evidence);
export const unknown = (summary: string, ...evidence: Evidence[]): CheckOutcome => outcome('unknown', summary, evidence);

/** Evidence that a file (and line) proved something. */
export const at = (path: string, line: number | undefined, detail: string): Evidence => (line === undefined ? { path, detail } : { path, line, detail });
/** Evidence of what was looked for and not found. */
export const lookedFor = (detail: string): Evidence => ({ detail });
export const fromHit = (hit: Hit, detail: string = hit.text.trim()): Evidence => ({ path: hit.file.path, line: hit.line, detail: oneLine(detail) });

/** Trims evidence text to one short line. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

export function defineChecks(checks: CheckDefinition[]): readonly CheckDefinition[] {
  return checks;
}
