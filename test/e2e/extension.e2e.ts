// Proves the path the Shipshape .vsix will take: pack an extension, install it
// with `code-server --install-extension`, and use it like a user — its
// squiggle, Problems row, hover, quick fix and command — with a tiny fixture
// extension (test/e2e/fixtures/hello-extension) that flags "TODO" in .txt files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEditor } from './harness';
import { packVsix } from './vsix';

test('an extension installed from a .vsix squiggles, fixes and runs commands', { timeout: 240_000 }, async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'shipshape-ext-'));
  try {
    const vsix = await packVsix(join(__dirname, 'fixtures', 'hello-extension'), join(scratch, 'e2e-hello.vsix'));
    const folder = join(scratch, 'workspace');
    await mkdir(folder);
    await writeFile(join(folder, 'notes.txt'), 'Ship it.\nTODO: write the docs\n');

    await withEditor({ name: 'extension', folder, vsix: [vsix] }, async (editor) => {
      await editor.openFile('notes.txt');
      await editor.waitForSquiggle('warning');
      const rows = await editor.waitForProblem('TODO left in the text');
      assert.ok(rows.some((row) => /todo-left/.test(row.text)), `rule code not shown in ${JSON.stringify(rows)}`);

      assert.match(await editor.hover('TODO', 'finish it before shipping'), /TODO left in the text/);
      await editor.screenshot('extension');

      await editor.quickFix('TODO', 'Replace TODO with DONE');
      await editor.save();
      assert.equal(await editor.readFile('notes.txt'), 'Ship it.\nDONE: write the docs\n');
      await editor.waitForNoSquiggle('warning');

      await editor.runCommand('E2E Hello: Say Hello');
      await editor.waitForNotification('Hello from the e2e extension');
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
