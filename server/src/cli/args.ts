// Command-line parsing: argv in, a typed command out. Everything the user can get
// wrong here becomes a one-line CliError (exit 2); nothing touches the disk.
import { parseArgs } from 'node:util';
import type { Severity } from '../engine';
import { CliError } from './errors';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

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
}

export type Command = ScanCommand | { command: 'help'; topic: 'main' | 'scan' } | { command: 'version' };

export const MAIN_HELP = `Usage: shipshape <command> [options]

Catches what breaks when an AI-built JS/TS web app meets real users: SQL
injection, hardcoded secrets and more, with verified one-click fixes.

Commands:
  scan [paths...]   Analyze files and report findings as text, JSON or SARIF

Options:
  -h, --help        Show help (shipshape scan --help for the scan options)
  -v, --version     Print the version
`;

export const SCAN_HELP = `Usage: shipshape scan [paths...] [options]

Analyzes every JS/TS, SQL, Prisma, env, Dockerfile and CI file under the paths
(default: the current folder). The first path sets the workspace root: its
.shipshape.json and .gitignore apply. A file path analyzes just that file.

Options:
  -f, --format <format>   Report format: text (default), json or sarif
  -o, --output <file>     Write the report to <file> instead of stdout
      --fail-on <level>   Exit 1 if a finding at or above <level> remains:
                          error (default), warning, info or none
      --rule <id>         Only run this rule; repeat or comma-separate for several
      --fix               Apply verified safe fixes in place, then report what remains
      --verbose           List skipped files with the reason
  -h, --help              Show this help

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, or the scan could not complete (bad path, a rule crashed)

Environment:
  NO_COLOR=1         no colors in text output (colors are only used on a terminal)
  SHIPSHAPE_DEBUG=1  print stack traces for internal errors

SARIF paths are relative to the repository root (the nearest folder with .git
above the workspace root), so GitHub code scanning places alerts correctly even
when you scan a subfolder.
`;

const SCAN_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  rule: { type: 'string', multiple: true },
  fix: { type: 'boolean' },
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
  if (first === 'help') return { command: 'help', topic: rest[0] === 'scan' ? 'scan' : 'main' };
  if (first !== 'scan') throw new CliError(`unknown command: ${first}`, 'Run "shipshape --help" for usage.');
  return parseScan(rest, knownRules);
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
  return {
    command: 'scan',
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    output: values.output,
    failOn,
    rules,
    fix: values.fix ?? false,
    verbose: values.verbose ?? false,
  };
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
      return message.includes('argument missing') ? `${option ?? 'option'} needs a value` : `${option ?? 'option'} does not take a value`;
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
