// The Shipshape .vsix as `npm run package` builds it, shared by the packaging
// test (test/package.test.ts) and the real-editor test (test/e2e/shipshape.e2e.ts):
// when shipshape.vsix already holds today's bundles, and how to pack it again
// with the `vsce package …` step of the package script (dist/ must be built).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';

export const REPO = resolve(__dirname, '..', '..');
export const VSIX = join(REPO, 'shipshape.vsix');
export const BUNDLES = ['dist/client.js', 'dist/server.js'];
/** The scorecard webview's assets (scripts/build.mjs bundles the script and copies the codicons into media/). */
export const MEDIA_ASSETS = ['media/scorecard.js', 'media/scorecard.css', 'media/shipshape.svg', 'media/shipshape-light.svg', 'media/codicons/codicon.css', 'media/codicons/codicon.ttf'];
/** Files whose change makes a packed .vsix stale even when the bundles did not change. */
const PACKAGED_INPUTS = ['package.json', '.vscodeignore', 'README.md', 'LICENSE'];

export interface ZipEntry {
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
  if (eocd < 0) throw new Error('no end-of-central-directory record: not a zip');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`central directory entry ${index} is corrupt`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), crc: zip.readUInt32LE(at + 16), size: zip.readUInt32LE(at + 24) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Whether shipshape.vsix holds exactly the bundles in dist/ and the webview assets in media/ (same CRC-32) and is
 * newer than the manifest, .vscodeignore, README and LICENSE.
 */
export function vsixIsCurrent(): boolean {
  if (!existsSync(VSIX)) return false;
  const built = statSync(VSIX).mtimeMs;
  if (PACKAGED_INPUTS.some((file) => statSync(join(REPO, file)).mtimeMs > built)) return false;
  const entries = zipEntries(readFileSync(VSIX));
  return [...BUNDLES, ...MEDIA_ASSETS].every((bundle) => {
    const path = join(REPO, bundle);
    if (!existsSync(path)) return false;
    const entry = entries.find((candidate) => candidate.name === `extension/${bundle}`);
    return entry !== undefined && entry.crc === crc32(readFileSync(path)) >>> 0;
  });
}

/**
 * Runs the `vsce package …` step of `npm run package` (without its build: dist/
 * must be current; packing never rewrites dist/ under tests that run the server).
 * Throws with vsce's output when it fails.
 */
export function packVsixWithVsce(): void {
  for (const bundle of BUNDLES) if (!existsSync(join(REPO, bundle))) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const { scripts } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const vsce = (scripts.package ?? '').split('&&').map((part) => part.trim()).find((part) => part.startsWith('vsce package'));
  if (!vsce) throw new Error('the package script does not run `vsce package`');
  const args = vsce.split(/\s+/).slice(1);
  const result = spawnSync(process.execPath, [join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`vsce package failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
}
