// Edit latency: how long after a keystroke the diagnostics of the edited file
// are current. Two measurements of the same scripted edits on two generated
// Express router modules (~2,000 and ~10,000 lines):
//
// - engine, in process: `Workspace.setText` (incremental reparse) +
//   `analyzeFile` (rules), no debounce, no protocol, bundled as the server is
//   (see engineEntry.ts). This is the figure the DESIGN.md targets are about
//   (p95 ≤ 10 ms at 2k lines, ≤ 40 ms at 10k).
// - server round trip: the built server (`node dist/server.js --stdio`) with
//   `shipshape.debounceMs` 0, from sending an incremental `didChange` to
//   receiving `publishDiagnostics` for that version. The server's own engine
//   share comes from its `shipshape/status` notification (`lastAnalysisMs`:
//   the rules of the last interactive analysis, without the reparse).
//
// Each edit types one letter just before the closing quote of a string in a
// route handler, cycling through sites spread over the file. Not a test:
// nothing is asserted; every wait is bounded.

import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { ts } from 'ts-morph';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import * as esbuild from 'esbuild';
import type { FileResult } from '../../server/src/engine';
import type { Rule } from '../../server/src/engine/rule';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';
import { type GeneratedModule, generateRouterModule } from './generate';
import { type BenchSection, type Json, REPO_ROOT, fmt, log, markdownTable, median, percentile } from './run';

/** The files measured: target size, and how many of its entities get an injectable query. */
const SIZES = [
  { label: '2k', lines: 2_000, injectable: 2, targetP95Ms: 10, file: 'src/server/routes/operations.ts' },
  { label: '10k', lines: 10_000, injectable: 5, targetP95Ms: 40, file: 'src/server/routes/platform.ts' },
] as const;
type Size = (typeof SIZES)[number];

/**
 * Edits per file before the timed ones, reported apart as "first edits": the first
 * keystrokes after the server starts run the incremental reparse and the edit caches
 * before V8 has optimized them (on the 2k-line file the first 40 edits' median was
 * 1.5-2.5x that of the next 360), so a p95 over a short run mostly measures the JIT.
 */
const WARMUP_EDITS = 40;
/** Edit sites per file, spread evenly over the handlers' strings. */
const SITES = 8;
/** Extra edits after the timed ones: each reparsed incrementally, then parsed from scratch, for a paired comparison. */
const PARSE_PAIRS = 15;
/** Timed edits stop early once one file's run (engine or server) has taken this long. */
const PHASE_BUDGET_MS = 240_000;
/** Upper bound for any single wait on the server. */
const WAIT_MS = 20_000;
/** The built server (a function: run.ts and this module import each other). */
const serverScript = (): string => path.join(REPO_ROOT, 'dist', 'server.js');
const LETTERS = 'searchfilter';

// ---------------------------------------------------------------------------
// Input: the modules, the workspace around them, the edit script.

interface Input {
  size: Size;
  module: GeneratedModule;
}

function makeInputs(seed: string): Input[] {
  return SIZES.map((size) => ({ size, module: generateRouterModule({ lines: size.lines, seed, injectable: size.injectable }) }));
}

function writeWorkspace(inputs: readonly Input[]): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-latency-')));
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify({ name: 'latency-bench', private: true, dependencies: { express: '^4.19.2', pg: '^8.12.0', stripe: '^16.2.0', zod: '^3.23.8' } }, null, 2)}\n`,
    '.gitignore': 'node_modules/\n.env\n',
  };
  for (const input of inputs) files[input.size.file] = input.module.text;
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

interface Site {
  line: number;
  /** Column of the closing quote, before any edit. */
  character: number;
}

/**
 * Positions just before the closing quote of single-quoted strings inside
 * route handlers (from `xRouter.get(` to the handler's closing line), comments
 * and template-literal lines left out; `count` of them, evenly spread.
 */
export function editSites(text: string, count: number): Site[] {
  const candidates: Site[] = [];
  let inHandler = false;
  for (const [line, content] of text.split('\n').entries()) {
    if (/^\w+Router\.(get|post|put|patch|delete)\(/.test(content)) inHandler = true;
    if (inHandler && !content.trimStart().startsWith('//') && !content.includes('`')) {
      const match = /'[^'\\]+'/.exec(content);
      if (match) candidates.push({ line, character: match.index + match[0].length - 1 });
    }
    if (content === '}));' || content === '});') inHandler = false;
  }
  if (candidates.length < count) throw new Error(`only ${candidates.length} edit sites found`);
  return Array.from({ length: count }, (_, i) => candidates[Math.floor(((i + 0.5) * candidates.length) / count)] as Site);
}

