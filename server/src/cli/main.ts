// `shipshape` — the command-line front end over the engine. Bundled to dist/cli.js.
// Reports go to stdout (or --output); everything addressed to the person running
// it (progress, warnings, skipped files, internal errors) goes to stderr.
import { join } from 'node:path';
import { KNOWN_RULE_IDS } from '../../../rules/index';
import { type Command, MAIN_HELP, parseCommandLine, SCAN_HELP, type ScanCommand } from './args';
import { EXIT_OK, reportError } from './errors';
import { COLOR, PLAIN, useColor } from './formats/ansi';
import { formatJson } from './formats/json';
import { findRepositoryRoot, formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { checkOutputPath, writeOutput } from './output';
import { Progress } from './progress';
import { formatConfigNotes, formatNotes } from './notes';
import { runScan, type ScanResult } from './scan';
import { exitCode } from './summary';
import { displayPath, resolveTargets, toWorkspacePath } from './targets';
import { TOOL_VERSION } from './version';

export function main(argv: readonly string[]): number {
  const command: Command = parseCommandLine(argv, KNOWN_RULE_IDS);
  switch (command.command) {
    case 'help':
      process.stdout.write(command.topic === 'scan' ? SCAN_HELP : MAIN_HELP);
      return EXIT_OK;
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return EXIT_OK;
    case 'scan':
      return scan(command, process.cwd());
  }
}

function scan(command: ScanCommand, cwd: string): number {
  const { root, targets } = resolveTargets(command.paths, cwd);
  const output = command.output === undefined ? undefined : checkOutputPath(command.output, cwd);
  const progress = new Progress(process.stderr);
  let result: ScanResult;
  try {
    result = runScan({
      root,
      targets,
      ruleIds: command.rules.length > 0 ? new Set(command.rules) : undefined,
      fix: command.fix,
      outputPath: output && toWorkspacePath(root, output.absolute),
      progress,
    });
  } finally {
    progress.clear();
  }
  const show = (path: string): string => displayPath(join(root, path), cwd);
  process.stderr.write(formatConfigNotes(result, show));

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
  if (output === undefined) process.stdout.write(report);
  else writeOutput(output, report);
  process.stderr.write(formatNotes(result, command.verbose, show));

  return exitCode(result, command.failOn);
}

function run(): void {
  // `shipshape scan | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw error;
  });
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.exitCode = reportError(error, process.env, (text) => process.stderr.write(text));
  }
}

if (require.main === module) run();

