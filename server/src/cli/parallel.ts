// A scan's analysis in worker threads, the main thread's side (analysisWorker.ts is
// the worker's). Each worker opens its own Workspace on the same root (same config,
// same walk, same cross-file facts: the route graph and the schema are rebuilt per
// worker, which keeps every file's result exactly what an in-process scan gives) and
// analyzes the batches of paths it is handed; the main thread only hands out work
// and collects results, and never loads the compiler for it. One worker is worth it
// for its bounded heap alone (see `workerCount`); several also spread the files over
// cores. A worker that fails (a crash, out of memory, a malformed reply) is not
// fatal: the files not finished yet are analyzed in-process instead.
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Skipped } from '../engine/files/walk';
import type { ScanFileResult } from './scanResult';
import { FILE_KINDS } from '../engine/types';
import { CliError } from './errors';

/** Marks a worker started by this module (the analysis bundle is the worker script). */
export const WORKER_KIND = 'shipshape-analysis-worker';

/** Below this many files, starting a worker (it loads the compiler again) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 300;
/**
 * Each worker's heap limit, MB. V8 lets an unbounded heap grow to several times what
 * is live before it collects; a bound makes it collect sooner. A worker that still
 * runs out is not fatal: its files are analyzed in-process. `SHIPSHAPE_WORKER_HEAP_MB`
 * raises it for workspaces whose cross-file facts need more.
 */
const DEFAULT_WORKER_HEAP_MB = 384;
/**
 * Each worker's young generation, MB. V8's default sizes it for throughput; the trees a
 * scan parses die young by the thousand, and a smaller nursery collects them before
 * they take room: on the 500k-line benchmark, peak RSS 297-310 MB (median 298.5 of 8
 * runs) instead of 322-331 MB, with CPU time within the noise of paired runs (4 MB
 * saved a few MB more for more CPU, 16 MB about half as much).
 */
const WORKER_YOUNG_GENERATION_MB = 8;
// Below ~128 MB a worker can run out while loading the compiler, which V8 treats as fatal to the whole process.
const HeapSettingSchema = z.coerce.number().int().min(128).max(65_536);

/** The worker heap limit from the environment, or the default; a bad value is a usage error. */
export function workerHeapMb(env: NodeJS.ProcessEnv): number {
  const value = env.SHIPSHAPE_WORKER_HEAP_MB;
  if (value === undefined || value === '') return DEFAULT_WORKER_HEAP_MB;
  const parsed = HeapSettingSchema.safeParse(value);
  if (!parsed.success) throw new CliError(`SHIPSHAPE_WORKER_HEAP_MB must be a whole number of megabytes from 128 to 65536, got ${value}`);
  return parsed.data;
}
/** Files per batch: small enough to balance the workers, large enough to keep messages few. */
const BATCH_SIZE = 24;

export const SetupSchema = z.object({
  kind: z.literal(WORKER_KIND),
  root: z.string(),
  ruleIds: z.array(z.string()).nullable(),
  heapMb: z.number().int().positive(),
  /** The main thread's walk of the root: every worker knows the same files without walking again. */
  walk: z.object({ files: z.array(z.object({ path: z.string(), kind: z.enum(FILE_KINDS) })), skipped: z.array(z.object({ path: z.string(), reason: z.string() })) }),
});
export type WorkerSetup = z.infer<typeof SetupSchema>;

export const RequestSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('analyze'), paths: z.array(z.string()) }), z.object({ kind: z.literal('stop') })]);
export type Request = z.infer<typeof RequestSchema>;

const PositionSchema = z.object({ line: z.number(), character: z.number() });
const TextEditSchema = z.object({ start: z.number(), end: z.number(), newText: z.string() });
const FileChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('edit'), path: z.string(), edits: z.array(TextEditSchema) }),
  z.object({ kind: z.literal('create'), path: z.string(), text: z.string() }),
]);
const FindingSchema = z.object({
  ruleId: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  path: z.string(),
  range: z.object({ start: PositionSchema, end: PositionSchema }),
  offset: z.object({ start: z.number(), end: z.number() }),
  snippet: z.string(),
  fixes: z.array(z.object({ id: z.string(), title: z.string(), safe: z.boolean(), preferred: z.boolean(), changes: z.array(FileChangeSchema) })),
});
const FileResultSchema = z.object({
  findings: z.array(FindingSchema),
  errors: z.array(z.object({ ruleId: z.string(), path: z.string(), message: z.string() })),
  droppedFixes: z.number(),
});
const ReplySchema = z.object({
  kind: z.literal('results'),
  results: z.array(z.object({ path: z.string(), result: FileResultSchema })),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});
