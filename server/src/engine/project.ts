// The read-only project view rules see: files by path, package.json dependencies,
// .gitignore (root and nested), git's tracked set and the schema facts (built on
// first use, once per view). Built over any `readFile`, so
// fix verification can overlay pending changes (a fix that adds `.env` to
// `.gitignore` is judged against the new `.gitignore`).
import ignore, { type Ignore } from 'ignore';
import { type ProjectSchema, buildProjectSchema } from './facts/schema';
import type { ProjectView } from './types';

export function createProjectView(
  root: string,
  readFile: (path: string) => string | undefined,
  isTracked: (path: string) => boolean,
  listFiles: () => readonly string[],
  /** A view whose schema facts still hold for this one (fix verification overlays that touch no schema file). */
  schemaSource?: ProjectView,
  /** The workspace's text revision (see ProjectView.revision). */
  revision?: () => number,
  /** The paths changed since a revision (see ProjectView.changedSince). */
  changedSince?: (revision: number) => Iterable<string> | undefined,
): ProjectView {
  const ignoreByDir = new Map<string, Ignore | null>();
  const matcherFor = (dir: string): Ignore | null => {
    let matcher = ignoreByDir.get(dir);
    if (matcher === undefined) {
      const text = readFile(dir ? `${dir}/.gitignore` : '.gitignore');
      matcher = text === undefined ? null : ignore().add(text);
      ignoreByDir.set(dir, matcher);
    }
    return matcher;
  };
  let dependencies: Set<string> | undefined;
  let schema: ProjectSchema | undefined;

  const view: ProjectView = {
    root,
    readFile,
    get dependencies(): ReadonlySet<string> {
      return (dependencies ??= readDependencies(readFile('package.json')));
    },
    isIgnored(path: string): boolean {
      const parts = path.split('/');
      for (let depth = 0; depth < parts.length; depth++) {
        const dir = parts.slice(0, depth).join('/');
        const rest = parts.slice(depth).join('/');
        if (matcherFor(dir)?.ignores(rest)) return true;
      }
      return false;
    },
    isTracked,
    listFiles,
    get schema(): ProjectSchema {
      return (schema ??= schemaSource ? schemaSource.schema : buildProjectSchema(view));
    },
    get revision(): number | undefined {
      return revision?.();
    },
    changedSince(since: number): Iterable<string> | undefined {
      return changedSince?.(since);
    },
  };
  return view;
}

export function readDependencies(packageJson: string | undefined): Set<string> {
  if (!packageJson) return new Set();
  try {
    const parsed: unknown = JSON.parse(packageJson);
    if (typeof parsed !== 'object' || parsed === null) return new Set();
    const names = new Set<string>();
    for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const section = (parsed as Record<string, unknown>)[key];
      if (typeof section === 'object' && section !== null) for (const name of Object.keys(section)) names.add(name);
    }
    return names;
  } catch {
    return new Set();
  }
}
