// Which files a scan covers: the workspace root (the first path if it is a folder,
// else that file's folder) and the union of the paths under it.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { CliError, errorCode } from './errors';

export interface Target {
  /** Root-relative with forward slashes; `''` is the root itself. */
  path: string;
  kind: 'dir' | 'file';
}

export interface Targets {
  /** Absolute path of the workspace root. */
  root: string;
  targets: Target[];
}

export function resolveTargets(paths: readonly string[], cwd: string): Targets {
  const resolved = paths.map((path) => ({ given: path, absolute: resolve(cwd, path), kind: kindOf(path, resolve(cwd, path)) }));
  const first = resolved[0];
  if (!first) throw new CliError('no path to scan');
  const root = first.kind === 'dir' ? first.absolute : dirname(first.absolute);
  const targets = resolved.map(({ given, absolute, kind }) => {
    const path = toWorkspacePath(root, absolute);
    if (path === undefined) {
      throw new CliError(`path is outside the workspace root ${displayPath(root, cwd)}: ${given}`, 'The first path sets the workspace root; list the folder that contains every path first.');
    }
    return { path, kind };
  });
  return { root, targets };
}

/** Whether a root-relative file path is covered by the targets. */
export function isSelected(path: string, targets: readonly Target[]): boolean {
  return targets.some((target) => (target.kind === 'file' ? path === target.path : contains(target.path, path)));
}

/** Whether `folder` (root-relative, `''` = root) is `path` or one of its ancestors. */
export function contains(folder: string, path: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

/** Root-relative forward-slash path, or undefined when `absolute` is outside the root. */
export function toWorkspacePath(root: string, absolute: string): string | undefined {
  const rel = relative(root, absolute);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** How to show a path to the person at the terminal: relative to where they ran the command. */
export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  return rel.startsWith('..') && rel.split(sep).filter((part) => part === '..').length > 2 ? absolute : rel;
}

function kindOf(given: string, absolute: string): 'dir' | 'file' {
  try {
    const stats = statSync(absolute);
    if (stats.isDirectory()) return 'dir';
    if (stats.isFile()) return 'file';
    throw new CliError(`not a file or folder: ${given}`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`path does not exist: ${given}`);
    throw new CliError(`cannot read path ${given}: ${code}`);
  }
}
