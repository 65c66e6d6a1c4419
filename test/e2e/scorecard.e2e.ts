// The scorecard in a real VS Code (code-server), on a temp copy of the sample app
// examples/shop-api with the real .vsix installed: the score in the status bar,
// the "Shipshape Scorecard" editor panel it opens (a webview, read through its
// iframes), and `shipshape scorecard --format json|md` of the same build on the
// same files must show the same score, grade, dimensions, top risks and
// checklist. Then a top risk's Fix button in the panel edits the file, the
// panel's score rises while the buffer is still unsaved (live), and after saving
// it equals what the CLI computes from the files on disk.
// Screenshots: test/artifacts/scorecard-editor-panel.png, scorecard-editor-after-fix.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { type Scorecard, ScorecardSchema } from '../../server/src/engine/scorecard/schema';
import type { Locator } from 'playwright-core';
import { type Editor, withEditor } from './harness';
import { EXTENSION_ID, assertCleanServerLog, copySample, ensureVsix, runCli, steps } from './sample';

/** The top risk whose Fix the test applies: a data risk (the sample's security score is already 0, so fixing one security finding cannot raise it). */
const FIX = { ruleId: 'unbounded-query', path: 'src/routes/products.ts', line: 14, title: 'Add pagination' } as const;
/** Whether the storefront's product list (products.ts:14) has the fix: `take` in its findMany. */
const paginated = (text: string): boolean => /prisma\.product\.findMany\(\{[^;]*\btake\b/.test(text);
/** The panel lists this many locations per risk before "Show n more" (client/src/webview/scorecard.ts). */
const LOCATIONS_SHOWN = 5;
/** client/src/scorecard/panel.ts creates the score item as `shipshape.score`; VS Code prefixes the extension id. */
const SCORE_ITEM_ID = `${EXTENSION_ID}.shipshape.score`;

/** What the panel shows, as lines that compare well in a failure diff. */
interface PanelView {
  score: string;
  grade: string;
  /** `security 0`, …, `cost n/a`. */
  dimensions: string[];
  /** `rule sql-injection −10.4 | SQL built from untrusted input | src/db.ts:19 src/routes/admin.ts:13 …` */
  risks: string[];
  /** The checklist's count line: `18 fail · 2 check by hand · 4 pass · 4 n/a`. */
  checklist: string;
  /** `auth-rate-limit fail`, … as listed (the "All" filter shows every check). */
  checks: string[];
}

/**
 * The CLI's scorecard as the panel should render it: the numbers and texts from `--format json`, the
 * checklist in the order `--format md` prints it (by dimension, then fail, unknown, pass, n/a).
 */
function expectedView({ card, md }: CliScorecard): PanelView {
  const count = (status: string): number => card.checks.filter((check) => check.status === status).length;
  return {
    score: String(card.score),
    grade: card.grade,
    dimensions: card.dimensions.map((dimension) => `${dimension.dimension} ${dimension.applicable ? dimension.score : 'n/a'}`),
    risks: card.topRisks.map(
      (risk) =>
        `${risk.kind} ${risk.id} −${risk.overallPoints.toFixed(1)} | ${risk.title} | ${risk.locations
          .slice(0, LOCATIONS_SHOWN)
          .map((location) => `${location.path}:${location.line}`)
          .join(' ')}`.trimEnd(),
    ),
    checklist: `${count('fail')} fail · ${count('unknown')} check by hand · ${count('pass')} pass · ${count('not-applicable')} n/a`,
    checks: md.checks,
  };
}

// The DOM shapes readPanel uses: the project compiles without lib "dom".
interface PanelNode {
  textContent: string | null;
  className: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PanelNode | null;
  querySelectorAll(selector: string): Iterable<PanelNode>;
}

/**
 * Runs in the webview on its `#app`: what the panel shows, as raw text (see `panelView`). No named inner
 * functions: tsx would wrap them in a `__name` helper that does not exist in the page.
 */
const readPanel = (app: PanelNode): PanelView => ({
  score: app.querySelector('#overall-score')?.textContent ?? '',
  grade: app.querySelector('#overall-grade')?.textContent ?? '',
  dimensions: [...app.querySelectorAll('li.dimension')].map((item) => `${item.getAttribute('data-dimension')} ${item.querySelector('.dimension-score')?.textContent ?? ''}`),
  risks: [...app.querySelectorAll('ol.risks > li.risk')].map(
    (item) =>
      `${item.className.split(' ').find((name) => name.startsWith('risk-'))?.slice('risk-'.length)} ${item.getAttribute('data-risk')} ` +
      `${item.querySelector('.risk-cost')?.textContent ?? ''} | ${item.querySelector('.risk-title')?.textContent ?? ''} | ` +
      [...item.querySelectorAll('.risk-open')].map((button) => button.textContent ?? '').join(' '),
  ),
  checklist: app.querySelector('[aria-labelledby="checklist-heading"] .summary')?.textContent ?? '',
  checks: [...app.querySelectorAll('li.check')].map((item) => `${item.getAttribute('data-check')} ${item.getAttribute('data-status')}`),
});

/** What the panel in `app` (the webview's `#app`) shows now, whitespace collapsed. */
async function panelView(app: Locator): Promise<PanelView> {
  const raw = await app.evaluate(readPanel);
  const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();
  return {
    score: clean(raw.score),
    grade: clean(raw.grade),
    dimensions: raw.dimensions.map(clean),
    risks: raw.risks.map(clean),
    checklist: clean(raw.checklist),
    checks: raw.checks.map(clean),
  };
}

interface MarkdownScorecard {
  score: number;
  grade: string;
  /** Rule or check ids of the "Top risks" table, in order. */
  risks: string[];
  /** `id status` per checklist row, in order (`n/a` read as not-applicable). */
  checks: string[];
}

/** The headline, top-risk ids and checklist of `shipshape scorecard <folder> --format md`. */
function cliMarkdown(folder: string): MarkdownScorecard {
  const md = runCli(['scorecard', folder, '--format', 'md']);
  const headline = /^## Production readiness: (\d+)\/100 \(([A-F])\)$/m.exec(md);
  assert.ok(headline, `no headline in the Markdown scorecard:\n${md}`);
  const section = (title: string): string[] => {
    const from = md.indexOf(`### ${title}`);
    assert.ok(from >= 0, `no "${title}" section in the Markdown scorecard:\n${md}`);
    const to = md.indexOf('\n### ', from + 1);
    return md.slice(from, to < 0 ? undefined : to).split('\n');
  };
  const risks = section('Top risks').flatMap((line) => {
    const match = /^\| \d+ \| [^|]*?\((?:check )?`([a-z0-9-]+)`/.exec(line);
    return match ? [match[1]!] : [];
  });
  const checks = section('Checklist').flatMap((line) => {
    const match = /^\| \S+ (fail|pass|unknown|n\/a) \| [^|]*?`([a-z0-9-]+)` \| [a-z]+ \|/.exec(line);
    return match ? [`${match[2]} ${match[1] === 'n/a' ? 'not-applicable' : match[1]}`] : [];
  });
  return { score: Number(headline[1]), grade: headline[2]!, risks, checks };
}

interface CliScorecard {
  /** `shipshape scorecard <folder> --format json`, validated by the engine's schema. */
  card: Scorecard;
  md: MarkdownScorecard;
}

/** `shipshape scorecard <folder>` as JSON and as Markdown, which must agree with each other (the same checks, listed in another order). */
function cliScorecard(folder: string): CliScorecard {
  const card = ScorecardSchema.parse(JSON.parse(runCli(['scorecard', folder, '--format', 'json'])));
  const md = cliMarkdown(folder);
  const checks = card.checks.map((check) => `${check.id} ${check.status}`);
  assert.deepEqual(
    { ...md, checks: [...md.checks].sort() },
    { score: card.score, grade: card.grade, risks: card.topRisks.map((risk) => risk.id), checks: [...checks].sort() },
    '`shipshape scorecard --format md` and `--format json` disagree',
  );
  return { card, md };
}

test('Scorecard in a real VS Code: status bar, panel and CLI agree; a Fix in the panel raises the score live', { timeout: 300_000 }, async (t) => {
  const { step, watch } = steps(t);
  const vsix = await step('build the .vsix', async () => ensureVsix(t));
  const { scratch, folder } = await copySample('shipshape-e2e-scorecard-');
  try {
    const cliBefore = cliScorecard(folder);
    const before = cliBefore.card;
    const fixRisk = before.topRisks.find((risk) => risk.kind === 'rule' && risk.id === FIX.ruleId);
    assert.ok(fixRisk?.locations.some((location) => location.path === FIX.path && location.line === FIX.line), `premise: ${FIX.ruleId} at ${FIX.path}:${FIX.line} is a top risk: ${JSON.stringify(before.topRisks)}`);
    const checksShownByDefault = before.checks.filter((check) => check.status === 'fail' || check.status === 'unknown').length;

    // The sample has no node_modules: without this TypeScript would flag every import (see shipshape.e2e.ts).
    const settings = { 'typescript.validate.enable': false, 'javascript.validate.enable': false };
    await withEditor({ name: 'scorecard-editor', folder, vsix: [vsix], settings }, async (editor: Editor) => {
      watch(editor);
      const page = editor.page;
      const webview = editor.webview();
      const app = webview.locator('#app');
      const overallScore = webview.locator('#overall-score');
      const scoreItem = page.locator(`.statusbar-item[id="${SCORE_ITEM_ID}"]`);
      const scoreLabel = (card: Scorecard): string => `Shipshape production readiness ${card.score} of 100, grade ${card.grade}. Open the scorecard.`;
      const panelTabs = page.locator('.tabs-container .tab', { hasText: 'Shipshape Scorecard' });
      const exactly = (text: string): RegExp => new RegExp(`^${text}$`);

      await step('status bar shows the CLI score', async () => {
        // The first scorecard comes after the background scan of the whole folder.
        await scoreItem.and(page.locator(`[aria-label="${scoreLabel(before)}"]`)).waitFor({ timeout: 90_000 }).catch(async (error: unknown) => {
          const items = await page.locator('.statusbar-item').evaluateAll((nodes: { id: string; getAttribute(name: string): string | null }[]) => nodes.map((node) => `${node.id}: ${node.getAttribute('aria-label')}`));
          throw new Error(`the score item never showed ${before.score} ${before.grade}; status bar items:\n${items.join('\n')}`, { cause: error });
        });
        assert.equal((await scoreItem.innerText()).replace(/\s+/g, ' ').trim(), `${before.score} ${before.grade}`);
      });

      await step('clicking the score opens the panel, which agrees with the CLI', async () => {
        await scoreItem.click();
        await editor.parkMouse();
        await page.locator('.tabs-container .tab.active', { hasText: 'Shipshape Scorecard' }).waitFor();
        await overallScore.filter({ hasText: exactly(String(before.score)) }).waitFor();
        await editor.screenshot('scorecard-editor-panel');
        // The checklist starts on "Needs attention"; "All" lists every check, as the CLI does.
        const all = webview.getByRole('button', { name: `All (${before.checks.length})` });
        await webview.getByRole('button', { name: `Needs attention (${checksShownByDefault})`, pressed: true }).waitFor();
        await all.click();
        await all.and(webview.locator('[aria-pressed="true"]')).waitFor();
        assert.deepEqual(await panelView(app), expectedView(cliBefore), 'the panel differs from `shipshape scorecard` (json, md)');
      });

      await step('"Shipshape: Open Scorecard" reveals the same panel after it was hidden', async () => {
        await editor.openFile('src/server.ts'); // in the panel's group: the panel's webview is hidden (and discarded)
        await overallScore.waitFor({ state: 'detached' });
        await editor.runCommand('Shipshape: Open Scorecard');
        await page.locator('.tabs-container .tab.active', { hasText: 'Shipshape Scorecard' }).waitFor();
        assert.equal(await panelTabs.count(), 1, 'the command opened a second scorecard instead of revealing the first');
        await overallScore.filter({ hasText: exactly(String(before.score)) }).waitFor();
        // Its state (the "All" filter) survived: the same view as before.
        assert.deepEqual(await panelView(app), expectedView(cliBefore), 'the revealed panel differs from the CLI');
      });

      let live = '';
      await step(`the panel's Fix for ${FIX.ruleId} raises the score before the file is saved`, async () => {
        const fix = webview.locator(`li.risk[data-risk="${FIX.ruleId}"] button.risk-fix[aria-label^="${FIX.title}"][aria-label*=" at ${FIX.path} line ${FIX.line}"]`);
        await fix.click();
        // The server applies the verified edit; the panel opens the file beside itself, unsaved.
        await page.locator('.editor-group-container.active .tab.active.dirty', { hasText: 'products.ts' }).waitFor();
        await overallScore
          .filter({ hasNotText: exactly(String(before.score)) })
          .waitFor()
          .catch(async (error: unknown) => {
            const announced = await webview.locator('#announcer').textContent().catch(() => null);
            throw new Error(`the panel still shows ${before.score}; it last announced: ${announced}`, { cause: error });
          });
        live = (await overallScore.textContent())?.trim() ?? '';
        assert.ok(Number(live) > before.score, `the score went from ${before.score} to ${live}`);
        assert.ok(!paginated(await editor.readFile(FIX.path)), 'premise: the fix is not on disk yet (the score rose from the buffer)');
      });

      await step('saved, the panel and the status bar equal the CLI on the files on disk', async () => {
        await page.keyboard.press('Control+S');
        await page.locator('.tabs-container .tab.dirty').first().waitFor({ state: 'detached' });
        await editor.waitForFile(FIX.path, paginated);

        const cliAfter = cliScorecard(folder);
        const after = cliAfter.card;
        assert.ok(after.score > before.score, `the CLI's score went from ${before.score} to ${after.score}`);
        assert.equal(String(after.score), live, 'the live score (unsaved buffer) differs from the CLI on the saved file');
        assert.ok(!after.topRisks.some((risk) => risk.id === FIX.ruleId && risk.locations.some((location) => location.path === FIX.path)), `${FIX.ruleId} still reported in ${FIX.path}`);
        await overallScore.filter({ hasText: exactly(String(after.score)) }).waitFor();
        assert.deepEqual(await panelView(app), expectedView(cliAfter), 'after the fix, the panel differs from the CLI');
        await scoreItem.and(page.locator(`[aria-label="${scoreLabel(after)}"]`)).waitFor();
        t.diagnostic(`score ${before.score} ${before.grade} → ${after.score} ${after.grade}`);
        await overallScore.scrollIntoViewIfNeeded(); // clicking Fix scrolled the panel down to it
        await editor.screenshot('scorecard-editor-after-fix');
      });

      await assertCleanServerLog(editor);
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
