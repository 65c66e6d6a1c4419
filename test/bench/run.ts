// `npm run bench`: Shipshape's cold workspace scan vs ESLint + eslint-plugin-security
// on the same generated workspace, side by side in one run. Not a test: it
// never asserts timings, it prints a markdown table (stdout; progress goes to
// stderr) and writes .bench/results.json. See DESIGN.md, "Targets".
//
//   node --import tsx test/bench/run.ts [--lines 500000] [--seed 42] [--runs 3]
//        [--dir .bench/workspace] [--shipshape-cli dist/cli.js]
//        [--only shipshape|eslint|coldScan|latency[,…]] [--eslint-concurrency off]
//        [--edits 200]
//
// Sections plug in as a BenchSection: see `DEFAULT_SECTIONS` and `main`. The
// edit-latency section lives in latency.ts (`npm run bench -- --only latency`).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateWorkspace, type GeneratedWorkspace } from './generate';
import { latencySection } from './latency';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const BENCH_DIR = path.join(REPO_ROOT, '.bench');
/** Marker written next to the workspace (not inside: both tools would see it). */
const markerPath = (dir: string): string => `${path.resolve(dir)}.meta.json`;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------
// Options.

export interface BenchOptions {
  lines: number;
  seed: string;
  runs: number;
  dir: string;
  shipshapeCli: string;
  /** The one tool the cold scan runs (`--only shipshape`); undefined: both. */
  only: 'shipshape' | 'eslint' | undefined;
  /** Keys of the sections to run (`--only latency`); undefined: all of them. */
  sections: string[] | undefined;
  eslintConcurrency: string;
  /** Timed edits per file in the edit-latency section. */
  edits: number;
}

const USAGE = `usage: node --import tsx test/bench/run.ts [options]
  --lines <n>               workspace size in lines (default 500000)
  --seed <s>                generator seed (default 42)
  --runs <n>                timed runs per tool, alternating (default 3)
  --dir <path>              workspace folder (default .bench/workspace)
  --shipshape-cli <path>    Shipshape CLI script (default dist/cli.js)
  --only <list>             comma-separated sections and/or tools: "coldScan", "latency",
                            "shipshape" or "eslint" (a tool implies coldScan with that tool only)
  --eslint-concurrency <c>  ESLint --concurrency value (default off: single thread)
  --edits <n>               timed edits per file in the latency section (default 200)`;