/** The i-th edit: one letter typed at the next site, after what earlier edits typed there. */
function editScript(sites: readonly Site[], total: number): TextDocumentContentChangeEvent[] {
  const typed = sites.map(() => 0);
  return Array.from({ length: total }, (_, i) => {
    const s = i % sites.length;
    const site = sites[s] as Site;
    const position = { line: site.line, character: site.character + (typed[s] as number) };
    typed[s] = (typed[s] as number) + 1;
    return { range: { start: position, end: position }, text: LETTERS.charAt(i % LETTERS.length) };
  });
}

// ---------------------------------------------------------------------------
// Statistics.

interface Stats {
  p50: number;
  p95: number;
  max: number;
}

function stats(values: readonly number[]): Stats {
  return { p50: round2(median(values)), p95: round2(percentile(values, 95)), max: round2(values.length === 0 ? Number.NaN : Math.max(...values)) };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : 'n/a');
const triple = (s: Stats): string => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}`;

// ---------------------------------------------------------------------------
// Engine, in process.

interface RuleTimes {
  /** The rule's own pass over the file (lazy facts it asks for first included). */
  main: number[];
  /** Re-runs of the rule while verifying its fixes. */
  verify: number[];
}

interface EngineRun {
  totalMs: number[];
  /** The warm-up edits' totals, first keystrokes after the background analysis. */
  firstMs: number[];
  /** `setText`: text checks, line index, incremental reparse. */
  parseMs: number[];
  /** `analyzeFile`: facts, rules, suppressions, fix verification. */
  rulesMs: number[];
  /** Per edit: every rule's main pass (lazy facts it triggers included). */
  mainPassMs: number[];
  /** Per edit: the rules' re-runs while verifying fixes. */
  verifyRerunsMs: number[];
  /** Per edit: the rest of `analyzeFile` (a fresh full parse per verified fix, suppressions, sorting, GC). */
  otherMs: number[];
  /** Fixes verified per analysis (kept and dropped). */
  fixesVerified: number;
  /** The runner's own `elapsedMs` (what the server reports as `lastAnalysisMs`). */
  runnerMs: number[];
  /** Paired with `pairedReparseMs`: a from-scratch parse of the same text. */
  fullParseMs: number[];
  pairedReparseMs: number[];
  /** Process CPU time (user + system, all threads) per timed edit. */
  cpuMs: number[];
  /** Share of the previous tree's top-level statements that the new tree reuses (0 would mean a full reparse). */
  reusedShare: number[];
  perRule: Map<string, RuleTimes>;
  findings: Record<string, number>;
  plantedFound: number;
  internalErrors: number;
}

interface Probe {
  rules: Rule[];
  /** Starts a new analysis. */
  begin(): void;
  /** This analysis: rule id -> ms of its first call (the main pass) and of its later calls (fix verification). */
  calls: Map<string, { main: number; verify: number }>;
  /** The tree the last main pass saw. */
  sourceFile: ts.SourceFile | undefined;
}

/** Wraps every rule to time it and to see the syntax tree it was given. */
function probeRules(rules: readonly Rule[]): Probe {
  const probe: Probe = {
    rules: [],
    calls: new Map(),
    sourceFile: undefined,
    begin() {
      probe.calls = new Map();
    },
  };
  probe.rules = rules.map((rule) => ({
    meta: rule.meta,
    check(context) {
      const started = performance.now();
      try {
        rule.check(context);
      } finally {
        const elapsed = performance.now() - started;
        const entry = probe.calls.get(rule.meta.id);
        if (entry) entry.verify += elapsed;
        else {
          probe.calls.set(rule.meta.id, { main: elapsed, verify: 0 });
          if (context.file.sourceFile) probe.sourceFile = context.file.sourceFile;
        }
      }
    },
  }));
  return probe;
}

type BundledEngine = typeof import('./engineEntry');

/** The engine as the shipped bundles run it: test/bench/engineEntry.ts built with the same esbuild settings. */
async function loadBundledEngine(): Promise<BundledEngine> {
  const outfile = path.join(REPO_ROOT, '.bench', 'engine.cjs');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'test', 'bench', 'engineEntry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: ['@microsoft/typescript-etw', 'perf_hooks', 'source-map-support'], // as scripts/build.mjs
  });
  return (await import(pathToFileURL(outfile).href)) as BundledEngine;
}

function runEngine(engine: BundledEngine, root: string, inputs: readonly Input[], edits: number): Map<string, EngineRun> {
  const { KNOWN_RULE_IDS, RULES, Workspace, parseCode } = engine;
  const probe = probeRules(RULES);
  // As the language server builds it (server/src/lsp/project.ts): trees kept for open buffers only.
  const workspace = new Workspace(root, { rules: probe.rules, knownRules: KNOWN_RULE_IDS, retainSyntaxTrees: 'buffers' });
  // The server's background scan analyzes every file before the user types.
  for (const rel of workspace.discover()) workspace.analyzeFile(rel);

  const runs = new Map<string, EngineRun>();
  for (const input of inputs) {
    const rel = input.size.file;
    const uri = pathToFileURL(path.join(root, rel)).href;
    let document = TextDocument.create(uri, 'typescript', 1, input.module.text);
    workspace.setText(rel, document.getText());
    workspace.analyzeFile(rel);
    const fullScript = editScript(editSites(input.module.text, SITES), WARMUP_EDITS + edits + PARSE_PAIRS);
    const script = fullScript.slice(0, WARMUP_EDITS + edits);
    const run: EngineRun = { totalMs: [], firstMs: [], parseMs: [], rulesMs: [], mainPassMs: [], verifyRerunsMs: [], otherMs: [], fixesVerified: 0, runnerMs: [], fullParseMs: [], pairedReparseMs: [], cpuMs: [], reusedShare: [], perRule: new Map(), findings: {}, plantedFound: 0, internalErrors: 0 };
    log(`latency: engine in process, ${input.size.label} (${fmt.int(input.module.lines)} lines): ${WARMUP_EDITS} warm-up + ${edits} timed edits`);
    const deadline = performance.now() + PHASE_BUDGET_MS;
    let last: FileResult | undefined;
    for (const [i, change] of script.entries()) {
      if (performance.now() > deadline) {
        log(`latency: engine, ${input.size.label}: time budget used up after ${run.totalMs.length} timed edits`);
        break;
      }
      document = TextDocument.update(document, [change], document.version + 1);
      const text = document.getText();
      const previousStatements = new Set<ts.Node>(probe.sourceFile?.statements ?? []);
      probe.begin();
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      workspace.setText(rel, text);
      const parsed = performance.now();
      const result = workspace.analyzeFile(rel);
      const done = performance.now();
      const cpu = process.cpuUsage(cpuStart);
      if (!result) throw new Error(`the engine did not analyze ${rel}`);
      last = result;
      if (i < WARMUP_EDITS) {
        run.firstMs.push(done - started);
        continue;
      }
      run.parseMs.push(parsed - started);
      run.rulesMs.push(done - parsed);
      run.totalMs.push(done - started);
      run.cpuMs.push((cpu.user + cpu.system) / 1000);
      run.runnerMs.push(result.elapsedMs);
      const statements = probe.sourceFile?.statements ?? [];
      run.reusedShare.push(statements.length === 0 ? 0 : statements.filter((node) => previousStatements.has(node)).length / statements.length);
      let main = 0;
      let verify = 0;
      for (const [id, call] of probe.calls) {
        const times = run.perRule.get(id) ?? { main: [], verify: [] };
        times.main.push(call.main);
        times.verify.push(call.verify);
        run.perRule.set(id, times);
        main += call.main;
        verify += call.verify;
      }
      run.mainPassMs.push(main);
      run.verifyRerunsMs.push(verify);
      run.otherMs.push(Math.max(0, done - parsed - main - verify));
    }
    if (last) {
      const result = last;
      for (const finding of result.findings) run.findings[finding.ruleId] = (run.findings[finding.ruleId] ?? 0) + 1;
      run.internalErrors = result.errors.length;
      run.fixesVerified = result.findings.reduce((sum, finding) => sum + finding.fixes.length, 0) + result.droppedFixes;
      // Typing only inside strings of route paths and messages: every planted line still holds its finding.
      run.plantedFound = input.module.planted.filter((plant) => result.findings.some((f) => f.ruleId === plant.kind && Math.abs(f.range.start.line + 1 - plant.line) <= 3)).length;
    }
    // Incremental vs from-scratch parse of the same texts, back to back (no analysis between).
    for (const change of fullScript.slice(script.length)) {
      document = TextDocument.update(document, [change], document.version + 1);
      const text = document.getText();
      const started = performance.now();
      workspace.setText(rel, text);
      const reparsed = performance.now();
      parseCode(rel, text, 'ts');
      run.pairedReparseMs.push(reparsed - started);
      run.fullParseMs.push(performance.now() - reparsed);
    }
    runs.set(input.size.label, run);
  }
  return runs;
}

// ---------------------------------------------------------------------------
// The built server, over stdio.

interface Timed<T> {
  at: number;
  value: T;
}

class ServerClient {
  readonly diagnostics: Timed<{ uri: string; version: number | undefined }>[] = [];
  readonly statuses: Timed<StatusParams>[] = [];
  private readonly waiters = new Set<() => void>();
  private stderr = '';
  private readonly logs: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(root: string, settings: Record<string, unknown>): Promise<ServerClient> {
    const child = spawn(process.execPath, [serverScript(), '--stdio'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    if (!child.stdout || !child.stdin) throw new Error('no stdio for the server');
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new ServerClient(child, connection);
    child.once('exit', () => client.record(() => undefined));
    child.stderr?.on('data', (chunk: Buffer) => (client.stderr = (client.stderr + chunk.toString()).slice(-4000)));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.record(() => client.diagnostics.push({ at: performance.now(), value: { uri: params.uri, version: params.version } }));
    });
    connection.onNotification(StatusNotification.method, (params: unknown) => {
      const at = performance.now();
      const parsed = StatusNotification.schema.safeParse(params);
      if (parsed.success) client.record(() => client.statuses.push({ at, value: parsed.data }));
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      client.logs.push(params.message.split('\n')[0] ?? '');
      if (client.logs.length > 20) client.logs.shift();
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    connection.listen();
    const rootUri = pathToFileURL(root).href;
    await client.bounded('initialize', connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'latency' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        window: { workDoneProgress: true },
        textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: { settings },
    }));
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves once `check` holds, checked now and after every recorded message; rejects after WAIT_MS. */
  waitFor(what: string, check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        const ok = check();
        if (!ok && this.alive) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        if (ok) resolve();
        else reject(new Error(`latency: the server exited while waiting for ${what}\nstderr: ${this.stderr}`));
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`latency: timed out after ${WAIT_MS} ms waiting for ${what}\nlast server logs:\n  ${this.logs.join('\n  ')}\nstderr: ${this.stderr}`));
      }, WAIT_MS);
      this.waiters.add(waiter);
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async open(uri: string, text: string): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  }

  async change(uri: string, version: number, change: TextDocumentContentChangeEvent): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
  }

  /** Shutdown and exit; killed if it does not exit within 5 s. */
  async stop(): Promise<void> {
    if (this.alive) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      try {
        await this.bounded('shutdown', this.connection.sendRequest(ShutdownRequest.type), 3_000);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        this.child.kill('SIGKILL');
      }
      await exited;
      clearTimeout(killer);
    }
    this.connection.dispose();
  }

  private bounded<T>(what: string, promise: Promise<T>, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`latency: ${what} took over ${timeoutMs} ms\nstderr: ${this.stderr}`)), timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private record(push: () => void): void {
    push();
    for (const waiter of [...this.waiters]) waiter();
  }
}

interface ServerRun {
  roundTripMs: number[];
  /** `lastAnalysisMs` of the status that followed each publish (rules only, no reparse). */
  reportedMs: number[];
}

async function runServer(root: string, inputs: readonly Input[], edits: number): Promise<Map<string, ServerRun>> {
  const runs = new Map<string, ServerRun>();
  const client = await ServerClient.start(root, { debounceMs: 0 });
  try {
    await client.waitFor('the end of the background scan', () => client.statuses.some((s) => s.value.state === 'idle' && s.value.lastScanMs !== null));
    for (const input of inputs) {
      const rel = input.size.file;
      const uri = pathToFileURL(path.join(root, rel)).href;
      const run: ServerRun = { roundTripMs: [], reportedMs: [] };
      log(`latency: server round trip, ${input.size.label}: ${WARMUP_EDITS} warm-up + ${edits} timed edits`);
      let document = TextDocument.create(uri, 'typescript', 1, input.module.text);
      await client.open(uri, document.getText());
      await client.waitFor(`diagnostics for ${rel} v1`, () => client.diagnostics.some((d) => d.value.uri === uri && d.value.version === 1));
      const script = editScript(editSites(input.module.text, SITES), WARMUP_EDITS + edits);
      const deadline = performance.now() + PHASE_BUDGET_MS;
      for (const [i, change] of script.entries()) {
        if (performance.now() > deadline) {
          log(`latency: server, ${input.size.label}: time budget used up after ${run.roundTripMs.length} timed edits`);
          break;
        }
        const version = document.version + 1;
        document = TextDocument.update(document, [change], version);
        const seen = client.diagnostics.length;
        const started = performance.now();
        await client.change(uri, version, change);
        await client.waitFor(`diagnostics for ${rel} v${version}`, () => client.diagnostics.slice(seen).some((d) => d.value.uri === uri && d.value.version === version));
        const published = client.diagnostics.slice(seen).find((d) => d.value.uri === uri && d.value.version === version) as Timed<{ uri: string; version: number | undefined }>;
        // The status goes out (throttled, ~100 ms) after the publish and describes the analysis just published.
        await client.waitFor(`the status after v${version}`, () => client.statuses.some((s) => s.at >= published.at));
        const status = client.statuses.find((s) => s.at >= published.at) as Timed<StatusParams>;
        if (i < WARMUP_EDITS) continue;
        run.roundTripMs.push(published.at - started);
        run.reportedMs.push(status.value.lastAnalysisMs);
      }
      runs.set(input.size.label, run);
    }
  } finally {
    await client.stop();
  }
  return runs;
}

// ---------------------------------------------------------------------------
// The section.

export const latencySection: BenchSection = {
  key: 'latency',
  title: 'Edit latency',
  async run(context) {
    const edits = context.options.edits;
    const loadBefore = os.loadavg().map(round2);
    log(`latency: generating the router modules (seed ${context.options.seed})`);
    const inputs = makeInputs(context.options.seed);
    const root = writeWorkspace(inputs);
    let engineRuns: Map<string, EngineRun>;
    let serverRuns: Map<string, ServerRun> | undefined;
    let serverNote = '';
    try {
      engineRuns = runEngine(await loadBundledEngine(), root, inputs, edits);
      const loadMid = os.loadavg().map(round2);
      if (fs.existsSync(serverScript())) {
        serverRuns = await runServer(root, inputs, edits);
      } else {
        serverNote = `${path.relative(REPO_ROOT, serverScript())} not found (run \`npm run build\`): no server round trip.`;
        log(`latency: ${serverNote}`);
      }
      const loadAfter = os.loadavg().map(round2);
      return report(inputs, engineRuns, serverRuns, { edits, loadBefore, loadMid, loadAfter, serverNote });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};

