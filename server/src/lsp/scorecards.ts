// The scorecard of each workspace folder, for `shipshape/scorecard` and
// `shipshape/scorecardChanged`. The numbers come from the engine's
// `scorecardForWorkspace` (what `shipshape scorecard` prints), over the folder's
// files with open buffers laid over disk. A folder's scorecard is cached per
// `Project.revision` (bumped by the server whenever a file, a result or the
// settings change) and its workspace checks keep their per-file evidence in the
// folder's CheckCache, so a recompute after an edit re-derives only that file.
// Recomputes are debounced and wait for a running scan; a notification goes out
// only when the scorecard's content actually changed.
import type { Workspace } from '../engine';
import { type Scorecard, type ScoredRuleMeta, scorecardForWorkspace } from '../engine/scorecard/index';
import type { ScorecardChangedParams, ScorecardFix } from '../protocol';
import type { Project } from './project';
import { type Logger, describeError, isAbortError } from './safe';

/** Quiet time after the last change before the scorecard is recomputed (typing, a burst of fixes). */
const RECOMPUTE_DEBOUNCE_MS = 250;

export interface ScorecardHost {
  readonly log: Logger;
  /** Folder-relative paths of the open buffers of `project` that the server analyzes. */
  openPaths(project: Project): string[];
  /** Sends `shipshape/scorecardChanged`. */
  notify(params: ScorecardChangedParams): void;
}

export interface ComputedScorecard {
  /** `Project.revision` this was computed at. */
  projectRevision: number;
  /** Bumped only when the content differs from the previous computation. */
  revision: number;
  scorecard: Scorecard;
  fixes: ScorecardFix[];
  /** Serialized scorecard and fixes, to tell a real change from a recompute with the same outcome. */
  content: string;
}

export class Scorecards {
  private readonly computed = new WeakMap<Project, ComputedScorecard>();
  private readonly notified = new WeakMap<Project, number>();
  private readonly dirty = new Set<Project>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: ScorecardHost,
    private readonly ruleMeta: readonly ScoredRuleMeta[],
  ) {}

  /** Something the folder's scorecard depends on changed: invalidate it and recompute soon (after the scan, if one runs). */
  changed(project: Project): void {
    project.revision++;
    this.schedule(project);
  }

  /** Recompute soon and notify if the content changed; a running scan defers this to its end. */
  schedule(project: Project): void {
    if (project.scanning) return;
    this.dirty.add(project);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, RECOMPUTE_DEBOUNCE_MS);
  }

  /** The folder's scorecard at its current revision (computed now if stale). Throws if the engine fails. */
  current(project: Project): ComputedScorecard {
    const previous = this.computed.get(project);
    if (previous && previous.projectRevision === project.revision) return previous;
    const projectRevision = project.revision;
    const openPaths = this.host.openPaths(project);
    const paths = [...new Set([...project.files, ...openPaths])].sort();
    const scorecard = scorecardForWorkspace(project.workspace, paths, { ruleMeta: this.ruleMeta, cache: project.checkCache });
    const fixes = riskFixes(project.workspace, scorecard);
    const content = JSON.stringify([scorecard, fixes]);
    const revision = previous === undefined ? 1 : previous.content === content ? previous.revision : previous.revision + 1;
    const computed: ComputedScorecard = { projectRevision, revision, scorecard, fixes, content };
    this.computed.set(project, computed);
    return computed;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty.clear();
  }

  private flush(): void {
    const projects = [...this.dirty];
    this.dirty.clear();
    for (const project of projects) {
      // A scan that started meanwhile reschedules when it ends.
      if (project.scanning || !project.enabled || !project.ready) continue;
      let computed: ComputedScorecard;
      try {
        computed = this.current(project);
      } catch (error) {
        if (!isAbortError(error)) this.host.log.error(`scorecard of ${project.root} failed: ${describeError(error)}`);
        continue;
      }
      if (this.notified.get(project) === computed.revision) continue;
      this.notified.set(project, computed.revision);
      this.host.notify({ folder: project.uri, revision: computed.revision, score: computed.scorecard.score, grade: computed.scorecard.grade });
    }
  }
}

/**
 * The preferred fix (else the first) of each finding at a top risk's locations,
 * so the panel can offer "Fix" next to the line. Read from the workspace's cached
 * results: the same ones the diagnostics were published from.
 */
export function riskFixes(workspace: Workspace, scorecard: Scorecard): ScorecardFix[] {
  const fixes: ScorecardFix[] = [];
  const seen = new Set<string>();
  for (const risk of scorecard.topRisks) {
    if (risk.kind !== 'rule') continue;
    for (const location of risk.locations) {
      const key = `${risk.id}\u0000${location.path}\u0000${location.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const findings = workspace.analyzeFile(location.path)?.findings ?? [];
      const finding = findings.find((candidate) => candidate.ruleId === risk.id && candidate.range.start.line === location.line - 1 && candidate.fixes.length > 0);
      const verified = finding ? workspace.verifiedFixes(location.path, finding) : [];
      const fix = verified.find((candidate) => candidate.preferred) ?? verified[0];
      if (fix) fixes.push({ ruleId: risk.id, path: location.path, line: location.line, fixId: fix.id, title: fix.title, safe: fix.safe });
    }
  }
  return fixes;
}