/** What a worker sends; `ReplySchema` checks it on arrival. */
export interface Reply {
  kind: 'results';
  results: { path: string; result: ScanFileResult }[];
  skipped: Skipped[];
}

/**
 * How many workers a scan of `files` files uses (0: in-process). `auto` runs a large
 * workspace in one worker: not for parallelism, for the heap bound (the main thread's
 * heap cannot be bounded once Node runs), which on the 500k-line benchmark kept peak
 * memory near 580 MB instead of 960 MB at no cost in time. A count runs that many.
 */
export function workerCount(files: number, requested: number | 'auto'): number {
  if (requested === 'auto') return files >= MIN_FILES_FOR_WORKERS ? 1 : 0;
  return requested <= 1 ? 0 : requested;
}

export interface ParallelAnalysis {
  results: Map<string, ScanFileResult>;
  /** Files a worker could not read or parse, with the reason. */
  skipped: Skipped[];
  /** Set when a worker failed and its unfinished files were analyzed in-process. */
  workerFailure?: string;
}

/** Analyzes one file in-process: its result, or why it was skipped. */
export type FileAnalyzer = (path: string) => { path: string; result: ScanFileResult } | { path: string; skipped: Skipped };

/**
 * Analyzes `paths` in `workers` worker threads running `script` (the analysis bundle).
 * `openFallback` opens an in-process analyzer for whatever a failed worker left
 * unfinished (only then: it loads the compiler on this thread).
 */
export async function analyzeInWorkers(
  script: string,
  setup: Omit<WorkerSetup, 'kind'>,
  paths: readonly string[],
  workers: number,
  openFallback: () => Promise<FileAnalyzer>,
  onProgress: (done: number, total: number) => void,
): Promise<ParallelAnalysis> {
  const analysis: ParallelAnalysis = { results: new Map(), skipped: [] };
  const queue = [...paths];
  const unfinished = new Set(paths);
  let done = 0;
  const started = Array.from({ length: workers }, () => new Worker(script, { workerData: { kind: WORKER_KIND, ...setup } satisfies WorkerSetup, resourceLimits: { maxOldGenerationSizeMb: setup.heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }));

  const runs = started.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        const send = (request: Request): void => worker.postMessage(request);
        const next = (): void => {
          const batch = queue.splice(0, BATCH_SIZE);
          send(batch.length > 0 ? { kind: 'analyze', paths: batch } : { kind: 'stop' });
        };
        worker.on('message', (raw: unknown) => {
          const parsed = ReplySchema.safeParse(raw);
          if (!parsed.success) {
            reject(new Error(`an analysis worker sent a malformed reply: ${parsed.error.message}`));
            return;
          }
          const reply = parsed.data;
          for (const { path, result } of reply.results) {
            analysis.results.set(path, result);
            unfinished.delete(path);
          }
          for (const skip of reply.skipped) {
            analysis.skipped.push(skip);
            unfinished.delete(skip.path);
          }
          done += reply.results.length + reply.skipped.length;
          onProgress(done, paths.length);
          next();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`an analysis worker exited with code ${code}`))));
        next();
      }),
  );
  try {
    await Promise.all(runs);
  } catch (error) {
    analysis.workerFailure = (error as Error).message;
    await Promise.all(started.map((worker) => worker.terminate()));
    const analyze = await openFallback();
    for (const path of unfinished) {
      const analyzed = analyze(path);
      if ('result' in analyzed) analysis.results.set(path, analyzed.result);
      else analysis.skipped.push(analyzed.skipped);
      onProgress(++done, paths.length);
    }
  }
  return analysis;
}
