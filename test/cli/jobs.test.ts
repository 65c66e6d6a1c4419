// --jobs: the analysis spread over worker threads gives byte-for-byte the report an
// in-process scan gives (cross-file facts included), and bad values are usage errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeInWorkers, workerCount } from '../../server/src/cli/parallel';
import type { FileResult } from '../../server/src/engine/runner';
import { makeWorkspace, runCli, SHOP } from './support';

test('worker threads report exactly what an in-process scan reports, in every format', () => {
  for (const format of ['json', 'sarif', 'text']) {
    const serial = runCli(['scan', SHOP, '--jobs', '1', '--format', format]);
    const parallel = runCli(['scan', SHOP, '--jobs', '3', '--format', format]);
    assert.equal(serial.status, 1, serial.stderr);
    assert.equal(parallel.status, serial.status, parallel.stderr);
    assert.equal(parallel.stdout, serial.stdout, `--jobs 3 differs from --jobs 1 in ${format}`);
    assert.doesNotMatch(parallel.stderr, /worker failed/);
  }
});

test('files a worker cannot read are skipped with their reason, as in-process', () => {
  const root = makeWorkspace({ 'src/ok.ts': 'export const a = 1;\n', 'src/latin1.ts': Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 2 ? 0xe9 : 0x61))) });
  const serial = runCli(['scan', root, '--jobs', '1', '--verbose']);
  const parallel = runCli(['scan', root, '--jobs', '2', '--verbose']);
  assert.equal(parallel.status, 0, parallel.stderr);
  assert.match(serial.stderr, /latin1\.ts/);
  assert.equal(parallel.stderr, serial.stderr);
  assert.equal(parallel.stdout, serial.stdout);
});

test('--jobs takes a whole number from 1 to 64 or auto; auto uses one worker on large workspaces only', () => {
  for (const bad of ['0', '-1', '2.5', 'many', '65']) {
    const run = runCli(['scan', SHOP, `--jobs=${bad}`]);
    assert.equal(run.status, 2, `--jobs ${bad}`);
    assert.match(run.stderr, /--jobs must be a whole number from 1 to 64, or auto/);
  }
  assert.equal(workerCount(40, 'auto'), 0, 'a small workspace is not worth a worker');
  assert.equal(workerCount(5_000, 'auto'), 1, 'a large one runs in one heap-bounded worker');
  assert.equal(workerCount(5_000, 1), 0, '--jobs 1 is in-process');
  assert.equal(workerCount(40, 4), 4);
});

test('SHIPSHAPE_WORKER_HEAP_MB sets the worker heap bound; a bad value is a usage error before any worker starts', () => {
  const serial = runCli(['scan', SHOP, '--jobs', '1', '--format', 'json']);
  const bounded = runCli(['scan', SHOP, '--jobs', '2', '--format', 'json'], { env: { SHIPSHAPE_WORKER_HEAP_MB: '192' } });
  assert.equal(bounded.stdout, serial.stdout, bounded.stderr);
  for (const bad of ['abc', '64', '1.5']) {
    const run = runCli(['scan', SHOP, '--jobs', '2'], { env: { SHIPSHAPE_WORKER_HEAP_MB: bad } });
    assert.equal(run.status, 2, `SHIPSHAPE_WORKER_HEAP_MB=${bad}`);
    assert.match(run.stderr, /SHIPSHAPE_WORKER_HEAP_MB must be a whole number of megabytes from 128 to 65536/);
  }
});

test('the files of a worker that dies are analyzed by the in-process fallback, opened only then', async () => {
  const dir = makeWorkspace({});
  const dying = join(dir, 'dying-worker.js');
  writeFileSync(dying, 'process.exit(3);\n');
  const result = (path: string): FileResult => ({ findings: [], errors: [], droppedFixes: 0, elapsedMs: path.length, reportCounts: new Map(), dependencies: { paths: [], shared: [], absentFrom: [] } });
  let opened = 0;
  const progress: number[] = [];
  const analysis = await analyzeInWorkers(
    dying,
    { root: dir, ruleIds: null, heapMb: 256, walk: { files: [], skipped: [] } },
    ['a.ts', 'b.ts', 'unreadable.ts'],
    1,
    async () => {
      opened++;
      return (path) => (path === 'unreadable.ts' ? { path, skipped: { path, reason: 'cannot read: EACCES' } } : { path, result: result(path) });
    },
    (done) => progress.push(done),
  );
  assert.match(analysis.workerFailure ?? '', /exited with code 3/);
  assert.equal(opened, 1);
  assert.deepEqual([...analysis.results.keys()].sort(), ['a.ts', 'b.ts']);
  assert.deepEqual(analysis.skipped, [{ path: 'unreadable.ts', reason: 'cannot read: EACCES' }]);
  assert.deepEqual(progress, [1, 2, 3]);
});