export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    lines: 500_000,
    seed: '42',
    runs: 3,
    dir: path.join(BENCH_DIR, 'workspace'),
    shipshapeCli: path.join(REPO_ROOT, 'dist', 'cli.js'),
    only: undefined,
    sections: undefined,
    eslintConcurrency: 'off',
    edits: 200,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    switch (flag) {
      case '--lines': options.lines = positiveInt(flag, value); break;
      case '--seed': options.seed = value; break;
      case '--runs': options.runs = positiveInt(flag, value); break;
      case '--dir': options.dir = path.resolve(value); break;
      case '--shipshape-cli': options.shipshapeCli = path.resolve(value); break;
      case '--eslint-concurrency': options.eslintConcurrency = value; break;
      case '--edits': options.edits = positiveInt(flag, value); break;
      case '--only': {
        const tools = new Set<'shipshape' | 'eslint'>();
        const sections = new Set<string>();
        for (const item of value.split(',').map((v) => v.trim()).filter(Boolean)) {
          if (item === 'shipshape' || item === 'eslint') {
            tools.add(item);
            sections.add(coldScanSection.key);
          } else sections.add(item);
        }
        if (sections.size === 0) throw new Error(`--only needs a section or tool\n${USAGE}`);
        options.only = tools.size === 1 ? [...tools][0] : undefined;
        options.sections = [...sections];
        break;
      }
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return options;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${value}`);
  return n;
}

// ---------------------------------------------------------------------------
// Small helpers shared by sections.

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile, p in [0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned.includes(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export const fmt = {
  int: (n: number): string => Math.round(n).toLocaleString('en-US'),
  seconds: (ms: number): string => (ms / 1000).toFixed(2),
  mb: (kb: number | null): string => (kb === null ? 'n/a' : String(Math.round(kb / 1024))),
  ratio: (n: number): string => (Number.isFinite(n) ? `${n.toFixed(1)}×` : 'n/a'),
};

// ---------------------------------------------------------------------------
// Machine info.

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  gitCommit: string | null;
  versions: Record<string, string | null>;
  /** 1/5/15-minute load average when the benchmark started. */
  loadAverage: number[];
}

function packageVersion(name: string): string | null {
  try {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8');
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) && typeof parsed.version === 'string' ? parsed.version : null;
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    gitCommit: git.status === 0 ? git.stdout.trim() : null,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    versions: {
      eslint: packageVersion('eslint'),
      'typescript-eslint': packageVersion('typescript-eslint'),
      'eslint-plugin-security': packageVersion('eslint-plugin-security'),
      typescript: packageVersion('typescript'),
    },
  };
}

// ---------------------------------------------------------------------------
// Measuring a child process: wall time (parent clock) and peak RSS.

/**
 * - `gnu-time`: `/usr/bin/time -v` (getrusage of the child: exact peak RSS, user/sys CPU).
 * - `proc-poll`: poll /proc/<pid>/status VmHWM every 20 ms (misses growth in the last poll interval).
 * - `none`: no RSS.
 * Both count the single process started (worker threads included, child processes not).
 */
export type RssMethod = 'gnu-time' | 'proc-poll' | 'none';

export function detectRssMethod(): RssMethod {
  if (fs.existsSync('/usr/bin/time')) {
    const probeFile = path.join(os.tmpdir(), `shipshape-bench-time-${process.pid}.txt`);
    const probe = spawnSync('/usr/bin/time', ['-v', '-o', probeFile, 'true'], { encoding: 'utf8' });
    const out = fs.existsSync(probeFile) ? fs.readFileSync(probeFile, 'utf8') : '';
    fs.rmSync(probeFile, { force: true });
    if (probe.status === 0 && out.includes('Maximum resident set size')) return 'gnu-time';
  }
  if (fs.existsSync('/proc/self/status')) return 'proc-poll';
  return 'none';
}

export interface Measurement {
  wallMs: number;
  peakRssKb: number | null;
  cpuS: number | null;
  exitCode: number;
  stderrTail: string;
}

export interface MeasureOptions {
  cwd: string;
  /** The child's stdout goes straight to this file (no pipe through the parent). */
  stdoutFile: string;
  rssMethod: RssMethod;
  env?: NodeJS.ProcessEnv;
}

export async function measure(command: string, args: readonly string[], options: MeasureOptions): Promise<Measurement> {
  fs.mkdirSync(path.dirname(options.stdoutFile), { recursive: true });
  const stdoutFd = fs.openSync(options.stdoutFile, 'w');
  const timeFile = `${options.stdoutFile}.time.txt`;
  const [file, argv] = options.rssMethod === 'gnu-time' ? ['/usr/bin/time', ['-v', '-o', timeFile, command, ...args]] : [command, [...args]];
  let stderr = '';
  let polledKb: number | null = null;
  const started = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', stdoutFd, 'pipe'] });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  let poller: NodeJS.Timeout | undefined;
  if (options.rssMethod === 'proc-poll' && child.pid !== undefined) {
    const statusPath = `/proc/${child.pid}/status`;
    const poll = (): void => {
      try {
        const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(statusPath, 'utf8'));
        if (match?.[1]) polledKb = Math.max(polledKb ?? 0, Number(match[1]));
      } catch {
        // the process has exited
      }
    };
    poll();
    poller = setInterval(poll, 20);
  }
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - started;
  if (poller) clearInterval(poller);
  fs.closeSync(stdoutFd);

  let peakRssKb: number | null = options.rssMethod === 'proc-poll' ? polledKb : null;
  let cpuS: number | null = null;
  if (options.rssMethod === 'gnu-time' && fs.existsSync(timeFile)) {
    const report = fs.readFileSync(timeFile, 'utf8');
    fs.rmSync(timeFile, { force: true });
    const num = (label: string): number | null => {
      const match = new RegExp(`${label}: ([\\d.]+)`).exec(report);
      return match?.[1] ? Number(match[1]) : null;
    };
    peakRssKb = num('Maximum resident set size \\(kbytes\\)');
    const user = num('User time \\(seconds\\)');
    const sys = num('System time \\(seconds\\)');
    cpuS = user !== null && sys !== null ? user + sys : null;
  }
  return { wallMs, peakRssKb, cpuS, exitCode, stderrTail: stderr.trim() };
}

// ---------------------------------------------------------------------------
// Workspace: generate once per (seed, size, generator source), then reuse.

export interface WorkspaceInfo extends GeneratedWorkspace {
  dir: string;
  seed: string;
  requestedLines: number;
  generatorHash: string;
  reused: boolean;
}

function generatorHash(): string {
  return createHash('sha256').update(fs.readFileSync(path.join(__dirname, 'generate.ts'))).digest('hex').slice(0, 16);
}

function readMarker(dir: string): WorkspaceInfo | null {
  try {
    if (!fs.existsSync(path.join(dir, 'package.json'))) return null;
    const parsed: unknown = JSON.parse(fs.readFileSync(markerPath(dir), 'utf8'));
    if (!isRecord(parsed) || typeof parsed.generatorHash !== 'string' || typeof parsed.seed !== 'string') return null;
    return parsed as unknown as WorkspaceInfo;
  } catch {
    return null;
  }
}

export function ensureWorkspace(dir: string, lines: number, seed: string): WorkspaceInfo {
  const hash = generatorHash();
  const existing = readMarker(dir);
  if (existing && existing.seed === seed && existing.requestedLines === lines && existing.generatorHash === hash) {
    log(`reusing workspace ${path.relative(REPO_ROOT, dir) || dir} (${fmt.int(existing.files)} files, ${fmt.int(existing.lines)} lines)`);
    return { ...existing, dir, reused: true };
  }
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    const ours = existing !== null || fs.existsSync(markerPath(dir)) || path.resolve(dir).startsWith(BENCH_DIR + path.sep);
    if (!ours) throw new Error(`${dir} is not empty and was not generated by the benchmark; refusing to delete it`);
    log(`workspace ${path.relative(REPO_ROOT, dir) || dir} is stale (seed, size or generator changed): regenerating`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(markerPath(dir), { force: true });
  }
  log(`generating ${fmt.int(lines)}-line workspace (seed ${seed}) into ${path.relative(REPO_ROOT, dir) || dir} …`);
  const started = performance.now();
  const result = generateWorkspace(dir, { lines, seed });
  const info: WorkspaceInfo = { ...result, dir, seed, requestedLines: lines, generatorHash: hash, reused: false };
  // Written last: a half-written workspace is never reused.
  fs.writeFileSync(markerPath(dir), `${JSON.stringify({ ...info, dir: undefined, reused: undefined }, null, 2)}\n`);
  log(`generated ${fmt.int(result.files)} files, ${fmt.int(result.lines)} lines in ${fmt.seconds(performance.now() - started)} s`);
  return info;
}

/** Reads every file once so neither tool pays for a cold page cache. */
export function warmPageCache(dir: string): void {
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.isFile()) fs.readFileSync(full);
    }
  }
}

// ---------------------------------------------------------------------------
// Sections.

export interface BenchContext {
  options: BenchOptions;
  /** The generated workspace (`--lines`, `--seed`, `--dir`), generated or reused on first call. */
  workspace(): WorkspaceInfo;
  machine: MachineInfo;
  rssMethod: RssMethod;
}

export interface SectionReport {
  /** Markdown printed under the section title. */
  markdown: string;
  /** Stored under `sections[<key>]` in .bench/results.json. */
  json: Json;
}

export interface BenchSection {
  key: string;
  title: string;
  run(context: BenchContext): Promise<SectionReport>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// --- cold scan: Shipshape vs ESLint ----------------------------------------

interface ToolRun extends Measurement {
  tool: string;
  index: number;
  /** 1-minute load average just before the run (includes the previous run's own load). */
  loadBefore: number;
}

interface ToolSpec {
  key: 'shipshape' | 'eslint';
  label: string;
  command: string;
  args: string[];
  /** Exit codes that mean "ran fine" (ESLint exits 1 when it reports errors). */
  okExitCodes: number[];
  outputFile: string;
}

interface OutputCheck {
  files: number | null;
  summary: string;
  json: Json;
}

function eslintSpec(context: BenchContext): ToolSpec {
  const args = [
    path.join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'),
    '--config', path.join(REPO_ROOT, 'test', 'bench', 'eslint-peer.config.mjs'),
    '--no-cache',
    '--format', 'json',
    '--concurrency', context.options.eslintConcurrency,
    '.',
  ];
  return { key: 'eslint', label: 'ESLint + security', command: process.execPath, args, okExitCodes: [0, 1], outputFile: path.join(BENCH_DIR, 'out', 'eslint.json') };
}

function shipshapeSpec(context: BenchContext): ToolSpec {
  const args = [context.options.shipshapeCli, 'scan', '.', '--format', 'json', '--fail-on', 'none'];
  return { key: 'shipshape', label: 'Shipshape', command: process.execPath, args, okExitCodes: [0], outputFile: path.join(BENCH_DIR, 'out', 'shipshape.json') };
}

function readJsonOutput(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** ESLint's JSON formatter: one result per linted file. */
function checkEslintOutput(file: string, workspace: WorkspaceInfo): OutputCheck {
  const parsed = readJsonOutput(file);
  if (!Array.isArray(parsed)) throw new Error(`ESLint output ${file} is not a JSON array`);
  let fatal = 0;
  let warnings = 0;
  let errors = 0;
  const byRule: Record<string, number> = {};
  for (const result of parsed as unknown[]) {
    if (!isRecord(result)) continue;
    fatal += typeof result.fatalErrorCount === 'number' ? result.fatalErrorCount : 0;
    warnings += typeof result.warningCount === 'number' ? result.warningCount : 0;
    errors += typeof result.errorCount === 'number' ? result.errorCount : 0;
    for (const message of Array.isArray(result.messages) ? (result.messages as unknown[]) : []) {
      if (isRecord(message) && typeof message.ruleId === 'string') byRule[message.ruleId] = (byRule[message.ruleId] ?? 0) + 1;
    }
  }
  const files = parsed.length;
  if (files !== workspace.codeFiles) {
    log(`WARNING: ESLint linted ${files} files but the workspace has ${workspace.codeFiles} JS/TS files — check test/bench/eslint-peer.config.mjs`);
  }
  if (fatal > 0) log(`WARNING: ESLint reported ${fatal} parse errors in the generated workspace`);
  const top = Object.entries(byRule).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([rule, n]) => `${rule} ${n}`).join(', ');
  return {
    files,
    summary: `${fmt.int(files)}/${fmt.int(workspace.codeFiles)} JS/TS files linted, ${fatal} parse errors, ${fmt.int(warnings)} warnings, ${fmt.int(errors)} errors${top ? ` (top: ${top})` : ''}`,
    json: { files, parseErrors: fatal, warnings, errors, byRule },
  };
}

/**
 * Shipshape's `--format json` (schema owned by the CLI): `summary.filesAnalyzed`,
 * `findings[]` with `ruleId`, `severity`, `path` (workspace-relative), `line`.
 * Read defensively so a schema change degrades the summary, not the timings.
 * Planted findings count as found when a finding of that rule is within 3 lines.
 */
function checkShipshapeOutput(file: string, workspace: WorkspaceInfo): OutputCheck {
  const parsed = readJsonOutput(file);
  if (!isRecord(parsed)) return { files: null, summary: 'output is not a JSON object', json: null };
  const findings = Array.isArray(parsed.findings) ? (parsed.findings as unknown[]).filter(isRecord) : [];
  const summaryObj = isRecord(parsed.summary) ? parsed.summary : {};
  const files = typeof summaryObj.filesAnalyzed === 'number' ? summaryObj.filesAnalyzed : Array.isArray(parsed.files) ? parsed.files.length : null;
  const skipped = Array.isArray(parsed.skipped) ? parsed.skipped.length : 0;
  const internalErrors = Array.isArray(parsed.internalErrors) ? parsed.internalErrors.length : 0;

  const byRule: Record<string, Record<string, number>> = {};
  for (const finding of findings) {
    const rule = typeof finding.ruleId === 'string' ? finding.ruleId : 'unknown';
    const severity = typeof finding.severity === 'string' ? finding.severity : 'unknown';
    const counts = (byRule[rule] ??= {});
    counts[severity] = (counts[severity] ?? 0) + 1;
  }
  const recall: Record<string, { planted: number; found: number }> = {};
  for (const plant of workspace.planted) {
    const entry = (recall[plant.kind] ??= { planted: 0, found: 0 });
    entry.planted++;
    const hit = findings.some((f) => f.ruleId === plant.kind && f.path === plant.file && typeof f.line === 'number' && Math.abs(f.line - plant.line) <= 3);
    if (hit) entry.found++;
  }
  const ruleText = (rule: string): string => {
    const counts = byRule[rule] ?? {};
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return `${fmt.int(total)} ${rule} (${Object.entries(counts).map(([sev, n]) => `${n} ${sev}`).join(', ')})`;
  };
  const recallText = Object.entries(recall).map(([kind, r]) => `${r.found}/${r.planted} planted ${kind} found`).join(', ');
  const summary = [
    `${fmt.int(findings.length)} findings in ${files === null ? '?' : fmt.int(files)} files${skipped ? `, ${skipped} skipped` : ''}${internalErrors ? `, ${internalErrors} INTERNAL ERRORS` : ''}`,
    recallText,
    Object.keys(byRule).sort().map(ruleText).join('; '),
  ].filter(Boolean).join('; ');
  if (internalErrors > 0) log(`WARNING: Shipshape reported ${internalErrors} internal errors`);
  return { files, summary, json: { files, skipped, internalErrors, findings: findings.length, byRule, recall } };
}

function describeFailure(spec: ToolSpec, run: Measurement): string {
  return `${spec.label} exited with ${run.exitCode}: ${spec.command} ${spec.args.join(' ')}\n${run.stderrTail.split('\n').slice(-15).join('\n')}`;
}

export const coldScanSection: BenchSection = {
  key: 'coldScan',
  title: 'Cold workspace scan',
  async run(context) {
    const { options, rssMethod } = context;
    const workspace = context.workspace();
    const specs: ToolSpec[] = [];
    if (options.only !== 'eslint') {
      if (fs.existsSync(options.shipshapeCli)) specs.push(shipshapeSpec(context));
      else log(`${path.relative(REPO_ROOT, options.shipshapeCli)} not found: skipping Shipshape (build it with \`npm run build\`, or pass --shipshape-cli)`);
    }
    if (options.only !== 'shipshape') specs.push(eslintSpec(context));
    if (specs.length === 0) throw new Error('nothing to run');

    log('warming the page cache');
    warmPageCache(workspace.dir);

    const runs = new Map<string, ToolRun[]>(specs.map((s) => [s.key, []]));
    const checks = new Map<string, OutputCheck>();
    // Others may rebuild dist/ while this runs: note it rather than mix builds silently.
    const cliHash = (): string => createHash('sha256').update(fs.readFileSync(options.shipshapeCli)).digest('hex').slice(0, 12);
    const shipshapeBuilds = new Set<string>();
    for (let i = 1; i <= options.runs; i++) {
      for (const spec of specs) {
        if (spec.key === 'shipshape') shipshapeBuilds.add(cliHash());
        log(`run ${i}/${options.runs}: ${spec.label} …`);
        const loadBefore = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
        const result = await measure(spec.command, spec.args, { cwd: workspace.dir, stdoutFile: spec.outputFile, rssMethod });
        if (!spec.okExitCodes.includes(result.exitCode)) throw new Error(describeFailure(spec, result));
        log(`  ${fmt.seconds(result.wallMs)} s, ${fmt.mb(result.peakRssKb)} MB peak RSS${result.cpuS !== null ? `, ${result.cpuS.toFixed(1)} s CPU` : ''}`);
        runs.get(spec.key)?.push({ ...result, tool: spec.key, index: i, loadBefore });
        if (!checks.has(spec.key)) {
          const check = spec.key === 'eslint' ? checkEslintOutput(spec.outputFile, workspace) : checkShipshapeOutput(spec.outputFile, workspace);
          log(`  output: ${check.summary}`);
          checks.set(spec.key, check);
        }
      }
    }

    const lines = workspace.codeLines;
    const summary = specs.map((spec) => {
      const toolRuns = runs.get(spec.key) ?? [];
      const rss = toolRuns.map((r) => r.peakRssKb).filter((v): v is number => v !== null);
      const cpu = toolRuns.map((r) => r.cpuS).filter((v): v is number => v !== null);
      const wallMs = median(toolRuns.map((r) => r.wallMs));
      return {
        spec,
        files: checks.get(spec.key)?.files ?? null,
        wallMs,
        linesPerSecond: lines / (wallMs / 1000),
        peakRssKb: rss.length > 0 ? median(rss) : null,
        cpuS: cpu.length > 0 ? median(cpu) : null,
        runs: toolRuns,
      };
    });

    const rows = summary.map((s) => [
      s.spec.label,
      s.files !== null ? fmt.int(s.files) : `(${fmt.int(workspace.files)})`,
      fmt.int(lines),
      fmt.seconds(s.wallMs),
      fmt.int(s.linesPerSecond),
      fmt.mb(s.peakRssKb),
      s.cpuS !== null ? s.cpuS.toFixed(1) : 'n/a',
    ]);
    const table = markdownTable(['tool', 'files', 'lines', 'median wall s', 'lines/s', 'median peak RSS MB', 'median CPU s'], rows, [1, 2, 3, 4, 5, 6]);

    const ship = summary.find((s) => s.spec.key === 'shipshape');
    const eslint = summary.find((s) => s.spec.key === 'eslint');
    const wallRatio = ship && eslint ? eslint.wallMs / ship.wallMs : Number.NaN;
    const rssRatio = ship?.peakRssKb && eslint?.peakRssKb ? eslint.peakRssKb / ship.peakRssKb : Number.NaN;
    const perRun = markdownTable(
      ['run', ...summary.map((s) => `${s.spec.label} wall s / RSS MB`)],
      Array.from({ length: options.runs }, (_, i) => [
        String(i + 1),
        ...summary.map((s) => {
          const r = s.runs[i];
          return r ? `${fmt.seconds(r.wallMs)} / ${fmt.mb(r.peakRssKb)}` : '';
        }),
      ]),
    );
    if (shipshapeBuilds.size > 1) log(`WARNING: ${path.relative(REPO_ROOT, options.shipshapeCli)} changed during the benchmark (${shipshapeBuilds.size} builds measured)`);
    const markdown = [
      table,
      '',
      ...(shipshapeBuilds.size > 1 ? [`**Warning: ${path.relative(REPO_ROOT, options.shipshapeCli)} was rebuilt during the benchmark; the Shipshape runs measured ${shipshapeBuilds.size} different builds.**`, ''] : []),
      ship && eslint
        ? `**ESLint / Shipshape: ${fmt.ratio(wallRatio)} wall time, ${fmt.ratio(rssRatio)} peak RSS** (targets: Shipshape ≥ 10× faster than ESLint, ≤ 300 MB peak RSS).`
        : '_Only one tool ran: no ratio._',
      '',
      `Lines and lines/s count the workspace's ${fmt.int(workspace.codeFiles)} JS/TS files for every tool${ship ? `; Shipshape also reads the ${fmt.int(workspace.files - workspace.codeFiles)} other files (SQL, Prisma, package.json, .env.example, …); a Shipshape file count in parentheses is the workspace total (its output reported none)` : ''}. ESLint's file count comes from its JSON output.`,
      '',
      ...[...checks].map(([key, check]) => `- ${key} output: ${check.summary}`),
      '',
      '<details><summary>Individual runs (alternating, each a fresh process)</summary>',
      '',
      perRun,
      '',
      '</details>',
    ].join('\n');

    const json: Json = {
      lines,
      tools: Object.fromEntries(summary.map((s): [string, Json] => [s.spec.key, {
        command: ['node', ...s.spec.args.map((a) => (path.isAbsolute(a) ? path.relative(REPO_ROOT, a) : a))],
        files: s.files,
        medianWallMs: Math.round(s.wallMs),
        linesPerSecond: Math.round(s.linesPerSecond),
        medianPeakRssMb: s.peakRssKb === null ? null : Math.round(s.peakRssKb / 1024),
        medianCpuS: s.cpuS,
        output: checks.get(s.spec.key)?.json ?? null,
        runs: s.runs.map((r) => ({ wallMs: Math.round(r.wallMs), peakRssMb: r.peakRssKb === null ? null : Math.round(r.peakRssKb / 1024), cpuS: r.cpuS, exitCode: r.exitCode, loadBefore: r.loadBefore })),
      }])),
      ratio: ship && eslint ? { wall: round2(wallRatio), rss: Number.isFinite(rssRatio) ? round2(rssRatio) : null } : null,
      shipshapeBuilds: [...shipshapeBuilds],
    };
    return { markdown, json };
  },
};

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Sections run in order. */
export const DEFAULT_SECTIONS: readonly BenchSection[] = [coldScanSection, latencySection];

