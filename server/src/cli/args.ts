// Command-line parsing: argv in, a typed command out. Everything the user can get
// wrong here becomes a one-line CliError (exit 2); nothing touches the disk.
import { parseArgs } from 'node:util';
import type { Severity } from '../engine';
import { CliError } from './errors';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export const SCORECARD_FORMATS = ['text', 'md', 'json'] as const;
export type ScorecardFormat = (typeof SCORECARD_FORMATS)[number];

export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = Severity | 'none';

export interface ScanCommand {
  command: 'scan';
  /** As typed (relative to the working directory); `.` when none were given. */
  paths: string[];
  format: Format;
  output: string | undefined;
  failOn: FailOn;
  /** Rule ids to limit the scan to; empty means every rule. */
  rules: string[];
  fix: boolean;
  verbose: boolean;
  /** `--baseline FILE`: only findings not recorded in FILE are reported and fail the run. */
  baseline: string | undefined;
  /** `--write-baseline FILE`: record every finding of this scan in FILE. */
  writeBaseline: string | undefined;
  /** `--jobs N|auto`: worker threads for the analysis (1: in-process). */
  jobs: number | 'auto';
}

export interface ScorecardCommand {
  command: 'scorecard';
  /** The workspace folder, as typed; `.` when none was given. */
  path: string;
  format: ScorecardFormat;
  output: string | undefined;
  /** `--min-score N`: exit 1 when the overall score is below N. */
  minScore: number | undefined;
  verbose: boolean;
}

export type HelpTopic = 'main' | 'scan' | 'scorecard';

export type Command = ScanCommand | ScorecardCommand | { command: 'help'; topic: HelpTopic } | { command: 'version' };

export const MAIN_HELP = `Usage: shipshape <command> [options]

Catches what breaks when an AI-built JS/TS web app meets real users: SQL
injection, hardcoded secrets and more, with verified one-click fixes.

Commands:
  scan [paths...]    Analyze files and report findings as text, JSON or SARIF
  scorecard [path]   Score how production-ready the workspace is, 0-100 in
                     seven dimensions, with top risks and a checklist

Options:
  -h, --help         Show help (shipshape <command> --help for its options)
  -v, --version      Print the version
`;

export const SCAN_HELP = `Usage: shipshape scan [paths...] [options]

Analyzes every JS/TS, SQL, Prisma, env, Dockerfile and CI file under the paths
(default: the current folder). The workspace root is the folder the paths
share, or the project around it (the nearest folder up to the current one with
package.json, .shipshape.json or .git), so its .shipshape.json and .gitignore
apply and cross-file facts see the whole app. A file path reports on just that
file.

Options:
  -f, --format <format>   Report format: text (default), json or sarif
  -o, --output <file>     Write the report to <file> instead of stdout
      --fail-on <level>   Exit 1 if a finding at or above <level> remains:
                          error (default), warning, info or none
      --rule <id>         Only run this rule; repeat or comma-separate for several
      --fix               Apply verified safe fixes in place, then report what remains
      --baseline <file>   Report (and fail on) only findings not recorded in <file>
      --write-baseline <file>
                          Record every current finding in <file>; later runs with
                          --baseline <file> then report only new ones
      --jobs <n|auto>     Analyze in <n> worker threads; 1 analyzes in-process;
                          auto (default) uses one heap-bounded worker on large
                          workspaces (less memory), in-process on small ones
      --verbose           List skipped files with the reason
  -h, --help              Show this help

Exit codes:
  0  no finding at or above --fail-on (not counting baselined ones)
  1  findings at or above --fail-on
  2  usage error, or the scan could not complete (bad path, a rule crashed,
     a missing or invalid baseline)

Environment:
  NO_COLOR=1         no colors in text output (colors are only used on a terminal)
  SHIPSHAPE_DEBUG=1  print stack traces for internal errors

SARIF paths are relative to the repository root (the nearest folder with .git
above the workspace root), so GitHub code scanning places alerts correctly even
when you scan a subfolder.

A baseline matches findings by rule, file and flagged text (whitespace
collapsed), never by line number, so it survives edits elsewhere in the file.
`;

export const SCORECARD_HELP = `Usage: shipshape scorecard [path] [options]

Analyzes the workspace folder (default: the current folder) like "shipshape
scan", runs the workspace checks (CI, tests, health route, logging, rate
limits, …) and prints the production-readiness scorecard: the overall score and
grade, the seven dimensions, the top risks and the checklist. The numbers are
the ones the editor's scorecard panel shows.

Options:
  -f, --format <format>   text (default), md (Markdown for a PR or README) or
                          json (the scorecard object, see docs/scoring.md)
  -o, --output <file>     Write the scorecard to <file> instead of stdout
      --min-score <n>     Exit 1 when the overall score is below <n> (0-100)
      --verbose           List skipped files with the reason
  -h, --help              Show this help

Exit codes:
  0  the score is at least --min-score (or no --min-score was given)
  1  the score is below --min-score
  2  usage error, or the analysis could not complete (bad path, a rule crashed)
`;

