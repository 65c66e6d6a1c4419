// The .vsix holds what the extension runs and nothing else. Packs it with the
// `vsce package …` step of `npm run package` (dist/ is already built: `npm test`
// builds first, and packing never rewrites dist/ under tests that run the
// server) unless shipshape.vsix already holds today's bundles (same CRC-32 as
// dist/, newer than the manifest and .vscodeignore). Then reads the zip's
// central directory by hand (no zip dependency) and checks the list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUNDLES, MEDIA_ASSETS, REPO, VSIX, packVsixWithVsce, vsixIsCurrent, zipEntries } from './support/vsix';

/** Measured 2.7 MB (2026-11, the server bundle carries the TypeScript compiler via ts-morph); leaves room for rules. */
const SIZE_BUDGET_BYTES = 4 * 1024 * 1024;

test('the .vsix holds the bundles, the scorecard webview media, README, LICENSE and manifest — no sources, tests, maps or node_modules — within budget', { timeout: 300_000 }, () => {
  if (!vsixIsCurrent()) packVsixWithVsce();
  const zip = readFileSync(VSIX);
  const names = zipEntries(zip).map((entry) => entry.name);
  for (const required of ['extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt', ...[...BUNDLES, ...MEDIA_ASSETS].map((file) => `extension/${file}`)]) {
    assert.ok(names.includes(required), `${required} missing from ${names.join(', ')}`);
  }
  const unexpected = names.filter((name) => !/^extension\/(package\.json|readme\.md|LICENSE\.txt|dist\/(client|server)\.js|media\/.+)$|^extension\.vsixmanifest$|^\[Content_Types\]\.xml$/.test(name));
  assert.deepEqual(unexpected, [], 'only bundles, media, README, LICENSE and the manifest');
  assert.ok(!names.some((name) => /node_modules|\/(server|client|rules|test|examples|scripts)\/|\.ts$|\.map$/.test(name)), names.join('\n'));
  assert.ok(zip.length < SIZE_BUDGET_BYTES, `the .vsix is ${(zip.length / 1024 / 1024).toFixed(2)} MB, over the ${SIZE_BUDGET_BYTES / 1024 / 1024} MB budget`);
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { main: string };
  assert.ok(names.includes(`extension/${manifest.main.replace(/^\.\//, '')}`), 'the manifest main is in the package');
});
