// The worker side of a scan in worker threads (parallel.ts is the main thread's
// side): open the scan's workspace, then analyze the batches of paths the main
// thread hands out until it says stop.
import { parentPort } from 'node:worker_threads';
import { analyzeOrSkip, openScanWorkspace } from './inProcess';
import { type Reply, RequestSchema, SetupSchema } from './parallel';

export function runAnalysisWorker(data: unknown): void {
  const port = parentPort;
  if (!port) throw new Error('runAnalysisWorker outside a worker thread');
  const setup = SetupSchema.parse(data);
  const workspace = openScanWorkspace(setup.root, setup.ruleIds === null ? undefined : new Set(setup.ruleIds), setup.walk);
  port.on('message', (raw: unknown) => {
    const request = RequestSchema.parse(raw);
    if (request.kind === 'stop') {
      port.close();
      return;
    }
    const reply: Reply = { kind: 'results', results: [], skipped: [] };
    for (const path of request.paths) {
      const analyzed = analyzeOrSkip(workspace, path);
      if ('result' in analyzed) reply.results.push(analyzed);
      else reply.skipped.push(analyzed.skipped);
      // The result travels to the main thread as a copy; this thread never asks again.
      workspace.release(path);
    }
    port.postMessage(reply);
  });
}
