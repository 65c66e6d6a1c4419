// `--output FILE` (and `--write-baseline FILE`): checked before the scan starts
// (a typo should not cost a full scan), written after it.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { CONFIG_FILE } from '../engine/config';
import { classifyFile } from '../engine/files/kinds';
import { CliError, errorCode } from './errors';

/** JSON files that are a project's own, never a report: writing over one is a typo, not a wish. */
const PROJECT_JSON = /^(?:package|tsconfig(?:\..*)?|jsconfig)\.json$/;

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
  // Reports are JSON, SARIF, Markdown or text: an existing source, schema, env or project file is never one.
  const kind = classifyFile(basename(absolute));
  if (existing && ((kind !== undefined && kind !== 'json') || PROJECT_JSON.test(basename(absolute)) || basename(absolute) === CONFIG_FILE)) {
    fail('it is one of the project\'s own files (source, schema, env or config), not a report; choose another path');
  }
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
