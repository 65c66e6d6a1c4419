// `shipshape` — the command-line front end over the engine. Bundled to dist/cli.js,
// without the engine's analysis code: that is dist/cli-analysis.js (analysis.ts),
// which runs as the worker of a large scan and is loaded into this thread only for
// an in-process one. Reports go to stdout (or --output); everything addressed to the
// person running it (progress, warnings, skipped files, internal errors) goes to stderr.
import { join } from 'node:path';
import { KNOWN_RULE_IDS } from '../../../rules/meta';
import { classifyFile, isCodeKind } from '../engine/files/kinds';
import { type Command, type HelpTopic, MAIN_HELP, parseCommandLine, SCAN_HELP, type ScanCommand, SCORECARD_HELP, type ScorecardCommand } from './args';
import { applyBaseline, buildBaseline, formatBaseline, readBaseline } from './baseline';
import { CliError, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, reportError } from './errors';
import { COLOR, PLAIN, useColor } from './formats/ansi';
import { formatJson } from './formats/json';
import { findRepositoryRoot, formatSarif } from './formats/sarif';
import { formatScorecardMarkdown } from './formats/scorecardMarkdown';
import { formatScorecardText } from './formats/scorecardText';
import { formatText } from './formats/text';
import { checkOutputPath, type OutputTarget, writeOutput } from './output';
import { Progress } from './progress';
import { formatConfigNotes, formatNotes } from './notes';
import { runScan, runScorecardScan, type ScanRequest } from './scan';
import { exitCode, plural } from './summary';
import { displayPath, resolveTargets, toWorkspacePath } from './targets';
import { TOOL_VERSION } from './version';

const HELP: Readonly<Record<HelpTopic, string>> = { main: MAIN_HELP, scan: SCAN_HELP, scorecard: SCORECARD_HELP };

export async function main(argv: readonly string[]): Promise<number> {
  const command: Command = parseCommandLine(argv, KNOWN_RULE_IDS);
  switch (command.command) {
    case 'help':
      process.stdout.write(HELP[command.topic]);
      return EXIT_OK;
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return EXIT_OK;
    case 'scan':
      return await scan(command, process.cwd());
    case 'scorecard':
      return await scorecard(command, process.cwd());
  }
}

async function scan(command: ScanCommand, cwd: string): Promise<number> {
  const { root, targets } = resolveTargets(command.paths, cwd, true);
  const output = command.output === undefined ? undefined : checkOutputPath(command.output, cwd);
  // Both baseline files are checked before the scan: a typo should not cost a full scan.
  const baseline = command.baseline === undefined ? undefined : readBaseline(command.baseline, cwd);
  const baselineTarget = command.writeBaseline === undefined ? undefined : checkOutputPath(command.writeBaseline, cwd, 'baseline');
  let result = await withProgress({ root, targets, ruleIds: command.rules.length > 0 ? new Set(command.rules) : undefined, fix: command.fix, jobs: command.jobs }, [output, baselineTarget, baseline], runScan);
  const show = showFrom(root, cwd);
  process.stderr.write(formatConfigNotes(result, show));

  if (baselineTarget) {
    // Everything found now is the baseline, so nothing is new in this run.
    const written = buildBaseline(result.findings);
    writeOutput(baselineTarget, formatBaseline(written));
    result = applyBaseline(result, baselineTarget.given, new Set(written.findings.map((entry) => entry.fingerprint)));
  } else if (baseline) {
    result = applyBaseline(result, baseline.given, baseline.fingerprints);
  }

  let report: string;
  switch (command.format) {
    case 'json':
      report = formatJson(result);
      break;
    case 'sarif':
      report = formatSarif(result, findRepositoryRoot(root));
      break;
    case 'text':
      report = formatText(result, { style: output === undefined && useColor(process.stdout, process.env) ? COLOR : PLAIN, displayPath: show, fixed: command.fix });
      break;
  }
  emit(report, output);
  process.stderr.write(formatNotes(result, command.verbose, show));
  if (baselineTarget) process.stderr.write(`shipshape: wrote baseline ${baselineTarget.given} with ${plural(result.baseline?.baselined ?? 0, 'finding')}\n`);

  return exitCode(result, command.failOn);
}

async function scorecard(command: ScorecardCommand, cwd: string): Promise<number> {
  const { root, targets } = resolveTargets([command.path], cwd);
  if (targets[0]?.kind !== 'dir') throw new CliError(`scorecard needs a folder, not a file: ${command.path}`, 'The scorecard covers a whole workspace; pass its folder.');
  const output = command.output === undefined ? undefined : checkOutputPath(command.output, cwd);
  const { result, card } = await withProgress({ root, targets, ruleIds: undefined, fix: false }, [output], runScorecardScan);
  const show = showFrom(root, cwd);
  process.stderr.write(formatConfigNotes(result, show));
  // A grade for a folder with no code in it would be a grade for nothing.
  if (!result.files.some((path) => { const kind = classifyFile(path); return kind !== undefined && isCodeKind(kind); })) {
    process.stderr.write(formatNotes(result, command.verbose, show));
    throw new CliError(`nothing to score in ${show('') || '.'}: no JavaScript or TypeScript files found`, 'The scorecard rates an app; pass the folder that holds its code.');
  }

  let report: string;
  switch (command.format) {
    case 'json':
      report = `${JSON.stringify(card, null, 2)}\n`;
      break;
    case 'md':
      report = formatScorecardMarkdown(card);
      break;
    case 'text':
      report = formatScorecardText(card, { style: output === undefined && useColor(process.stdout, process.env) ? COLOR : PLAIN, displayPath: show });
      break;
  }
  emit(report, output);
  process.stderr.write(formatNotes(result, command.verbose, show));

  if (result.errors.length > 0) return EXIT_ERROR;
  if (command.minScore !== undefined && card.score < command.minScore) {
    process.stderr.write(`shipshape: score ${card.score} is below --min-score ${command.minScore}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/**
 * Runs the analysis of either command with progress on stderr. `ownFiles` are files
 * this run reads or writes, left out of the analysis.
 */
async function withProgress<Result>(
  request: Omit<ScanRequest, 'progress' | 'ownFiles' | 'onWarning'>,
  ownFiles: readonly (Pick<OutputTarget, 'absolute'> | undefined)[],
  run: (request: ScanRequest) => Promise<Result>,
): Promise<Result> {
  const progress = new Progress(process.stderr);
  const own = new Set(ownFiles.flatMap((file) => (file ? (toWorkspacePath(request.root, file.absolute) ?? []) : [])));
  const onWarning = (message: string): void => {
    progress.clear();
    process.stderr.write(`shipshape: warning: ${message}\n`);
  };
  try {
    return await run({ ...request, ownFiles: own, progress, onWarning });
  } finally {
    progress.clear();
  }
}

function showFrom(root: string, cwd: string): (path: string) => string {
  return (path: string): string => displayPath(join(root, path), cwd);
}

function emit(report: string, output: OutputTarget | undefined): void {
  if (output === undefined) process.stdout.write(report);
  else writeOutput(output, report);
}

async function run(): Promise<void> {
  // `shipshape scan | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw error;
  });
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.exitCode = reportError(error, process.env, (text) => process.stderr.write(text));
  }
}

if (require.main === module) void run();