const SCAN_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  rule: { type: 'string', multiple: true },
  fix: { type: 'boolean' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  jobs: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SCORECARD_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'min-score': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MAIN_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Parses `process.argv.slice(2)`. `knownRules` validates `--rule`. */
export function parseCommandLine(argv: readonly string[], knownRules: ReadonlySet<string>): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) return parseMain(argv);
  if (first === 'help') return { command: 'help', topic: rest[0] === 'scan' || rest[0] === 'scorecard' ? rest[0] : 'main' };
  if (first === 'scan') return parseScan(rest, knownRules);
  if (first === 'scorecard') return parseScorecard(rest);
  throw new CliError(`unknown command: ${first}`, 'Run "shipshape --help" for usage.');
}

function parseMain(argv: readonly string[]): Command {
  const { values } = parse(argv, MAIN_OPTIONS, 'shipshape --help', false);
  if (values.version) return { command: 'version' };
  if (values.help) return { command: 'help', topic: 'main' };
  throw new CliError('missing command', 'Run "shipshape scan" to scan the current folder, or "shipshape --help" for usage.');
}

function parseScan(argv: readonly string[], knownRules: ReadonlySet<string>): Command {
  const { values, positionals } = parse(argv, SCAN_OPTIONS, 'shipshape scan --help', true);
  if (values.help) return { command: 'help', topic: 'scan' };
  const format = oneOf('--format', values.format ?? 'text', FORMATS);
  const failOn = oneOf('--fail-on', values['fail-on'] ?? 'error', FAIL_ON);
  const rules = [...new Set((values.rule ?? []).flatMap((value) => value.split(',')).map((id) => id.trim()))].filter((id) => id !== '');
  if (values.rule !== undefined && rules.length === 0) throw new CliError('--rule needs a rule id');
  const unknown = rules.filter((id) => !knownRules.has(id));
  if (unknown.length > 0) {
    throw new CliError(`unknown rule id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, `Valid rule ids: ${[...knownRules].sort().join(', ')}`);
  }
  if (values.output === '') throw new CliError('--output needs a file name');
  if (values.baseline === '') throw new CliError('--baseline needs a file name');
  if (values['write-baseline'] === '') throw new CliError('--write-baseline needs a file name');
  if (values.baseline !== undefined && values['write-baseline'] !== undefined) {
    throw new CliError('--baseline and --write-baseline cannot be combined', '--write-baseline records every current finding; run it alone to replace a baseline.');
  }
  return {
    command: 'scan',
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    output: values.output,
    failOn,
    rules,
    fix: values.fix ?? false,
    verbose: values.verbose ?? false,
    baseline: values.baseline,
    writeBaseline: values['write-baseline'],
    jobs: parseJobs(values.jobs),
  };
}

/** Hard cap on `--jobs`: each worker holds its own copy of the cross-file facts. */
const MAX_JOBS = 64;

function parseJobs(value: string | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) throw new CliError(`--jobs must be a whole number from 1 to ${MAX_JOBS}, or auto; got ${value}`);
  return jobs;
}

function parseScorecard(argv: readonly string[]): Command {
  const { values, positionals } = parse(argv, SCORECARD_OPTIONS, 'shipshape scorecard --help', true);
  if (values.help) return { command: 'help', topic: 'scorecard' };
  if (positionals.length > 1) throw new CliError(`scorecard takes one folder, got ${positionals.length} paths`, 'Run "shipshape scorecard --help" for usage.');
  const format = oneOf('--format', values.format ?? 'text', SCORECARD_FORMATS);
  if (values.output === '') throw new CliError('--output needs a file name');
  return {
    command: 'scorecard',
    path: positionals[0] ?? '.',
    format,
    output: values.output,
    minScore: values['min-score'] === undefined ? undefined : parseScore(values['min-score']),
    verbose: values.verbose ?? false,
  };
}

function parseScore(value: string): number {
  const score = /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(score >= 0 && score <= 100)) throw new CliError(`invalid --min-score value "${value}" (expected a whole number from 0 to 100)`);
  return score;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** `parseArgs` with its errors turned into one-line usage errors. */
function parse<T extends OptionSpec>(argv: readonly string[], options: T, help: string, allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    throw new CliError(describeParseError(error), `Run "${help}" for usage.`);
  }
}

function describeParseError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /(--[\w-]+)/.exec(message)?.[1] ?? /'(-\w)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option: ${option ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('argument missing')) return `${option ?? 'option'} needs a value`;
      // `--output -x`: the value looks like an option.
      if (message.includes('ambiguous')) return `${option ?? 'option'} needs a value (write ${option ?? 'option'}=-… for one that starts with a dash)`;
      return `${option ?? 'option'} does not take a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument: ${/'([^']+)'/.exec(message)?.[1] ?? message}`;
    default:
      return message;
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new CliError(`invalid ${flag} value "${value}" (expected ${list(allowed)})`);
  return match;
}

function list(values: readonly string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
