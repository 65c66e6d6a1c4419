// The .vsix holds what the extension runs and nothing else. Packs it with the
// `vsce package …` step of `npm run package` (dist/ is already built: `npm test`
// builds first, and packing never rewrites dist/ under tests that run the
// server) unless shipshape.vsix already holds today's bundles (same CRC-32 as
// dist/, newer than the manifest and .vscodeignore). Then reads the zip's
// central directory by hand (no zip dependency) and checks the list.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';

const REPO = join(__dirname, '..');
const VSIX = join(REPO, 'shipshape.vsix');
/** Measured 2.7 MB (2026-11, the server bundle carries the TypeScript compiler via ts-morph); leaves room for rules. */
const SIZE_BUDGET_BYTES = 4 * 1024 * 1024;
const BUNDLES = ['dist/client.js', 'dist/server.js'];

interface ZipEntry {
  name: string;
  crc: number;
  size: number;
}

/** Entries of a zip file from its central directory (APPNOTE 4.3.12 / 4.3.16; no zip64: a .vsix is small). */
export function zipEntries(zip: Buffer): ZipEntry[] {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  assert.ok(eocd >= 0, 'no end-of-central-directory record: not a zip');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central directory entry ${index} is corrupt`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), crc: zip.readUInt32LE(at + 16), size: zip.readUInt32LE(at + 24) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function isCurrent(): boolean {
  if (!existsSync(VSIX)) return false;
  const built = statSync(VSIX).mtimeMs;
  if (['package.json', '.vscodeignore', 'README.md', 'LICENSE'].some((file) => statSync(join(REPO, file)).mtimeMs > built)) return false;
  const entries = zipEntries(readFileSync(VSIX));
  return BUNDLES.every((bundle) => {
    const path = join(REPO, bundle);
    if (!existsSync(path)) return false;
    const entry = entries.find((candidate) => candidate.name === `extension/${bundle}`);
    return entry !== undefined && entry.crc === crc32(readFileSync(path)) >>> 0;
  });
}

test('the .vsix holds the bundles, README, LICENSE and manifest — no sources, tests, maps or node_modules — within budget', { timeout: 300_000 }, () => {
  if (!isCurrent()) {
    for (const bundle of BUNDLES) assert.ok(existsSync(join(REPO, bundle)), `${bundle} is missing: run \`npm run build\` first`);
    const { scripts } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const vsce = (scripts.package ?? '').split('&&').map((part) => part.trim()).find((part) => part.startsWith('vsce package'));
    assert.ok(vsce, 'the package script runs `vsce package`');
    const args = vsce.split(/\s+/).slice(1);
    const result = spawnSync(process.execPath, [join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    assert.equal(result.status, 0, `vsce package failed:\n${result.stdout}\n${result.stderr}`);
  }
  const zip = readFileSync(VSIX);
  const names = zipEntries(zip).map((entry) => entry.name);
  for (const required of ['extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt', ...BUNDLES.map((bundle) => `extension/${bundle}`)]) {
    assert.ok(names.includes(required), `${required} missing from ${names.join(', ')}`);
  }
  const unexpected = names.filter((name) => !/^extension\/(package\.json|readme\.md|LICENSE\.txt|dist\/(client|server)\.js|media\/.+)$|^extension\.vsixmanifest$|^\[Content_Types\]\.xml$/.test(name));
  assert.deepEqual(unexpected, [], 'only bundles, media, README, LICENSE and the manifest');
  assert.ok(!names.some((name) => /node_modules|\/(server|client|rules|test|examples|scripts)\/|\.ts$|\.map$/.test(name)), names.join('\n'));
  assert.ok(zip.length < SIZE_BUDGET_BYTES, `the .vsix is ${(zip.length / 1024 / 1024).toFixed(2)} MB, over the ${SIZE_BUDGET_BYTES / 1024 / 1024} MB budget`);
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { main: string };
  assert.ok(names.includes(`extension/${manifest.main.replace(/^\.\//, '')}`), 'the manifest main is in the package');
});
