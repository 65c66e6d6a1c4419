// Facts built from many files at once and shared by the files they serve (see
// FileDependencies.shared): for each, which edits can change it, and whether a file
// is still absent from it. The Workspace asks these when a file changes, so it drops
// the results that used the fact only when the fact itself can have changed.
import type { ts } from 'ts-morph';
import type { ProjectView, SharedFactsName } from '../types';
import { isAbsentFromRouteGraph } from './routeGraph';
import { routeGraphChangedBy } from './routeGraphEdits';

export interface SharedFactsModel {
  /**
   * Whether changing `path` from `before` to `after` (undefined: the file did not
   * exist, or no longer does) can change the fact. `tree` is the parse of `after`, if any.
   */
  changedBy(project: ProjectView, path: string, before: string | undefined, after: string | undefined, tree: ts.SourceFile | undefined): boolean;
  /** Whether `path` is still absent from the fact as the project is now. */
  isAbsent(project: ProjectView, path: string): boolean;
}

export const SHARED_FACTS: Readonly<Record<SharedFactsName, SharedFactsModel>> = {
  'route-graph': { changedBy: routeGraphChangedBy, isAbsent: isAbsentFromRouteGraph },
};
