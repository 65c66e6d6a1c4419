// `--output FILE` (and `--write-baseline FILE`): checked before the scan starts
// (a typo should not cost a full scan), written after it.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, errorCode } from './errors';

export interface OutputTarget {
  /** As the user typed it, for messages. */
  given: string;
  absolute: string;
  /** What the file is, for messages: `output file`, `baseline`. */
  what: string;
}

export function checkOutputPath(given: string, cwd: string, what = 'output file'): OutputTarget {
  const absolute = resolve(cwd, given);
  const fail = (why: string): never => {
    throw new CliError(`cannot write ${what} ${given}: ${why}`);
  };
  const existing = statOrUndefined(absolute);
  if (existing?.isDirectory()) fail('it is a folder');
  const parent = statOrUndefined(dirname(absolute));
  if (!parent) fail(`folder ${dirname(given)} does not exist`);
  else if (!parent.isDirectory()) fail(`${dirname(given)} is not a folder`);
  try {
    accessSync(existing ? absolute : dirname(absolute), constants.W_OK);
  } catch (error) {
    fail(errorCode(error) === 'EACCES' || errorCode(error) === 'EPERM' ? 'permission denied' : errorCode(error));
  }
  return { given, absolute, what };
}

export function writeOutput(target: OutputTarget, report: string): void {
  try {
    writeFileSync(target.absolute, report);
  } catch (error) {
    throw new CliError(`cannot write ${target.what} ${target.given}: ${errorCode(error)}`);
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
