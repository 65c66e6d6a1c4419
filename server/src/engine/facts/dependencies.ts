// What one file's facts read of other files while they were derived (see
// FileDependencies): the runner hands the result to the Workspace, which re-analyzes
// the file when one of those files changes.
import type { FileDependencies, SharedFactsName } from '../types';

export class DependencyRecorder {
  private readonly paths = new Set<string>();
  private readonly shared = new Set<SharedFactsName>();
  private readonly absent = new Set<SharedFactsName>();

  /** `self`: the file being analyzed (reading itself is no dependency). */
  constructor(private readonly self: string) {}

  /** A file read for this file alone. */
  read(path: string): void {
    if (path !== this.self) this.paths.add(path);
  }

  /** Project-wide facts this file's findings used. */
  use(facts: SharedFactsName): void {
    this.shared.add(facts);
  }

  /** Project-wide facts this file's findings used by being absent from them. */
  absentFrom(facts: SharedFactsName): void {
    this.absent.add(facts);
  }

  get dependencies(): FileDependencies {
    return { paths: [...this.paths], shared: [...this.shared], absentFrom: [...this.absent].filter((facts) => !this.shared.has(facts)) };
  }
}
