// The scorecard webview in a real browser: headless Debian Chromium (driven by
// playwright-core) loads the exact page the extension serves — scorecardHtml()
// with its CSP, media/scorecard.js, media/scorecard.css and the codicons — from a
// fake webview origin, with `acquireVsCodeApi` stubbed (a postMessage recorder and
// get/setState). A recorded scorecard (test/scorecard/fixtures, the language
// server's answer for examples/shop-api plus a file named like an XSS payload) is
// posted in the way VS Code posts it. Screenshots in dark, light and
// high-contrast themes go to test/artifacts/.
//
// Without /usr/bin/chromium the tests fail in CI (process.env.CI) and are skipped
// with a message locally; `.ci/run` installs it first (scripts/ensure-chromium.sh).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { z } from 'zod';
import { createNonce, scorecardHtml } from '../../client/src/scorecard/html';
import { type HostMessage, type ScorecardData, ScorecardDataSchema, type WebviewMessage, WebviewMessageSchema, WebviewStateSchema } from '../../client/src/scorecard/messages';
import { checklist } from '../../server/src/engine/scorecard/model';
import { ScorecardSchema } from '../../server/src/engine/scorecard/index';

const REPO = join(__dirname, '..', '..');
const MEDIA = join(REPO, 'media');
const ARTIFACTS = join(REPO, 'test', 'artifacts');
const CHROMIUM = process.env.SHIPSHAPE_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The fake origin media/ is served from, standing in for `webview.cspSource`. */
const ORIGIN = 'https://webview.shipshape.test';
const XSS_PATH = 'src/<img src=x onerror=alert(1)>.ts';

const fixture: ScorecardData = ScorecardDataSchema.parse(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'shop-api.scorecard.json'), 'utf8')));