// ---------------------------------------------------------------------------
// Main.

export async function main(argv: string[], sections: readonly BenchSection[] = DEFAULT_SECTIONS): Promise<void> {
  const options = parseArgs(argv);
  const unknown = (options.sections ?? []).filter((key) => !sections.some((section) => section.key === key));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}: sections are ${sections.map((section) => section.key).join(', ')} (tools: shipshape, eslint)`);
  const selected = options.sections ? sections.filter((section) => options.sections?.includes(section.key)) : sections;
  const machine = machineInfo();
  const rssMethod = detectRssMethod();
  if (rssMethod !== 'gnu-time' && selected.includes(coldScanSection)) {
    log(`GNU time not found: ${rssMethod === 'proc-poll' ? 'peak RSS is polled from /proc (approximate)' : 'no peak RSS'}. For exact numbers: sudo apt-get install -y time`);
  }
  let workspace: WorkspaceInfo | undefined;
  const context: BenchContext = {
    options,
    machine,
    rssMethod,
    workspace: () => (workspace ??= ensureWorkspace(options.dir, options.lines, options.seed)),
  };

  const busy = (machine.loadAverage[0] ?? 0) > machine.cores * 0.5;
  if (busy) log(`WARNING: load average ${machine.loadAverage[0]} on ${machine.cores} cores: other work is running, timings will be inflated`);

  const results: Record<string, Json> = {};
  const bodies: string[] = [];
  for (const section of selected) {
    log(`section: ${section.title}`);
    const report = await section.run(context);
    results[section.key] = report.json;
    bodies.push(`## ${section.title}\n\n${report.markdown}`);
  }

  const planted: Record<string, number> = {};
  for (const p of workspace?.planted ?? []) planted[p.kind] = (planted[p.kind] ?? 0) + 1;
  const header = [
    '# Shipshape benchmark',
    '',
    `- date: ${machine.date}`,
    `- machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, ${machine.os}`,
    `- node ${machine.node}; ${Object.entries(machine.versions).map(([k, v]) => `${k} ${v ?? '?'}`).join(', ')}${machine.gitCommit ? `; commit ${machine.gitCommit}` : ''}`,
    ...(workspace
      ? [`- workspace: ${fmt.int(workspace.files)} files, ${fmt.int(workspace.lines)} lines (${fmt.int(workspace.codeFiles)} JS/TS files, ${fmt.int(workspace.codeLines)} lines), seed ${workspace.seed}; planted ${Object.entries(planted).map(([k, n]) => `${n} ${k}`).join(', ')}`]
      : []),
    ...(selected.includes(coldScanSection) ? [`- ${options.runs} run${options.runs === 1 ? '' : 's'} per tool, alternating; peak RSS via ${rssMethod}`] : []),
    `- sections: ${selected.map((section) => section.key).join(', ')}`,
    `- load average at start: ${machine.loadAverage.join(', ')}${busy ? ' — **the machine was busy: timings are inflated; compare CPU s, or rerun when idle**' : ''}`,
  ].join('\n');

  process.stdout.write(`\n${header}\n\n${bodies.join('\n\n')}\n`);

  let workspaceJson: Json = null;
  if (workspace) {
    const { dir, planted: _plantedList, ...rest } = workspace;
    workspaceJson = { ...rest, dir: path.relative(REPO_ROOT, dir), planted };
  }
  const resultsJson: Json = {
    machine: { ...machine },
    options: { lines: options.lines, seed: options.seed, runs: options.runs, eslintConcurrency: options.eslintConcurrency, rssMethod, edits: options.edits, sections: selected.map((section) => section.key) },
    workspace: workspaceJson,
    sections: results,
  };
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const resultsFile = path.join(BENCH_DIR, 'results.json');
  fs.writeFileSync(resultsFile, `${JSON.stringify(resultsJson, null, 2)}\n`);
  log(`wrote ${path.relative(REPO_ROOT, resultsFile)}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
