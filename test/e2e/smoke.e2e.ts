// Proves the real-editor harness on VS Code's built-in TypeScript support,
// before any Shipshape code is involved: code-server starts, the workbench
// opens a folder, a file shows an error squiggle, the Problems panel lists it,
// hover and a quick fix work, a command runs, and everything stops cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEditor } from './harness';

const APP = `const x: number = 'a';

export function total(): number {
  return computeTotal();
}

export { x };
`;

test('code-server runs the built-in TypeScript support like a user sees it', { timeout: 240_000 }, async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'shipshape-smoke-'));
  try {
    await writeFile(join(folder, 'app.ts'), APP);

    await withEditor({ name: 'smoke', folder }, async (editor) => {
      await editor.openFile('app.ts');
      await editor.waitForSquiggle('error', 90_000); // the built-in TS server starts cold

      const rows = await editor.waitForProblem(/not assignable to type 'number'/);
      const problem = rows.find((row) => /not assignable/.test(row.text));
      assert.ok(problem, `no problem row in ${JSON.stringify(rows)}`);
      assert.match(problem.text, /Type 'string' is not assignable to type 'number'/);
      assert.match(problem.label, /line 1/i);
      await editor.waitForProblem(/Cannot find name 'computeTotal'/);
      await editor.screenshot('smoke');

      const hover = await editor.hover('x: number', 'const x: number');
      assert.match(hover, /const x: number/);

      const tries = await editor.quickFix('computeTotal()', /Add missing function declaration 'computeTotal'/);
      t.diagnostic(`quick fix offered after ${tries} Ctrl+.`);
      await editor.save();
      assert.match(await editor.readFile('app.ts'), /function computeTotal\(\)/);

      await editor.runCommand('View: Close All Editors');
      await editor.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });

      t.diagnostic(`requests blocked (not localhost): ${JSON.stringify(editor.blockedRequests)}`);
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