interface ReportMeta {
  edits: number;
  loadBefore: number[];
  loadMid: number[];
  loadAfter: number[];
  serverNote: string;
}

function report(inputs: readonly Input[], engineRuns: ReadonlyMap<string, EngineRun>, serverRuns: ReadonlyMap<string, ServerRun> | undefined, meta: ReportMeta): { markdown: string; json: Json } {
  const rows: string[][] = [];
  const splitRows: string[][] = [];
  const ruleRows: string[][] = [];
  const files: Json[] = [];
  for (const input of inputs) {
    const { size, module } = input;
    const engine = engineRuns.get(size.label);
    if (!engine) continue;
    const server = serverRuns?.get(size.label);
    const total = stats(engine.totalMs);
    const met = total.p95 <= size.targetP95Ms;
    const cpu = stats(engine.cpuMs);
    const first = stats(engine.firstMs);
    const roundTrip = server ? stats(server.roundTripMs) : undefined;
    const reported = server ? stats(server.reportedMs) : undefined;
    rows.push([
      `${fmt.int(module.lines)} lines`,
      server ? `${engine.totalMs.length} / ${server.roundTripMs.length}` : String(engine.totalMs.length),
      triple(total),
      `${ms(cpu.p50)} / ${ms(cpu.p95)}`,
      `${ms(first.p50)} / ${ms(first.max)}`,
      `≤ ${size.targetP95Ms}`,
      met ? 'yes' : '**no**',
      reported ? triple(reported) : 'n/a',
      roundTrip ? triple(roundTrip) : 'n/a',
    ]);
    const parse = stats(engine.parseMs);
    const rules = stats(engine.rulesMs);
    const fullParse = median(engine.fullParseMs);
    const pairedReparse = median(engine.pairedReparseMs);
    const mainPass = stats(engine.mainPassMs);
    const verifyReruns = stats(engine.verifyRerunsMs);
    const other = stats(engine.otherMs);
    splitRows.push([
      `${fmt.int(module.lines)} lines`,
      `${ms(parse.p50)} / ${ms(parse.p95)}`,
      `${ms(pairedReparse)} vs ${ms(fullParse)}`,
      `${Math.round(Math.min(...engine.reusedShare) * 100)}% / ${Math.round(median(engine.reusedShare) * 100)}%`,
      `${ms(rules.p50)} / ${ms(rules.p95)}`,
      ms(mainPass.p50),
      `${ms(verifyReruns.p50)} (${engine.fixesVerified} fixes)`,
      ms(other.p50),
    ]);
    const perRule = [...engine.perRule].map(([id, t]) => ({ id, main: median(t.main), verify: median(t.verify), mainP95: percentile(t.main, 95) })).sort((a, b) => b.main + b.verify - (a.main + a.verify));
    for (const r of perRule) ruleRows.push([size.label, r.id, ms(r.main), ms(r.mainP95), ms(r.verify)]);
    files.push({
      label: size.label,
      lines: module.lines,
      chars: module.text.length,
      entities: module.entities,
      timedEdits: { engine: engine.totalMs.length, server: server ? server.roundTripMs.length : null },
      planted: module.planted.length,
      plantedFound: engine.plantedFound,
      findings: engine.findings,
      internalErrors: engine.internalErrors,
      target: { engineP95Ms: size.targetP95Ms, met },
      engine: {
        totalMs: { ...total },
        parseMs: { ...parse },
        rulesMs: { ...rules },
        mainPassMs: { ...mainPass },
        fixVerificationRerunsMs: { ...verifyReruns },
        otherMs: { ...other },
        fixesVerifiedPerAnalysis: engine.fixesVerified,
        runnerElapsedMs: { ...stats(engine.runnerMs) },
        cpuMs: { ...cpu },
        firstEditsMs: { ...first },
        pairedParse: { pairs: engine.fullParseMs.length, reparseMedianMs: round2(pairedReparse), fullParseMedianMs: round2(fullParse) },
        reusedStatementShare: { min: round2(Math.min(...engine.reusedShare)), median: round2(median(engine.reusedShare)) },
        perRuleMedianMs: Object.fromEntries(perRule.map((r): [string, Json] => [r.id, { main: round2(r.main), mainP95: round2(r.mainP95), fixVerification: round2(r.verify) }])),
        samplesMs: engine.totalMs.map(round2),
      },
      server: server && roundTrip && reported
        ? { roundTripMs: { ...roundTrip }, reportedEngineMs: { ...reported }, roundTripSamplesMs: server.roundTripMs.map(round2), reportedSamplesMs: server.reportedMs }
        : null,
    });
  }

  const findingsText = inputs
    .map((input) => {
      const run = engineRuns.get(input.size.label);
      if (!run) return '';
      const byRule = Object.entries(run.findings).sort((a, b) => b[1] - a[1]).map(([id, n]) => `${n} ${id}`).join(', ');
      return `- ${input.size.label} (${fmt.int(input.module.lines)} lines, ${input.module.entities} entities, ${fmt.int(input.module.text.length)} chars): ${run.plantedFound}/${input.module.planted.length} planted findings reported${run.internalErrors ? `, **${run.internalErrors} internal errors**` : ''}; all findings: ${byRule || 'none'}`;
    })
    .filter(Boolean);

  const markdown = [
    markdownTable(
      ['file', 'edits engine / server', 'engine p50 / p95 / max ms', 'engine CPU p50 / p95 ms', `engine, first ${WARMUP_EDITS} edits p50 / max ms`, 'target p95', 'met', 'server-reported engine (rules only) p50 / p95 / max ms', 'server round trip p50 / p95 / max ms'],
      rows,
      [1, 2, 3, 4, 7, 8],
    ),
    '',
    `${meta.edits} timed edits per file unless a run hit its ${PHASE_BUDGET_MS / 1000} s budget, after ${WARMUP_EDITS} first edits that warm the JIT (their engine times are the "first edits" column; the server's are not timed), each one letter typed into a string of a route handler, cycling through ${SITES} sites spread over the file; incremental \`didChange\` with a range. **Engine** = \`Workspace.setText\` (incremental reparse) + \`analyzeFile\` in this process, no debounce, all rules on — the figure DESIGN.md's targets are about. **Server round trip** = built \`dist/server.js --stdio\` with \`shipshape.debounceMs: 0\`, from sending \`didChange\` to receiving \`publishDiagnostics\` for that version; **server-reported** is \`lastAnalysisMs\` from the \`shipshape/status\` that follows each publish (the runner's time: rules without the reparse). The engine runs here as an esbuild bundle of the sources built like \`dist/server.js\` (\`test/bench/engineEntry.ts\`): run from the sources through tsx, every imported binding costs an interop getter call that the shipped bundles do not pay.`,
    ...(meta.serverNote ? ['', `_${meta.serverNote}_`] : []),
    '',
    `Load average: ${meta.loadBefore.join(', ')} before, ${meta.loadMid.join(', ')} between engine and server runs, ${meta.loadAfter.join(', ')} after.`,
    '',
    'Where engine time goes (medians unless noted):',
    '',
    markdownTable(
      ['file', 'reparse p50 / p95 ms', 'paired: reparse vs full parse ms', 'tree reuse min / median', 'analyze p50 / p95 ms', 'rules, main pass', 'rules, re-run to verify fixes', 'rest of analyze'],
      splitRows,
      [1, 2, 3, 4, 5, 6, 7],
    ),
    '',
    '"Reparse" is `setText` (text checks, line index, `ts.updateSourceFile`) during the timed edits; "paired" compares, on ' + String(PARSE_PAIRS) + ' further edits, that reparse with a from-scratch `ts.createSourceFile` of the same text right after it; "tree reuse" the share of the previous tree\'s top-level statements the reparsed tree reuses as-is (a full parse reuses none). "Analyze" is `analyzeFile`, split per edit into the rules\' main pass (the lazy facts they trigger included), their re-runs while verifying each fix (fresh facts for the text before and after the fix), and the rest — mostly the from-scratch parse of each fixed text that verification makes, then suppressions, sorting and GC.',
    '',
    ...findingsText,
    '',
    '<details><summary>Per rule (ms)</summary>',
    '',
    markdownTable(['file', 'rule', 'main p50', 'main p95', 'fix verification p50'], ruleRows, [2, 3, 4]),
    '',
    '</details>',
  ].join('\n');

  const json: Json = {
    edits: meta.edits,
    warmupEdits: WARMUP_EDITS,
    sites: SITES,
    loadAverage: { before: meta.loadBefore, betweenEngineAndServer: meta.loadMid, after: meta.loadAfter },
    server: serverRuns ? { command: ['node', path.relative(REPO_ROOT, serverScript()), '--stdio'], settings: { debounceMs: 0 } } : null,
    files,
  };
  return { markdown, json };
}
