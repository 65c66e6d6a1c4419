// What the real-editor tests of the packaged extension share (shipshape.e2e.ts,
// scorecard.e2e.ts): the .vsix of the current sources, a temp copy of the sample
// app examples/shop-api (fixes never touch the repo), and the CLI of the same
// build, whose output on the same files the editor must agree with.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLES, REPO, VSIX, packVsixWithVsce, vsixIsCurrent } from '../support/vsix';
import type { Editor } from './harness';

export const SAMPLE = join(REPO, 'examples', 'shop-api');
export const EXTENSION_ID = 'shipshape.shipshape';
/** Inputs of dist/client.js and dist/server.js (scripts/build.mjs bundles them). */
const BUNDLE_SOURCES = ['client/src', 'server/src', 'rules', 'package.json', 'package-lock.json', 'scripts/build.mjs'];

/** Newest modification time under `path` (a file or a folder), skipping rule fixtures, which are not bundled. */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'fixtures' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/**
 * The .vsix `npm run package` builds: dist/ is rebuilt (`npm run build`) only when a source is newer than
 * the bundles, and shipshape.vsix is repacked with the package script's `vsce package` only when it does not
 * hold exactly those bundles (the same check as test/package.test.ts). In CI, `npm test` has done both.
 */
export function ensureVsix(t: TestContext): string {
  const bundlesBuilt = Math.min(...BUNDLES.map((bundle) => (existsSync(join(REPO, bundle)) ? statSync(join(REPO, bundle)).mtimeMs : 0)));
  const sourcesChanged = Math.max(...BUNDLE_SOURCES.map((source) => newestMtime(join(REPO, source))));
  if (sourcesChanged > bundlesBuilt) {
    t.diagnostic('dist/ is older than its sources: npm run build');
    const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, encoding: 'utf8' });
    assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }
  if (vsixIsCurrent()) {
    t.diagnostic('reusing shipshape.vsix: it holds the current dist/ bundles');
  } else {
    t.diagnostic('packing shipshape.vsix (vsce package)');
    packVsixWithVsce();
    assert.ok(vsixIsCurrent(), 'shipshape.vsix does not hold the dist/ bundles right after vsce packed it');
  }
  return VSIX;
}

/** Copies examples/shop-api (without node_modules) into a new temp folder; returns `{ scratch, folder }` (remove `scratch` when done). */
export async function copySample(prefix: string): Promise<{ scratch: string; folder: string }> {
  const scratch = await mkdtemp(join(tmpdir(), prefix));
  const folder = join(scratch, 'shop-api');
  await cp(SAMPLE, folder, { recursive: true, filter: (source) => !/[\\/]node_modules$/.test(source) });
  return { scratch, folder };
}

/**
 * Runs `node dist/cli.js <args>` (the CLI of the same build) and returns its stdout. Exit 1 means "findings
 * at or above --fail-on" (scan) or "below --min-score" (scorecard) and still carries a report; anything else throws.
 */
export function runCli(args: readonly string[]): string {
  try {
    return execFileSync(process.execPath, [join(REPO, 'dist', 'cli.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    if (failed.status !== 1 || !failed.stdout) throw new Error(`shipshape ${args.join(' ')} failed (${failed.status}): ${failed.stderr ?? String(error)}`);
    return failed.stdout;
  }
}

export interface Steps {
  /**
   * Runs one user-visible step and records its time; a failure names the step and quotes the end of the
   * Shipshape output channel of the watched editor (withEditor then saves `<name>-failed.png`; every log
   * lands in test/artifacts/<name>-logs/).
   */
  step<T>(name: string, body: () => Promise<T>): Promise<T>;
  /** The editor whose Shipshape log a failing step quotes. */
  watch(editor: Editor): void;
  /** Milliseconds per step name, in the order they ran. */
  readonly times: Record<string, number>;
}

export function steps(t: TestContext): Steps {
  const times: Record<string, number> = {};
  let running: Editor | undefined;
  return {
    times,
    watch(editor) {
      running = editor;
    },
    async step(name, body) {
      const from = Date.now();
      try {
        return await body();
      } catch (error) {
        const log = running ? await running.extensionLog(EXTENSION_ID).catch(() => '') : '';
        const tail = log.trim() === '' ? '' : `\n--- Shipshape output channel (end) ---\n${log.trim().split('\n').slice(-25).join('\n')}`;
        throw new Error(`step "${name}" failed: ${error instanceof Error ? error.message : String(error)}${tail}`, { cause: error });
      } finally {
        times[name] = Date.now() - from;
        t.diagnostic(`${name}: ${times[name]} ms`);
      }
    },
  };
}

/** Fails when the Shipshape output channel of `editor` reports a server problem or crash. */
export async function assertCleanServerLog(editor: Editor): Promise<void> {
  const log = await editor.extensionLog(EXTENSION_ID);
  assert.ok(!/uncaught exception|unhandled rejection|the server built an invalid message|Shipshape server did not start/i.test(log), `the Shipshape output channel reports a server problem:\n${log}`);
  assert.ok(!/crashed|Connection to server got closed/i.test(log), `the Shipshape server crashed:\n${log}`);
}
