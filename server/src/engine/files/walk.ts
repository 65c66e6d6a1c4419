// Finds the files to analyze under a root: honours .gitignore (root and nested)
// and the user's excludes, leaves out dependency and build folders, and reads each
// file defensively. Every skip has a reason a front end can show.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { FileKind } from '../types';
import { classifyFile } from './kinds';

export interface Skipped {
  path: string;
  reason: string;
}

export interface WalkResult {
  files: { path: string; kind: FileKind }[];
  skipped: Skipped[];
}

export interface WalkOptions {
  /** Extra patterns in gitignore syntax. */
  exclude?: readonly string[];
}

/** Folders that hold dependencies, build output or caches: never the user's code. */
export const DEFAULT_EXCLUDED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.vercel',
  '.netlify',
  '.turbo',
  '.output',
  '.cache',
  'coverage',
  'bower_components',
  'storybook-static',
  '.bench',
]);

/**
 * Excluded only at the workspace root: there they hold third-party code, deeper
 * down they are as likely a domain module (a marketplace's `src/modules/vendor`).
 */
export const ROOT_EXCLUDED_DIRS: ReadonlySet<string> = new Set(['vendor', 'third_party']);

const BUNDLED_FILE = /\.(min|bundle|chunk)\.[cm]?js$/;

export function walkWorkspace(root: string, options: WalkOptions = {}): WalkResult {
  const files: WalkResult['files'] = [];
  const skipped: Skipped[] = [];
  const userExcludes = ignore().add([...(options.exclude ?? [])]);

  const visit = (dir: string, matchers: { base: string; matcher: Ignore }[]): void => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: dir || '.', reason: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return;
    }
    const gitignore = entries.some((entry) => entry.name === '.gitignore' && entry.isFile()) ? readText(join(root, dir, '.gitignore')) : undefined;
    const active = gitignore === undefined ? matchers : [...matchers, { base: dir, matcher: ignore().add(gitignore) }];
    entries.sort((a, b) => a.name.localeCompare(b.name));

    for (const entry of entries) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (DEFAULT_EXCLUDED_DIRS.has(entry.name) || (dir === '' && ROOT_EXCLUDED_DIRS.has(entry.name))) {
          if (entry.name !== '.git') skipped.push({ path, reason: 'dependency, build or cache folder' });
          continue;
        }
        if (userExcludes.ignores(`${path}/`)) skipped.push({ path, reason: 'excluded by configuration' });
        else if (isIgnoredBy(active, `${path}/`)) skipped.push({ path, reason: 'ignored by .gitignore' });
        else visit(path, active);
        continue;
      }
      const link = entry.isSymbolicLink();
      if (!entry.isFile() && !link) continue;
      const kind = classifyFile(path);
      if (!kind && !(link && leadsToFolder(join(root, path)))) continue;
      if (userExcludes.ignores(path)) skipped.push({ path, reason: 'excluded by configuration' });
      // `.env` files are kept even when ignored: one that git still tracks leaks its secrets all the same.
      else if (kind !== 'env' && isIgnoredBy(active, path)) skipped.push({ path, reason: 'ignored by .gitignore' });
      // Not followed (a link can lead out of the workspace, or round in a loop), but never passed over in silence.
      else if (link) skipped.push({ path, reason: 'symbolic link (not followed; its target is analyzed where it lives when that is in the workspace)' });
      else if (BUNDLED_FILE.test(entry.name)) skipped.push({ path, reason: 'minified or bundled file' });
      else if (kind) files.push({ path, kind });
    }
  };
  visit('', []);
  return { files, skipped };
}

/** Whether an absolute path is a folder, or a link to one. */
export function leadsToFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // dangling or looping: a link to no folder
  }
}

function isIgnoredBy(matchers: readonly { base: string; matcher: Ignore }[], path: string): boolean {
  return matchers.some(({ base, matcher }) => {
    const relative = base ? path.slice(base.length + 1) : path;
    return relative !== '' && matcher.ignores(relative);
  });
}

/** Decodes UTF-8 as editors do: a leading BOM is dropped, invalid bytes become U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * A file's text without a leading byte order mark, or undefined when it cannot be
 * read (missing, a folder, no permission). The BOM goes for the reason `utf8`
 * drops it in `readDiskFile`: editors hide it, and a file read both ways (say,
 * `.shipshape.json`) must mean the same thing to everyone reading it.
 */
export function readText(path: string): string | undefined {
  try {
    return utf8.decode(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** Files larger than this are skipped: generated data, not hand-written code. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

const TOO_LARGE: ReadResult = { ok: false, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };

/** Reads a file as text, or says why it should not be analyzed. */
export function readSource(absolutePath: string): ReadResult {
  let size: number;
  try {
    size = statSync(absolutePath).size;
  } catch (error) {
    return cannotRead(error);
  }
  if (size > MAX_FILE_BYTES) return TOO_LARGE;
  return readDiskFile(absolutePath).read;
}

/** A file read once for both its uses: the text other files' facts read, and whether it is analyzed itself. */
export interface DiskFile {
  /** The bytes decoded as UTF-8, whatever they hold; undefined when the file cannot be read. */
  text: string | undefined;
  /** What `readSource` says of it. */
  read: ReadResult;
}

/** Reads a file whatever its size (another file's facts may need it), with `readSource`'s verdict. */
export function readDiskFile(absolutePath: string): DiskFile {
  let data: Buffer;
  try {
    data = readFileSync(absolutePath);
  } catch (error) {
    return { text: undefined, read: cannotRead(error) };
  }
  const text = utf8.decode(data);
  if (data.length > MAX_FILE_BYTES) return { text, read: TOO_LARGE };
  return { text, read: checkText(data, text) };
}

function cannotRead(error: unknown): ReadResult {
  return { ok: false, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
}

/** Content checks shared by the walker and the editor (which has text, not files); `decoded` is `data` already decoded. */
export function checkText(data: Buffer | string, decoded?: string): ReadResult {
  const sample = typeof data === 'string' ? data.slice(0, 8192) : data.subarray(0, 8192).toString('latin1');
  // UTF-16 text is full of NULs too, but it is text: say what it is, since re-saving it as UTF-8 gets it analyzed.
  if (typeof data !== 'string' && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))) return { ok: false, reason: 'UTF-16 text (only UTF-8 is analyzed)' };
  if (sample.includes('\0')) return { ok: false, reason: 'binary file' };
  const text = typeof data === 'string' ? data : (decoded ?? utf8.decode(data));
  if (text.length > MAX_FILE_BYTES) return TOO_LARGE;
  const replacements = (text.slice(0, 65536).match(/\uFFFD/g) ?? []).length;
  if (replacements > 16) return { ok: false, reason: 'not UTF-8 text' };
  if (/@generated|DO NOT EDIT|Code generated by/.test(text.slice(0, 512))) return { ok: false, reason: 'generated file' };
  if (looksMinified(text)) return { ok: false, reason: 'minified file' };
  return { ok: true, text };
}

function looksMinified(text: string): boolean {
  if (text.length < 4096) return false;
  // Lines averaging over 300 characters; runs on every keystroke, so it stops counting
  // once there are enough newlines, and lets indexOf scan natively.
  const enough = text.length / 300;
  let newlines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && newlines + 1 < enough; i = text.indexOf('\n', i + 1)) newlines++;
  return newlines + 1 < enough;
}
