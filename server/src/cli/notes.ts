// What the CLI tells the person running it on stderr, whatever the report format:
// config problems (before the report), then fixes applied, skipped paths and
// internal errors (after it).
import { CONFIG_FILE } from '../engine/config';
import type { ScanResult } from './scanResult';
import { plural } from './summary';
import { INFORMATION_URI } from './version';

/** Problems in `.shipshape.json`: printed before the report, since they change what it contains. */
export function formatConfigNotes(result: ScanResult, show: (path: string) => string): string {
  const out: string[] = [];
  if (result.configProblems.length > 0) {
    out.push(
      result.configIgnored
        ? `shipshape: warning: ignoring ${show(CONFIG_FILE)} and using the default configuration:`
        : `shipshape: warning: ${show(CONFIG_FILE)} has problems; the invalid entries are ignored:`,
    );
    for (const problem of result.configProblems) out.push(`  ${show(CONFIG_FILE)}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
  }
  return lines(out);
}

/** Printed after the report: fixes applied, skipped paths, internal errors. */
export function formatNotes(result: ScanResult, verbose: boolean, show: (path: string) => string): string {
  const out: string[] = [];
  if (result.fixes) {
    const { applied, written, notCreated, notWritten } = result.fixes;
    out.push(
      applied.length === 0
        ? 'shipshape: no safe fixes to apply'
        : `shipshape: applied ${plural(applied.length, 'safe fix', 'safe fixes')} in ${plural(written.length, 'file')}: ${written.map(show).join(', ')}`,
    );
    for (const path of notCreated) out.push(`shipshape: warning: did not create ${show(path)}: it appeared while fixing; nothing was overwritten`);
    for (const { path, reason } of notWritten) out.push(`shipshape: warning: did not write the fixes for ${show(path)}: ${reason}; the file is unchanged`);
  }
  if (result.skipped.length > 0) {
    if (verbose) {
      out.push(`shipshape: skipped ${plural(result.skipped.length, 'path')}:`);
      for (const skip of result.skipped) out.push(`  ${show(skip.path)}: ${skip.reason}`);
    } else {
      out.push(`shipshape: skipped ${plural(result.skipped.length, 'path')} (ignored, generated, binary, too large or a symbolic link); --verbose lists them`);
    }
  }
  if (verbose && result.droppedFixes > 0) {
    out.push(`shipshape: ${plural(result.droppedFixes, 'fix', 'fixes')} failed verification and ${result.droppedFixes === 1 ? 'was' : 'were'} not offered`);
  }
  if (result.errors.length > 0) {
    out.push(`shipshape: error: ${plural(result.errors.length, 'internal error')}; the scan is incomplete for these files:`);
    for (const error of result.errors) out.push(`  ${show(error.path)}: ${error.ruleId}: ${error.message}`);
    out.push(`  Please report this at ${INFORMATION_URI}/issues`);
  }
  return lines(out);
}

function lines(out: readonly string[]): string {
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