const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (run scripts/ensure-chromium.sh, or apt-get install chromium)`;
if (missing && process.env.CI) {
  test('the scorecard panel renders in Chromium', () => assert.fail(`${missing}: CI must run the browser tests`));
} else if (missing) {
  console.warn(`\n  ⚠ SKIPPING the scorecard panel browser tests: ${missing}\n`);
  test('the scorecard panel renders in Chromium', { skip: missing }, () => undefined);
} else {
  browserTests();
}

type Theme = 'dark' | 'light' | 'high-contrast';

/** A few of each theme's colours (Dark Modern, Light Modern, Dark High Contrast), as VS Code sets them on the webview. */
const THEMES: Record<Theme, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'editor-background': '#1f1f1f', foreground: '#cccccc', 'editor-foreground': '#cccccc', descriptionForeground: '#9d9d9d', disabledForeground: '#cccccc80',
      'editorWidget-background': '#202020', 'widget-border': '#313131', 'editorWidget-border': '#454545', focusBorder: '#0078d4',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'charts-green': '#89d185', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700', 'editorError-foreground': '#f14c4c', 'editorWarning-foreground': '#cca700',
      'editorInfo-foreground': '#3794ff', 'editorLightBulb-foreground': '#ffcc00', errorForeground: '#f85149', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc',
      'textPreformat-foreground': '#d0d0d0', 'textPreformat-background': '#3c3c3c', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c', 'testing-iconQueued': '#cca700',
      'progressBar-background': '#0078d4', 'input-background': '#313131', 'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
      'icon-foreground': '#cccccc', 'toolbar-hoverBackground': '#5a5d5e50', 'panel-border': '#2b2b2b',
      'inputValidation-infoBackground': '#063b49', 'inputValidation-infoBorder': '#007acc', 'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'editor-background': '#ffffff', foreground: '#3b3b3b', 'editor-foreground': '#3b3b3b', descriptionForeground: '#616161', disabledForeground: '#61616180',
      'editorWidget-background': '#f8f8f8', 'widget-border': '#e5e5e5', 'editorWidget-border': '#c8c8c8', focusBorder: '#005fb8',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'charts-green': '#388a34', 'charts-red': '#e51400', 'charts-yellow': '#bf8803', 'editorError-foreground': '#e51400', 'editorWarning-foreground': '#bf8803',
      'editorInfo-foreground': '#1a85ff', 'editorLightBulb-foreground': '#ddb100', errorForeground: '#f85149', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8',
      'textPreformat-foreground': '#3b3b3b', 'textPreformat-background': '#0000001f', 'testing-iconPassed': '#388a34', 'testing-iconFailed': '#e51400', 'testing-iconQueued': '#bf8803',
      'progressBar-background': '#005fb8', 'input-background': '#ffffff', 'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
      'icon-foreground': '#3b3b3b', 'toolbar-hoverBackground': '#b8b8b850', 'panel-border': '#e5e5e5',
      'inputValidation-infoBackground': '#d6ecf2', 'inputValidation-infoBorder': '#007acc', 'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#b89500',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'editor-background': '#000000', foreground: '#ffffff', 'editor-foreground': '#ffffff', descriptionForeground: '#ffffffb3', disabledForeground: '#a5a5a5',
      'editorWidget-background': '#0c141f', 'widget-border': '#6fc3df', 'editorWidget-border': '#6fc3df', focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'charts-green': '#89d185', 'charts-red': '#f48771', 'charts-yellow': '#ffd370', 'editorError-foreground': '#f48771', 'editorWarning-foreground': '#ffd370',
      'editorInfo-foreground': '#3794ff', 'editorLightBulb-foreground': '#ffcc00', errorForeground: '#f48771', 'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
      'textPreformat-foreground': '#ffffff', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f48771', 'testing-iconQueued': '#ffd370',
      'progressBar-background': '#6fc3df', 'input-background': '#000000', 'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
      'icon-foreground': '#ffffff', 'panel-border': '#6fc3df',
    },
  },
};
const FONT_VARS = { 'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'font-weight': 'normal', 'editor-font-family': '"Droid Sans Mono", "monospace", monospace' };

interface Recorded {
  posted: WebviewMessage[];
  state: unknown;
  alerts: string[];
  consoleErrors: string[];
}

function browserTests(): void {
  let context: BrowserContext;
  let profile: string;

  before(async () => {
    profile = mkdtempSync(join(tmpdir(), 'shipshape-panel-'));
    mkdirSync(join(profile, 'tmp'));
    context = await chromium.launchPersistentContext(join(profile, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, TMPDIR: join(profile, 'tmp'), XDG_CONFIG_HOME: join(profile, 'xdg-config'), XDG_CACHE_HOME: join(profile, 'xdg-cache') },
      viewport: { width: 860, height: 900 },
    });
    // The webview origin serves the page and media/; nothing else is reachable.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
      if (url.pathname === '/index.html') {
        const html = scorecardHtml({
          cspSource: ORIGIN,
          nonce: createNonce(),
          scriptUri: `${ORIGIN}/media/scorecard.js`,
          styleUri: `${ORIGIN}/media/scorecard.css`,
          codiconsUri: `${ORIGIN}/media/codicons/codicon.css`,
        });
        return route.fulfill({ status: 200, contentType: 'text/html', body: html });
      }
      const file = join(MEDIA, ...decodeURIComponent(url.pathname).replace(/^\/media\//, '').split('/'));
      if (!url.pathname.startsWith('/media/') || !file.startsWith(MEDIA) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.svg': 'image/svg+xml' };
      return route.fulfill({ status: 200, contentType: types[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
    });
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** A fresh webview page in `theme`, with the VS Code API stubbed; `state` is what getState() returns (a re-shown view). */
  async function openPanel(theme: Theme, state?: unknown): Promise<{ page: Page; recorded: () => Promise<Recorded> }> {
    assert.ok(existsSync(join(MEDIA, 'scorecard.js')), 'media/scorecard.js is missing: run `npm run build` first');
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const alerts: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('dialog', (dialog) => {
      alerts.push(dialog.message());
      void dialog.dismiss();
    });
    // A string, not a function: tsx's transpiled functions reference a helper the page does not have.
    await page.addInitScript({
      content: `(() => {
        const store = window;
        store.__posted = [];
        store.__state = ${state === undefined ? 'undefined' : JSON.stringify(state)};
        store.acquireVsCodeApi = () => ({
          postMessage: (message) => { store.__posted.push(JSON.parse(JSON.stringify(message))); },
          getState: () => store.__state,
          setState: (next) => { store.__state = JSON.parse(JSON.stringify(next)); },
        });
      })();`,
    });
    await page.goto(`${ORIGIN}/index.html`);
    // What VS Code does to a webview: theme variables on <html> (CSSOM, allowed by the CSP) and a theme class on <body>.
    const vars = { ...FONT_VARS, ...THEMES[theme].vars };
    await inPage(
      page,
      `(() => {
        for (const [name, value] of Object.entries(${JSON.stringify(vars)})) document.documentElement.style.setProperty('--vscode-' + name, value);
        document.documentElement.style.setProperty('background-color', 'var(--vscode-editor-background)');
        document.body.classList.add(${JSON.stringify(THEMES[theme].bodyClass)});
      })()`,
      z.undefined(),
    );
    const recorded = async (): Promise<Recorded> => {
      const { posted, state: current } = await inPage(page, '({ posted: window.__posted, state: window.__state })', z.object({ posted: z.array(z.unknown()), state: z.unknown() }));
      return { posted: posted.map((message) => WebviewMessageSchema.parse(message)), state: current, alerts, consoleErrors };
    };
    return { page, recorded };
  }

  /**
   * Evaluates `expression` in the page and validates what comes back. A string, not
   * a function: the project compiles without the DOM lib, and tsx's transpiled
   * functions would reference a helper the page does not have.
   */
  async function inPage<T>(page: Page, expression: string, schema: z.ZodType<T>): Promise<T> {
    return schema.parse(await page.evaluate(expression));
  }

  async function post(page: Page, message: HostMessage | Record<string, unknown>): Promise<void> {
    await inPage(page, `window.postMessage(${JSON.stringify(message)}, '*')`, z.undefined());
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    await inPage(page, 'document.fonts.ready.then(() => undefined)', z.undefined());
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    // The first screenful, as someone opening the panel sees it, and the start of the checklist.
    await page.screenshot({ path: join(ARTIFACTS, `${name}-top.png`) });
    const checklist = await page.locator('[aria-labelledby="checklist-heading"]').boundingBox();
    if (checklist) await page.screenshot({ path: join(ARTIFACTS, `${name}-checklist.png`), fullPage: true, clip: { x: 0, y: checklist.y - 8, width: page.viewportSize()?.width ?? 860, height: 900 } });
  }

  test('the fixture is a valid scorecard with an XSS-shaped file name among the top risks', () => {
    ScorecardSchema.parse(fixture.scorecard);
    assert.ok(fixture.scorecard.topRisks.some((risk) => risk.locations.some((location) => location.path === XSS_PATH)));
  });

  test('renders the overall score, grade and every dimension from the posted scorecard, under the CSP, in three themes', async () => {
    for (const theme of ['dark', 'light', 'high-contrast'] as const) {
      const { page, recorded } = await openPanel(theme);
      try {
        await page.locator('.status-line').waitFor();
        const ready = await recorded();
        assert.deepEqual(ready.posted, [{ type: 'ready' }], 'the script says it is ready before anything else');

        await post(page, { type: 'scorecard', data: fixture });
        await page.locator('#overall-score').waitFor();
        const card = fixture.scorecard;
        assert.equal(await page.locator('#overall-score').textContent(), String(card.score));
        assert.equal(await page.locator('#overall-grade').textContent(), card.grade);
        assert.equal(await page.locator('#overall').getAttribute('aria-label'), `Overall score ${card.score} of 100, grade ${card.grade}`);
        for (const dimension of card.dimensions) {
          const row = page.locator(`[data-dimension="${dimension.dimension}"]`);
          const bar = row.locator('[role="progressbar"]');
          if (dimension.applicable) {
            assert.equal(await bar.getAttribute('aria-valuenow'), String(dimension.score), dimension.dimension);
            assert.equal(await row.locator('.dimension-score').textContent(), String(dimension.score));
          } else {
            assert.equal(await bar.getAttribute('aria-valuenow'), null);
            assert.equal(await bar.getAttribute('aria-valuetext'), 'not applicable');
            assert.equal(await row.locator('.dimension-score').textContent(), 'n/a');
          }
          const label = await page.locator(`#${await bar.getAttribute('aria-labelledby')}`).textContent();
          assert.equal(label?.toLowerCase(), dimension.dimension);
        }
        // Highest impact first, as the scorecard orders them.
        const titles = await page.locator('.risk .risk-title').allTextContents();
        assert.deepEqual(titles, card.topRisks.map((risk) => risk.title));

        // The assets came through the CSP: styles applied, the codicon font loaded, no violations.
        assert.equal(await inPage(page, "getComputedStyle(document.querySelector('.dimensions')).display", z.string()), 'grid');
        assert.ok(await inPage(page, "document.fonts.ready.then(() => document.fonts.check('16px codicon'))", z.boolean()), 'the codicon font is loaded');
        const { consoleErrors, alerts } = await recorded();
        assert.deepEqual(consoleErrors, []);
        assert.deepEqual(alerts, []);
        await screenshot(page, `scorecard-panel-${theme}`);
      } finally {
        await page.close();
      }
    }
  });

  test('in a narrow side bar the dimensions and fix buttons stay readable (short labels, full ARIA labels)', async () => {
    const { page } = await openPanel('dark');
    try {
      await page.setViewportSize({ width: 320, height: 900 });
      await post(page, { type: 'scorecard', data: fixture });
      const button = page.locator('.risk-fix').first();
      await button.waitFor();
      assert.equal(await button.innerText(), 'Fix', 'only "Fix" is shown');
      assert.match((await button.getAttribute('aria-label')) ?? '', /^Parameterize query at /);
      assert.equal(await page.locator('.dimension-detail').first().isVisible(), false);
      const width = await inPage(page, 'document.documentElement.scrollWidth', z.number());
      assert.ok(width <= 320, `no horizontal scrolling (${width}px wide)`);
      await screenshot(page, 'scorecard-panel-narrow');
    } finally {
      await page.close();
    }
  });

  test('a top risk location posts { type: "open", folder, path, line }; a fix posts { type: "fix" } and waits for its result', async () => {
    const { page, recorded } = await openPanel('dark');
    try {
      await post(page, { type: 'scorecard', data: fixture });
      const risk = fixture.scorecard.topRisks[0];
      const location = risk?.locations[1];
      assert.ok(risk && location);
      await page.locator(`.risk[data-risk="${risk.id}"] .risk-open[data-path="${location.path}"][data-line="${location.line}"]`).click();
      assert.deepEqual((await recorded()).posted.at(-1), { type: 'open', folder: fixture.folder.uri, path: location.path, line: location.line });

      const fix = fixture.fixes.find((candidate) => candidate.path === location.path && candidate.line === location.line && candidate.ruleId === risk.id);
      assert.ok(fix, 'the fixture offers a fix there');
      const button = page.locator('.location', { has: page.locator(`.risk-open[data-path="${location.path}"]`) }).locator('.risk-fix').first();
      assert.equal(await button.textContent(), `Fix: ${fix.title}`);
      assert.equal(await button.getAttribute('aria-label'), `${fix.title} at ${fix.path} line ${fix.line}${fix.safe ? '' : ' (review the change)'}`);
      await button.click();
      const key = `${fix.ruleId}:${fix.path}:${fix.line}:${fix.fixId}`;
      assert.deepEqual((await recorded()).posted.at(-1), { type: 'fix', key, folder: fixture.folder.uri, path: fix.path, line: fix.line, ruleId: fix.ruleId, fixId: fix.fixId });
      await page.locator('.risk-fix:disabled', { hasText: 'Fixing…' }).waitFor();
      await post(page, { type: 'fixResult', key, applied: true });
      await page.locator('#announcer', { hasText: 'Fix applied' }).waitFor();
      assert.equal(await page.locator('.risk-fix:disabled').count(), 0);

      // A location without a fix has no Fix button; "Docs" asks for the rule's documentation.
      await page.locator(`.risk[data-risk="${risk.id}"] button`, { hasText: 'Docs' }).click();
      assert.deepEqual((await recorded()).posted.at(-1), { type: 'showRuleDocs', ruleId: risk.id });
    } finally {
      await page.close();
    }
  });

  test('workspace strings are text: a file named <img src=x onerror=alert(1)>.ts renders as its name, creates no element and runs nothing', async () => {
    const { page, recorded } = await openPanel('dark');
    try {
      await post(page, { type: 'scorecard', data: fixture });
      const link = page.locator(`.risk-open[data-path="${XSS_PATH}"]`).first();
      await link.waitFor();
      const expectedLine = fixture.scorecard.topRisks.flatMap((risk) => risk.locations).find((location) => location.path === XSS_PATH)?.line;
      assert.equal(await link.textContent(), `${XSS_PATH}:${expectedLine}`);
      assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
      await link.click();
      const { posted, alerts, consoleErrors } = await recorded();
      assert.deepEqual(posted.at(-1), { type: 'open', folder: fixture.folder.uri, path: XSS_PATH, line: expectedLine });
      assert.deepEqual(alerts, [], 'no script ran');
      assert.deepEqual(consoleErrors, []);
      // The same for every string: titles, messages, evidence, remedies.
      const hostile = structuredClone(fixture);
      const check = hostile.scorecard.checks[0];
      assert.ok(check);
      check.summary = '<script>alert(2)</script><img src=x onerror=alert(3)>';
      check.evidence = [{ path: 'a/<svg onload=alert(4)>.ts', line: 1, detail: '<b>bold</b>' }];
      hostile.folder.name = '<img src=x onerror=alert(5)>';
      await post(page, { type: 'scorecard', data: hostile });
      await page.locator('.segment', { hasText: 'All' }).click();
      await page.locator('.check-summary', { hasText: '<script>alert(2)</script>' }).waitFor();
      assert.equal(await page.locator('img, svg, script:not([src]), b').count(), 0);
      assert.equal(await page.locator('.folder-name').textContent(), '<img src=x onerror=alert(5)>');
      assert.deepEqual((await recorded()).alerts, []);
    } finally {
      await page.close();
    }
  });

  test('keyboard: Tab reaches the risk buttons in order, Enter opens the location, focus is visible and survives a live update', async () => {
    const { page, recorded } = await openPanel('dark');
    try {
      await post(page, { type: 'scorecard', data: fixture });
      await page.locator('.risk-open').first().waitFor();
      await page.locator('body').click({ position: { x: 1, y: 1 } });
      const firstRisk = fixture.scorecard.topRisks[0]?.locations[0];
      assert.ok(firstRisk);
      let reached = false;
      const seen: string[] = [];
      for (let presses = 0; presses < 30 && !reached; presses++) {
        await page.keyboard.press('Tab');
        const focused = await inPage(
          page,
          `(() => {
            const active = document.activeElement;
            return { className: String(active?.className ?? ''), tag: active?.tagName ?? '', outline: active ? getComputedStyle(active).outlineStyle : 'none', label: active?.getAttribute('aria-label') ?? active?.textContent ?? '' };
          })()`,
          z.object({ className: z.string(), tag: z.string(), outline: z.string(), label: z.string() }),
        );
        seen.push(`${focused.tag}.${focused.className}`);
        assert.equal(focused.tag, focused.tag === 'SELECT' ? 'SELECT' : 'BUTTON', 'only real controls take focus');
        assert.notEqual(focused.outline, 'none', `focus is visible on ${focused.label}`);
        reached = focused.className.includes('risk-open');
      }
      assert.ok(reached, `Tab reached a risk location button; focus went through ${seen.join(', ')}`);
      await page.keyboard.press('Enter');
      assert.deepEqual((await recorded()).posted.at(-1), { type: 'open', folder: fixture.folder.uri, path: firstRisk.path, line: firstRisk.line });

      // A live update re-renders everything; the focused control keeps the focus.
      const updated = structuredClone(fixture);
      updated.scorecard.score = Math.min(100, fixture.scorecard.score + 5);
      await post(page, { type: 'scorecard', data: updated });
      await page.locator('#overall-score', { hasText: String(updated.scorecard.score) }).waitFor();
      assert.equal(await inPage(page, 'document.activeElement?.dataset.path', z.string().optional()), firstRisk.path);
      assert.match((await page.locator('#announcer').textContent()) ?? '', new RegExp(`Production readiness ${updated.scorecard.score} of 100`));
    } finally {
      await page.close();
    }
  });

  test('the checklist shows pass, fail, check-by-hand and n/a with evidence and remedies; its filter is kept in the state', async () => {
    const { page, recorded } = await openPanel('dark');
    try {
      await post(page, { type: 'scorecard', data: fixture });
      const card = fixture.scorecard;
      const count = (status: string): number => card.checks.filter((check) => check.status === status).length;
      // Needs attention (the default): failures and checks to do by hand.
      assert.equal(await page.locator('.check').count(), count('fail') + count('unknown'));
      await page.locator('.segment', { hasText: 'All' }).click();
      for (const status of ['pass', 'fail', 'unknown', 'not-applicable']) assert.equal(await page.locator(`.check[data-status="${status}"]`).count(), count(status), status);
      // The order and the count line `shipshape scorecard` prints (text and Markdown): by dimension, then fail, unknown, pass, n/a.
      const ids = await page.locator('.check').evaluateAll((items) => items.map((item) => item.getAttribute('data-check')));
      assert.deepEqual(ids, checklist(card).map((check) => check.id));
      const summary = await page.locator('[aria-labelledby="checklist-heading"] .summary').textContent();
      assert.equal(summary, `${count('fail')} fail · ${count('unknown')} check by hand · ${count('pass')} pass · ${count('not-applicable')} n/a`);
      const failed = card.checks.find((check) => check.status === 'fail' && check.evidence.some((entry) => entry.path !== undefined));
      assert.ok(failed);
      const item = page.locator(`.check[data-check="${failed.id}"]`);
      assert.equal(await item.locator('.check-summary').textContent(), failed.summary);
      assert.equal(await item.locator('.remedy').textContent(), failed.remedy);
      assert.equal(await item.locator('.check-status').textContent(), 'Fail');
      const evidence = failed.evidence.find((entry) => entry.path !== undefined);
      assert.ok(evidence?.path);
      await item.locator('.evidence-open').first().click();
      assert.deepEqual((await recorded()).posted.at(-1), { type: 'open', folder: fixture.folder.uri, path: evidence.path, line: evidence.line ?? 1 });
      assert.equal(await page.locator('.check[data-status="pass"] .remedy').count(), 0, 'no remedy for what passes');
      const state = WebviewStateSchema.parse((await recorded()).state);
      assert.equal(state.checklist, 'all');
      assert.equal(state.data?.scorecard.score, card.score);
    } finally {
      await page.close();
    }
  });

  test('state survives hide/show: a re-created webview renders the saved scorecard and filter at once, then asks for its folder', async () => {
    const saved = WebviewStateSchema.parse({ folder: fixture.folder.uri, data: fixture, checklist: 'all', expanded: [] });
    const { page, recorded } = await openPanel('light', saved);
    try {
      await page.locator('#overall-score').waitFor();
      assert.equal(await page.locator('#overall-score').textContent(), String(fixture.scorecard.score));
      assert.equal(await page.locator('.segment[aria-pressed="true"]').textContent(), `All (${fixture.scorecard.checks.length})`);
      assert.deepEqual((await recorded()).posted, [{ type: 'ready', folder: fixture.folder.uri }]);
    } finally {
      await page.close();
    }
  });

  test('invalid messages are ignored; status messages explain an empty panel', async () => {
    const { page, recorded } = await openPanel('dark');
    try {
      await post(page, { type: 'scorecard', data: { score: 'lots' } });
      await post(page, { type: 'nonsense' });
      await post(page, { type: 'status', status: 'stopped' });
      await page.locator('.status-line', { hasText: 'not running' }).waitFor();
      assert.equal(await page.locator('#overall-score').count(), 0);
      assert.deepEqual((await recorded()).alerts, []);
    } finally {
      await page.close();
    }
  });
}
