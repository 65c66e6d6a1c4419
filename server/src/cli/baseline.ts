// Baselines: `--write-baseline FILE` records the fingerprint of every current
// finding; `--baseline FILE` then reports (and fails on) only findings whose
// fingerprint it does not record. Adopting Shipshape on an existing app then means
// "no new problems", not "fix 300 things first".
//
// The file is JSON validated by one zod schema. A finding is matched by its
// fingerprint alone (rule, workspace-relative path, normalized flagged text,
// occurrence; see ./fingerprint.ts); `ruleId`, `path` and `line` are there for
// the people who review the file in a pull request.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Finding } from '../engine';
import { CliError, errorCode } from './errors';
import { fingerprintFindings } from './fingerprint';
import type { ScanResult } from './scanResult';
import { TOOL_NAME, TOOL_VERSION } from './version';

export const BASELINE_VERSION = 1;

const RelativePath = z.string().refine((path) => !path.startsWith('/') && !path.includes('\\'), 'a root-relative path with forward slashes');

export const BaselineEntrySchema = z
  .object({
    /** What matching compares: `<32 hex digits>:<occurrence>`. */
    fingerprint: z.string().regex(/^[0-9a-f]{32}:[1-9]\d*$/, 'a fingerprint: 32 hex digits, a colon and an occurrence number'),
    ruleId: z.string().min(1),
    /** Relative to the workspace root, with forward slashes. */
    path: RelativePath,
    /** 1-based line when the baseline was written; informational, never matched. */
    line: z.number().int().min(1),
  })
  .strict();

export const BaselineSchema = z
  .object({
    version: z.literal(BASELINE_VERSION),
    tool: z.object({ name: z.literal(TOOL_NAME), version: z.string() }).strict(),
    /** Sorted by path, line and rule. */
    findings: z.array(BaselineEntrySchema),
  })
  .strict();

export type Baseline = z.infer<typeof BaselineSchema>;

/** A baseline read from disk, ready to match. */
export interface LoadedBaseline {
  /** As the user typed it, for messages. */
  given: string;
  absolute: string;
  fingerprints: ReadonlySet<string>;
}

/** Reads and validates a baseline before the scan starts; every problem is a one-line CliError (exit 2). */
export function readBaseline(given: string, cwd: string): LoadedBaseline {
  const absolute = resolve(cwd, given);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    const why = code === 'ENOENT' ? 'no such file (create one with --write-baseline)' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
    throw new CliError(`cannot read baseline ${given}: ${why}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CliError(`baseline ${given} is not valid JSON: ${firstLine(error instanceof Error ? error.message : String(error))}`);
  }
  const version = typeof raw === 'object' && raw !== null && 'version' in raw ? (raw as { version: unknown }).version : undefined;
  if (typeof version === 'number' && version !== BASELINE_VERSION) {
    throw new CliError(`baseline ${given} has version ${version}; this shipshape reads version ${BASELINE_VERSION} (rewrite it with --write-baseline)`);
  }
  const parsed = BaselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new CliError(`baseline ${given} is not a Shipshape baseline: ${where}${firstLine(issue?.message ?? 'invalid')}`);
  }
  return { given, absolute, fingerprints: new Set(parsed.data.findings.map((entry) => entry.fingerprint)) };
}

/** The baseline recording every finding of a scan (workspace-relative fingerprints). */
export function buildBaseline(findings: readonly Finding[]): Baseline {
  const fingerprints = fingerprintFindings(findings);
  const entries = findings.map((finding, index) => ({ fingerprint: fingerprints[index] ?? '', ruleId: finding.ruleId, path: finding.path, line: finding.range.start.line + 1 }));
  entries.sort((a, b) => compare(a.path, b.path) || a.line - b.line || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
  return BaselineSchema.parse({ version: BASELINE_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, findings: entries });
}

export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/**
 * The scan result with baselined findings left out of `findings` (and so out of
 * every report and the exit code), and a summary of how many were.
 */
export function applyBaseline(result: ScanResult, file: string, recorded: ReadonlySet<string>): ScanResult {
  const fingerprints = fingerprintFindings(result.findings);
  const fresh = result.findings.filter((_, index) => !recorded.has(fingerprints[index] ?? ''));
  return { ...result, findings: fresh, baseline: { file, baselined: result.findings.length - fresh.length, all: result.findings } };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
