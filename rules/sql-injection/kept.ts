// A sink's finding, kept with the sink across edits of the file. FileFacts hands out
// the same SqlSink object on a later version only while the function it was found in
// (`keptWith`), the functions around that one, the nodes the sink read and the file's
// context token are all unchanged (facts/dbFacts.ts, facts/editContext.ts). The
// finding reads no more than that: the data flow of values inside that function
// resolves names through the same surroundings, and the imports that name the library
// sit at the top level, which the token covers. What the token cannot vouch for is
// other files (Prisma's schema for placeholder style): those reads are recorded and
// compared. So a sink is judged once and, while it is handed out again, its finding
// is only moved along with its function. Nor can it vouch for the sink's driver, which
// may be created in another module (facts/sqlDrivers.ts): a finding is kept only while
// the driver asked again is the same. A one-shot scan keeps nothing (editCaching.ts).
import type { SqlDriver, SqlSink } from '../../server/src/engine/facts';
import { keptWith } from '../../server/src/engine/facts/dbFacts';
import { keepingFactsAcrossEdits } from '../../server/src/engine/facts/editCaching';
import type { ts } from '../../server/src/engine/ts';
import type { FileChange, ProjectView, Report } from '../../server/src/engine/types';

/** What judging a sink may read of the project: other files' text. */
export type FileReader = Pick<ProjectView, 'readFile'>;

export interface SinkFinding {
  /** The SQL text reported (one finding per text, however many calls send it). */
  at: ts.Node;
  report: Report;
}

interface Kept {
  /** What the finding's offsets are relative to, and where it started when judged. */
  base: ts.Node;
  origin: number;
  path: string;
  /** Other files the judgement read, with the text it saw. */
  reads: ReadonlyMap<string, string | undefined>;
  /** The driver the finding was written for (none without a finding: whether there is one does not depend on it). */
  driver: SqlDriver | undefined;
  finding: SinkFinding | undefined;
}

const KEPT = new WeakMap<SqlSink, Kept>();

/**
 * `judge(sink, project)`'s finding for the sink, judged again only when the sink is new, a
 * file it read changed or its driver (`driverOf`, asked only of a kept finding) is another.
 */
export function keptFinding(sink: SqlSink, path: string, project: FileReader, driverOf: () => SqlDriver, judge: (project: FileReader) => SinkFinding | undefined): SinkFinding | undefined {
  if (!keepingFactsAcrossEdits()) return judge(project);
  const kept = KEPT.get(sink);
  // A base the reparse replaced still hangs from the old tree, with old positions; checked with or without a
  // finding, since holding such a base would keep that whole version alive.
  if (kept && kept.path === path && sameReads(kept.reads, project) && kept.base.getSourceFile() === sink.call.getSourceFile() && (!kept.finding || sameDriver(kept.driver, driverOf()))) {
    return moved(kept);
  }
  const reads = new Map<string, string | undefined>();
  const recording: FileReader = {
    readFile(file) {
      const text = project.readFile(file);
      reads.set(file, text);
      return text;
    },
  };
  const finding = judge(recording);
  const base = keptWith(sink.call);
  if (!finding || within(finding, base, path)) KEPT.set(sink, { base, origin: base.pos, path, reads, driver: finding ? driverOf() : undefined, finding });
  return finding;
}

function sameDriver(a: SqlDriver | undefined, b: SqlDriver): boolean {
  return a !== undefined && a.model === b.model && a.library === b.library && a.package === b.package && a.possible.join() === b.possible.join();
}

function sameReads(reads: ReadonlyMap<string, string | undefined>, project: FileReader): boolean {
  for (const [file, text] of reads) if (project.readFile(file) !== text) return false;
  return true;
}

/** Whether every offset of the finding lies in `base`, so that they all move with it. */
function within(finding: SinkFinding, base: ts.Node, path: string): boolean {
  const inside = (offset: number): boolean => base.pos <= offset && offset <= base.end;
  const { report } = finding;
  if (!inside(report.start) || !inside(report.end)) return false;
  return (report.fixes ?? []).every((fix) => fix.changes.every((change) => change.kind === 'edit' && change.path === path && change.edits.every((edit) => inside(edit.start) && inside(edit.end))));
}

function moved(kept: Kept): SinkFinding | undefined {
  const { finding } = kept;
  if (!finding) return undefined;
  const delta = kept.base.pos - kept.origin;
  const { report } = finding;
  const shift = (change: FileChange): FileChange =>
    change.kind === 'edit' ? { ...change, edits: change.edits.map((edit) => ({ ...edit, start: edit.start + delta, end: edit.end + delta })) } : change;
  return {
    at: finding.at,
    report: { ...report, start: report.start + delta, end: report.end + delta, fixes: report.fixes?.map((fix) => ({ ...fix, changes: fix.changes.map(shift) })) },
  };
}
