// Which files a scan covers: the workspace root and the union of the paths under it.
// The root is the folder the paths share; a scan (not the scorecard, which rates the
// folder it is given) widens it to the project around them when the command runs in
// that project, so `shipshape scan src/routes/orders.ts` still sees package.json, the
// Prisma schema, the config and the routers that mount the file.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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

/** Files whose folder is a project's root. */
const PROJECT_MARKERS = ['.shipshape.json', 'package.json', '.git'];

/**
 * `findProject`: look from the paths' shared folder up to `cwd` (never above it, and
 * only when that folder is inside `cwd`) for the nearest folder holding a project
 * marker, and make it the root.
 */
export function resolveTargets(paths: readonly string[], cwd: string, findProject = false): Targets {
  const resolved = paths.map((path) => ({ given: path, absolute: resolve(cwd, path), kind: kindOf(path, resolve(cwd, path)) }));
  if (resolved.length === 0) throw new CliError('no path to scan');
  const shared = resolved.map(({ absolute, kind }) => (kind === 'dir' ? absolute : dirname(absolute))).reduce(commonFolder);
  const root = findProject ? (projectAround(shared, cwd) ?? shared) : shared;
  const targets = resolved.map(({ absolute, kind }) => ({ path: toWorkspacePath(root, absolute) ?? '', kind }));
  return { root, targets };
}

function commonFolder(a: string, b: string): string {
  let folder = a;
  while (toWorkspacePath(folder, b) === undefined) folder = dirname(folder);
  return folder;
}

function projectAround(folder: string, cwd: string): string | undefined {
  const top = resolve(cwd);
  if (toWorkspacePath(top, folder) === undefined) return undefined;
  for (let dir = folder; ; dir = dirname(dir)) {
    if (PROJECT_MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
    if (dir === top || dirname(dir) === dir) return undefined;
  }
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
    if (code === 'ELOOP') throw new CliError(`cannot read path ${given}: a loop of symbolic links`);
    throw new CliError(`cannot read path ${given}: ${code}`);
  }
}
